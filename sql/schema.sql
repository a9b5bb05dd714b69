-- exportlens views for analysts. They read
--   articles(id, path, title, body)      sql/load_articles.sql or sql/load_articles.py
--   country_trade(iso3, country, year, indicator, object, value, unit, source, basis)
--                                        sql/load_data.sql (sql/data/country_trade.csv)
-- and need the extension loaded whenever they are queried. Running this file
-- again replaces the views. The extraction runs each time a view is read; for a
-- large collection, materialise a view once: CREATE TABLE claims_t AS SELECT * FROM article_claims.

-- Countries and economies an article mentions, by name or demonym ("South
-- Korean" counts for KOR), with the number of mentions.
DROP VIEW IF EXISTS article_countries;
CREATE VIEW article_countries(article_id, iso3, mentions) AS
SELECT a.id, e.canonical, count(*)
FROM articles a, entities(a.body) e
WHERE e.label IN ('GPE', 'NORP') AND e.canonical IN (SELECT iso3 FROM countries)
GROUP BY a.id, e.canonical;

-- Export-control terms per article, by category and canonical form.
DROP VIEW IF EXISTS article_terms;
CREATE VIEW article_terms(article_id, category, canonical, mentions) AS
SELECT a.id, t.category, t.canonical, count(*)
FROM articles a, export_terms(a.body) t
GROUP BY a.id, t.category, t.canonical;

-- Quotes with their speakers; start/end are character offsets into body.
DROP VIEW IF EXISTS article_quotes;
CREATE VIEW article_quotes(article_id, speaker, speaker_canonical, quote, start, "end", sentence) AS
SELECT a.id, q.speaker, q.speaker_canonical, q.quote, q.start, q."end", q.sentence
FROM articles a, quotes(a.body) q;

-- Numeric claims; start/end are character offsets into body.
DROP VIEW IF EXISTS article_claims;
CREATE VIEW article_claims(article_id, subject, metric, object, detail, value, unit, qualifier, year,
                           evidence, start, "end", sentence) AS
SELECT a.id, c.subject, c.metric, c.object, c.detail, c.value, c.unit, c.qualifier, c.year,
       c.evidence, c.start, c."end", c.sentence
FROM articles a, claims(a.body) c;

-- The latest measured or derived figure of each indicator for each economy
-- and object. 'reported' rows (what articles say) are left out.
DROP VIEW IF EXISTS country_trade_latest;
CREATE VIEW country_trade_latest(iso3, country, indicator, object, year, value, unit, basis, source) AS
SELECT d.iso3, d.country, d.indicator, d.object, d.year, d.value, d.unit, d.basis, d.source
FROM country_trade d
WHERE d.basis IN ('measured', 'derived')
  AND d.year = (SELECT max(x.year) FROM country_trade x
                WHERE x.iso3 = d.iso3 AND x.indicator = d.indicator AND x.object IS d.object
                  AND x.basis IN ('measured', 'derived'));

-- One row per country that the articles mention: how many articles and
-- mentions, which articles, and the latest value of its headline indicators
-- (NULL when the dataset has none) with the year each is from.
DROP VIEW IF EXISTS country_exposure;
CREATE VIEW country_exposure(iso3, country, articles, mentions, article_ids,
                             exports_pct_gdp, exports_pct_gdp_year,
                             ic_world_export_share, ic_world_export_share_year,
                             ic_exports_usd_bn, ic_exports_year) AS
WITH m AS (SELECT iso3, count(*) AS articles, sum(mentions) AS mentions,
                  group_concat(article_id, ',') AS article_ids
           FROM (SELECT * FROM article_countries ORDER BY article_id)
           GROUP BY iso3)
SELECT m.iso3, coalesce(country_name(m.iso3), m.iso3), m.articles, m.mentions, m.article_ids,
       round(g.value, 1), g.year, round(s.value, 2), s.year, round(v.value / 1e9, 1), v.year
FROM m
LEFT JOIN country_trade_latest g ON g.iso3 = m.iso3 AND g.indicator = 'exports_pct_gdp' AND g.object IS NULL
LEFT JOIN country_trade_latest s ON s.iso3 = m.iso3 AND s.indicator = 'share_of_world_exports'
                                AND s.object = 'integrated circuits'
LEFT JOIN country_trade_latest v ON v.iso3 = m.iso3 AND v.indicator = 'exports_value'
                                AND v.object = 'integrated circuits';

-- Each claim beside the dataset's figure for the same subject, metric, object
-- and unit (object compared case-insensitively, NULL matching NULL): the
-- claim's year when it states one, otherwise the latest year the dataset has
-- (year_basis says which). Only measured and derived rows are used: a claim
-- is never checked against a 'reported' row, which is an article's own figure.
-- verdict:
--   'no data'     no such figure in the dataset (or no subject/value/unit);
--   'consistent'  with no qualifier or an approximate one (about, around,
--                 roughly, nearly, almost, close to, approximately, some):
--                 |claim - data| <= tolerance, where tolerance is 1 percentage
--                 point or 5% of the claimed value, whichever is larger, for
--                 '%', and 5% of the claimed value for other units;
--                 with a bound: 'more than', 'over', 'above', 'exceeding':
--                 data > claim; 'at least': data >= claim; 'less than',
--                 'under', 'below', 'fewer than': data < claim; 'up to', 'at
--                 most', 'no more than': data <= claim (bounds are exact: no
--                 tolerance);
--   'differs'     otherwise.
-- difference = claim value - data value (in the unit of both).
DROP VIEW IF EXISTS claim_check;
CREATE VIEW claim_check(article_id, subject, metric, object, detail, qualifier, claim_value, unit,
                        claim_year, data_value, data_year, year_basis, difference, verdict,
                        data_source, evidence, start, "end") AS
