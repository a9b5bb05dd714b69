/*
** Unit tests of the screening core (name normalisation, similarity, the
** blocked index), without SQLite. Prints "ok - name" or "not ok - name: why".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_names.h"
#include "el_sindex.h"

#include "check.h"

static el_name_buf nb1, nb2;

static void expect_key(const char *name, const char *in, const char *want) {
  char key[EL_NAME_KEY_MAX], detail[EL_NAME_KEY_MAX + 256];
  el_name *nm = el_name_normalize(in, strlen(in), &nb1);
  size_t n = el_name_key(nm, key, sizeof(key));
  snprintf(detail, sizeof(detail), "want '%s', got '%s' (%zu)", want, key, n);
  check(strcmp(key, want) == 0 && n == strlen(want), name, detail);
}

static double sim(const char *a, const char *b) {
  return el_name_similarity(el_name_normalize(a, strlen(a), &nb1),
                            el_name_normalize(b, strlen(b), &nb2));
}

/* lo <= similarity(a, b) <= hi, and the same both ways round */
static void expect_sim(const char *name, const char *a, const char *b, double lo, double hi) {
  char detail[512];
  double s = sim(a, b), r = sim(b, a);
  snprintf(detail, sizeof(detail), "'%s' vs '%s': %.4f (reversed %.4f), want [%.2f, %.2f]", a, b,
           s, r, lo, hi);
  check(s >= lo && s <= hi && s == r, name, detail);
}

const char *el_name_common_word(size_t i);
const char *el_name_weak_word(size_t i);

static void test_normalise(void) {
  expect_key("legal suffixes dropped", "HUAWEI TECHNOLOGIES CO., LTD.", "huawei technologies");
  expect_key("tokens sorted", "Technologies Huawei", "huawei technologies");
  expect_key("diacritics folded", "Müller Präzisionsoptik GmbH & Co. KG", "muller prazisionsoptik");
  expect_key("folded twice: dotted capital I", "\xC4\xB0stanbul Denizcilik", "denizcilik istanbul");
  expect_key("dotted letters join", "A.C. International L.L.C.", "ac international");
  expect_key("S.A.R.L. is one legal form", "Optique Nord S.A.R.L.", "nord optique");
  expect_key("apostrophes inside a word dropped", "Da'oud O\xE2\x80\x99" "Brien", "daoud obrien");
  expect_key("hyphens separate", "AL-NOOR SHIPPING", "al noor shipping");
  expect_key("all common words: kept", "The Group Ltd", "group ltd the");
  expect_key("empty", "", "");
  expect_key("punctuation only", ".,;:!?()", "");
  expect_key("invalid UTF-8 separates", "ab\xFF" "cd", "ab cd");
  expect_key("digits kept", "54th Research Institute", "54th institute research");
  expect_key("Co.,Ltd. without spaces", "Foo Co.,Ltd.", "foo");
  expect_key("misspelled legal forms dropped", "Velmora Holdngs Corporaton", "velmora");
  expect_key("short words need the exact form", "Velmora Lt", "lt velmora");
  int sorted = 1;
  for (size_t i = 1; el_name_common_word(i); i++)
    if (strcmp(el_name_common_word(i - 1), el_name_common_word(i)) >= 0) sorted = 0;
  check(sorted, "common word table sorted (binary search)", NULL);
  sorted = 1;
  for (size_t i = 1; el_name_weak_word(i); i++)
    if (strcmp(el_name_weak_word(i - 1), el_name_weak_word(i)) >= 0) sorted = 0;
  check(sorted, "weak word table sorted (binary search)", NULL);
  for (size_t i = 0; el_name_weak_word(i); i++)
    if (el_name_is_common(el_name_weak_word(i), strlen(el_name_weak_word(i)))) sorted = 0;
  check(sorted, "no word is both weak and common", NULL);
  check(el_name_is_common("ltd", 3) && el_name_is_common("gmbh", 4) &&
        !el_name_is_common("bank", 4) && !el_name_is_common("lt", 2),
        "common word look-up", NULL);
  /* long input is bounded */
  size_t big = 5u << 20;
  char *z = malloc(big);
  if (z) {
    memset(z, 'a', big);
    el_name *nm = el_name_normalize(z, big, &nb1);
    check(nm->n == 1 && nm->tok[0].nch == EL_NAME_MAX_TOKCH, "5 MB token cut to 64 characters",
          NULL);
    for (size_t i = 0; i < big; i += 2) z[i] = ' ';
    nm = el_name_normalize(z, big, &nb1);
    check(nm->n == EL_NAME_MAX_TOKENS, "many tokens: at most 32 kept", NULL);
    free(z);
  }
}

