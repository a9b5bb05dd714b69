/*
** PCRE2 wrapper (see el_regex.h).
*/
#include "el_regex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

struct el_regex {
  pcre2_code *code;
  pcre2_match_context *mctx;
  int jit;
};

struct el_regex_md {
  pcre2_match_data *md;
};

static void el_re_message(int code, char *err, size_t errcap, const char *prefix, size_t off,
                          int with_off) {
  PCRE2_UCHAR buf[256];
  if (pcre2_get_error_message(code, buf, sizeof(buf)) < 0) strcpy((char *)buf, "unknown error");
  if (!err || errcap == 0) return;
  if (with_off)
    snprintf(err, errcap, "%s%s at offset %zu", prefix, (const char *)buf, off);
  else
    snprintf(err, errcap, "%s%s", prefix, (const char *)buf);
}

el_regex *el_regex_compile(const char *pat, size_t len, unsigned flags, char *err, size_t errcap) {
  if (err && errcap) err[0] = 0;
  if (len > EL_RE_MAX_PATTERN) {
    if (err) snprintf(err, errcap, "pattern longer than %d bytes", EL_RE_MAX_PATTERN);
    return NULL;
  }
  el_regex *re = calloc(1, sizeof(*re));
  if (!re) {
    if (err) snprintf(err, errcap, "out of memory");
    return NULL;
  }
  uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
  if (flags & EL_RE_CASELESS) opts |= PCRE2_CASELESS;
  int ecode;
  PCRE2_SIZE eoff;
  re->code = pcre2_compile((PCRE2_SPTR)pat, len, opts, &ecode, &eoff, NULL);
  if (!re->code) {
    el_re_message(ecode, err, errcap, "", (size_t)eoff, 1);
    free(re);
    return NULL;
  }
  uint32_t have_jit = 0;
  if (pcre2_config(PCRE2_CONFIG_JIT, &have_jit) >= 0 && have_jit)
    re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
  re->mctx = pcre2_match_context_create(NULL);
  if (!re->mctx) {
    el_regex_free(re);
    if (err) snprintf(err, errcap, "out of memory");
    return NULL;
  }
  pcre2_set_match_limit(re->mctx, EL_RE_MATCH_LIMIT);
  pcre2_set_depth_limit(re->mctx, EL_RE_DEPTH_LIMIT);
  pcre2_set_heap_limit(re->mctx, EL_RE_HEAP_LIMIT);
  return re;
}

void el_regex_free(el_regex *re) {
  if (!re) return;
  pcre2_code_free(re->code);
  pcre2_match_context_free(re->mctx);
  free(re);
}

int el_regex_jit(const el_regex *re) { return re->jit; }

el_regex_md *el_regex_md_new(const el_regex *re) {
  el_regex_md *m = calloc(1, sizeof(*m));
  if (!m) return NULL;
  m->md = pcre2_match_data_create_from_pattern(re->code, NULL);
  if (!m->md) {
    free(m);
    return NULL;
  }
  return m;
}

void el_regex_md_free(el_regex_md *md) {
  if (!md) return;
  pcre2_match_data_free(md->md);
  free(md);
}

int el_regex_find(const el_regex *re, el_regex_md *md, const char *z, size_t n, size_t from,
                  size_t *ms, size_t *me, char *err, size_t errcap) {
  if (from > n) return 0;
  int rc = pcre2_match(re->code, (PCRE2_SPTR)(z ? z : ""), n, from, 0, md->md, re->mctx);
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  if (rc < 0) {
    el_re_message(rc, err, errcap, "", 0, 0);
    return -1;
  }
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md->md);
  if (ov[0] > ov[1] || ov[1] > n) { /* \K in a lookahead can do this */
    if (err) snprintf(err, errcap, "match ends before it starts");
    return -1;
  }
  *ms = ov[0];
  *me = ov[1];
  return 1;
}
