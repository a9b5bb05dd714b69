/*
** Unit tests of the generic matcher (ext/match) and the export-term core
** (ext/terms), without SQLite. Prints "ok - name" / "not ok - name: why".
**
** The automaton is checked against a naive matcher on random texts and
** pattern sets (both automaton modes, texts long enough to be cut into
** interleaved streams); the grammars on valid and invalid codes and
** citations; the PCRE2 wrapper on its limits.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_ac.h"
#include "el_regex.h"
#include "el_terms.h"

#include "check.h"

/* ------------------------------------------------------------------------ */
/* naive reference matcher                                                   */

static int is_ws(unsigned c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static unsigned fold(unsigned c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static int asc_word(unsigned c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Does pattern p (collapsed white space) match at z[i..]? Returns end or 0. */
static size_t naive_at(const char *z, size_t n, size_t i, const char *p, int exact) {
  size_t k = 0, plen = strlen(p);
  if (plen == 0) return 0;
  while (k < plen) {
    if (p[k] == ' ') {
      if (i >= n || !is_ws((unsigned char)z[i])) return 0;
      while (i < n && is_ws((unsigned char)z[i])) i++;
      k++;
      continue;
    }
    if (i >= n) return 0;
    unsigned a = (unsigned char)z[i], b = (unsigned char)p[k];
    if (exact ? a != b : fold(a) != fold(b)) return 0;
    i++;
    k++;
  }
  return i;
}

typedef struct hit {
  size_t s, e;
  uint32_t id;
} hit;

static int hit_cmp(const void *a, const void *b) {
  const hit *x = a, *y = b;
  if (x->s != y->s) return x->s < y->s ? -1 : 1;
  if (x->e != y->e) return x->e < y->e ? -1 : 1;
  return x->id < y->id ? -1 : (x->id > y->id);
}

typedef struct hits {
  hit *h;
  size_t n, cap;
} hits;

static int collect(void *ctx, size_t s, size_t e, uint32_t id) {
  hits *H = ctx;
  if (H->n == H->cap) {
    H->cap = H->cap ? H->cap * 2 : 64;
    H->h = realloc(H->h, H->cap * sizeof(hit));
  }
  H->h[H->n].s = s;
  H->h[H->n].e = e;
  H->h[H->n].id = id;
  H->n++;
  return 0;
}

static unsigned rnd_state = 12345;
static unsigned rnd(void) {
  rnd_state = rnd_state * 1103515245u + 12345u;
  return (rnd_state >> 16) & 0x7fff;
}

/* Random text over a small alphabet so that patterns occur often. */
static void random_text(char *z, size_t n) {
  static const char alpha[] = "abAB c-.\n\t1";
  for (size_t i = 0; i < n; i++) z[i] = alpha[rnd() % (sizeof(alpha) - 1)];
}

static void random_pattern(char *p, size_t max) {
  static const char alpha[] = "abAB c-.1";
  size_t len = 1 + rnd() % max;
  for (size_t i = 0; i < len; i++) p[i] = alpha[rnd() % (sizeof(alpha) - 1)];
  p[len] = 0;
  /* trim and collapse as el_ac_add does */
  size_t o = 0;
  int pend = 0;
  for (size_t i = 0; i < len; i++) {
    if (p[i] == ' ') {
      pend = o > 0;
      continue;
    }
    if (pend) p[o++] = ' ';
    pend = 0;
    p[o++] = p[i];
  }
  p[o] = 0;
}

static void test_differential(void) {
  char detail[256], cdetail[128] = "";
  int compact_bad = 0;
  int bad = 0, rounds = 0;
  for (int round = 0; round < 300 && !bad; round++) {
    int npat = 1 + (int)(rnd() % 12);
    char pats[12][10];
    unsigned flags[12];
    el_ac_builder *b = el_ac_builder_new();
    int all_wb = round % 2; /* odd rounds: word-start mode */
    for (int k = 0; k < npat; k++) {
      do random_pattern(pats[k], 6); while (!pats[k][0]);
      flags[k] = (all_wb ? EL_AC_WB : (rnd() % 2 ? EL_AC_WB_END : 0)) | (rnd() % 3 == 0 ? EL_AC_EXACT : 0);
      el_ac_add(b, pats[k], strlen(pats[k]), (uint32_t)k, flags[k]);
    }
    el_ac *ac, *compact = NULL;
    if (el_ac_compile(b, &ac) != EL_AC_OK) {
      bad = 1;
      snprintf(detail, sizeof(detail), "compile failed");
      el_ac_builder_free(b);
      break;
    }
    /* the same patterns in the compact form (sparse edges, failure links) */
    el_ac_builder_dense_max(b, 1);
    if (el_ac_compile(b, &compact) != EL_AC_OK || !el_ac_is_compact(compact)) compact_bad = 1;
    el_ac_builder_free(b);
    size_t n = (round % 3 == 0) ? 40 : 300 + rnd() % 400;
    char *z = malloc(n + 1);
    random_text(z, n);
    hits got = {0}, want = {0}, cgot = {0};
    el_ac_scan(ac, z, n, collect, &got);
    if (compact) el_ac_scan(compact, z, n, collect, &cgot);
    for (size_t i = 0; i < n; i++) {
      for (int k = 0; k < npat; k++) {
        size_t e = naive_at(z, n, i, pats[k], flags[k] & EL_AC_EXACT);
        if (!e) continue;
        const unsigned char *u = (const unsigned char *)z;
        if ((flags[k] & EL_AC_WB_START) && asc_word((unsigned char)pats[k][0]) &&
            el_word_before(u, i))
          continue;
        if ((flags[k] & EL_AC_WB_END) && asc_word((unsigned char)pats[k][strlen(pats[k]) - 1]) &&
            el_word_at(u, n, e))
          continue;
        collect(&want, i, e, (uint32_t)k);
      }
    }
    if (got.n) qsort(got.h, got.n, sizeof(hit), hit_cmp);
    if (cgot.n) qsort(cgot.h, cgot.n, sizeof(hit), hit_cmp);
    size_t csame = 0;
    while (csame < got.n && csame < cgot.n && !hit_cmp(&got.h[csame], &cgot.h[csame])) csame++;
    if (cgot.n != got.n || csame != got.n) {
      if (!compact_bad)
        snprintf(cdetail, sizeof(cdetail), "round %d: compact %zu matches, dense %zu", round,
                 cgot.n, got.n);
      compact_bad = 1;
    }
    free(cgot.h);
    el_ac_free(compact);
    if (want.n) qsort(want.h, want.n, sizeof(hit), hit_cmp);
    size_t same = 0;
    while (same < got.n && same < want.n && !hit_cmp(&got.h[same], &want.h[same])) same++;
    if (got.n != want.n || same != got.n) {
      bad = 1;
      size_t d = 0;
      while (d < got.n && d < want.n && !hit_cmp(&got.h[d], &want.h[d])) d++;
      snprintf(detail, sizeof(detail),
               "round %d (n=%zu): %zu matches, naive %zu; first difference: got %zu-%zu #%u, "
               "want %zu-%zu #%u", round, n, got.n, want.n,
               d < got.n ? got.h[d].s : 0, d < got.n ? got.h[d].e : 0, d < got.n ? got.h[d].id : 0,
               d < want.n ? want.h[d].s : 0, d < want.n ? want.h[d].e : 0,
               d < want.n ? want.h[d].id : 0);
      if (getenv("EL_TEST_VERBOSE")) {
        for (int k = 0; k < npat; k++) fprintf(stderr, "pat %d '%s' flags %u\n", k, pats[k], flags[k]);
        fprintf(stderr, "text: '%.*s'\n", (int)n, z);
      }
    }
    free(got.h);
    free(want.h);
    free(z);
    el_ac_free(ac);
    rounds++;
  }
  check(!bad, "automaton = naive matcher on 300 random texts and pattern sets", detail);
  check(!compact_bad, "compact automaton = dense automaton on the same texts", cdetail);
}

static void test_ac_basics(void) {
  el_ac_builder *b = el_ac_builder_new();
  el_ac_add(b, "export control", 14, 1, EL_AC_WB);
  el_ac_add(b, "export", 6, 2, EL_AC_WB);
  el_ac_add(b, "EAR", 3, 3, EL_AC_WB | EL_AC_EXACT);
  el_ac_add(b, "  ", 2, 9, 0);
  el_ac *ac;
  check(el_ac_compile(b, &ac) == EL_AC_OK, "compile", NULL);
  el_ac_builder_free(b);
  const char *t = "Export\n  Control; exporter; year EAR ear EAR99";
  hits h = {0};
  el_ac_scan(ac, t, strlen(t), collect, &h);
  el_span sp[16];
  size_t n = 0;
  for (size_t i = 0; i < h.n && n < 16; i++) {
    sp[n].start = h.h[i].s;
    sp[n].end = h.h[i].e;
    sp[n].id = h.h[i].id;
    sp[n].prio = 0;
    n++;
  }
  n = el_span_resolve(sp, n);
  char buf[256] = "";
  for (size_t i = 0; i < n; i++) {
    char one[64];
    snprintf(one, sizeof(one), "%s%u@%zu-%zu", i ? " " : "", sp[i].id, sp[i].start, sp[i].end);
    strncat(buf, one, sizeof(buf) - strlen(buf) - 1);
  }
  check(strcmp(buf, "1@0-16 3@33-36") == 0,
        "leftmost-longest, white-space runs, word boundaries, exact case", buf);
  free(h.h);
  el_ac_free(ac);

  b = el_ac_builder_new();
  check(el_ac_add(b, " \t ", 3, 1, 0) == EL_AC_EMPTY, "white-space-only pattern refused", NULL);
  char big[EL_AC_MAX_PATTERN + 2];
  memset(big, 'a', sizeof(big));
  check(el_ac_add(b, big, sizeof(big), 1, 0) == EL_AC_TOOBIG, "over-long pattern refused", NULL);
  check(el_ac_compile(b, &ac) == EL_AC_OK, "empty automaton compiles", NULL);
  hits h2 = {0};
  el_ac_scan(ac, "anything", 8, collect, &h2);
  check(h2.n == 0, "empty automaton finds nothing", NULL);
  el_ac_scan(ac, NULL, 0, collect, &h2);
  el_ac_free(ac);
  el_ac_builder_free(b);

  /* non-ASCII boundaries */
  b = el_ac_builder_new();
  el_ac_add(b, "BIS", 3, 1, EL_AC_WB | EL_AC_EXACT);
  el_ac_compile(b, &ac);
  el_ac_builder_free(b);
  hits h3 = {0};
  const char *u = "\xc3\xa9" "BIS \xe2\x80\x9c" "BIS\xe2\x80\x9d BIS\xc3\xa9";
  el_ac_scan(ac, u, strlen(u), collect, &h3);
  check(h3.n == 1 && h3.h[0].s == 9, "boundaries decode UTF-8 letters and quotes", NULL);
  free(h3.h);
  el_ac_free(ac);
}

/* ------------------------------------------------------------------------ */
/* terms                                                                     */

static el_terms *builtin;

/* "term/category/canonical|..." for text */
static void render(el_terms *t, const char *text, char *out, size_t cap) {
  el_term_result r;
  el_term_result_init(&r);
  char err[200];
  out[0] = 0;
  el_terms_find(t, text, strlen(text), &r, err, sizeof(err));
  size_t o = 0;
  for (size_t i = 0; i < r.n; i++) {
    int w = snprintf(out + o, cap - o, "%s%.*s/%s/%.*s", i ? "|" : "",
                     (int)(r.m[i].end - r.m[i].start), text + r.m[i].start, r.m[i].category,
                     (int)r.m[i].canonical_len, r.m[i].canonical);
    if (w < 0 || (size_t)w >= cap - o) break;
    o += (size_t)w;
  }
  el_term_result_free(&r);
}

static void expect_terms(const char *name, const char *text, const char *want) {
  char got[4096], detail[8400];
  render(builtin, text, got, sizeof(got));
  snprintf(detail, sizeof(detail), "got '%s', want '%s'", got, want);
  check(strcmp(got, want) == 0, name, detail);
}

static void test_terms(void) {
  char err[256];
  check(el_lexicon_count() >= 300, "built-in lexicon has at least 300 entries", NULL);
  check(el_terms_compile(NULL, 0, &builtin, err, sizeof(err)) == 0, "built-ins compile", err);
  expect_terms("plural, hyphen, British licence",
               "Export-controls and licence requirements; Export Controls",
               "Export-controls/measure/export control|licence requirements/measure/license "
               "requirement|Export Controls/measure/export control");
  expect_terms("longest wins", "the foreign direct product rules apply",
               "foreign direct product rules/measure/foreign direct product rule");
  expect_terms("acronyms need their case", "the ear and the EAR; bis BIS",
               "EAR/regime/Export Administration Regulations|BIS/agency/Bureau of Industry and "
               "Security");
  expect_terms("no match inside words", "nuclear years; embargoed", "embargoed/measure/embargo");
  expect_terms("ECCNs with paragraphs and series",
               "3A090.a, 5A002.a.1, 9A610.x, 0A521, 9x515, EAR99 and 4A994.",
               "3A090.a/code/3A090.a|5A002.a.1/code/5A002.a.1|9A610.x/code/9A610.x|0A521/code/"
               "0A521|9x515/code/9x515|EAR99/code/EAR99|4A994/code/4A994");
  expect_terms("invalid ECCNs rejected", "3F090 3A9999 13A090 3A090a 4A790 3D printers 3a090",
               "");
  expect_terms("CFR citations", "15 CFR 744.21, 15 C.F.R. part 744 and \xc2\xa7 744.23(b)",
               "15 CFR 744.21/citation/15 CFR 744.21|15 C.F.R. part 744/citation/15 CFR part "
               "744|\xc2\xa7 744.23(b)/citation/15 CFR 744.23(b)");
  expect_terms("part N of the EAR", "part 744 of the EAR; part 2 of the plan; part 999 of the EAR",
               "part 744 of the EAR/citation/15 CFR part 744|EAR/regime/Export Administration "
               "Regulations");
  expect_terms("FR citations", "87 FR 62186 and 87 F.R. 62,186 but not FRN 5 or 200 FR 1",
               "87 FR 62186/citation/87 FR 62186|87 F.R. 62,186/citation/87 FR 62186");
  expect_terms("HS codes after HS or heading", "HS 8542.31, heading 8486 and 8541; HS 7701; 8542",
               "HS 8542.31/code/HS 8542.31|heading 8486/code/HS 8486|8541/code/HS 8541");
  expect_terms("USC and E.O.", "19 U.S.C. 1337 and E.O. 14307 and Executive Order 999",
               "19 U.S.C. 1337/citation/19 U.S.C. 1337|E.O. 14307/citation/E.O. 14307");

  /* user entries */
  el_term_entry user[] = {
    {"u:1", "Huawei Technologies", "entity", "Huawei", 0},
    {"u:2", "Entity List", "mine", "my entity list", 0},
    {"u:3", "chip[- ]?maker", "industry", "chipmaker", 1},
  };
  el_terms *t;
  check(el_terms_compile(user, 3, &t, err, sizeof(err)) == 0, "user lexicon compiles", err);
  char got[1024];
  render(t, "Huawei Technologies, a chip-maker on the Entity List", got, sizeof(got));
  check(strcmp(got, "Huawei Technologies/entity/Huawei|chip-maker/industry/chipmaker|Entity "
                    "List/mine/my entity list") == 0,
        "user terms and patterns; user entries win ties", got);
  el_terms_free(t);

  /* the user matcher's own automaton holds only the user terms: the built-ins
  ** are shared, compiled once per process */
  check(el_terms_compile(user, 3, &t, err, sizeof(err)) == 0 && el_terms_states(t) < 100 &&
            el_terms_states(builtin) > 1000,
        "user matcher does not copy the built-in automaton", NULL);
  int src;
  el_terms *s1 = el_terms_shared(&src, err, sizeof(err)), *s2 = el_terms_shared(&src, err, sizeof(err));
  check(s1 && s1 == s2, "built-in matcher shared", err);
  el_terms_free(s1); /* one reference each */
  el_terms_free(s2);
  el_terms_free(t);
  /* compact automaton: the same matches as the dense one */
  {
    const char *text = "Huawei Technologies, a chip-maker on the Entity List; 3A090 under "
                       "15 CFR 744.21 and the EAR";
    el_terms *d, *c;
    char gd[1024], gc[1024];
    check(el_terms_compile_ex(user, 3, 0, &d, err, sizeof(err)) == 0 &&
              el_terms_compile_ex(user, 3, EL_TERMS_COMPACT, &c, err, sizeof(err)) == 0 &&
              el_terms_compact(c) && !el_terms_compact(d),
          "compact matcher compiles", err);
    render(d, text, gd, sizeof(gd));
    render(c, text, gc, sizeof(gc));
    check(strcmp(gd, gc) == 0 && strstr(gd, "3A090/code"), "compact matcher = dense matcher", gc);
    el_terms_free(d);
    el_terms_free(c);
  }

  el_term_entry badre[] = {{"u:9", "(abc", "x", "x", 1}};
  check(el_terms_compile(badre, 1, &t, err, sizeof(err)) != 0 && strstr(err, "offset") &&
            strstr(err, "u:9"),
        "bad user pattern: error names the rule and the offset", err);
  el_term_entry empty[] = {{"u:8", "   ", "x", "x", 0}};
  check(el_terms_compile(empty, 1, &t, err, sizeof(err)) != 0, "blank user term refused", err);

  /* catastrophic pattern: error, not a hang */
  el_term_entry cat[] = {{"u:7", "(a+)+$", "x", "x", 1}};
  check(el_terms_compile(cat, 1, &t, err, sizeof(err)) == 0, "catastrophic pattern compiles", err);
  char text[4000];
  memset(text, 'a', sizeof(text) - 2);
  text[sizeof(text) - 2] = '!';
  text[sizeof(text) - 1] = 0;
  el_term_result r;
  el_term_result_init(&r);
  int rc = el_terms_find(t, text, strlen(text), &r, err, sizeof(err));
  check(rc == 2 && strstr(err, "limit"), "catastrophic pattern stops at the match limit", err);
  el_term_result_free(&r);
  el_terms_free(t);

  /* a pattern just under the match limit at each of many places: the work
  ** budget for the text stops it (about 0.5 s for 1 MB at worst) */
  el_term_entry slow[] = {{"u:6", "(a|aa)+c", "x", "x", 1}};
  check(el_terms_compile(slow, 1, &t, err, sizeof(err)) == 0, "slow pattern compiles", err);
  size_t bn = 1u << 20;
  char *big = malloc(bn + 1);
  for (size_t i = 0; i < bn; i++) big[i] = (i % 25 == 24) ? 'b' : 'a';
  big[bn - 1] = 'c';
  big[bn] = 0;
  el_term_result_init(&r);
  rc = el_terms_find(t, big, bn, &r, err, sizeof(err));
  check(rc == 2 && strstr(err, "work budget exceeded") && strstr(err, "u:6"),
        "work budget stops a pattern that is slow at every position", err);
  /* an ordinary pattern over the same megabyte stays within the budget */
  el_terms_free(t);
  el_term_entry fine[] = {{"u:5", "a+b", "x", "x", 1}};
  check(el_terms_compile(fine, 1, &t, err, sizeof(err)) == 0, "ordinary pattern compiles", err);
  rc = el_terms_find(t, big, bn, &r, err, sizeof(err));
  check(rc == 0 && r.n > 40000, "ordinary pattern: every match of a megabyte", err);
  el_term_result_free(&r);
  el_terms_free(t);
  free(big);
}

static void expect_json(const char *name, long (*fn)(const char *, size_t, char *, size_t),
                        const char *in, const char *want_sub) {
  char out[1024], detail[1400];
  long n = fn(in, strlen(in), out, sizeof(out));
  if (n < 0) strcpy(out, "NULL");
  snprintf(detail, sizeof(detail), "%s -> %s", in, out);
  check(want_sub ? strstr(out, want_sub) != NULL : n < 0, name, detail);
}

static void test_parsers(void) {
  expect_json("eccn 3A090 category", el_eccn_json, "3A090", "\"category\":3,\"category_name\":\"Electronics\"");
  expect_json("eccn group name", el_eccn_json, "5D002", "\"group\":\"D\",\"group_name\":\"Software\"");
  expect_json("eccn paragraphs", el_eccn_json, "5A002.a.1", "\"paragraphs\":[\"a\",\"1\"]");
  expect_json("eccn 600 series", el_eccn_json, "9A610", "\"is_600_series\":true");
  expect_json("eccn 500 series", el_eccn_json, "0A521", "\"is_500_series\":true");
  expect_json("EAR99", el_eccn_json, " EAR99 ", "\"ear99\":true");
  expect_json("eccn bad group", el_eccn_json, "3F090", NULL);
  expect_json("eccn bad reason digit", el_eccn_json, "3A790", NULL);
  expect_json("eccn trailing junk", el_eccn_json, "3A090 x", NULL);
  expect_json("eccn lower case", el_eccn_json, "3a090", NULL);
  expect_json("eccn empty", el_eccn_json, "", NULL);
  expect_json("cfr", el_cite_json, "15 CFR 744.21", "\"title\":15,\"part\":744,\"section\":\"744.21\"");
  expect_json("cfr section sign", el_cite_json, "\xc2\xa7 744.23", "\"title\":15,\"part\":744,\"section\":\"744.23\"");
  expect_json("cfr part of the EAR", el_cite_json, "part 744 of the EAR", "\"part\":744,\"section\":null");
  expect_json("cfr paragraph", el_cite_json, "15 CFR 744.21(b)(1)", "\"paragraph\":\"(b)(1)\"");
  expect_json("cfr canonical round trip", el_cite_json, "15 CFR part 744, Supplement No. 4", "\"supplement\":4");
  expect_json("fr", el_cite_json, "87 F.R. 62186", "\"kind\":\"FR\",\"volume\":87,\"page\":62186");
  expect_json("cfr unknown title for section sign", el_cite_json, "\xc2\xa7 5.1", "\"title\":null");
  expect_json("cfr title 0 invalid", el_cite_json, "0 CFR 744.21", NULL);
  expect_json("cfr title 99 invalid", el_cite_json, "99 CFR 744.21", NULL);
  expect_json("cfr extra words", el_cite_json, "see 15 CFR 744.21", NULL);
  expect_json("cfr not a citation", el_cite_json, "part 2", NULL);
}

static void test_regex(void) {
  char err[200];
  el_regex *re = el_regex_compile("a(b", 3, 0, err, sizeof(err));
  check(!re && strstr(err, "offset 3"), "regex compile error names the offset", err);
  char big[EL_RE_MAX_PATTERN + 10];
  memset(big, 'a', sizeof(big));
  re = el_regex_compile(big, sizeof(big), 0, err, sizeof(err));
  check(!re && strstr(err, "longer"), "regex length cap", err);
  re = el_regex_compile("x+", 2, EL_RE_CASELESS, err, sizeof(err));
  el_regex_md *md = el_regex_md_new(re);
  size_t s, e;
  int rc = el_regex_find(re, md, "aaXxb\xff", 6, 0, &s, &e, err, sizeof(err));
  check(rc == 1 && s == 2 && e == 4, "caseless find in invalid UTF-8", NULL);
  rc = el_regex_find(re, md, "aaXxb", 5, 4, &s, &e, err, sizeof(err));
  check(rc == 0, "no match after the last", NULL);
  el_regex_md_free(md);
  el_regex_free(re);
}

/* The grammar rows of export_lexicon describe the hand-written scanners:
** they compile, and for ECCNs the regex and the scanner agree on random
** candidates. */
static void test_grammar_regexes(void) {
  char err[200];
  int ok = 1;
  for (size_t i = 0; i < el_grammar_count(); i++) {
    const el_lex_entry *g = el_grammar_entry(i);
    el_regex *re = el_regex_compile(g->term, strlen(g->term), 0, err, sizeof(err));
    if (!re) {
      ok = 0;
      printf("# %s: %s\n", g->rule, err);
    }
    el_regex_free(re);
  }
  check(ok && el_grammar_count() == 6, "grammar patterns compile", NULL);
  const el_lex_entry *g = el_grammar_entry(0);
  char anchored[600];
  snprintf(anchored, sizeof(anchored), "^(?:%s)$", g->term);
  el_regex *re = el_regex_compile(anchored, strlen(anchored), 0, err, sizeof(err));
  el_regex_md *md = el_regex_md_new(re);
  int agree = 1;
  char detail[128] = "";
  for (int k = 0; k < 20000 && agree; k++) {
    char code[32];
    static const char groups[] = "ABCDEFxXYyz";
    int o = 0;
    code[o++] = (char)('0' + rnd() % 10);
    code[o++] = groups[rnd() % (sizeof(groups) - 1)];
    for (int d = 0; d < 3; d++) code[o++] = (char)('0' + rnd() % 10);
    int levels = (int)(rnd() % 5);
    for (int l = 0; l < levels; l++) {
      code[o++] = '.';
      if (l % 2 == 0) code[o++] = (char)(rnd() % 4 ? 'a' + rnd() % 26 : 'A' + rnd() % 26);
      else {
        code[o++] = (char)('0' + rnd() % 10);
        if (rnd() % 3 == 0) code[o++] = (char)('0' + rnd() % 10);
      }
    }
    code[o] = 0;
    char out[1024];
    size_t ms, me;
    int by_scanner = el_eccn_json(code, (size_t)o, out, sizeof(out)) >= 0;
    int by_regex = el_regex_find(re, md, code, (size_t)o, 0, &ms, &me, err, sizeof(err)) == 1;
    if (by_scanner != by_regex) {
      agree = 0;
      snprintf(detail, sizeof(detail), "%s: scanner %d, regex %d", code, by_scanner, by_regex);
    }
  }
  check(agree, "ECCN scanner and its documented regex agree on 20000 candidates", detail);
  el_regex_md_free(md);
  el_regex_free(re);
}

int main(void) {
  test_ac_basics();
  test_differential();
  test_terms();
  test_parsers();
  test_regex();
  test_grammar_regexes();
  el_terms_free(builtin);
  return failures ? 1 : 0;
}