WITH k AS (
  SELECT c.*,
         (SELECT d.rowid FROM country_trade d
          WHERE d.iso3 = c.subject AND d.indicator = c.metric AND d.unit = c.unit
            AND (d.object IS c.object OR lower(d.object) = lower(c.object))
            AND d.basis IN ('measured', 'derived')
            AND (c.year IS NULL OR d.year = c.year)
          ORDER BY d.year DESC, d.basis = 'measured' DESC LIMIT 1) AS data_rowid,
         CASE lower(coalesce(c.qualifier, ''))
           WHEN 'more than' THEN '>' WHEN 'over' THEN '>' WHEN 'above' THEN '>' WHEN 'exceeding' THEN '>'
           WHEN 'at least' THEN '>='
           WHEN 'less than' THEN '<' WHEN 'under' THEN '<' WHEN 'below' THEN '<' WHEN 'fewer than' THEN '<'
           WHEN 'up to' THEN '<=' WHEN 'at most' THEN '<=' WHEN 'no more than' THEN '<='
           ELSE '~' END AS op,
         CASE WHEN c.unit = '%' THEN max(1.0, 0.05 * abs(c.value)) ELSE 0.05 * abs(c.value) END AS tol
  FROM article_claims c
)
SELECT k.article_id, k.subject, k.metric, k.object, k.detail, k.qualifier, k.value, k.unit, k.year,
       d.value, d.year,
       CASE WHEN d.rowid IS NULL THEN NULL WHEN k.year IS NULL THEN 'latest' ELSE 'stated' END,
       round(k.value - d.value, 2),
       CASE WHEN d.rowid IS NULL OR k.value IS NULL THEN 'no data'
            WHEN k.op = '>' AND d.value > k.value THEN 'consistent'
            WHEN k.op = '>=' AND d.value >= k.value THEN 'consistent'
            WHEN k.op = '<' AND d.value < k.value THEN 'consistent'
            WHEN k.op = '<=' AND d.value <= k.value THEN 'consistent'
            WHEN k.op = '~' AND abs(k.value - d.value) <= k.tol THEN 'consistent'
            ELSE 'differs' END,
       d.source, k.evidence, k.start, k."end"
FROM k LEFT JOIN country_trade d ON d.rowid = k.data_rowid;

-- Each distinct ORG and PERSON mention of an article screened against the
-- list in table csl. A TEMP view, so it lasts for this connection only: run
-- this file (or this statement) in the session that queries it. screen()
-- reads a table, so it is DIRECTONLY: a view stored in the database file may
-- not call it (that would let any database file read your tables; see the
-- docs on trust). Copy the rows into a table for tools that connect anew:
-- CREATE TABLE screening_hits AS SELECT * FROM article_screening_hits.
DROP VIEW IF EXISTS main.article_screening_hits;
DROP VIEW IF EXISTS temp.article_screening_hits;
CREATE TEMP VIEW article_screening_hits(article_id, entity, label, listed_name, source, programs,
                                   score, reason) AS
SELECT m.article_id, m.entity, m.label, s.name, s.source, s.programs, s.score, s.reason
FROM (SELECT DISTINCT a.id AS article_id, e.entity AS entity, e.label AS label
      FROM articles a, entities(a.body) e
      WHERE e.label IN ('ORG', 'PERSON')) m,
     screen(m.entity, 'csl') s;
