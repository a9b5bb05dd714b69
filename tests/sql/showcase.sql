-- The showcase views (sql/schema.sql) over the bundled articles and dataset, in the shell
-- (also run under valgrind by `make valgrind`).
.read sql/load_articles.sql
.output /dev/null
.read sql/load_data.sql
.output
.read sql/schema.sql
SELECT 'articles loaded in file order', (SELECT group_concat(id, ',') FROM (SELECT id FROM articles ORDER BY path))
  = (SELECT group_concat(id, ',') FROM (SELECT id FROM articles ORDER BY id)) AND (SELECT count(*) FROM articles) >= 6;
SELECT 'titles are first lines', (SELECT count(*) FROM articles WHERE body NOT LIKE title || char(10) || '%') = 0;
SELECT 'no CR left in bodies', (SELECT count(*) FROM articles WHERE instr(body, char(13)) > 0) = 0;
SELECT 'dataset loaded with typed years and values', (SELECT count(*) FROM country_trade) > 600
  AND (SELECT count(*) FROM country_trade WHERE typeof(year) <> 'integer' OR typeof(value) <> 'real') = 0;
SELECT 'every view can be read', (SELECT count(*) FROM article_countries) > 0 AND (SELECT count(*) FROM article_terms) > 0
  AND (SELECT count(*) FROM country_trade_latest) > 0 AND (SELECT count(*) FROM country_exposure) > 0;
SELECT 'latest rows are never reported ones', (SELECT count(*) FROM country_trade_latest WHERE basis = 'reported') = 0;
SELECT 'one latest row per series', (SELECT count(*) FROM (SELECT 1 FROM country_trade_latest
  GROUP BY iso3, indicator, object HAVING count(*) > 1)) = 0;
SELECT 'exposure: one row per mentioned country', (SELECT count(*) FROM country_exposure)
  = (SELECT count(DISTINCT iso3) FROM article_countries);
SELECT 'exposure article counts add up', (SELECT sum(articles) FROM country_exposure) = (SELECT count(*) FROM article_countries);
-- quotes() and claims() views: only when the build has them
SELECT 'claim_check has one row per claim', (SELECT count(*) FROM pragma_module_list WHERE name = 'claims') = 0
  OR (SELECT count(*) FROM claim_check) = (SELECT count(*) FROM article_claims);
SELECT 'verdicts are the three', (SELECT count(*) FROM pragma_module_list WHERE name = 'claims') = 0
  OR (SELECT count(*) FROM claim_check WHERE verdict NOT IN ('consistent', 'differs', 'no data')) = 0;
SELECT 'a checked claim has a measured or derived figure', (SELECT count(*) FROM pragma_module_list WHERE name = 'claims') = 0
  OR (SELECT count(*) FROM claim_check c WHERE c.data_value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM country_trade d
      WHERE d.iso3 = c.subject AND d.indicator = c.metric AND d.year = c.data_year AND d.value = c.data_value
        AND d.basis IN ('measured', 'derived'))) = 0;
SELECT 'quotes view offsets index into body', (SELECT count(*) FROM pragma_module_list WHERE name = 'quotes') = 0
  OR (SELECT count(*) FROM article_quotes q JOIN articles a ON a.id = q.article_id
      WHERE substr(a.body, q.start + 1, q."end" - q.start) <> q.quote) = 0;
