-- exportlens showcase: run with `make demo` (or `make demo ARTICLES=dir`),
-- which runs sql/demo.sh: the extension is loaded and @dir set before this.
.read sql/load_articles.sql
.output /dev/null
.read sql/load_data.sql
.output
.read sql/schema.sql
.mode box --wrap 60
.headers on

.print
.print '== Articles'
SELECT id, CASE WHEN length(title) > 58 THEN substr(title, 1, 57) || '…' ELSE title END AS title,
       (SELECT count(*) FROM sentences(body)) AS sentences, token_count(body) AS tokens
FROM articles ORDER BY id;

.print
.print '== Countries the articles mention, with their trade indicators (view country_exposure)'
.print '   exports % of GDP: World Bank WDI; share of world IC exports and IC exports: UN Comtrade HS 8542'
SELECT iso3, substr(country, 1, 20) AS country, articles, mentions,
       CASE WHEN length(article_ids) > 24 THEN substr(article_ids, 1, 23) || '…' ELSE article_ids END AS article_ids,
       exports_pct_gdp AS "exports %GDP", exports_pct_gdp_year AS year,
       ic_world_export_share AS "IC export share %", ic_exports_usd_bn AS "IC exports $bn",
       ic_exports_year AS "IC year"
FROM country_exposure ORDER BY articles DESC, mentions DESC, iso3 LIMIT 20;

.print
.print '== Top export-control terms (view article_terms)'
SELECT canonical AS term, category, sum(mentions) AS mentions, count(*) AS articles,
       CASE WHEN length(group_concat(article_id, ',')) > 24 THEN substr(group_concat(article_id, ','), 1, 23) || '…'
            ELSE group_concat(article_id, ',') END AS ids
FROM (SELECT * FROM article_terms ORDER BY article_id)
GROUP BY canonical, category ORDER BY sum(mentions) DESC, canonical LIMIT 12;

.print
.print '== People and organisations, by full name (entities)'
SELECT e.label, e.canonical, count(*) AS mentions, group_concat(DISTINCT a.id) AS articles
FROM articles a, entities(a.body) e
WHERE e.label IN ('PERSON', 'ORG')
GROUP BY e.label, e.canonical ORDER BY mentions DESC, e.label DESC, e.canonical LIMIT 12;

-- {discourse: sections that need quotes() and claims() (sql/demo.sh drops them otherwise)
.print
.print '== Quotes by speaker (view article_quotes)'
SELECT coalesce(speaker_canonical, speaker, '(unattributed)') AS speaker, count(*) AS quotes,
       group_concat(DISTINCT article_id) AS articles,
       CASE WHEN length(min(quote)) > 58 THEN substr(min(quote), 1, 57) || '…' ELSE min(quote) END AS "a quote"
FROM article_quotes
GROUP BY 1 ORDER BY quotes DESC, speaker;

.print
.print '== Numeric claims (view article_claims)'
SELECT article_id AS art, subject, metric, coalesce(object, '') AS object, coalesce(detail, '') AS detail,
       coalesce(qualifier || ' ', '') || CASE WHEN unit = '%' THEN printf('%g%%', value)
         WHEN abs(value) >= 1e9 THEN printf('%g bn %s', value / 1e9, unit)
         WHEN abs(value) >= 1e6 THEN printf('%g m %s', value / 1e6, unit)
         ELSE printf('%,d %s', value, coalesce(unit, '')) END AS claim,
       year
FROM article_claims ORDER BY article_id, start;

.print
.print '== Claim check: each claim beside the dataset (view claim_check)'
.print '   year: the one stated, or the latest in the dataset; reported figures are never the truth; money in billions'
SELECT article_id AS art, subject, metric, coalesce(object, '') AS object,
       coalesce(qualifier || ' ', '') || printf('%g', CASE WHEN unit = '%' THEN claim_value ELSE claim_value / 1e9 END)
         AS claimed,
       CASE WHEN unit = '%' THEN unit ELSE 'bn ' || unit END AS unit,
       CASE WHEN data_value IS NULL THEN '' WHEN unit = '%' THEN printf('%.2f', data_value)
            ELSE printf('%.2f', data_value / 1e9) END AS dataset,
       coalesce(data_year || CASE year_basis WHEN 'latest' THEN ' (latest)' ELSE '' END, '') AS year,
       CASE WHEN difference IS NULL THEN '' WHEN unit = '%' THEN printf('%+.2f', difference)
            ELSE printf('%+.2f', difference / 1e9) END AS difference,
       verdict
FROM claim_check
WHERE metric NOT IN ('value', 'change') AND subject IS NOT NULL  -- the dataset has nothing to say on the others
ORDER BY article_id, start;

.print
.print '== Verdicts'
SELECT verdict, count(*) AS claims FROM claim_check GROUP BY verdict ORDER BY verdict;
-- discourse}
