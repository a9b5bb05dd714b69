-- CSV import: csv_file, csv_sniff(), csv_import() and temp.csv_rejects on the fixtures
CREATE VIRTUAL TABLE rfc USING csv_file('tests/fixtures/csv/rfc4180.csv');
SELECT 'rfc4180: 3 rows, typed columns', (SELECT count(*) FROM rfc) = 3
  AND (SELECT group_concat(type, ',') FROM pragma_table_info('rfc')) = 'INTEGER,TEXT,TEXT,REAL';
SELECT 'rfc4180: quoted delimiter, doubled quotes, quoted CRLF',
  (SELECT name FROM rfc WHERE id = 1) = 'Korea, Rep.' AND (SELECT name FROM rfc WHERE id = 2) = 'He said "no"'
  AND (SELECT note FROM rfc WHERE id = 1) = 'line one' || char(13, 10) || 'line two';
SELECT 'rfc4180: empty fields are NULL, REAL values are REAL',
  (SELECT note IS NULL AND typeof(amount) = 'real' AND amount = -3 FROM rfc WHERE id = 2);
CREATE VIRTUAL TABLE lf USING csv_file('tests/fixtures/csv/lf.csv');
CREATE VIRTUAL TABLE cr USING csv_file('tests/fixtures/csv/cr_only.csv');
SELECT 'LF and CR-only files read the same', (SELECT group_concat(city || pop) FROM lf) = (SELECT group_concat(city || pop) FROM cr)
  AND (SELECT sum(pop) FROM cr) = 15702000;
CREATE VIRTUAL TABLE bom USING csv_file('tests/fixtures/csv/bom.csv');
SELECT 'BOM: first column named without it, codes keep leading zeros',
  (SELECT group_concat(name) FROM pragma_table_info('bom')) = 'code,label' AND (SELECT group_concat(code) FROM bom) = '001,002';
CREATE VIRTUAL TABLE empty USING csv_file('tests/fixtures/csv/empty.csv');
SELECT 'empty file: no rows, one generated column', (SELECT count(*) FROM empty) = 0
  AND (SELECT group_concat(name) FROM pragma_table_info('empty')) = 'column1';
CREATE VIRTUAL TABLE ho USING csv_file('tests/fixtures/csv/header_only.csv');
SELECT 'header-only file: the header names, no rows', (SELECT count(*) FROM ho) = 0
  AND (SELECT group_concat(name) FROM pragma_table_info('ho')) = 'country,year,value';
CREATE VIRTUAL TABLE bl USING csv_file('tests/fixtures/csv/blank_lines.csv');
SELECT 'blank lines are skipped', (SELECT group_concat(a || b) FROM bl) = '12,34';
CREATE VIRTUAL TABLE pre USING csv_file('tests/fixtures/csv/preamble.csv');
SELECT 'preamble lines skipped, header names kept, trailing comma named',
  (SELECT group_concat(name, '|') FROM pragma_table_info('pre')) = 'Country Name|Country Code|2021|2022|column5'
  AND (SELECT "2022" FROM pre WHERE "Country Code" = 'KOR') = 48.2 AND (SELECT "2022" FROM pre WHERE "Country Code" = 'CHL') IS NULL;
CREATE VIRTUAL TABLE lat USING csv_file('tests/fixtures/csv/latin1.csv');
SELECT 'Latin-1 read as UTF-8', (SELECT group_concat(partner, ';') FROM lat) = 'Côte d''Ivoire;Türkiye;Curaçao';
CREATE VIRTUAL TABLE codes USING csv_file('tests/fixtures/csv/codes.csv');
SELECT 'codes with leading zeros and mixed codes stay TEXT, unchanged',
  (SELECT group_concat(hs_code || '/' || eccn || '/' || zip, ' ') FROM codes) = '00123/3A090/06 8542/MG-8769/10115 0/5A002/01001'
  AND (SELECT group_concat(type) FROM pragma_table_info('codes')) = 'TEXT,TEXT,TEXT,INTEGER,REAL,TEXT';
