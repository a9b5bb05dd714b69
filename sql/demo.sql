-- exportlens showcase: run with `make demo` (or `make demo ARTICLES=dir`).
.read sql/load_articles.sql
.mode box --wrap 80
.headers on

.print
.print '== Articles: sentences and tokens per article'
SELECT id, substr(title, 1, 60) AS title,
       (SELECT count(*) FROM sentences(body)) AS sentences,
       token_count(body) AS tokens
FROM articles ORDER BY id;

.print
.print '== The first sentences of article 1: headline, then body (abbreviations such as U.S. and Nov. do not split)'
SELECT sentence, start, "end", substr(text, 1, 70) || CASE WHEN length(text) > 70 THEN '…' ELSE '' END AS text
FROM articles, sentences(articles.body)
WHERE articles.id = 1 AND sentence < 6;

.print
.print '== Token kinds across all articles'
SELECT kind, count(*) AS tokens, count(DISTINCT norm) AS distinct_norms
FROM articles, tokens(articles.body)
GROUP BY kind ORDER BY tokens DESC;

.print
.print '== Figures, codes and references the tokenizer recognises (first 15)'
SELECT a.id AS article, t.token, t.kind, t.norm, t.start, t."end", t.sentence
FROM articles a, tokens(a.body) t
WHERE t.kind IN ('percent', 'money', 'code', 'reference', 'url', 'email')
ORDER BY a.id, t.position LIMIT 15;

.print
.print '== Full-text search (tokenize=porter exportlens): "U.S." finds U.S. but not us or use; 3A090 and $1.5 stay whole'
CREATE VIRTUAL TABLE article_fts USING fts5(title, body, tokenize = 'porter exportlens');
INSERT INTO article_fts(rowid, title, body) SELECT id, title, body FROM articles;
SELECT q AS query, article_fts.rowid AS article,
       snippet(article_fts, 1, '[', ']', '…', 8) AS snippet
FROM (SELECT '"U.S." NEAR(controls, 5)' AS q UNION ALL SELECT '3A090' UNION ALL SELECT '"$1.5 billion"'),
     article_fts
WHERE article_fts MATCH q
ORDER BY q, rank LIMIT 8;

.print
.print '== Export-control terms per category across all articles (export_terms)'
SELECT t.category, count(*) AS mentions, count(DISTINCT t.canonical) AS distinct_terms,
       group_concat(DISTINCT t.canonical) AS examples
FROM articles a, export_terms(a.body) t
GROUP BY t.category ORDER BY mentions DESC;

.print
.print '== Top export-control terms, with the articles that mention them'
SELECT t.canonical, t.category, count(*) AS mentions, group_concat(DISTINCT a.id) AS articles
FROM articles a, export_terms(a.body) t
GROUP BY t.canonical, t.category ORDER BY mentions DESC, t.canonical LIMIT 12;

.print
.print '== Codes and citations, parsed (eccn_parse, cfr_parse)'
SELECT DISTINCT t.term, t.category,
       CASE WHEN t.category = 'code' THEN json_extract(eccn_parse(t.canonical), '$.category_name')
            ELSE json_extract(cfr_parse(t.canonical), '$.kind') END AS parsed
FROM articles a, export_terms(a.body) t
WHERE t.category IN ('code', 'citation') AND t.rule LIKE '%-pattern'
ORDER BY t.category, t.term;

.print
.print '== Countries each article talks about (entities: GPE and NORP mentions, as ISO 3166 codes)'
SELECT a.id AS article, e.canonical AS iso3, country_name(e.canonical) AS country,
       count(*) AS mentions, group_concat(DISTINCT e.entity) AS written_as
FROM articles a, entities(a.body) e
WHERE e.label IN ('GPE', 'NORP') AND e.canonical IN (SELECT iso3 FROM countries)
GROUP BY a.id, e.canonical ORDER BY a.id, mentions DESC, iso3;

.print
.print '== People and organisations, with the full name each mention resolves to'
SELECT e.label, e.canonical, count(*) AS mentions, group_concat(DISTINCT e.entity) AS written_as,
       group_concat(DISTINCT a.id) AS articles
FROM articles a, entities(a.body) e
WHERE e.label IN ('PERSON', 'ORG')
GROUP BY e.label, e.canonical ORDER BY e.label DESC, mentions DESC, e.canonical LIMIT 20;

.print
.print '== Dates, percentages and money, normalised'
SELECT a.id AS article, e.label, e.entity, e.canonical
FROM articles a, entities(a.body) e
WHERE e.label IN ('DATE', 'PERCENT', 'MONEY')
ORDER BY a.id, e.start LIMIT 15;
