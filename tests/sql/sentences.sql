-- sentences(text)
SELECT 'columns are sentence, start, end, text',
  (SELECT group_concat(name, ',') FROM pragma_table_xinfo('sentences') WHERE hidden = 0) = 'sentence,start,end,text';
SELECT 'fixture splits as annotated',
  (SELECT group_concat(text, char(10)) FROM sentences(CAST(readfile('tests/fixtures/tokenize_basic.txt') AS TEXT)))
  = rtrim(CAST(readfile('tests/fixtures/tokenize_basic.sentences') AS TEXT), char(10));
SELECT 'substr(text, start+1, end-start) = text',
  (SELECT count(*) FROM (SELECT CAST(readfile('tests/fixtures/tokenize_basic.txt') AS TEXT) AS b), sentences(b) s
   WHERE substr(b, s.start + 1, s."end" - s.start) <> s.text) = 0;
SELECT 'sentence numbers are 0..n-1', (SELECT group_concat(sentence) FROM sentences('One. Two. Three.')) = '0,1,2';
SELECT 'abbreviations', (SELECT count(*) FROM sentences('Dr. Smith of Acme Inc. met U.S. officials on Nov. 29.')) = 1;
SELECT 'quoted question + attribution is one sentence',
  (SELECT count(*) FROM sentences('“Where do we go from here?” she said.')) = 1;
SELECT 'closing quote stays with its sentence',
  (SELECT text FROM sentences('He said, “Enough.” Then he left.') WHERE sentence = 0) = 'He said, “Enough.”';
SELECT 'headline line is its own sentence',
  (SELECT text FROM sentences('Seoul Weighs New Rules' || char(10) || 'The rules took effect.') WHERE sentence = 0) = 'Seoul Weighs New Rules';
SELECT 'NULL gives no rows', (SELECT count(*) FROM sentences(NULL)) = 0;
SELECT 'empty gives no rows', (SELECT count(*) FROM sentences('')) = 0;
SELECT 'no terminal punctuation: one sentence', (SELECT text FROM sentences('  just words  ')) = 'just words';
SELECT 'invalid UTF-8 does not break offsets', (SELECT count(*) FROM (SELECT CAST(X'4F6E652EFF2054776F2E' AS TEXT) AS b), sentences(b) s
  WHERE substr(b, s.start + 1, s."end" - s.start) <> s.text) = 0;
