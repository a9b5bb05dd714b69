-- The FTS5 tokenizer "exportlens"
CREATE VIRTUAL TABLE ft USING fts5(body, tokenize = 'exportlens');
INSERT INTO ft(rowid, body) VALUES
  (1, 'The U.S. and South Korea discussed export controls on Nov. 29.'),
  (2, 'Samsung pledged $1.5 billion; exports fell 30% (see 2205260028).'),
  (3, 'Chips under ECCN 3A090 need a license. Türkiye and Côte d’Ivoire too.'),
  (4, 'Korea’s chipmakers are exporting more memory chips.');
INSERT INTO ft(rowid, body) VALUES (8, 'They told us to use the new form.');
SELECT 'query us matches U.S. and us', (SELECT group_concat(rowid) FROM ft WHERE ft MATCH 'us') = '1,8';
SELECT 'query U.S. matches U.S. only', (SELECT group_concat(rowid) FROM ft WHERE ft MATCH '"U.S."') = '1';
DELETE FROM ft WHERE rowid = 8;
SELECT 'case-insensitive', (SELECT rowid FROM ft WHERE ft MATCH 'SOUTH') = 1;
SELECT 'codes are one token', (SELECT rowid FROM ft WHERE ft MATCH '"3A090"') = 3;
SELECT 'diacritics removed', (SELECT rowid FROM ft WHERE ft MATCH 'turkiye') = 3;
INSERT INTO ft(rowid, body) VALUES (9, 'Talks in İstanbul.');
SELECT 'dotted capital I folds to i', (SELECT rowid FROM ft WHERE ft MATCH 'istanbul') = 9
  AND (SELECT norm FROM tokens('İstanbul')) = 'istanbul';
DELETE FROM ft WHERE rowid = 9;
SELECT 'curly apostrophe folded', (SELECT rowid FROM ft WHERE ft MATCH '"d''ivoire"') = 3;
SELECT 'money as written', (SELECT rowid FROM ft WHERE ft MATCH '"$1.5"') = 2;
SELECT 'money: the bare number is colocated', (SELECT rowid FROM ft WHERE ft MATCH '"1.5"') = 2;
SELECT 'percent: the bare number is colocated', (SELECT rowid FROM ft WHERE ft MATCH '"30"') = 2;
SELECT 'reference numbers', (SELECT rowid FROM ft WHERE ft MATCH '2205260028') = 2;
SELECT 'possessive: Korea matches Korea’s', (SELECT group_concat(rowid) FROM ft WHERE ft MATCH 'korea') = '1,4';
SELECT 'punctuation is not indexed', (SELECT count(*) FROM ft WHERE ft MATCH '";"') = 0;
SELECT 'highlight uses byte offsets correctly',
  (SELECT highlight(ft, 0, '[', ']') FROM ft WHERE ft MATCH 'turkiye') LIKE '%[Türkiye]%';
-- porter stemming wraps it
CREATE VIRTUAL TABLE fp USING fts5(body, tokenize = 'porter exportlens');
INSERT INTO fp(rowid, body) SELECT rowid, body FROM ft;
SELECT 'porter exportlens stems', (SELECT group_concat(rowid) FROM fp WHERE fp MATCH 'export') = '1,2,4';
INSERT INTO fp(rowid, body) VALUES (8, 'They told us to use the new form.');
SELECT 'porter exportlens: U.S. does not match use or us', (SELECT group_concat(rowid) FROM fp WHERE fp MATCH '"U.S."') = '1';
-- options
CREATE VIRTUAL TABLE fd USING fts5(body, tokenize = 'exportlens remove_diacritics 0');
INSERT INTO fd(rowid, body) SELECT rowid, body FROM ft;
SELECT 'remove_diacritics 0 keeps accents', (SELECT count(*) FROM fd WHERE fd MATCH 'turkiye') = 0
  AND (SELECT count(*) FROM fd WHERE fd MATCH 'türkiye') = 1;
-- same tokens as tokens(): every indexed term is a norm of a non-punctuation token
CREATE VIRTUAL TABLE ftv USING fts5vocab(ft, 'instance');
SELECT 'index terms come from tokens()', (SELECT count(*) FROM ftv WHERE term NOT IN (
  SELECT lower(norm) FROM ft, tokens(ft.body) WHERE kind NOT IN ('punct','symbol')
  UNION SELECT 'u.s.' UNION SELECT '1.5' UNION SELECT '30' UNION SELECT 'turkiye' UNION SELECT 'cote' UNION SELECT 'd''ivoire')) = 0;
INSERT INTO ft(rowid, body) VALUES (5, NULL), (6, CAST(X'6162FF6364' AS TEXT)), (7, '');
SELECT 'invalid UTF-8 tokens searchable', (SELECT rowid FROM ft WHERE ft MATCH 'cd') = 6;
INSERT INTO ft(ft) VALUES ('integrity-check');
SELECT 'integrity-check ran', 1;
-- abbreviations are indexed without their periods, like tokens().norm
CREATE VIRTUAL TABLE fa USING fts5(body, tokenize = 'exportlens');
INSERT INTO fa(rowid, body) VALUES (1, 'Chips, tools etc. were listed at 5 a.m. by approx. noon, e.g. DRAM.');
SELECT 'etc. is found as etc', (SELECT count(*) FROM fa WHERE fa MATCH 'etc') = 1;
SELECT 'approx. is found as approx', (SELECT count(*) FROM fa WHERE fa MATCH 'approx') = 1;
SELECT 'a.m. is found as am and as "a.m."', (SELECT count(*) FROM fa WHERE fa MATCH 'am') = 1
  AND (SELECT count(*) FROM fa WHERE fa MATCH '"a.m."') = 1;
SELECT 'e.g. is found as eg', (SELECT count(*) FROM fa WHERE fa MATCH 'eg') = 1;
CREATE VIRTUAL TABLE fav USING fts5vocab(fa, 'row');
SELECT 'no indexed term ends with a period except dotted forms',
  (SELECT count(*) FROM fav WHERE term LIKE '%.' AND term NOT IN ('a.m.', 'e.g.')) = 0;