static void test_similarity(void) {
  expect_sim("suffix differs", "HUAWEI TECHNOLOGIES CO., LTD.", "Huawei Technologies", 1.0, 1.0);
  expect_sim("reordered", "ABU HASSAN, Khaled", "Khaled Abu Hassan", 1.0, 1.0);
  expect_sim("one letter dropped", "Hikvision", "Hikvison", 0.85, 0.95);
  expect_sim("transposition", "Gazprombank", "Gazprombnak", 0.85, 0.95);
  expect_sim("split word", "Huawei", "Hua Wei", 0.95, 0.95);
  expect_sim("plural", "Huawei Technology", "Huawei Technologies", 0.95, 0.99);
  expect_sim("CETC vs CEC below threshold", "China Electronics Technology Group",
             "China Electronics Corporation", 0.0, 0.82);
  expect_sim("short tokens must be equal", "ABC Trading", "ABD Trading", 0.0, 0.75);
  expect_sim("numbers must be equal", "54th Research Institute", "55th Research Institute", 0.0,
             0.85);
  expect_sim("unrelated", "Siemens Energy", "Rosneft Trading", 0.0, 0.0);
  expect_sim("partial name below threshold", "Huawei", "Huawei Technologies", 0.4, 0.7);
  expect_sim("missing distinctive word", "Hangzhou Digital Technology",
             "Hangzhou Hikvision Digital Technology", 0.0, 0.8);
  expect_sim("missing short word", "Star Trading", "Red Star Trading", 0.0, 0.84);
  expect_sim("empty scores 0", "", "Huawei", 0.0, 0.0);
  expect_sim("both empty score 0", "Ltd.", "", 0.0, 0.0);
  double s = sim("Zhejiang Dahua Technology", "Dahua Technology Zhejiang");
  check(s == 1.0, "order does not matter", NULL);
  int32_t a[] = {'a', 'b', 'c', 'd'}, b[] = {'a', 'c', 'b', 'd'}, c[] = {'a', 'b'};
  check(el_name_osa(a, 4, b, 4) == 1, "OSA: transposition is one edit", NULL);
  check(el_name_osa(a, 4, c, 2) == 2, "OSA: two deletions", NULL);
  check(el_name_osa(a, 0, c, 2) == 2, "OSA: empty", NULL);
}

/* The pair score by its definition (full edit distance, no shortcuts), for
** single-token names of letters a-e. */
static double pair_reference(const char *x, const char *y) {
  size_t nx = strlen(x), ny = strlen(y);
  if (strcmp(x, y) == 0) return 1.0;
  int mn = (int)(nx < ny ? nx : ny), mx = (int)(nx < ny ? ny : nx);
  if (mn < 4) return 0.0;
  int allowed = mn >= 8 ? 2 : 1;
  int32_t a[64], b[64];
  for (size_t i = 0; i < nx; i++) a[i] = x[i];
  for (size_t i = 0; i < ny; i++) b[i] = y[i];
  int d = el_name_osa(a, (int)nx, b, (int)ny);
  return d > allowed ? 0.0 : 1.0 - (double)d / mx;
}

static void test_pair_shortcuts(void) {
  unsigned seed = 12345;
  int bad = 0;
  char detail[256] = "";
  for (int t = 0; t < 20000; t++) {
    char x[16], y[16];
    int lx = 4 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 8;
    for (int i = 0; i < lx; i++) x[i] = (char)('a' + ((seed = seed * 1103515245u + 12345u) >> 16) % 5);
    x[lx] = 0;
    /* y: x with 0 to 3 random edits */
    memcpy(y, x, (size_t)lx + 1);
    int edits = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 4;
    for (int e = 0; e < edits; e++) {
      int ly = (int)strlen(y);
      int pos = (int)((seed = seed * 1103515245u + 12345u) >> 16) % ly;
      int op = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 3;
      if (op == 0) y[pos] = (char)('a' + (seed >> 20) % 5);
      else if (op == 1 && ly > 4) memmove(y + pos, y + pos + 1, (size_t)(ly - pos));
      else if (ly < 14) { memmove(y + pos + 1, y + pos, (size_t)(ly - pos + 1)); y[pos] = 'e'; }
    }
    if (x[lx - 1] == 's' || y[strlen(y) - 1] == 's') continue; /* no plural stems here */
    el_name *a = el_name_normalize(x, strlen(x), &nb1);
    el_name *b = el_name_normalize(y, strlen(y), &nb2);
    if (a->n != 1 || b->n != 1) continue;
    double got = el_name_token_similarity(a, 0, b, 0), want = pair_reference(x, y);
    if (got != want) {
      if (!bad) snprintf(detail, sizeof(detail), "'%s' vs '%s': %.4f, want %.4f", x, y, got, want);
      bad++;
    }
  }
  check(bad == 0, "pair score shortcuts agree with the full edit distance", detail);
}

