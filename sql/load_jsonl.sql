-- Load a JSON Lines collection (.jsonl, .ndjson, optionally gzip-compressed)
-- into articles(id, path, title, body, published, source, url), with no
-- loader but the extension's lines_file() and SQLite's JSON functions.
--
--   sqlite> .load build/exportlens
--   sqlite> .parameter set @file 'corpus.jsonl.gz'
--   sqlite> .read sql/load_jsonl.sql
--
-- * One object per line; blank lines are skipped. path is 'FILE:LINE', as
--   exportlens.load_articles (the Python loader) writes it, so both loaders
--   give the same rows and loading again adds only what is new (path is UNIQUE).
-- * Fields by name (lower case): body (or text, content, article), title (or
--   headline; else the body's first line), published (or date, published_at,
--   publication_date, pubdate; kept as written), source (or publisher,
--   outlet), url (or link). CRLF and lone CR in the body become LF.
-- * A record without a body is not loaded: the last statement lists such
--   lines. A line that is not JSON is an error ("malformed JSON") and the
--   INSERT keeps nothing; a damaged .gz file is an error naming the file.
CREATE TABLE IF NOT EXISTS articles(
  id INTEGER PRIMARY KEY,
  path TEXT UNIQUE,
  title TEXT,
  body TEXT,
  published TEXT,
  source TEXT,
  url TEXT
);
INSERT OR IGNORE INTO articles(path, title, body, published, source, url)
SELECT path,
       coalesce(trim(title, ' ' || char(9)),
                trim(substr(body, 1, instr(body || char(10), char(10)) - 1), ' ' || char(9))),
       body, published, source, url
FROM (
  SELECT @file || ':' || lineno AS path,
         replace(replace(coalesce(json_extract(line, '$.body'), json_extract(line, '$.text'),
                                  json_extract(line, '$.content'), json_extract(line, '$.article')),
                         char(13) || char(10), char(10)), char(13), char(10)) AS body,
         coalesce(json_extract(line, '$.title'), json_extract(line, '$.headline')) AS title,
         coalesce(json_extract(line, '$.published'), json_extract(line, '$.date'),
                  json_extract(line, '$.published_at'), json_extract(line, '$.publication_date'),
                  json_extract(line, '$.pubdate')) AS published,
         coalesce(json_extract(line, '$.source'), json_extract(line, '$.publisher'),
                  json_extract(line, '$.outlet')) AS source,
         coalesce(json_extract(line, '$.url'), json_extract(line, '$.link')) AS url
  FROM lines_file(@file)
  WHERE trim(line, ' ' || char(9) || char(13)) <> ''
)
WHERE body IS NOT NULL;
SELECT @file || ':' || lineno || ': no body (a field named body, text, content or article): not loaded'
         AS skipped
FROM lines_file(@file)
WHERE trim(line, ' ' || char(9) || char(13)) <> ''
  AND coalesce(json_extract(line, '$.body'), json_extract(line, '$.text'),
               json_extract(line, '$.content'), json_extract(line, '$.article')) IS NULL;
