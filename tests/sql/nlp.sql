-- conllu(text) and the tokens() columns upos, xpos, lemma, head, dep
CREATE TABLE fx(name TEXT, body TEXT);
INSERT INTO fx SELECT name, CAST(readfile(name) AS TEXT) FROM fsdir('sql/data/articles') WHERE name LIKE '%.txt';

SELECT 'tokens() has the NLP columns after sentence',
  (SELECT group_concat(name, ',') FROM pragma_table_xinfo('tokens') WHERE hidden = 0)
  = 'position,token,norm,kind,start,end,sentence,upos,xpos,lemma,head,dep';
SELECT 'the NLP columns keep one row per token',
  (SELECT count(*) FROM fx, tokens(fx.body)) = (SELECT count(upos) FROM fx, tokens(fx.body));
SELECT 'the same rows with or without the parse',
  (SELECT group_concat(position || token || sentence, ',') FROM tokens('I don''t know. It''s $400!'))
  = (SELECT group_concat(position || token || sentence, ',') FROM (SELECT * FROM tokens('I don''t know. It''s $400!') WHERE dep IS NOT NULL));
SELECT 'each sentence of the articles has one root (head NULL, dep root)',
  (SELECT count(*) FROM (SELECT fx.name, t.sentence, sum(t.head IS NULL) r, sum(t.dep = 'root') d
     FROM fx, tokens(fx.body) t GROUP BY fx.name, t.sentence) WHERE r <> 1 OR d <> 1) = 0;
SELECT 'heads point at a token of the same sentence',
  (SELECT count(*) FROM fx, tokens(fx.body) a, tokens(fx.body) b
     WHERE b.position = a.head AND b.sentence <> a.sentence) = 0;
SELECT 'restricted: VERB, VBD, lemma restrict',
  (SELECT upos || ' ' || xpos || ' ' || lemma FROM tokens('He restricted exports.') WHERE token = 'restricted')
  = 'VERB VBD restrict';
SELECT 'companies -> company, The -> the',
  (SELECT group_concat(lemma, ' ') FROM tokens('The companies'))= 'the company';
SELECT 'the subject''s head is the verb',
  (SELECT b.token || ' ' || a.dep FROM tokens('He restricted exports.') a, tokens('He restricted exports.') b
     WHERE a.token = 'He' AND b.position = a.head) = 'restricted nsubj';
SELECT 'don''t shows its main word do, and both lemmas',
  (SELECT upos || ' ' || lemma FROM tokens('I don''t know.') WHERE token = 'don''t') = 'AUX do not';
SELECT 'tags without the parse: head and dep are not computed but upos is',
  (SELECT upos FROM tokens('He restricted exports.') WHERE position = 1) = 'VERB';
SELECT 'NULL text gives no rows', (SELECT count(*) FROM tokens(NULL) WHERE upos IS NOT NULL) = 0;
SELECT 'conllu(NULL) is NULL', conllu(NULL) IS NULL;
SELECT 'conllu of empty text is empty', conllu('') = '';
SELECT 'conllu: sentence header and rows',
  conllu('He left.') = '# sent_id = 1' || char(10) || '# text = He left.' || char(10)
  || '1	He	he	PRON	PRP	_	2	nsubj	_	_' || char(10)
  || '2	left	leave	VERB	VBD	_	0	root	_	SpaceAfter=No' || char(10)
  || '3	.	.	PUNCT	.	_	2	punct	_	_' || char(10) || char(10);
SELECT 'conllu: a multiword token line',
  instr(conllu('I can''t.'), '2-3	can''t	_	_	_	_	_	_	_	SpaceAfter=No' || char(10) || '2	ca	can	AUX	MD') > 0;
SELECT 'conllu: one sentence per sentences() row',
  (SELECT count(*) FROM fx, sentences(fx.body)) =
  (SELECT sum((length(c) - length(replace(c, '# sent_id', ''))) / 9) FROM (SELECT conllu(body) c FROM fx));
SELECT 'conllu is deterministic and innocuous',
  (SELECT (flags & 0x800) <> 0 AND (flags & 0x200000) <> 0 FROM pragma_function_list WHERE name = 'conllu' LIMIT 1) = 1;
