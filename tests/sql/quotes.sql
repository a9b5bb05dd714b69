-- quotes(text), claims(text)
CREATE TABLE fx(name TEXT, body TEXT);
INSERT INTO fx SELECT name, CAST(readfile(name) AS TEXT) FROM fsdir('tests/fixtures/quotes') WHERE name LIKE '%.txt';

SELECT 'four fixture articles', (SELECT count(*) FROM fx) = 4;
SELECT 'substr(text, start+1, end-start) = quote for every fixture quote',
  (SELECT count(*) FROM fx, quotes(fx.body) q WHERE substr(fx.body, q.start + 1, q."end" - q.start) <> q.quote) = 0;
SELECT 'every quote starts on a token of its sentence',
  (SELECT count(*) FROM fx, quotes(fx.body) q WHERE NOT EXISTS
     (SELECT 1 FROM tokens(fx.body) t WHERE t.start = q.start AND t.sentence = q.sentence)) = 0;
SELECT 'a claim lies inside its evidence sentence',
  (SELECT count(*) FROM fx, claims(fx.body) c WHERE instr(c.evidence, substr(fx.body, c.start + 1, c."end" - c.start)) = 0) = 0;
SELECT 'the evidence is the sentence sentences() gives',
  (SELECT count(*) FROM fx, claims(fx.body) c WHERE NOT EXISTS
     (SELECT 1 FROM sentences(fx.body) s WHERE s.sentence = c.sentence AND s.text = c.evidence)) = 0;
SELECT 'metrics come from the documented vocabulary',
  (SELECT count(*) FROM fx, claims(fx.body) c WHERE c.metric NOT IN
     ('share_of_exports','share_of_imports','share_of_world_production','share_of_world_exports',
      'exports_pct_gdp','exports_value','imports_value','value','change')) = 0;
SELECT 'qualifiers come from the documented set',
  (SELECT count(*) FROM fx, claims(fx.body) c WHERE c.qualifier IS NOT NULL AND c.qualifier NOT IN
     ('more than','less than','about','nearly','up to','at least')) = 0;
SELECT 'country subjects are known ISO3 codes',
  (SELECT count(*) FROM fx, claims(fx.body) c WHERE c.subject IS NOT NULL
     AND c.subject NOT IN (SELECT iso3 FROM countries)) = 0;
SELECT 'value is REAL', (SELECT typeof(value) FROM claims('China took 5% of Japan''s exports.')) = 'real';
SELECT 'the issue''s export claim',
  (SELECT subject || '|' || metric || '|' || object || '|' || value || '|' || unit || '|' || qualifier
     FROM claims('She said China accounts for more than 30% of South Korean exports.'))
  = 'CHN|share_of_exports|KOR|30.0|%|more than';
SELECT 'the issue''s import claim with its detail',
  (SELECT subject || '|' || metric || '|' || object || '|' || detail FROM
     claims('South Korea imports more than 30% of its semiconductors from China.'))
  = 'KOR|share_of_imports|CHN|semiconductors';
SELECT 'money in units', (SELECT value || ' ' || unit || ' ' || year FROM
     claims('Korea''s exports to China reached $162 billion in 2019.')) = '162000000000.0 USD 2019';
SELECT 'split quote: two rows, one speaker',
  (SELECT group_concat(speaker_canonical, ';') FROM quotes('“The first half of it,” said Anna Weber, “and then the second half.”'))
  = 'Anna Weber;Anna Weber';
SELECT 'pronoun speaker keeps its surface',
  (SELECT group_concat(speaker || '=' || speaker_canonical, ';') FROM
     quotes('Anna Weber spoke. “We will look at every case very carefully,” she said.')) = 'she=Anna Weber';
SELECT 'NULL, empty and a number give no rows',
  (SELECT count(*) FROM quotes(NULL)) + (SELECT count(*) FROM claims('')) + (SELECT count(*) FROM quotes(42)) = 0;
SELECT 'input is a hidden column', (SELECT count(*) FROM quotes WHERE input = '“This is a quote of several words,” she said.') = 1;
SELECT 'a lateral join over a table',
  (SELECT count(*) FROM fx, claims(fx.body)) = (SELECT sum((SELECT count(*) FROM claims(body))) FROM fx);