SELECT 'exponent and integers in a REAL column', (SELECT sum(price) FROM codes) = 1003.75;
CREATE VIRTUAL TABLE dup USING csv_file('tests/fixtures/csv/dup_names.csv');
SELECT 'repeated and empty header names get stable unique names',
  (SELECT group_concat(name) FROM pragma_table_info('dup')) = 'name,name_1,column3,Name_2,value';
CREATE VIRTUAL TABLE semi USING csv_file('tests/fixtures/csv/semicolon.csv');
SELECT 'semicolon sniffed; decimal commas stay TEXT', (SELECT group_concat(wert, ' ') FROM semi) = '1,5 2,25 3'
  AND (SELECT typeof(wert) FROM semi LIMIT 1) = 'text';
CREATE VIRTUAL TABLE tsv USING csv_file('tests/fixtures/csv/tab.tsv');
CREATE VIRTUAL TABLE tsv2 USING csv_file('tests/fixtures/csv/tab.tsv', delimiter='\t');
SELECT 'tab sniffed and given as \t', (SELECT group_concat(name || score) FROM tsv) = 'Ann Lee9.5,Bo7.0'
  AND (SELECT count(*) FROM tsv2) = 2;
CREATE VIRTUAL TABLE pipe USING csv_file('tests/fixtures/csv/pipe.csv');
SELECT 'pipe sniffed', (SELECT sum(score) FROM pipe) = 24.5;
CREATE VIRTUAL TABLE bs USING csv_file('tests/fixtures/csv/backslash.csv');
CREATE VIRTUAL TABLE bs2 USING csv_file('tests/fixtures/csv/backslash.csv', escape='\');
SELECT 'backslash escapes (sniffed and given)', (SELECT quote FROM bs WHERE id = 1) = 'she said "hi"'
  AND (SELECT quote FROM bs2 WHERE id = 2) = 'back\slash';
CREATE VIRTUAL TABLE mixed USING csv_file('tests/fixtures/csv/mixed_types.csv', sample=2);
SELECT 'a value that does not fit its column comes back as TEXT, unchanged',
  (SELECT group_concat(typeof(x) || ':' || x) FROM mixed) = 'real:1.5,real:2.5,text:abc,real:4.25';
CREATE VIRTUAL TABLE mixall USING csv_file('tests/fixtures/csv/mixed_types.csv');
SELECT 'with the whole file sampled the column is TEXT', (SELECT type FROM pragma_table_info('mixall') WHERE name = 'x') = 'TEXT';
CREATE VIRTUAL TABLE kos USING csv_file('tests/fixtures/csv/kosis_like.csv');
SELECT 'year.month periods are not turned into numbers', (SELECT group_concat(period) FROM kos) = '2001.01,2001.10,2001.12';
CREATE VIRTUAL TABLE sp USING csv_file('tests/fixtures/csv/spaces.csv');
SELECT 'blanks around values are kept', (SELECT group_concat('[' || k || '][' || v || ']') FROM sp) = '[  padded  ][ x ],[  quoted  ][y]';
CREATE VIRTUAL TABLE rag USING csv_file('tests/fixtures/csv/ragged.csv');
SELECT 'ragged rows kept: padded with NULL, extra fields dropped', (SELECT count(*) FROM rag) = 4
  AND (SELECT c IS NULL FROM rag WHERE a = 4) AND (SELECT c FROM rag WHERE a = 6) = 8;
SELECT 'ragged rows recorded in temp.csv_rejects with line, offset, column and raw text',
  (SELECT group_concat(line || ':' || byte_offset || ':' || "column" || ':' || error || ':' || raw_line, ' | ') FROM temp.csv_rejects
   WHERE file = 'tests/fixtures/csv/ragged.csv')
  = '3:12:3:too few fields (expected 3, got 2):4,5 | 4:16:4:too many fields (expected 3, got 4):6,7,8,9';
SELECT 'a second scan does not record them twice', (SELECT count(*) FROM rag) = 4
  AND (SELECT count(*) FROM temp.csv_rejects WHERE file = 'tests/fixtures/csv/ragged.csv') = 2;
CREATE VIRTUAL TABLE unt USING csv_file('tests/fixtures/csv/unterminated.csv');
SELECT 'unterminated quote: value kept, row recorded', (SELECT text FROM unt WHERE id = 2) = 'never closed' || char(10)
  AND (SELECT error FROM temp.csv_rejects WHERE file LIKE '%unterminated.csv') = 'unterminated quoted field';
CREATE VIRTUAL TABLE bad8 USING csv_file('tests/fixtures/csv/invalid_utf8.csv');
SELECT 'invalid UTF-8: raw bytes as a BLOB, row recorded', (SELECT typeof(name) || hex(name) FROM bad8 WHERE id = 2) = 'blob626164FFFE6279746573'
  AND (SELECT name FROM bad8 WHERE id = 1) = 'café' AND (SELECT "column" FROM temp.csv_rejects WHERE file LIKE '%invalid_utf8.csv') = 2;
CREATE VIRTUAL TABLE nul USING csv_file('tests/fixtures/csv/nul.csv');
SELECT 'NUL byte: raw bytes as a BLOB, row recorded', (SELECT hex(name) FROM nul WHERE id = 1) = '6162006364'
  AND (SELECT error FROM temp.csv_rejects WHERE file LIKE '%nul.csv') = 'NUL byte in field';
CREATE VIRTUAL TABLE opt USING csv_file('tests/fixtures/csv/codes.csv', header=yes, columns='a,b,c,d,e,f', types=text, null='0,');
SELECT 'columns, types=text and null options', (SELECT group_concat(name) FROM pragma_table_info('opt')) = 'a,b,c,d,e,f'
  AND (SELECT count(*) FROM opt WHERE a IS NULL) = 1 AND (SELECT typeof(d) FROM opt LIMIT 1) = 'text';
CREATE VIRTUAL TABLE sch USING csv_file('tests/fixtures/csv/pipe.csv', schema='CREATE TABLE x(id TEXT, who TEXT, score INTEGER)');
SELECT 'schema option: names and affinities', (SELECT group_concat(typeof(id) || who || typeof(score)) FROM sch) = 'textAnnreal,textBointeger,textCyinteger';
SELECT 'csv_sniff: JSON with dialect, columns and a statement',
  json_extract(csv_sniff('tests/fixtures/csv/preamble.csv'), '$.skip') = 4
  AND json_extract(csv_sniff('tests/fixtures/csv/preamble.csv'), '$.columns[2].type') = 'REAL'
  AND json_extract(csv_sniff('tests/fixtures/csv/semicolon.csv'), '$.delimiter') = ';'
  AND json_extract(csv_sniff('tests/fixtures/csv/latin1.csv'), '$.encoding') = 'latin1'
  AND json_extract(csv_sniff('tests/fixtures/csv/ragged.csv'), '$.rejects_sampled') = 2
  AND json_extract(csv_sniff('tests/fixtures/csv/lf.csv', 'header=no'), '$.header') = 0;
SELECT 'csv_import: row count', csv_import('tests/fixtures/csv/rfc4180.csv', 'imp') = 3;
SELECT 'csv_import: a typed table', (SELECT sql FROM sqlite_master WHERE name = 'imp') = 'CREATE TABLE "imp"("id" INTEGER, "name" TEXT, "note" TEXT, "amount" REAL)';
SELECT 'csv_import mode=append adds to the table', csv_import('tests/fixtures/csv/rfc4180.csv', 'imp', 'mode=append') = 3;
SELECT 'csv_import appended', (SELECT count(*) FROM imp) = 6;
SELECT 'csv_import mode=replace replaces it', csv_import('tests/fixtures/csv/rfc4180.csv', 'imp', 'mode=replace') = 3;
SELECT 'csv_import replaced', (SELECT count(*) FROM imp) = 3;
SELECT 'csv_import with options', csv_import('tests/fixtures/csv/semicolon.csv', 'semi_t', 'delimiter=";"; types=text') = 3;
SELECT 'csv_import with types=text makes TEXT columns', (SELECT typeof(jahr) FROM semi_t LIMIT 1) = 'text';
SELECT 'csv_import non-strict keeps every row', csv_import('tests/fixtures/csv/ragged.csv', 'rag_t') = 4;
SELECT 'csv_import non-strict records rejects', (SELECT count(*) FROM temp.csv_rejects WHERE file = 'tests/fixtures/csv/ragged.csv') = 2;
