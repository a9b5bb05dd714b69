/*
** Unit tests of the linguistic core without SQLite: UD words, tags, lemmas,
** trees and the CoNLL-U writer, with the built-in model.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_alloc.h"
#include "el_conllu.h"
#include "el_model.h"
#include "el_models.h"
#include "el_nlp.h"
#include "el_nlp_int.h"
#include "el_unicode.h"

#include "check.h"

static const el_nlp *M;

/* Words of the first unit of text as "w1 w2 ..." ([a|b] marks a multiword
** token's words). */
static void words_of(const char *text, char *out, size_t cap) {
  el_unit_reader r;
  el_nlp_sent s;
  size_t o = 0;
  out[0] = 0;
  el_unit_init(&r, text, strlen(text));
  el_nlp_sent_init(&s);
  if (el_unit_next(&r) == 1 &&
      el_nlp_analyse(M, text, strlen(text), 0, strlen(text), r.tok, r.ntok, EL_NLP_WORDS, &s) == 0) {
    for (size_t i = 0; i < s.n && o + 64 < cap; i++) {
      const el_nlp_word *w = &s.w[i];
      int first = w->mwt_n > 1, last = (w->flags & EL_NW_MWT) && w->end == w->tend;
      o += (size_t)snprintf(out + o, cap - o, "%s%s%.*s%s", o ? " " : "", first ? "[" : "",
                            (int)(w->end - w->start), text + w->start, last ? "]" : "");
    }
  }
  el_nlp_sent_free(&s);
  el_unit_free(&r);
}

static void expect_words(const char *name, const char *text, const char *want) {
  char got[2048], detail[4096];
  words_of(text, got, sizeof got);
  snprintf(detail, sizeof detail, "\n   want: %s\n   got:  %s", want, got);
  check(strcmp(got, want) == 0, name, detail);
}

/* Every unit of text parses into one tree: one root, heads in range, no
** cycle; words ordered and covering every non-space byte of [a, b). */
static int trees_ok(const char *text, size_t len, char *why, size_t cap) {
  el_unit_reader r;
  el_nlp_sent s;
  int ok = 1;
  size_t gap_from = 0;
  el_unit_init(&r, text, len);
  el_nlp_sent_init(&s);
  while (ok && el_unit_next(&r) == 1) {
    size_t b = r.last ? len : r.tok[r.ntok - 1].end;
    if (el_nlp_analyse(M, text, len, gap_from, b, r.tok, r.ntok, EL_NLP_PARSE, &s) != 0) {
      snprintf(why, cap, "analyse failed");
      ok = 0;
      break;
    }
    int roots = 0;
    for (size_t i = 0; i < s.n; i++) {
      if (s.w[i].head < 0) roots++;
      else if ((size_t)s.w[i].head >= s.n || (size_t)s.w[i].head == i) ok = 0;
      size_t x = i, steps = 0;
      while (ok && s.w[x].head >= 0 && steps++ <= s.n) x = (size_t)s.w[x].head;
      if (steps > s.n) ok = 0;
      if (i > 0 && s.w[i].start < s.w[i - 1].end) ok = 0;
      if (s.w[i].start >= s.w[i].end || s.w[i].start < gap_from || s.w[i].end > b) ok = 0;
    }
    if (s.n && roots != 1) ok = 0;
    /* coverage */
    size_t k = 0;
    for (size_t p = gap_from; ok && p < b;) {
      int32_t cp;
      size_t l = el_utf8_decode((const unsigned char *)text + p, b - p, &cp);
      int space = (el_uc_class(cp) & EL_CLS_MASK) == EL_CLS_SPACE;
      while (k < s.n && s.w[k].end <= p) k++;
      int inside = k < s.n && s.w[k].start <= p && p < s.w[k].end;
      if (!space && !inside) ok = 0;
      p += l;
    }
    if (!ok) snprintf(why, cap, "unit %zu: %d roots or bad heads/coverage", r.sentence, roots);
    gap_from = b;
  }
  el_nlp_sent_free(&s);
  el_unit_free(&r);
  return ok;
}

