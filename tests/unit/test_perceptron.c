/*
** Unit tests of the NLP learning machinery without SQLite: feature hashing,
** the averaged perceptron (training, averaging, export, in-place inference)
** and the model container.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_model.h"
#include "el_models.h"
#include "el_perceptron.h"

#include "check.h"

/* A toy task: the class of an instance is (a + 2b) mod 3 for a, b in 0..9;
** features are a, b and the pair, so it is learnable exactly. */
static int toy_feats(int a, int b, uint64_t *f) {
  f[0] = el_fh2(1, (uint64_t)a);
  f[1] = el_fh2(2, (uint64_t)b);
  f[2] = el_fh3(3, (uint64_t)a, (uint64_t)b);
  f[3] = el_fh1(4); /* bias */
  return 4;
}

static el_ap *toy_train(int epochs) {
  el_ap *ap = el_ap_new(3);
  uint64_t f[4];
  float s[3];
  for (int e = 0; e < epochs; e++)
    for (int a = 0; a < 10; a++)
      for (int b = 0; b < 10; b++) {
        int nf = toy_feats(a, b, f);
        el_ap_score(ap, f, nf, s);
        int guess = el_argmax_f(s, 3, NULL);
        int truth = (a + 2 * b) % 3;
        if (el_ap_update(ap, f, nf, truth, guess) != 0) return ap;
        el_ap_tick(ap);
      }
  el_ap_average(ap);
  return ap;
}

static void test_hashing(void) {
  check(el_fh2(1, 5) != el_fh2(2, 5), "hash: template ids differ", NULL);
  check(el_fh3(1, 5, 6) != el_fh3(1, 6, 5), "hash: part order matters", NULL);
  check(el_fh_bytes("abc", 3) == el_fh_bytes("abc", 3), "hash: bytes are stable", NULL);
  check(el_fh_bytes("abc", 3) != el_fh_bytes("abd", 3), "hash: one byte changes the hash",
        NULL);
  check(el_fh_bytes("abcdefgh", 8) != el_fh_bytes("abcdefgh\0", 9),
        "hash: the length is part of the hash", NULL);
  /* fixed values: a model trained on one machine must work on another */
  check(el_fh_bytes("exportlens", 10) == 0x50a8b0ddc398b222ULL &&
            el_fh3(7, 1, 2) == 0x25fbdfd601ce7288ULL,
        "hash: the same values on every platform", NULL);
}

