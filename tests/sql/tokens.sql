-- tokens(text): kinds, offsets, norms, sentences
CREATE TABLE fx(name TEXT, body TEXT);
INSERT INTO fx VALUES ('basic', CAST(readfile('tests/fixtures/tokenize_basic.txt') AS TEXT));
INSERT INTO fx SELECT name, CAST(readfile(name) AS TEXT) FROM fsdir('sql/data/articles') WHERE name LIKE '%.txt';

SELECT 'columns are position, token, norm, kind, start, end, sentence, upos, xpos, lemma, head, dep',
  (SELECT group_concat(name, ',') FROM pragma_table_xinfo('tokens') WHERE hidden = 0)
  = 'position,token,norm,kind,start,end,sentence,upos,xpos,lemma,head,dep';
SELECT 'substr(text, start+1, end-start) = token for every fixture token',
  (SELECT count(*) FROM fx, tokens(fx.body) t WHERE substr(fx.body, t.start + 1, t."end" - t.start) <> t.token) = 0;
SELECT 'positions are 0..n-1',
  (SELECT max(position) + 1 = count(*) AND min(position) = 0 FROM fx, tokens(fx.body) WHERE fx.name = 'basic');
SELECT 'offsets increase', (SELECT count(*) FROM fx, tokens(fx.body) a, tokens(fx.body) b
  WHERE fx.name = 'basic' AND b.position = a.position + 1 AND b.start < a."end") = 0;
SELECT 'U.S. is one word with norm us',
  (SELECT kind || ':' || norm FROM tokens('the U.S.-South Korea deal') WHERE token = 'U.S.') = 'word:us';
SELECT 'U.S.-South Korea gives U.S. - South Korea',
  (SELECT group_concat(token, ' ') FROM tokens('U.S.-South Korea')) = 'U.S. - South Korea';
SELECT 'Nov. 29', (SELECT group_concat(token || '/' || kind, ' ') FROM tokens('on Nov. 29')) = 'on/word Nov./word 29/number';
SELECT '30% is a percent', (SELECT kind FROM tokens('30%')) = 'percent';
SELECT '$1.5 billion', (SELECT group_concat(token || '/' || kind, ' ') FROM tokens('$1.5 billion')) = '$1.5/money billion/word';
SELECT '(see 2205260028)', (SELECT kind FROM tokens('(see 2205260028)') WHERE position = 2) = 'reference';
SELECT '3A090 and EAR99 are codes', (SELECT group_concat(kind) FROM tokens('3A090 EAR99')) = 'code,code';
SELECT 'url and email', (SELECT group_concat(kind) FROM tokens('https://www.bis.doc.gov press@example.org')) = 'url,email';
SELECT 'symbol and punct', (SELECT group_concat(kind) FROM tokens('+ ;')) = 'symbol,punct';
SELECT 'curly quotes fold in norm', (SELECT group_concat(norm, '') FROM tokens('“Korea’s”')) = '"korea''s"';
SELECT 'case folding', (SELECT norm FROM tokens('SEOUL')) = 'seoul';
SELECT 'every kind is one of the ten', (SELECT count(*) FROM fx, tokens(fx.body) WHERE kind NOT IN
  ('word','number','percent','money','punct','symbol','url','email','code','reference')) = 0;
SELECT 'fixture has every kind but symbol', (SELECT count(DISTINCT kind) FROM fx, tokens(fx.body) WHERE fx.name = 'basic') = 9;
SELECT 'character offsets with non-ASCII text', (SELECT start || '-' || "end" FROM tokens('Türkiye’s naïve plan') WHERE token = 'plan') = '16-20';
SELECT 'sentence ids in tokens match sentences()', (SELECT count(*) FROM fx, tokens(fx.body) t
  WHERE NOT EXISTS (SELECT 1 FROM sentences(fx.body) s WHERE s.sentence = t.sentence AND t.start >= s.start AND t."end" <= s."end")) = 0;
