-- exportlens_version() and exportlens_debug()
SELECT 'version is semver', exportlens_version() GLOB '[0-9]*.[0-9]*.[0-9]*';
SELECT 'debug names the version', instr(exportlens_debug(), 'exportlens ' || exportlens_version()) = 1;
SELECT 'debug names sqlite', instr(exportlens_debug(), 'sqlite: ' || sqlite_version()) > 0;
SELECT 'debug names pcre2 and jit', exportlens_debug() LIKE '%pcre2: 10.%JIT o%';
SELECT 'debug names libcsv', exportlens_debug() LIKE '%libcsv: %.%.%';
SELECT 'debug names the fts5 tokenizer', exportlens_debug() LIKE '%fts5 tokenizer: exportlens%';
SELECT 'debug names build flags', exportlens_debug() LIKE '%flags: %';
-- registration flags: pure functions are deterministic and innocuous
SELECT 'token_count is deterministic+innocuous',
  (SELECT flags & 0x200800 FROM pragma_function_list WHERE name = 'token_count') = 0x200800;
SELECT 'exportlens_version is deterministic+innocuous',
  (SELECT flags & 0x200800 FROM pragma_function_list WHERE name = 'exportlens_version') = 0x200800;
SELECT 'exportlens_debug is innocuous',
  (SELECT flags & 0x200000 FROM pragma_function_list WHERE name = 'exportlens_debug') = 0x200000;
SELECT 'modules registered', (SELECT count(*) FROM pragma_module_list WHERE name IN ('tokens', 'sentences')) = 2;
-- INNOCUOUS: usable from views and triggers even with trusted_schema=OFF
PRAGMA trusted_schema = OFF;
CREATE TABLE art(body TEXT);
INSERT INTO art VALUES ('The U.S. rule. It applies now.');
CREATE VIEW art_stats AS SELECT token_count(body) AS n,
  (SELECT count(*) FROM sentences(art.body)) AS s,
  (SELECT count(*) FROM tokens(art.body) WHERE kind = 'word') AS w FROM art;
SELECT 'pure functions work in a view with trusted_schema=OFF', (SELECT n || '/' || s || '/' || w FROM art_stats) = '8/2/6';
CREATE TABLE art_log(n INTEGER);
CREATE TRIGGER art_ins AFTER INSERT ON art BEGIN INSERT INTO art_log SELECT token_count(new.body); END;
INSERT INTO art VALUES ('Two words');
SELECT 'pure functions work in a trigger with trusted_schema=OFF', (SELECT n FROM art_log) = 2;
CREATE TABLE art_gen(body TEXT, n INTEGER GENERATED ALWAYS AS (token_count(body)));
INSERT INTO art_gen(body) VALUES ('one two three');
SELECT 'token_count in a generated column', (SELECT n FROM art_gen) = 3;
