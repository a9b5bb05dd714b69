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
