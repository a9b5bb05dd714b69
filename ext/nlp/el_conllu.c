/* A text's sentences in CoNLL-U: see el_conllu.h. */
#include "el_conllu.h"

#include <string.h>

#include "../common/el_alloc.h"
#include "../common/el_unicode.h"
#include "el_nlp_int.h"

void el_sb_init(el_sbuf *b, size_t max) {
  memset(b, 0, sizeof(*b));
  b->max = max;
}

void el_sb_free(el_sbuf *b) {
  el_free(b->p);
  b->p = NULL;
  b->n = b->cap = 0;
}

void el_sb_add(el_sbuf *b, const char *s, size_t n) {
  if (b->err || n == 0) return;
  if (n > b->max || b->n > b->max - n) {
    b->err = EL_SB_TOOBIG;
    return;
  }
  if (b->n + n + 1 > b->cap) {
    size_t ncap = b->cap ? b->cap : 4096;
    while (ncap < b->n + n + 1) ncap *= 2;
    char *np = el_realloc(b->p, ncap);
    if (np == NULL) {
      b->err = EL_SB_NOMEM;
      return;
    }
    b->p = np;
    b->cap = ncap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

void el_sb_str(el_sbuf *b, const char *s) { el_sb_add(b, s, strlen(s)); }

void el_sb_uint(el_sbuf *b, unsigned long long v) {
  char buf[24];
  int i = (int)sizeof buf;
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  el_sb_add(b, buf + i, sizeof buf - (size_t)i);
}

void el_sb_text(el_sbuf *b, const char *s, size_t n, int spaces) {
  const unsigned char *z = (const unsigned char *)s;
  size_t i = 0, run = 0;
  while (i < n) {
    unsigned c = z[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    int32_t cp;
    size_t len = el_utf8_decode(z + i, n - i, &cp);
    int space = (el_uc_class(cp) & EL_CLS_MASK) == EL_CLS_SPACE;
    if (cp != EL_UC_INVALID && cp >= 0x20 && cp != 0x7F && !(spaces && space)) {
      i += len;
      continue;
    }
    el_sb_add(b, s + run, i - run);
    if (spaces && space) el_sb_add(b, " ", 1);
    else el_sb_add(b, "\xEF\xBF\xBD", 3);
    i += len;
    run = i;
  }
  el_sb_add(b, s + run, n - run);
}

static void el_tab(el_sbuf *b) { el_sb_add(b, "\t", 1); }

/* Rows of one unit; base is the ID of its first word minus 1, root_id the
** ID of the sentence's root so far (0 for the first unit). */
static void el_conllu_rows(const el_nlp *m, const char *text, const el_nlp_sent *s,
                           size_t base, size_t *root_id, el_sbuf *b, char **lemma,
                           size_t *lemma_cap) {
  size_t unit_root = 0;
  for (size_t i = 0; i < s->n; i++)
    if (s->w[i].head < 0) unit_root = base + i + 1;
  for (size_t i = 0; i < s->n; i++) {
    const el_nlp_word *w = &s->w[i];
    size_t id = base + i + 1;
    if (w->mwt_n > 1) {
      const el_nlp_word *lastw = &s->w[i + w->mwt_n - 1];
      el_sb_uint(b, id);
      el_sb_add(b, "-", 1);
      el_sb_uint(b, id + w->mwt_n - 1);
      el_tab(b);
      el_sb_text(b, text + w->tstart, w->tend - w->tstart, 0);
      el_sb_str(b, "\t_\t_\t_\t_\t_\t_\t_\t");
      el_sb_str(b, (lastw->flags & EL_NW_NO_SPACE) ? "SpaceAfter=No\n" : "_\n");
    }
    el_sb_uint(b, id);
    el_tab(b);
    el_sb_text(b, text + w->start, w->end - w->start, 0);
    el_tab(b);
    size_t need = EL_NLP_LEMMA_MAX(w);
    if (need > *lemma_cap) {
      char *nl = el_realloc(*lemma, need);
      if (nl == NULL) {
        b->err = EL_SB_NOMEM;
        return;
      }
      *lemma = nl;
      *lemma_cap = need;
    }
    size_t ll = el_nlp_lemma(m, text, w, *lemma, *lemma_cap);
    if (ll == 0) el_sb_add(b, "_", 1);
    else el_sb_text(b, *lemma, ll <= *lemma_cap ? ll : *lemma_cap, 0);
    el_tab(b);
    el_sb_str(b, el_nlp_upos(m, w->tag));
    el_tab(b);
    el_sb_str(b, el_nlp_xpos(m, w->tag));
    el_sb_str(b, "\t_\t");
    const char *dep;
    if (w->head >= 0) {
      el_sb_uint(b, base + (size_t)w->head + 1);
      dep = el_nlp_dep_name(m, w->dep);
    } else if (*root_id) {
      el_sb_uint(b, *root_id); /* a later piece of a cut sentence */
      dep = el_nlp_dep_name(m, m->chain_dep);
    } else {
      el_sb_add(b, "0", 1);
      dep = "root";
    }
    el_tab(b);
    el_sb_str(b, dep);
    el_sb_str(b, "\t_\t");
    el_sb_str(b, (w->flags & EL_NW_NO_SPACE) && !(w->flags & EL_NW_MWT) ? "SpaceAfter=No\n"
                                                                          : "_\n");
  }
  if (!*root_id) *root_id = unit_root;
}

int el_conllu(const el_nlp *m, const char *text, size_t len, el_sbuf *out,
              int (*progress)(void *), void *arg) {
  el_unit_reader r;
  el_nlp_sent s;
  el_sbuf rows;
  char *lemma = NULL;
  size_t lemma_cap = 0, base = 0, root_id = 0, sent_start = 0, sent_end = 0, gap_from = 0;
  int rc = 0, more;
  el_unit_init(&r, text, len);
  el_nlp_sent_init(&s);
  el_sb_init(&rows, out->max);
  while ((more = el_unit_next(&r)) == 1) {
    if (!r.cont) {
      base = 0;
      root_id = 0;
      sent_start = r.tok[0].start;
    }
    size_t b = r.last ? len : r.tok[r.ntok - 1].end;
    if (el_nlp_analyse(m, text, len, gap_from, b, r.tok, r.ntok, EL_NLP_PARSE, &s) != 0) {
      rc = EL_SB_NOMEM;
      break;
    }
    gap_from = b;
    if (s.n && s.w[0].start < sent_start) sent_start = s.w[0].start;
    if (s.n) sent_end = s.w[s.n - 1].end;
    el_conllu_rows(m, text, &s, base, &root_id, &rows, &lemma, &lemma_cap);
    base += s.n;
    int sentence_done = r.last || r.pending_sent != r.sentence;
    if (sentence_done) {
      el_sb_str(out, "# sent_id = ");
      el_sb_uint(out, r.sentence + 1);
      el_sb_str(out, "\n# text = ");
      el_sb_text(out, text + sent_start, sent_end - sent_start, 1);
      el_sb_add(out, "\n", 1);
      el_sb_add(out, rows.p, rows.n);
      el_sb_add(out, "\n", 1);
      rows.n = 0;
      if (rows.err) out->err = rows.err;
      if (out->err) break;
      if (progress && progress(arg)) {
        rc = -1;
        break;
      }
    }
  }
  if (more < 0) rc = EL_SB_NOMEM;
  if (more == 0 && rc == 0 && r.first == 0 && r.ntok == 0 && len > 0) {
    /* no token at all: the text's other characters still become words */
    if (el_nlp_analyse(m, text, len, 0, len, NULL, 0, EL_NLP_PARSE, &s) != 0) {
      rc = EL_SB_NOMEM;
    } else if (s.n) {
      el_conllu_rows(m, text, &s, 0, &root_id, &rows, &lemma, &lemma_cap);
      el_sb_str(out, "# sent_id = 1\n# text = ");
      el_sb_text(out, text + s.w[0].start, s.w[s.n - 1].end - s.w[0].start, 1);
      el_sb_add(out, "\n", 1);
      el_sb_add(out, rows.p, rows.n);
      el_sb_add(out, "\n", 1);
      if (rows.err) out->err = rows.err;
    }
  }
  if (rc == 0 && out->err) rc = out->err;
  el_sb_free(&rows);
  el_free(lemma);
  el_nlp_sent_free(&s);
  el_unit_free(&r);
  return rc;
}
