-- name_key(), name_similarity(), screen() against tests/fixtures/screening/csl_mini.csv
SELECT 'csv_import reads the CSL-format fixture',
  csv_import('tests/fixtures/screening/csl_mini.csv', 'csl') = 12;
SELECT 'name_key drops legal suffixes and sorts', name_key('Technologies HUAWEI Co., Ltd.') = 'huawei technologies';
SELECT 'name_key of NULL and of punctuation is NULL', name_key(NULL) IS NULL AND name_key('., ;') IS NULL;
SELECT 'name_similarity ignores suffix and order',
  name_similarity('HUAWEI TECHNOLOGIES CO., LTD.', 'Technologies Huawei') = 1.0;
SELECT 'name_similarity of NULL is NULL', name_similarity(NULL, 'x') IS NULL;
SELECT 'name_similarity: CETC vs CEC below 0.85',
  name_similarity('China Electronics Technology Group', 'China Electronics Corporation') < 0.85;
SELECT 'exact name', (SELECT group_concat(reason || ':' || score) FROM screen('Huawei Technologies Co Ltd')) = 'exact:1.0';
SELECT 'alias', (SELECT alias || ':' || reason FROM screen('SMIC')) = 'SMIC:alias';
SELECT 'misspelled', (SELECT reason FROM screen('Hangzhou Hikvison Digital Technology')) = 'fuzzy';
SELECT 'reordered person', (SELECT count(*) FROM screen('Ivan Sergeyevich Petrovsky')) = 1;
SELECT 'near miss: not listed', (SELECT count(*) FROM screen('China Electronics Corporation')) = 0;
SELECT 'unrelated: not listed', (SELECT count(*) FROM screen('Samsung Electronics')) = 0;
SELECT 'NULL name: no rows', (SELECT count(*) FROM screen(NULL)) = 0;
SELECT 'threshold lowers the bar', (SELECT count(*) FROM screen('Huawei Cloud', 'csl', 0.5)) >= 1
  AND (SELECT count(*) FROM screen('Huawei Cloud')) = 0;
SELECT 'scores are between threshold and 1',
  (SELECT count(*) FROM screen('Dahua', 'csl', 0.2) WHERE score < 0.2 OR score > 1) = 0;
SELECT 'an INSERT into the list is seen by the next query',
  (SELECT count(*) FROM screen('Quorvane Optics')) = 0;
INSERT INTO csl(source, name, alt_names, programs) VALUES ('test', 'Quorvane Optics Ltd.', '', '');
SELECT 'an INSERT into the list is seen by the next query (after)',
  (SELECT count(*) FROM screen('Quorvane Optics')) = 1;
CREATE TEMP TABLE mylist(name TEXT, alt_names TEXT, source TEXT, programs TEXT);
INSERT INTO mylist VALUES ('Zorvex Labs', 'ZVX', 'mine', 'P1');
BEGIN;
INSERT INTO csl(source, name, alt_names, programs) VALUES ('test', 'Vellumark Instruments', '', '');
SELECT 'a list row inserted in the open transaction matches', (SELECT count(*) FROM screen('Vellumark Instruments')) = 1;
ROLLBACK;
SELECT 'a rolled-back list row no longer matches', (SELECT count(*) FROM screen('Vellumark Instruments')) = 0;
SELECT 'schema-qualified list', (SELECT source FROM screen('Zorvex Labs Inc.', 'temp.mylist')) = 'mine';
