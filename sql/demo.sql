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
SELECT iso3, substr(country, 1, 20) AS country, articles, mentions, article_ids,
       exports_pct_gdp AS "exports %GDP", exports_pct_gdp_year AS year,
       ic_world_export_share AS "IC export share %", ic_exports_usd_bn AS "IC exports $bn",
       ic_exports_year AS "IC year"
FROM country_exposure ORDER BY articles DESC, mentions DESC, iso3 LIMIT 20;

.print
.print '== Top export-control terms (view article_terms)'
SELECT canonical AS term, category, sum(mentions) AS mentions, group_concat(article_id, ',') AS articles
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
       substr(min(quote), 1, 60) || CASE WHEN length(min(quote)) > 60 THEN '…' ELSE '' END AS "a quote"
FROM article_quotes
GROUP BY 1 ORDER BY quotes DESC, speaker;

.print
.print '== Numeric claims (view article_claims)'
SELECT article_id AS art, subject, metric, coalesce(object, '') AS object, coalesce(detail, '') AS detail,
       coalesce(qualifier || ' ', '') || value || CASE WHEN unit = '%' THEN '%' ELSE ' ' || coalesce(unit, '') END AS claim,
       year
FROM article_claims ORDER BY article_id, start;

.print
.print '== Claim check: each claim beside the dataset (view claim_check)'
.print '   year: the stated one, or the latest in the dataset; reported figures are never used as truth'
SELECT article_id AS art, subject, metric, coalesce(object, '') AS object,
       coalesce(qualifier || ' ', '') || claim_value AS claimed, unit,
       round(data_value, 2) AS dataset, data_year || CASE year_basis WHEN 'latest' THEN ' (latest)' ELSE '' END AS year,
       difference, verdict
FROM claim_check ORDER BY article_id, start;
-- discourse}
