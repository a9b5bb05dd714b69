/*
** Benchmark peer for export_terms(): regexp-style matching of one PCRE2
** alternation, as a regexp extension would do it. Registers
**   pcre2_count(pattern, text)  -> number of non-overlapping matches
** The pattern is compiled once per statement (auxdata), caseless, UTF,
** JIT-compiled. Not part of the product; built by ext/terms/module.mk for
** tests/bench/bench_terms.py.
*/
#include <pcre2.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1

static void peer_free(void *p) { pcre2_code_free((pcre2_code *)p); }

static void peer_count(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  pcre2_code *re = sqlite3_get_auxdata(ctx, 0);
  if (!re) {
    const char *pat = (const char *)sqlite3_value_text(argv[0]);
    if (!pat) return;
    int ecode;
    PCRE2_SIZE eoff;
    re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                       PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ecode, &eoff, NULL);
    if (!re) {
      sqlite3_result_error(ctx, "pcre2_count: bad pattern", -1);
      return;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    sqlite3_set_auxdata(ctx, 0, re, peer_free);
    re = sqlite3_get_auxdata(ctx, 0);
    if (!re) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
  }
  const char *z = (const char *)sqlite3_value_text(argv[1]);
  size_t n = (size_t)sqlite3_value_bytes(argv[1]);
  if (!z) return;
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
  if (!md) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_int64 count = 0;
  size_t pos = 0;
  while (pos <= n) {
    int rc = pcre2_match(re, (PCRE2_SPTR)z, n, pos, 0, md, NULL);
    if (rc < 0) break;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    count++;
    pos = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
  }
  pcre2_match_data_free(md);
  sqlite3_result_int64(ctx, count);
}

int sqlite3_termspcrepeer_init(sqlite3 *db, char **pzErr, const sqlite3_api_routines *pApi);

__attribute__((visibility("default")))
int sqlite3_termspcrepeer_init(sqlite3 *db, char **pzErr, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  (void)pzErr;
  return sqlite3_create_function(db, "pcre2_count", 2,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, peer_count, NULL, NULL);
}
