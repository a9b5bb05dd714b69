-- export_terms(text), export_terms_with(text, lexicon), export_lexicon, eccn_parse(), cfr_parse()
CREATE TABLE fx(name TEXT, body TEXT);
INSERT INTO fx SELECT name, CAST(readfile(name) AS TEXT) FROM fsdir('tests/fixtures/terms') WHERE name LIKE '%.txt';
INSERT INTO fx SELECT name, CAST(readfile(name) AS TEXT) FROM fsdir('sql/data/articles') WHERE name LIKE '%.txt';

SELECT 'export_terms columns', (SELECT group_concat(name, ',') FROM pragma_table_xinfo('export_terms') WHERE hidden = 0)
  = 'term,category,canonical,start,end,sentence,rule';
SELECT 'export_lexicon columns', (SELECT group_concat(name, ',') FROM pragma_table_xinfo('export_lexicon'))
  = 'rule,term,category,canonical,is_pattern';
SELECT 'lexicon has at least 300 term entries', (SELECT count(*) FROM export_lexicon WHERE is_pattern = 0) >= 300;
SELECT 'lexicon has the grammar patterns', (SELECT group_concat(rule) FROM export_lexicon WHERE is_pattern = 1)
  = 'eccn-pattern,hs-pattern,cfr-pattern,fr-pattern,usc-pattern,eo-pattern';
SELECT 'lexicon categories are the eight', (SELECT count(*) FROM export_lexicon WHERE category NOT IN
  ('measure','technology','policy','agency','regime','list','code','citation')) = 0
  AND (SELECT count(DISTINCT category) FROM export_lexicon) = 8;
SELECT 'a rule has one category and one canonical', (SELECT count(*) FROM (SELECT rule FROM export_lexicon
  GROUP BY rule HAVING count(DISTINCT category) > 1 OR count(DISTINCT canonical) > 1)) = 0;
SELECT 'lexicon variants: plural, hyphen, licence, export-control', (SELECT count(*) FROM export_lexicon
  WHERE term IN ('export controls', 'export-control', 'licence exception', 'foreign direct product rules')) = 4;
SELECT 'every lexicon term finds itself', (SELECT count(*) FROM export_lexicon l
  WHERE l.is_pattern = 0 AND NOT EXISTS (SELECT 1 FROM export_terms(' ' || l.term || ' ') t
  WHERE t.start = 1 AND t."end" = 1 + length(l.term))) = 0;

SELECT 'substr(text, start+1, end-start) = term',
  (SELECT count(*) FROM fx, export_terms(fx.body) t WHERE substr(fx.body, t.start + 1, t."end" - t.start) <> t.term) = 0;
SELECT 'fixtures give terms', (SELECT count(*) FROM fx, export_terms(fx.body)) > 50;
SELECT 'rows come in text order without overlap', (SELECT count(*) FROM fx, export_terms(fx.body) a, export_terms(fx.body) b
  WHERE a.rowid + 1 = b.rowid AND b.start < a."end") = 0;
SELECT 'sentence agrees with tokens()', (SELECT count(*) FROM fx, export_terms(fx.body) t
  WHERE t.sentence <> (SELECT k.sentence FROM tokens(fx.body) k WHERE k.start <= t.start AND k."end" > t.start)) = 0;
SELECT 'sentence agrees with sentences()', (SELECT count(*) FROM fx, export_terms(fx.body) t
  WHERE t.sentence <> (SELECT s.sentence FROM sentences(fx.body) s WHERE s.start <= t.start AND s."end" > t.start)) = 0;
SELECT 'character offsets after multi-byte text', (SELECT start || '-' || "end" FROM export_terms('“Ünïcode” — BIS')) = '12-15';
SELECT 'canonical is the singular preferred term',
  (SELECT group_concat(canonical, ';') FROM export_terms('Export-controls, licence exceptions and the FDP rules'))
  = 'export control;license exception;foreign direct product rule';
SELECT 'leftmost-longest', (SELECT group_concat(term, ';') FROM export_terms('Entity List and Unreliable Entity List'))
  = 'Entity List;Unreliable Entity List';
SELECT 'case-insensitive except acronyms', (SELECT group_concat(term, ';') FROM export_terms('EXPORT CONTROL, the ear, EAR'))
  = 'EXPORT CONTROL;EAR';
SELECT 'codes and citations', (SELECT group_concat(rule, ',') FROM export_terms('ECCN 3A090.a, 15 CFR 744.21, § 744.23, 87 FR 62186, HS 8542'))
  = 'eccn,eccn-pattern,cfr-pattern,cfr-pattern,fr-pattern,hs-pattern';
SELECT 'NULL and empty text give no rows', (SELECT count(*) FROM export_terms(NULL)) + (SELECT count(*) FROM export_terms('')) = 0;
SELECT 'BLOB text works', (SELECT term FROM export_terms(CAST('the EAR' AS BLOB))) = 'EAR';
SELECT 'NUL bytes and invalid UTF-8 are separators', (SELECT count(*) FROM export_terms(x'00454152ff42495300')) = 2;
SELECT 'a number is read as text', (SELECT count(*) FROM export_terms(12345)) = 0;
SELECT 'hidden text column returns the argument', (SELECT DISTINCT text FROM export_terms('BIS and OFAC')) = 'BIS and OFAC';