static void test_words(void) {
  expect_words("words: contractions are multiword tokens", "I don't know.",
               "I [do n't] know .");
  expect_words("words: can't is ca + n't", "You can't win.", "You [ca n't] win .");
  expect_words("words: 'm, 're, 'll, 've", "I'm sure they're here; we'll see, they've said.",
               "[I 'm] sure [they 're] here ; [we 'll] see , [they 've] said .");
  expect_words("words: the clitic 's joins its word", "It's Bush's plan.",
               "[It 's] [Bush 's] plan .");
  expect_words("words: cannot and gonna, from the treebank", "I cannot go, I'm gonna stay.",
               "I [can not] go , [I 'm] [gon na] stay .");
  expect_words("words: money and percent split", "It cost $400 or 30% more.",
               "It cost $ 400 or 30 % more .");
  expect_words("words: curly apostrophe", "I don\xE2\x80\x99t care.",
               "I [do n\xE2\x80\x99t] care .");
  expect_words("words: e-mail and dates stay whole", "Send an e-mail by 11/28/2000.",
               "Send an e-mail by 11/28/2000 .");
  expect_words("words: hyphenated names split", "Al-Zaman reported it.",
               "Al - Zaman reported it .");
  expect_words("words: a form split only sometimes is split by its context",
               "Its a good day and its name is Rex.",
               "[It s] a good day and its name is Rex .");
  expect_words("words: run-on words are words of their own, not a multiword token",
               "I have alot of time.", "I have a lot of time .");
  expect_words("words: hyphenated prefixes stay whole",
               "They came under counter-attack from non-Microsoft shops after the re-wording.",
               "They came under counter-attack from non-Microsoft shops after the re-wording .");
  expect_words("words: names with a file or domain ending stay whole",
               "Open CrudeStocks.pdf or TEXT.htm at Newsfeed.Com now.",
               "Open CrudeStocks.pdf or TEXT.htm at Newsfeed.Com now .");
  expect_words("words: telephone numbers stay whole, ranges of years are cut",
               "Call Joan (3-5213) or 212-848-8400 about 1999-2000.",
               "Call Joan ( 3-5213 ) or 212-848-8400 about 1999 - 2000 .");
  expect_words("words: a line drawn with mixed characters is one word",
               "----== Posted via Newsfeed.Com", "----== Posted via Newsfeed.Com");
  expect_words("words: names of words joined by dots stay whole",
               "Groups: alt.animals.cat and comp.sources.unix",
               "Groups : alt.animals.cat and comp.sources.unix");
  expect_words("words: characters outside tokens are words",
               "a \x01 b\xE2\x80\x8B c", "a \x01 b \xE2\x80\x8B c");
}

/* Analyse text as one unit; returns the number of words. */
static size_t analyse(const char *text, el_nlp_sent *s) {
  el_unit_reader r;
  size_t n = 0;
  el_unit_init(&r, text, strlen(text));
  if (el_unit_next(&r) == 1 &&
      el_nlp_analyse(M, text, strlen(text), 0, strlen(text), r.tok, r.ntok, EL_NLP_PARSE, s) == 0)
    n = s->n;
  el_unit_free(&r);
  return n;
}

static int lemma_is(const char *text, const el_nlp_word *w, const char *want) {
  char lem[64];
  size_t l = el_nlp_lemma(M, text, w, lem, sizeof lem);
  return l == strlen(want) && memcmp(lem, want, l) == 0;
}

