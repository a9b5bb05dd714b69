-- entities(text), entities_with(text, dictionary), countries, country_code(), country_name()
CREATE TABLE fx(name TEXT, body TEXT);
INSERT INTO fx SELECT name, CAST(readfile(name) AS TEXT) FROM fsdir('tests/fixtures/entities') WHERE name LIKE '%.txt';

SELECT 'nine fixture articles', (SELECT count(*) FROM fx) = 9;
SELECT 'substr(text, start+1, end-start) = entity for every fixture entity',
  (SELECT count(*) FROM fx, entities(fx.body) e WHERE substr(fx.body, e.start + 1, e."end" - e.start) <> e.entity) = 0;
SELECT 'every fixture entity starts on a token of the same sentence',
  (SELECT count(*) FROM fx, entities(fx.body) e WHERE NOT EXISTS
     (SELECT 1 FROM tokens(fx.body) t WHERE t.start = e.start AND t.sentence = e.sentence)) = 0;
SELECT 'labels are the OntoNotes names',
  (SELECT count(*) FROM fx, entities(fx.body) e WHERE e.label NOT IN
     ('PERSON','ORG','GPE','NORP','LOC','DATE','PERCENT','MONEY')) = 0;
SELECT 'country mentions carry an ISO3 code known to countries',
  (SELECT count(*) FROM fx, entities(fx.body) e WHERE e.label IN ('GPE','NORP') AND length(e.canonical) = 3
     AND e.canonical NOT IN (SELECT iso3 FROM countries)) = 0;
SELECT 'every source is named', (SELECT count(*) FROM fx, entities(fx.body) e WHERE e.source IS NULL) = 0;
SELECT 'title: Secretary of State Antony Blinken',
  (SELECT group_concat(entity || '/' || label, ';') FROM entities('U.S. Secretary of State Antony Blinken spoke.'))
  = 'U.S./GPE;Antony Blinken/PERSON';
SELECT 'coreference: Economy said',
  (SELECT group_concat(canonical, ';') FROM entities('Elizabeth Economy, a senior adviser, spoke. Economy said no.'))
  = 'Elizabeth Economy;Elizabeth Economy';
SELECT 'acronym expansion: CSIS', (SELECT canonical FROM entities('said CSIS.')) = 'Center for Strategic and International Studies';
SELECT 'possessive: the U.S.''s plan', (SELECT entity FROM entities('the U.S.''s plan')) = 'U.S.';
SELECT 'character offsets after non-ASCII text', (SELECT start FROM entities('Zoë and Ünal met in Japan.') WHERE entity = 'Japan') = 20;
SELECT 'NULL text gives no rows', (SELECT count(*) FROM entities(NULL)) = 0;
SELECT 'country_code: Korea, Rep.', country_code('Korea, Rep.') = 'KOR';
SELECT 'country_code: Rep. of Korea', country_code('Rep. of Korea') = 'KOR';
SELECT 'country_code: aggregate is NULL', country_code('Upper middle income') IS NULL;
SELECT 'country_code: NULL', country_code(NULL) IS NULL;
SELECT 'country_code: codes as written (DEU, deu, U.S.A., 276)',
  country_code('DEU') || country_code('deu') || country_code('U.S.A.') || country_code('276') = 'DEUDEUUSADEU';
SELECT 'country_code: a mixed-case word is not an alpha-2 code (St. is no STP, In no IND)',
  country_code('St.') IS NULL AND country_code('St') IS NULL AND country_code('In') IS NULL AND country_code('ST') = 'STP';
SELECT 'an address abbreviation is no country: Wellington St.',
  (SELECT count(*) FROM entities('Eastgate Components Ltd., a distributor with an office on Wellington St. in Hong Kong, was named.')
   WHERE canonical = 'STP') = 0;
SELECT 'country_name: KOR', country_name('KOR') = 'South Korea';
SELECT 'countries: 252 or more rows', (SELECT count(*) FROM countries) >= 252;
CREATE TABLE dict(name TEXT, label TEXT, canonical TEXT);
INSERT INTO dict VALUES ('Acme Widgets', 'ORG', 'Acme');
SELECT 'dictionary row matched', (SELECT canonical FROM entities_with('Acme Widgets grew.', 'dict')) = 'Acme';
UPDATE dict SET canonical = 'Acme Widgets Ltd';
SELECT 'dictionary change seen by the next query', (SELECT canonical FROM entities_with('Acme Widgets grew.', 'dict')) = 'Acme Widgets Ltd';
BEGIN;
INSERT INTO dict VALUES ('Zentrox', 'ORG', 'Zentrox AG');
SELECT 'a row inserted in the open transaction matches', (SELECT canonical FROM entities_with('Zentrox grew.', 'dict')) = 'Zentrox AG';
ROLLBACK;
SELECT 'a rolled-back row no longer matches', (SELECT count(*) FROM entities_with('Zentrox grew.', 'dict') WHERE source LIKE 'dictionary:%') = 0;
BEGIN;
SAVEPOINT s1;
INSERT INTO dict VALUES ('Zentrox', 'ORG', 'Zentrox AG');
SELECT 'inside a savepoint', (SELECT count(*) FROM entities_with('Zentrox grew.', 'dict') WHERE source LIKE 'dictionary:%') = 1;
ROLLBACK TO s1;
SELECT 'ROLLBACK TO a savepoint takes the row back', (SELECT count(*) FROM entities_with('Zentrox grew.', 'dict') WHERE source LIKE 'dictionary:%') = 0;
COMMIT;
SELECT 'entities() with a dictionary names entities_with()',
  (SELECT count(*) FROM pragma_module_list WHERE name IN ('entities', 'entities_with')) = 2;
SELECT 'a big text', (SELECT count(*) FROM entities((SELECT group_concat('China and Japan agreed. ', '') FROM generate_series(1, 20000)))) = 40000;
SELECT 'a role after a possessive is a person, not an organisation',
  (SELECT group_concat(label || ':' || entity, '|') FROM entities('Shares fell. Christophe Fouquet, the company''s chief executive, told analysts.')) = 'PERSON:Christophe Fouquet';
SELECT ', who marks a person',
  (SELECT group_concat(label || ':' || canonical, '|') FROM entities('Talks ended. Park Ji-hoon, who heads the bureau, said more. Park agreed.')) = 'PERSON:Park Ji-hoon|PERSON:Park Ji-hoon';
SELECT 'a capitalised role word before a name acts as a title',
  (SELECT group_concat(label || ':' || entity, '|') FROM entities('Sales fell, Chief Financial Officer Colette Kress told investors.')) = 'PERSON:Colette Kress';
SELECT 'X-based is a place and -maker an organisation kind',
  (SELECT group_concat(label || ':' || entity || ':' || source, '|') FROM entities('It sold to Wonik IPS, a Pyeongtaek-based toolmaker, last year.')) = 'ORG:Wonik IPS:org_apposition|GPE:Pyeongtaek:place_based';
SELECT 'Cloud-based at a sentence start is not a place',
  (SELECT count(*) FROM entities('Cloud-based services grew.')) = 0;
SELECT 'a year after the first half of',
  (SELECT canonical FROM entities('Sales fell in the first half of 2024.') WHERE label = 'DATE') = '2024';
SELECT 'a year after a plain of is not a date',
  (SELECT count(*) FROM entities('A total of 2000 units were shipped.')) = 0;