-- user lexicon
CREATE TABLE lex(term TEXT, category TEXT, canonical TEXT, is_pattern INTEGER);
INSERT INTO lex VALUES ('Huawei Technologies', 'entity', 'Huawei', 0), ('SMIC', 'entity', 'SMIC', 0),
  ('chip[- ]?makers?', 'industry', 'chipmaker', 1), ('Entity List', 'my list', 'EL', 0);
SELECT 'user terms join the built-ins', (SELECT group_concat(term || '/' || category, ';') FROM
  export_terms_with('Huawei Technologies and SMIC, two chipmakers on the Entity List under the EAR', 'lex'))
  = 'Huawei Technologies/entity;SMIC/entity;chipmakers/industry;Entity List/my list;EAR/regime';
SELECT 'user rules are table:rowid', (SELECT rule FROM export_terms_with('SMIC', 'lex')) = 'lex:2';
UPDATE lex SET canonical = 'Semiconductor Manufacturing International' WHERE term = 'SMIC';
SELECT 'a changed lexicon is read again', (SELECT canonical FROM export_terms_with('SMIC', 'lex')) = 'Semiconductor Manufacturing International';
DELETE FROM lex WHERE term = 'SMIC';
SELECT 'a deleted term is gone', (SELECT count(*) FROM export_terms_with('SMIC', 'lex')) = 0;
CREATE TABLE lex3(term TEXT, category TEXT, canonical TEXT);
INSERT INTO lex3 VALUES ('dual circulation', 'policy', 'dual circulation');
SELECT 'is_pattern is optional', (SELECT category FROM export_terms_with('a dual circulation plan', 'lex3')) = 'policy';
SELECT 'NULL lexicon means the built-ins', (SELECT count(*) FROM export_terms('BIS', NULL)) = 1
  AND (SELECT count(*) FROM export_terms_with('BIS', NULL)) = 1;
BEGIN;
INSERT INTO lex3 VALUES ('zentrox gear', 'product', 'Zentrox gear');
SELECT 'a lexicon row inserted in the open transaction matches', (SELECT count(*) FROM export_terms_with('zentrox gear', 'lex3')) = 1;
ROLLBACK;
SELECT 'a rolled-back lexicon row no longer matches', (SELECT count(*) FROM export_terms_with('zentrox gear', 'lex3')) = 0;
SELECT 'two lexicons in one statement', (SELECT count(*) FROM export_terms_with('Huawei Technologies', 'lex'))
  + (SELECT count(*) FROM export_terms_with('Huawei Technologies', 'lex3')) = 1;
SELECT 'joined to a table of texts', (SELECT count(*) FROM fx, export_terms_with(fx.body, 'lex3')) = (SELECT count(*) FROM fx, export_terms(fx.body));

-- scalars
SELECT 'eccn_parse category', json_extract(eccn_parse('3A090'), '$.category_name') = 'Electronics';
SELECT 'eccn_parse group', json_extract(eccn_parse('3A090'), '$.group_name') = 'Systems, Equipment and Components';
SELECT 'eccn_parse paragraphs', json_extract(eccn_parse('5A002.a.1'), '$.paragraphs') = '["a","1"]';
SELECT 'eccn_parse 600 series', json_extract(eccn_parse('9A610'), '$.is_600_series') = 1;
SELECT 'eccn_parse 500 series', json_extract(eccn_parse('0A521'), '$.is_500_series') = 1;
SELECT 'eccn_parse EAR99', json_extract(eccn_parse('EAR99'), '$.ear99') = 1;
SELECT 'eccn_parse invalid is NULL', eccn_parse('3Z090') IS NULL AND eccn_parse('hello') IS NULL AND eccn_parse(NULL) IS NULL;
SELECT 'cfr_parse', json_extract(cfr_parse('15 CFR 744.21'), '$.title') = 15 AND json_extract(cfr_parse('15 CFR 744.21'), '$.part') = 744
  AND json_extract(cfr_parse('15 CFR 744.21'), '$.section') = '744.21';
SELECT 'cfr_parse part of the EAR', json_extract(cfr_parse('part 744 of the EAR'), '$.canonical') = '15 CFR part 744';
SELECT 'cfr_parse FR', json_extract(cfr_parse('87 FR 62186'), '$.page') = 62186;
SELECT 'cfr_parse invalid is NULL', cfr_parse('15 CFR') IS NULL AND cfr_parse('') IS NULL AND cfr_parse(NULL) IS NULL;
SELECT 'cfr_parse reads every canonical citation', (SELECT count(*) FROM fx, export_terms(fx.body) t
  WHERE t.category = 'citation' AND cfr_parse(t.canonical) IS NULL) = 0;
SELECT 'eccn_parse reads every ECCN found', (SELECT count(*) FROM fx, export_terms(fx.body) t
  WHERE t.rule = 'eccn-pattern' AND eccn_parse(t.canonical) IS NULL) = 0;
SELECT 'scalars are deterministic and innocuous', (SELECT count(*) FROM pragma_function_list
  WHERE name IN ('eccn_parse', 'cfr_parse') AND flags & 0x200000 AND flags & 0x800 AND NOT flags & 0x80000) = 2;
SELECT 'hidden lexicon column returns the argument', (SELECT DISTINCT lexicon FROM export_terms_with('BIS', 'lex3')) = 'lex3'
  AND (SELECT DISTINCT lexicon IS NULL FROM export_terms('BIS'));