static void test_tags(void) {
  el_nlp_sent s;
  el_nlp_sent_init(&s);
  const char *a = "He restricted exports to China.";
  if (analyse(a, &s) == 6) {
    check(lemma_is(a, &s.w[1], "restrict"), "lemma: restricted -> restrict", NULL);
    check(lemma_is(a, &s.w[2], "export"), "lemma: exports -> export", NULL);
    check(strcmp(el_nlp_upos(M, s.w[1].tag), "VERB") == 0 &&
              strcmp(el_nlp_xpos(M, s.w[1].tag), "VBD") == 0,
          "tags: restricted is VERB/VBD", el_nlp_xpos(M, s.w[1].tag));
    check(strcmp(el_nlp_upos(M, s.w[4].tag), "PROPN") == 0, "tags: China is PROPN",
          el_nlp_upos(M, s.w[4].tag));
    check(s.w[1].head == -1 && s.w[0].head == 1 &&
              strcmp(el_nlp_dep_name(M, s.w[0].dep), "nsubj") == 0 &&
              strcmp(el_nlp_dep_name(M, s.w[2].dep), "obj") == 0,
          "parse: restricted is the root, He its subject, exports its object", NULL);
  } else {
    check(0, "tags: the sentence has six words", NULL);
  }
  const char *b = "The companies were there.";
  if (analyse(b, &s) == 5) {
    check(lemma_is(b, &s.w[0], "the") && lemma_is(b, &s.w[1], "company") &&
              lemma_is(b, &s.w[2], "be"),
          "lemma: The -> the, companies -> company, were -> be", NULL);
  } else {
    check(0, "lemma: the sentence has five words", NULL);
  }
  el_nlp_sent_free(&s);
}

static void test_trees(void) {
  char why[256];
  static const char *const texts[] = {
    "", "   ", ".", "!!!???", "a", "\x01\x02", "\xFF\xFE\xC3", "$$$ %%% ###",
    "the the the the the the the", "U.S. U.S. U.S.", "don't don't don't",
    "(((((((((( ))))))))))", "I I I I . . . . , , ,", "\xE2\x80\x8B\xE2\x80\x8B",
    "Mr. Smith went to Washington. He said \"hello\" -- and left!",
    "e-mail: john@example.com http://example.com/x?a=1 $5bn 30% 11/28/2000 3:30pm",
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    char name[128];
    snprintf(name, sizeof name, "trees: well formed for text %zu", i);
    check(trees_ok(texts[i], strlen(texts[i]), why, sizeof why), name, why);
  }
  /* a sentence far over the unit size: pieces, each a tree */
  size_t n = 0, cap = 200000;
  char *big = malloc(cap);
  while (n + 16 < cap) {
    memcpy(big + n, "word and, ", 10);
    n += 10;
  }
  check(trees_ok(big, n, why, sizeof why), "trees: a 200 KB sentence is cut into trees", why);
  free(big);
}

/* Parse CoNLL-U output: every sentence has exactly one root and heads in
** range; returns the number of sentences or -1. */
static int conllu_sentences(const char *z) {
  int sentences = 0, roots = 0, words = 0, maxhead = 0;
  const char *p = z;
  while (*p) {
    const char *e = strchr(p, '\n');
    if (!e) return -1;
    if (e == p) {
      if (roots != 1 || maxhead > words) return -1;
      sentences++;
      roots = words = maxhead = 0;
    } else if (*p != '#') {
      int tabs = 0;
      for (const char *q = p; q < e; q++) tabs += *q == '\t';
      if (tabs != 9) return -1;
      if (!memchr(p, '-', (size_t)(strchr(p, '\t') - p))) {
        words++;
        const char *c = p;
        for (int k = 0; k < 6; k++) c = strchr(c, '\t') + 1;
        int h = atoi(c);
        if (h == 0) roots++;
        if (h > maxhead) maxhead = h;
      }
    }
    p = e + 1;
  }
  return sentences;
}

