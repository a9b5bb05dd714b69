-- Load a folder of article files into
-- articles(id, path, title, body, published, source, url).
--
--   sqlite> .parameter set @dir 'sql/data/articles'
--   sqlite> .read sql/load_articles.sql
--
-- Uses the sqlite3 shell's fsdir() and readfile(); sql/load_articles.py does
-- the same from Python. Without @dir, the bundled sample articles are loaded.
--
-- * Files: the regular *.txt files (no symlinks or pipes) directly in the
--   folder (not in subfolders; the match is case-insensitive), in path order,
--   so ids are 1, 2, ... by file name. @dir may also name one .txt file.
--   Loading again skips paths already loaded (path is UNIQUE).
-- * title: the first line, trimmed of spaces and tabs. body: the whole text,
--   headline included, so that offsets from tokens(), entities(), quotes()...
--   index into body.
-- * A UTF-8 byte order mark is dropped, CRLF and lone CR become LF.
-- * An empty file gives a row with an empty title and body (it has no
--   tokens, entities or claims).
-- * A file that is not valid UTF-8 is kept byte for byte: every exportlens
--   function accepts invalid UTF-8 (the bytes separate tokens; offsets still
--   count as substr() does). Python cannot hold such text, so the Python
--   loader decodes those files as Windows-1252 instead.
-- * published, source and url stay NULL for .txt files; the Python loader
--   (exportlens.load_articles) fills them from JSON Lines and CSV collections.
CREATE TABLE IF NOT EXISTS articles(
  id INTEGER PRIMARY KEY,
  path TEXT UNIQUE,
  title TEXT,
  body TEXT,
  published TEXT,
  source TEXT,
  url TEXT
);
INSERT OR IGNORE INTO articles(path, title, body)
SELECT name,
       -- cut the first line by bytes: substr() and instr() on text count
       -- characters, which invalid UTF-8 makes ambiguous
       trim(CAST(substr(CAST(txt AS BLOB), 1, instr(CAST(txt || char(10) AS BLOB), x'0a') - 1) AS TEXT), ' ' || char(9)),
       txt
FROM (SELECT name,
             replace(replace(
               CASE WHEN substr(raw, 1, 3) = x'efbbbf' THEN CAST(substr(raw, 4) AS TEXT)
                    ELSE CAST(raw AS TEXT) END,
               char(13, 10), char(10)), char(13), char(10)) AS txt
      FROM (SELECT name, coalesce(readfile(name), x'') AS raw
            FROM fsdir(coalesce(@dir, 'sql/data/articles'))
            WHERE name LIKE '%.txt' AND mode & 0xF000 = 0x8000
              AND instr(ltrim(substr(name, length(coalesce(@dir, 'sql/data/articles')) + 1), '/'), '/') = 0)
      ORDER BY name);