static void test_train_export(void) {
  el_ap *ap = toy_train(10);
  uint64_t f[4];
  float s[3];
  int right = 0;
  for (int a = 0; a < 10; a++)
    for (int b = 0; b < 10; b++) {
      int nf = toy_feats(a, b, f);
      el_ap_score(ap, f, nf, s);
      right += el_argmax_f(s, 3, NULL) == (a + 2 * b) % 3;
    }
  char d[64];
  snprintf(d, sizeof d, "%d of 100 right", right);
  check(right == 100, "perceptron: learns a separable task", d);
  check(el_ap_features(ap) == 10 + 10 + 100 + 1, "perceptron: one row per feature seen",
        NULL);

  unsigned char *blob = NULL, *blob2 = NULL;
  size_t len = 0, len2 = 0;
  check(el_ap_export(ap, 0.0f, &blob, &len) == 0 && blob != NULL, "export: succeeds", NULL);
  el_ap *ap2 = toy_train(10);
  check(el_ap_export(ap2, 0.0f, &blob2, &len2) == 0 && len2 == len &&
            memcmp(blob, blob2, len) == 0,
        "export: the same training gives the same bytes", NULL);

  el_apm m;
  check(el_apm_open(&m, blob, len) == 0 && m.nclass == 3, "apm: opens its own export", NULL);
  int agree = 0;
  for (int a = 0; a < 10; a++)
    for (int b = 0; b < 10; b++) {
      int nf = toy_feats(a, b, f);
      int32_t q[3];
      el_apm_score(&m, f, nf, q);
      agree += el_argmax_i32(q, 3, NULL) == (a + 2 * b) % 3;
    }
  snprintf(d, sizeof d, "%d of 100", agree);
  check(agree == 100, "apm: quantised model predicts as the float one", d);
  const uint32_t *row;
  check(el_apm_row(&m, el_fh2(99, 1), &row) == 0, "apm: unknown feature has no row", NULL);

  /* pruning everything leaves an empty but valid model */
  unsigned char *empty = NULL;
  size_t elen = 0;
  check(el_ap_export(ap, 1e9f, &empty, &elen) == 0 && el_apm_open(&m, empty, elen) == 0,
        "export: a fully pruned model is valid", NULL);

  /* corruption is refused */
  unsigned char *bad = malloc(len);
  memcpy(bad, blob, len);
  bad[0] = 'X';
  check(el_apm_open(&m, bad, len) != 0, "apm: bad magic refused", NULL);
  check(el_apm_open(&m, blob, len - 8) != 0, "apm: truncated blob refused", NULL);
  memcpy(bad, blob, len);
  el_apm_slot *slot = (el_apm_slot *)(bad + sizeof(el_apm_header));
  for (size_t i = 0;; i++)
    if (slot[i].off != EL_APM_EMPTY) {
      slot[i].off = 0x7FFFFFF0u;
      break;
    }
  check(el_apm_open(&m, bad, len) != 0, "apm: row offset out of bounds refused", NULL);
  free(bad);

  el_free(blob);
  el_free(blob2);
  el_free(empty);
  el_ap_free(ap);
  el_ap_free(ap2);
}

static void test_allowed(void) {
  int32_t s[4] = {5, 9, 9, 1};
  unsigned char allow[4] = {1, 0, 1, 1};
  check(el_argmax_i32(s, 4, NULL) == 1, "argmax: ties go to the lowest index", NULL);
  check(el_argmax_i32(s, 4, allow) == 2, "argmax: only allowed classes", NULL);
  unsigned char none[4] = {0, 0, 0, 0};
  check(el_argmax_i32(s, 4, none) == -1, "argmax: nothing allowed gives -1", NULL);
}

static void test_container(void) {
  el_blob_writer w;
  el_blob_writer_init(&w);
  el_blob_add(&w, "alpha", "abc", 3);
  el_blob_add(&w, "beta", "", 0);
  el_blob_add(&w, "gamma", "0123456789", 10);
  unsigned char *b;
  size_t n;
  check(el_blob_finish(&w, &b, &n) == 0, "container: written", NULL);
  const void *d;
  size_t dl;
  check(el_blob_count(b, n) == 3, "container: three sections", NULL);
  check(el_blob_find(b, n, "gamma", &d, &dl) == 0 && dl == 10 && memcmp(d, "0123456789", 10) == 0 &&
            ((uintptr_t)d - (uintptr_t)b) % 64 == 0,
        "container: section found, 64-byte aligned", NULL);
  check(el_blob_find(b, n, "beta", &d, &dl) == 0 && dl == 0, "container: empty section", NULL);
  check(el_blob_find(b, n, "delta", &d, &dl) != 0, "container: missing section", NULL);
  check(el_blob_find(b, n - 1, "gamma", &d, &dl) != 0, "container: truncated file refused",
        NULL);
  check(el_blob_count("ELBLOB0", 7) == -1, "container: short file refused", NULL);
  check(el_blob_add(&w, "a name far too long for the forty-eight bytes of a name", "", 0) != 0,
        "container: over-long name refused", NULL);
  el_free(b);
  el_blob_writer_free(&w);

  const void *ud;
  size_t udn;
  el_model_ud(&ud, &udn);
  check(el_blob_count(ud, udn) >= 0 && ((uintptr_t)ud % 64) == 0,
        "container: the built-in UD model is a container, 64-byte aligned", NULL);
}

int main(void) {
  test_hashing();
  test_train_export();
  test_allowed();
  test_container();
  return failures ? 1 : 0;
}