static void test_conllu(void) {
  el_sbuf b;
  el_sb_init(&b, 1 << 30);
  const char *text = "I don't think so.\nHe paid $400 for it! OK";
  check(el_conllu(M, text, strlen(text), &b, NULL, NULL) == 0, "conllu: succeeds", NULL);
  check(b.p && conllu_sentences(b.p) == 3, "conllu: three sentences, one root each", b.p);
  check(b.p && strstr(b.p, "# sent_id = 1\n# text = I don't think so.\n1\tI\t") != NULL,
        "conllu: sent_id and text lines", b.p);
  check(b.p && strstr(b.p, "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t") != NULL,
        "conllu: multiword token range line", b.p);
  check(b.p && strstr(b.p, "\t$\t$\tSYM\t$\t_\t") != NULL && strstr(b.p, "SpaceAfter=No") != NULL,
        "conllu: $ split off, SpaceAfter=No", b.p);
  el_sb_free(&b);

  el_sb_init(&b, 1 << 30);
  const char *bad = "bad \xFF\xFE bytes \x01 and\ttabs";
  check(el_conllu(M, bad, strlen(bad), &b, NULL, NULL) == 0 && b.p &&
            strstr(b.p, "\xEF\xBF\xBD") != NULL && conllu_sentences(b.p) == 1,
        "conllu: invalid bytes and controls become U+FFFD", b.p);
  size_t i = 0;
  int valid = 1;
  while (b.p && i < b.n) {
    int32_t cp;
    i += el_utf8_decode((const unsigned char *)b.p + i, b.n - i, &cp);
    if (cp == EL_UC_INVALID) valid = 0;
  }
  check(valid, "conllu: output is valid UTF-8", NULL);
  el_sb_free(&b);

  el_sb_init(&b, 100);
  check(el_conllu(M, text, strlen(text), &b, NULL, NULL) == EL_SB_TOOBIG,
        "conllu: output over the limit is refused", NULL);
  el_sb_free(&b);

  el_sb_init(&b, 1 << 30);
  check(el_conllu(M, "\x01\x02", 2, &b, NULL, NULL) == 0 && b.p && conllu_sentences(b.p) == 1,
        "conllu: a text without tokens still has its characters", b.p);
  el_sb_free(&b);
}

static void test_stream(void) {
  const char *text = "I don't know. The e-mail came.";
  el_nlp_stream st;
  el_nlp_stream_init(&st, M, text, strlen(text), EL_NLP_PARSE);
  int rows = 0, ok = 1;
  char got[512] = "";
  size_t o = 0;
  while (el_nlp_stream_next(&st) == 1) {
    const el_token *t = el_nlp_stream_token(&st);
    const el_nlp_word *w = el_nlp_stream_word(&st);
    const char *lem;
    long long ll = el_nlp_stream_lemma(&st, &lem);
    if (!w || ll < 0) ok = 0;
    o += (size_t)snprintf(got + o, sizeof got - o, "%.*s/%s/%.*s/%lld ", (int)(t->end - t->start),
                          text + t->start, w ? el_nlp_upos(M, w->tag) : "?", (int)ll, lem,
                          el_nlp_stream_head(&st));
    rows++;
  }
  el_nlp_stream_free(&st);
  el_tokenizer tk;
  el_token tok;
  int ntok = 0;
  el_tokenizer_init(&tk, text, strlen(text));
  while (el_tokenizer_next(&tk, &tok)) ntok++;
  check(ok && rows == ntok, "stream: one row per tokenizer token", got);
  check(strstr(got, "don't/AUX/do not/2 ") != NULL, "stream: don't shows do, lemmas joined",
        got);
  check(strstr(got, "e/NOUN/e-mail/") != NULL && strstr(got, "mail/NOUN/e-mail/") != NULL,
        "stream: the tokens of e-mail each show the word", got);
  check(strstr(got, "know/VERB/know/-1 ") != NULL, "stream: the root has no head", got);
}

static void test_model(void) {
  const void *d;
  size_t n;
  el_model_ud(&d, &n);
  static el_nlp nlp_mem[1];
  check(n > 1000, "model: built in", NULL);
  /* a truncated copy is refused, not read out of bounds */
  void *copy = aligned_alloc(64, (n / 2 + 63) & ~(size_t)63);
  memcpy(copy, d, n / 2);
  check(el_nlp_init((el_nlp *)nlp_mem, copy, n / 2) != 0, "model: a truncated model is refused",
        NULL);
  free(copy);
  check(el_nlp_ntags(M) > 40 && el_nlp_ndeps(M) > 30, "model: tag and relation sets", NULL);
}