static void add(el_sindex *ix, int row, int alias, const char *z) {
  check(el_sindex_add(ix, row, alias, z, strlen(z)) >= 0, "index add", z);
}

/* hits of q as "row/alias/reason;..." */
static int query(el_sindex *ix, const char *q, double t, char *out, size_t cap, size_t *cmp) {
  el_shit *h;
  int n = el_sindex_query(ix, q, strlen(q), t, &h, cmp);
  size_t o = 0;
  out[0] = 0;
  for (int i = 0; i < n; i++) {
    int w = snprintf(out + o, cap - o, "%s%d/%d/%s", i ? ";" : "", h[i].row, h[i].alias,
                     h[i].exact ? "exact" : "fuzzy");
    if (w < 0 || (size_t)w >= cap - o) break;
    o += (size_t)w;
  }
  el_sindex_free_hits(ix, h);
  return n;
}

static void expect_hits(el_sindex *ix, const char *name, const char *q, double t,
                        const char *want) {
  char got[1024], detail[2048];
  query(ix, q, t, got, sizeof(got), NULL);
  snprintf(detail, sizeof(detail), "'%s': want '%s', got '%s'", q, want, got);
  check(strcmp(got, want) == 0, name, detail);
}

static void *test_realloc(void *p, size_t n) { return realloc(p, n); }

static void test_index(void) {
  el_sindex *ix = el_sindex_new(test_realloc, free);
  check(ix != NULL, "index created", NULL);
  if (!ix) return;
  add(ix, 0, 0, "Huawei Technologies Co., Ltd.");
  add(ix, 0, 1, "Huawei");
  add(ix, 1, 0, "Hangzhou Hikvision Digital Technology Co., Ltd.");
  add(ix, 1, 1, "Hikvision");
  add(ix, 2, 0, "China Electronics Technology Group Corporation");
  add(ix, 3, 0, "PETROVSKY, Ivan Sergeyevich");
  add(ix, 3, 1, "PETROVSKI, Ivan");
  check(el_sindex_add(ix, 4, 0, "Ltd. ,;", 7) == 0, "a name of common words is kept", NULL);
  check(el_sindex_add(ix, 5, 0, "", 0) == 1, "an empty name adds nothing", NULL);
  /* many rows sharing "china" and "technology" */
  char buf[128];
  for (int i = 0; i < 500; i++) {
    snprintf(buf, sizeof(buf), "China Technology Trading %c%c%c%d", 'a' + i % 26,
             'a' + (i / 26) % 26, 'k' + i % 7, i);
    add(ix, 10 + i, 0, buf);
  }
  check(el_sindex_finish(ix) == 0, "index finished", NULL);
  expect_hits(ix, "exact name", "HUAWEI TECHNOLOGIES CO LTD", 0.85, "0/0/exact");
  expect_hits(ix, "exact alias", "Huawei", 0.85, "0/1/exact");
  expect_hits(ix, "misspelled alias", "Hikvison", 0.85, "1/1/fuzzy");
  expect_hits(ix, "reordered person, alias", "Ivan Petrovski", 0.85, "3/1/exact");
  expect_hits(ix, "near miss", "China Electronics Corporation", 0.85, "");
  expect_hits(ix, "unrelated", "Samsung Electronics", 0.85, "");
  expect_hits(ix, "split word", "Hua Wei", 0.85, "0/1/fuzzy");
  char got[64];
  size_t cmp = 0;
  int n = query(ix, "China Technology Zhongxing", 0.85, got, sizeof(got), &cmp);
  char detail[128];
  snprintf(detail, sizeof(detail), "%zu entries compared, %d hits", cmp, n);
  check(n == 0 && cmp < 20, "common tokens are not compared with every row", detail);
  n = query(ix, "China Technology Trading bbq27", 0.85, got, sizeof(got), &cmp);
  snprintf(detail, sizeof(detail), "%zu entries compared, hits '%s'", cmp, got);
  check(n >= 1 && strncmp(got, "37/0/exact", 10) == 0, "rare token found among common ones", detail);
  n = query(ix, "China Technology", 0.3, got, sizeof(got), &cmp);
  check(n > 100, "low threshold: common tokens are used", NULL);
  el_sindex_free(ix);

  ix = el_sindex_new(test_realloc, free);
  if (!ix) return;
  check(query(ix, "Huawei", 0.85, got, sizeof(got), NULL) == 0, "empty index: no hits", NULL);
  el_sindex_free(ix);
}

int main(void) {
  test_normalise();
  test_similarity();
  test_pair_shortcuts();
  test_index();
  return failures ? 1 : 0;
}
