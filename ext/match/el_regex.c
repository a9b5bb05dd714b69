/*
** PCRE2 wrapper (see el_regex.h).
*/
#include "el_regex.h"

#include "../common/el_alloc.h"

#include <stdio.h>
#include <string.h>

#include <pcre2.h>

struct el_regex {
  pcre2_general_context *gctx; /* the core's allocator */
  pcre2_code *code;            /* plain: the fast path */
  pcre2_code *counted;         /* the same with PCRE2_AUTO_CALLOUT: every step counted */
  int jit;
};

struct el_regex_md {
  pcre2_match_data *md;
  pcre2_match_context *fast, *slow;
  unsigned long long *budget; /* shared remaining steps, or NULL */
  int over;                   /* the budget ran out in the last search */
};

static void *el_re_malloc(PCRE2_SIZE n, void *data) {
  (void)data;
  return el_malloc(n);
}

static void el_re_free(void *p, void *data) {
  (void)data;
  el_free(p);
}

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
  el_regex *re = el_calloc(1, sizeof(*re));
  pcre2_compile_context *cctx = NULL;
  if (!re || !(re->gctx = pcre2_general_context_create(el_re_malloc, el_re_free, NULL)) ||
      !(cctx = pcre2_compile_context_create(re->gctx))) {
    el_regex_free(re);
    if (err) snprintf(err, errcap, "out of memory");
    return NULL;
  }
  uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
  if (flags & EL_RE_CASELESS) opts |= PCRE2_CASELESS;
  int ecode;
  PCRE2_SIZE eoff;
  re->code = pcre2_compile((PCRE2_SPTR)pat, len, opts, &ecode, &eoff, cctx);
  if (re->code)
    re->counted = pcre2_compile((PCRE2_SPTR)pat, len, opts | PCRE2_AUTO_CALLOUT, &ecode, &eoff, cctx);
  pcre2_compile_context_free(cctx);
  if (!re->code || !re->counted) {
    if (ecode == PCRE2_ERROR_HEAPLIMIT || ecode == PCRE2_ERROR_NOMEMORY) {
      if (err) snprintf(err, errcap, "out of memory");
    } else {
      el_re_message(ecode, err, errcap, "", (size_t)eoff, 1);
    }
    el_regex_free(re);
    return NULL;
  }
  uint32_t have_jit = 0;
  if (pcre2_config(PCRE2_CONFIG_JIT, &have_jit) >= 0 && have_jit) {
    re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
    if (re->jit) pcre2_jit_compile(re->counted, PCRE2_JIT_COMPLETE); /* else interpreted */
  }
  return re;
}

void el_regex_free(el_regex *re) {
  if (!re) return;
  pcre2_code_free(re->code);
  pcre2_code_free(re->counted);
  pcre2_general_context_free(re->gctx);
  el_free(re);
}

int el_regex_jit(const el_regex *re) { return re->jit; }

/* Called before every item of the counted pattern: one step. */
static int el_re_count(pcre2_callout_block *cb, void *data) {
  (void)cb;
  el_regex_md *m = data;
  if (m->budget) {
    if (*m->budget == 0) {
      m->over = 1;
      return PCRE2_ERROR_CALLOUT;
    }
    (*m->budget)--;
  }
  return 0;
}

el_regex_md *el_regex_md_new(const el_regex *re) {
  el_regex_md *m = el_calloc(1, sizeof(*m));
  if (!m) return NULL;
  m->md = pcre2_match_data_create_from_pattern(re->code, re->gctx);
  m->fast = pcre2_match_context_create(re->gctx);
  m->slow = pcre2_match_context_create(re->gctx);
  if (!m->md || !m->fast || !m->slow) {
    el_regex_md_free(m);
    return NULL;
  }
  pcre2_set_match_limit(m->fast, EL_RE_FAST_LIMIT);
  pcre2_set_match_limit(m->slow, EL_RE_MATCH_LIMIT);
  pcre2_set_callout(m->slow, el_re_count, m);
  for (int k = 0; k < 2; k++) {
    pcre2_match_context *c = k ? m->slow : m->fast;
    pcre2_set_depth_limit(c, EL_RE_DEPTH_LIMIT);
    pcre2_set_heap_limit(c, EL_RE_HEAP_LIMIT);
  }
  return m;
}

void el_regex_md_free(el_regex_md *md) {
  if (!md) return;
  pcre2_match_data_free(md->md);
  pcre2_match_context_free(md->fast);
  pcre2_match_context_free(md->slow);
  el_free(md);
}

void el_regex_md_set_budget(el_regex_md *md, unsigned long long *budget) { md->budget = budget; }

int el_regex_find(const el_regex *re, el_regex_md *md, const char *z, size_t n, size_t from,
                  size_t *ms, size_t *me, char *err, size_t errcap) {
  if (from > n) return 0;
  PCRE2_SPTR subject = (PCRE2_SPTR)(z ? z : "");
  int rc = pcre2_match(re->code, subject, n, from, 0, md->md, md->fast);
  if (rc == PCRE2_ERROR_MATCHLIMIT) {
    /* some start position needs more than the fast limit: again from the
    ** same offset, counting every step */
    md->over = 0;
    rc = pcre2_match(re->counted, subject, n, from, 0, md->md, md->slow);
    if (md->over) {
      if (err) snprintf(err, errcap, "work budget exceeded");
      return -1;
    }
  }
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  if (rc < 0) {
    if (rc == PCRE2_ERROR_NOMEMORY) {
      if (err) snprintf(err, errcap, "out of memory");
      return -2;
    }
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