/* The parser's constant feature groups, buffer and stack features
** (el_parse_features_skip, _b, _stack): at every transition of real parses,
** the group sums plus the buffer's, the stack's and the other features score
** exactly as every feature does. */
static void test_parse_groups(void) {
  static const char *const texts[] = {
    "Mr. Smith went to Washington. He said \"hello\" -- and left!",
    "The agency proposes to amend its rules on the export of dual-use items, "
    "which were last revised in 2019 (84 FR 1234).",
    "a", "Yes.", "(((( ))))", "don't stop believing",
  };
  el_nlp_sent s;
  el_nlp_sent_init(&s);
  long steps = 0, bad = 0, skipped = 0, tree_bad = 0;
  int nclass = M->parser.nclass;
  for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
    int n = (int)analyse(texts[t], &s);
    if (n == 0) continue;
    void *mem = malloc(el_pstate_size(n));
    el_pstate ps;
    el_pstate_init(&ps, n, mem);
    while (!el_pstate_final(&ps)) {
      uint64_t f[EL_PARSE_NFEAT], g[3 * EL_PARSE_NFEAT];
      int32_t a[132], b[132];
      unsigned groups;
      int nf = el_parse_features(&ps, s.f, s.tags, f);
      int ng = el_parse_features_skip(&ps, s.f, s.tags, g, &groups);
      ng += el_parse_features_b(&ps, s.f, s.tags, g + ng);
      ng += el_parse_features_stack(&ps, s.f, s.tags, g + ng);
      el_apm_score(&M->parser, f, nf, a);
      for (int c = 0; c < nclass; c++) {
        b[c] = 0;
        for (int k = 0; k < EL_PG_N; k++)
          if (groups & (1u << k)) b[c] += M->pgroup[k][c];
      }
      el_apm_add(&M->parser, g, ng, b);
      if (memcmp(a, b, (size_t)nclass * sizeof(int32_t)) != 0) bad++;
      skipped += nf - ng;
      steps++;
      /* the parser's choice, from every feature scored afresh */
      int best = -1;
      for (int c = 0; c < nclass; c++) {
        if (!el_pstate_valid(&ps, c) || (best >= 0 && a[c] <= a[best])) continue;
        if (c != EL_PT_SHIFT && (((c - 1) / 2 == M->root_dep) != ((c & 1) && ps.b0 == n)))
          continue;
        best = c;
      }
      if (best < 0)
        best = ps.b0 < n ? EL_PT_SHIFT : ps.sp >= 2 ? EL_PT_RIGHT(0) : EL_PT_LEFT(M->root_dep);
      el_pstate_apply(&ps, best);
    }
    /* the same tree as the parser's, which keeps scores from one transition
    ** to the next */
    for (int i = 0; i < n; i++) {
      int h = ps.head[i] >= n ? -1 : ps.head[i];
      int d = ps.label[i] < 0 ? M->root_dep : ps.label[i];
      if (s.w[i].head != h || s.w[i].dep != d) tree_bad++;
    }
    free(mem);
  }
  el_nlp_sent_free(&s);
  char why[128];
  snprintf(why, sizeof why, "%ld of %ld transitions differ", bad, steps);
  check(steps > 50 && bad == 0, "parser: constant groups score as every feature does", why);
  check(skipped > steps, "parser: constant groups are used", NULL);
  snprintf(why, sizeof why, "%ld words differ", tree_bad);
  check(tree_bad == 0, "parser: kept scores give the trees of fresh ones", why);
}

int main(void) {
  M = el_nlp_default();
  check(M != NULL, "model: the built-in model opens", NULL);
  if (!M) return 1;
  test_model();
  test_words();
  test_tags();
  test_trees();
  test_parse_groups();
  test_conllu();
  test_stream();
  return failures ? 1 : 0;
}