SELECT 'headline is sentence 0', (SELECT max(sentence) FROM tokens('Chip Rules Tighten\nThe rule took effect.') WHERE token = 'Tighten') = 0;
SELECT 'join with a table', (SELECT count(*) FROM fx, tokens(fx.body)) > 2000;
SELECT 'token_count equals the number of rows', (SELECT sum(token_count(body)) FROM fx) = (SELECT count(*) FROM fx, tokens(fx.body));
SELECT 'hidden input column', (SELECT count(*) FROM tokens WHERE input = 'a b c') = 3;
-- NULL, empty, numbers, blobs
SELECT 'NULL gives no rows', (SELECT count(*) FROM tokens(NULL)) = 0;
SELECT 'empty gives no rows', (SELECT count(*) FROM tokens('')) = 0;
SELECT 'white space only gives no rows', (SELECT count(*) FROM tokens('  ' || char(10, 9, 13) || ' ')) = 0;
SELECT 'an integer is tokenized as its text', (SELECT token || kind FROM tokens(2024)) = '2024number';
SELECT 'a blob is read as UTF-8 bytes', (SELECT group_concat(token) FROM tokens(X'53656f756c')) = 'Seoul';
SELECT 'token_count(NULL) is NULL', token_count(NULL) IS NULL;
SELECT 'token_count('''') is 0', token_count('') = 0;
-- invalid UTF-8 and NUL bytes: no crash, invalid bytes separate, offsets stay consistent
SELECT 'invalid UTF-8 bytes are separators', (SELECT group_concat(token, ' ') FROM tokens(CAST(X'6162FF6364C328207A' AS TEXT))) = 'ab cd ( z';
SELECT 'invalid UTF-8 offsets agree with substr', (SELECT count(*) FROM (SELECT CAST(X'41C3A98042FF43E282AC44F09F988045C0AF46' AS TEXT) AS b), tokens(b) t
  WHERE substr(b, t.start + 1, t."end" - t.start) <> t.token) = 0;
SELECT 'NUL bytes separate tokens', (SELECT group_concat(token, ' ') FROM tokens(CAST(X'616C70686100626574610067616D6D61' AS TEXT))) = 'alpha beta gamma';
SELECT 'NUL counts as one character', (SELECT start FROM tokens(CAST(X'6100620063' AS TEXT)) WHERE position = 2) = 4;
SELECT 'token_count sees past NUL', token_count(CAST(X'6100620063' AS TEXT)) = 3;
-- the planner may try join orders in which the argument is not available at
-- all (SQLite then leaves the term out): that must not be an error
SELECT 'argument from a LIMIT subquery, OR in WHERE (tokens)',
  (WITH s AS (SELECT t.token, d.rowid AS r FROM (SELECT rowid, body FROM fx LIMIT 40000) d, tokens(d.body) t)
   SELECT count(*) FROM s WHERE token LIKE 'Sa%' OR token LIKE 'Se%') > 0;
SELECT 'argument from a LIMIT subquery, OR in WHERE (sentences)',
  (WITH s AS (SELECT x.text, d.rowid AS r, x.sentence FROM (SELECT rowid, body FROM fx LIMIT 40000) d, sentences(d.body) x)
   SELECT count(*) FROM s WHERE text LIKE '% v.' OR text LIKE '%.' OR text LIKE '% et al.') > 0;
-- the hidden argument column returns the argument; SQLite re-checks input = ?
-- when there are more than 16 constraints, and the row must still match
SELECT 'hidden input column returns the argument', (SELECT DISTINCT input FROM tokens('a b')) = 'a b';
SELECT 'more than 16 constraints still find the rows', (SELECT count(*) FROM tokens t WHERE
  t.position > -1 AND t.position > -2 AND t.position > -3 AND t.position > -4 AND t.position > -5 AND
  t.position > -6 AND t.position > -7 AND t.position > -8 AND t.position > -9 AND t.position > -10 AND
  t.position > -11 AND t.position > -12 AND t.position > -13 AND t.position > -14 AND t.position > -15 AND
  t.position > -16 AND t.position > -17 AND t.input = 'a b c') = 3;
SELECT 'sentences: hidden input with many constraints', (SELECT count(*) FROM sentences s WHERE
  s.sentence > -1 AND s.sentence > -2 AND s.sentence > -3 AND s.sentence > -4 AND s.sentence > -5 AND
  s.sentence > -6 AND s.sentence > -7 AND s.sentence > -8 AND s.sentence > -9 AND s.sentence > -10 AND
  s.sentence > -11 AND s.sentence > -12 AND s.sentence > -13 AND s.sentence > -14 AND s.sentence > -15 AND
  s.sentence > -16 AND s.sentence > -17 AND s.input = 'One. Two.') = 2;
