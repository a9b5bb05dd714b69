-- Load a folder of article files into articles(id, path, title, body).
-- The first line of each file is its title; the rest is the body.
-- Set the folder first:  .parameter set @dir 'sql/data/articles'
-- Uses the sqlite3 shell's fsdir() and readfile(); see README for Python.
CREATE TABLE IF NOT EXISTS articles(
  id INTEGER PRIMARY KEY,
  path TEXT UNIQUE,
  title TEXT,
  body TEXT
);
INSERT OR IGNORE INTO articles(path, title, body)
SELECT name,
       trim(substr(txt, 1, instr(txt || char(10), char(10)) - 1)),
       txt
FROM (SELECT name, CAST(readfile(name) AS TEXT) AS txt
      FROM fsdir(coalesce(@dir, 'sql/data/articles'))
      WHERE name LIKE '%.txt' AND mode & 0x4000 = 0
      ORDER BY name);
