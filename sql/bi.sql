-- Typed tables for BI tools: each showcase view of sql/schema.sql copied into
-- a table named bi_<view> whose columns have declared types, so that an ODBC
-- client sees INTEGER, REAL and TEXT for every column, whatever the first row
-- holds. A view's computed columns have no declared type: the SQLite ODBC
-- driver then describes them from the first row's value (a column whose first
-- value is NULL becomes VARCHAR, and its numbers arrive as text).
--
-- Also bi_article_entities: the entities() of every article, with canonical
-- split in two so that no column mixes text and numbers: canonical is always
-- TEXT (an ISO3 code, a full name, an ISO date, or the number as text), and
-- value is the REAL amount of a PERCENT or MONEY mention (NULL otherwise).
--
-- Run after the articles, the dataset and the views are in place, and again
-- when articles are added (each run replaces the tables):
--   sqlite> .read sql/bi.sql            (or exportlens.create_bi_tables(conn))
-- The extraction runs once here, not on every dashboard refresh.

SAVEPOINT bi;

DROP TABLE IF EXISTS bi_article_countries;
CREATE TABLE bi_article_countries(
  article_id INTEGER, iso3 TEXT, mentions INTEGER);
INSERT INTO bi_article_countries SELECT * FROM article_countries;

DROP TABLE IF EXISTS bi_article_terms;
CREATE TABLE bi_article_terms(
  article_id INTEGER, category TEXT, canonical TEXT, mentions INTEGER);
INSERT INTO bi_article_terms SELECT * FROM article_terms;

DROP TABLE IF EXISTS bi_article_quotes;
CREATE TABLE bi_article_quotes(
  article_id INTEGER, speaker TEXT, speaker_canonical TEXT, quote TEXT,
  start INTEGER, "end" INTEGER, sentence INTEGER);
INSERT INTO bi_article_quotes SELECT * FROM article_quotes;

DROP TABLE IF EXISTS bi_article_claims;
CREATE TABLE bi_article_claims(
  article_id INTEGER, subject TEXT, metric TEXT, object TEXT, detail TEXT,
  value REAL, unit TEXT, qualifier TEXT, year INTEGER, evidence TEXT,
  start INTEGER, "end" INTEGER, sentence INTEGER);
INSERT INTO bi_article_claims SELECT * FROM article_claims;

DROP TABLE IF EXISTS bi_article_entities;
CREATE TABLE bi_article_entities(
  article_id INTEGER, entity TEXT, label TEXT, canonical TEXT, value REAL,
  start INTEGER, "end" INTEGER, sentence INTEGER, source TEXT);
INSERT INTO bi_article_entities
SELECT a.id, e.entity, e.label, CAST(e.canonical AS TEXT),
       CASE WHEN typeof(e.canonical) IN ('integer', 'real') THEN e.canonical END,
       e.start, e."end", e.sentence, e.source
FROM articles a, entities(a.body) e;

DROP TABLE IF EXISTS bi_country_trade_latest;
CREATE TABLE bi_country_trade_latest(
  iso3 TEXT, country TEXT, indicator TEXT, object TEXT, year INTEGER, value REAL,
  unit TEXT, basis TEXT, source TEXT);
INSERT INTO bi_country_trade_latest SELECT * FROM country_trade_latest;

DROP TABLE IF EXISTS bi_country_exposure;
CREATE TABLE bi_country_exposure(
  iso3 TEXT, country TEXT, articles INTEGER, mentions INTEGER, article_ids TEXT,
  exports_pct_gdp REAL, exports_pct_gdp_year INTEGER,
  ic_world_export_share REAL, ic_world_export_share_year INTEGER,
  ic_exports_usd_bn REAL, ic_exports_year INTEGER);
INSERT INTO bi_country_exposure SELECT * FROM country_exposure;

DROP TABLE IF EXISTS bi_claim_check;
CREATE TABLE bi_claim_check(
  article_id INTEGER, subject TEXT, metric TEXT, object TEXT, detail TEXT, qualifier TEXT,
  claim_value REAL, unit TEXT, claim_year INTEGER, data_value REAL, data_year INTEGER,
  year_basis TEXT, difference REAL, verdict TEXT, data_source TEXT, evidence TEXT,
  start INTEGER, "end" INTEGER);
INSERT INTO bi_claim_check SELECT * FROM claim_check;

RELEASE bi;
