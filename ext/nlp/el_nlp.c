/*
** The linguistic core's pipeline (see el_nlp.h): model sections, UD words,
** tagging, lemmas and parsing of one unit.
*/
#include "el_nlp.h"

#include <string.h>

#include "../common/el_alloc.h"
#include "../common/el_unicode.h"
#include "el_model.h"
#include "el_nlp_int.h"

/* ------------------------------------------------------------------------ */
/* Model                                                                     */

/* A table section: 2^k entries of `size` bytes. Returns the mask or 0. */
static uint64_t el_table(const void *blob, size_t len, const char *name, size_t size,
                         const void **out) {
  const void *d;
  size_t n;
  if (el_blob_find(blob, len, name, &d, &n) != 0 || n == 0 || n % size != 0) return 0;
  size_t count = n / size;
  if ((count & (count - 1)) != 0 || count < 2) return 0;
  *out = d;
  return (uint64_t)count - 1;
}

static int el_apm_section(const void *blob, size_t len, const char *name, el_apm *m) {
  const void *d;
  size_t n;
  if (el_blob_find(blob, len, name, &d, &n) != 0) return -1;
  return el_apm_open(m, d, n);
}

int el_nlp_init(el_nlp *m, const void *blob, size_t len) {
  memset(m, 0, sizeof(*m));
  const void *d;
  size_t n;
  if (el_blob_find(blob, len, "tags", &d, &n) != 0 || n == 0 || n % sizeof(el_tag_name))
    return -1;
  m->tags = d;
  m->ntags = (int)(n / sizeof(el_tag_name));
  if (el_blob_find(blob, len, "deps", &d, &n) != 0 || n == 0 || n % sizeof(el_dep_name))
    return -1;
  m->deps = d;
  m->ndeps = (int)(n / sizeof(el_dep_name));
  if (m->ntags > 0xFFF0 || m->ndeps > 64) return -1;
  for (int i = 0; i < m->ntags; i++)
    if (m->tags[i].upos[15] || m->tags[i].xpos[15]) return -1;
  m->root_dep = m->chain_dep = -1;
  for (int i = 0; i < m->ndeps; i++) {
    if (m->deps[i].name[31]) return -1;
    if (strcmp(m->deps[i].name, "root") == 0) m->root_dep = i;
    if (strcmp(m->deps[i].name, "parataxis") == 0) m->chain_dep = i;
  }
  if (m->root_dep < 0) return -1;
  if (m->chain_dep < 0) m->chain_dep = m->root_dep == 0 ? 1 % m->ndeps : 0;
  const void *t;
  if (!(m->lex_mask = el_table(blob, len, "lex", sizeof(el_lex_ent), &t))) return -1;
  m->lex = t;
  if (!(m->segx_mask = el_table(blob, len, "segx", sizeof(el_segx_ent), &t))) return -1;
  m->segx = t;
  if (!(m->lemx_mask = el_table(blob, len, "lemx", sizeof(el_lemx_ent), &t))) return -1;
  m->lemx = t;
  if (el_blob_find(blob, len, "lemr", &d, &n) != 0 || n == 0 || n % sizeof(el_lemma_rule))
    return -1;
  m->lemr = d;
  m->nlemr = (int)(n / sizeof(el_lemma_rule));
  for (int i = 0; i < m->nlemr; i++)
    if (m->lemr[i].alen > EL_LEMR_APPEND || m->lemr[i].op > EL_LOP_LOWER) return -1;
  for (uint64_t i = 0; i <= m->lemx_mask; i++)
    if (m->lemx[i].key && m->lemx[i].rule >= m->nlemr) return -1;
  for (uint64_t i = 0; i <= m->lex_mask; i++)
    if (m->lex[i].key && m->lex[i].tag > m->ntags) return -1;
  if (el_apm_section(blob, len, "seg", &m->seg) != 0 || m->seg.nclass != 2) return -1;
  if (el_apm_section(blob, len, "tagger", &m->tagger) != 0 || m->tagger.nclass != m->ntags)
    return -1;
  /* an optional second pass, that sees the first pass's tags to the right */
  if (el_blob_find(blob, len, "tagger2", &d, &n) == 0) {
    if (el_apm_open(&m->tagger2, d, n) != 0 || m->tagger2.nclass != m->ntags) return -1;
    m->passes = 2;
  } else {
    m->passes = 1;
  }
  if (el_apm_section(blob, len, "lemma", &m->lemma) != 0 || m->lemma.nclass > m->nlemr)
    return -1;
  if (el_apm_section(blob, len, "parser", &m->parser) != 0 ||
      m->parser.nclass != EL_PT_NCLASS(m->ndeps))
    return -1;
  for (int g = 0; g < EL_PG_N; g++) {
    uint64_t f[EL_PARSE_NFEAT];
    int nf = el_parse_group_features(g, f);
    el_apm_score(&m->parser, f, nf, m->pgroup[g]);
  }
  return 0;
}

#define EL_FIND(table, mask, key)              \
  do {                                         \
    uint64_t k_ = (key) ? (key) : 1;           \
    uint64_t i_ = k_ & (mask);                 \
    for (;;) {                                 \
      if ((table)[i_].key == k_) return &(table)[i_]; \
      if ((table)[i_].key == 0) return NULL;   \
      i_ = (i_ + 1) & (mask);                  \
    }                                          \
  } while (0)

const el_lex_ent *el_lex_find(const el_nlp *m, uint64_t key) { EL_FIND(m->lex, m->lex_mask, key); }
const el_segx_ent *el_segx_find(const el_nlp *m, uint64_t key) {
  EL_FIND(m->segx, m->segx_mask, key);
}
const el_lemx_ent *el_lemx_find(const el_nlp *m, uint64_t key) {
  EL_FIND(m->lemx, m->lemx_mask, key);
}

const char *el_nlp_upos(const el_nlp *m, int tag) {
  return tag >= 0 && tag < m->ntags ? m->tags[tag].upos : "X";
}
const char *el_nlp_xpos(const el_nlp *m, int tag) {
  return tag >= 0 && tag < m->ntags ? m->tags[tag].xpos : "_";
}
const char *el_nlp_dep_name(const el_nlp *m, int dep) {
  return dep >= 0 && dep < m->ndeps ? m->deps[dep].name : "dep";
}
int el_nlp_ntags(const el_nlp *m) { return m->ntags; }
int el_nlp_ndeps(const el_nlp *m) { return m->ndeps; }

size_t el_nlp_lemma(const el_nlp *m, const char *text, const el_nlp_word *w, char *out,
                    size_t cap) {
  static const el_lemma_rule keep = {EL_LOP_KEEP, 0, 0, {0}};
  const el_lemma_rule *r = w->lemma < m->nlemr ? &m->lemr[w->lemma] : &keep;
  return el_lemma_apply(r, (const unsigned char *)text, w->start, w->end, out, cap);
}

/* ------------------------------------------------------------------------ */
/* Work area                                                                 */

void el_nlp_sent_init(el_nlp_sent *s) { memset(s, 0, sizeof(*s)); }

void el_nlp_sent_free(el_nlp_sent *s) {
  el_free(s->w);
  el_free(s->f);
  el_free(s->tags);
  el_free(s->cand);
  el_free(s->pmem);
  el_free(s->buf);
  memset(s, 0, sizeof(*s));
}

static int el_grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 0;
  size_t ncap = *cap ? *cap : 64;
  while (ncap < need) ncap *= 2;
  void *np = el_reallocarray(*p, ncap, size);
  if (np == NULL) return -1;
  *p = np;
  *cap = ncap;
  return 0;
}

/* Room for n words. */
static int el_sent_reserve(el_nlp_sent *s, size_t n) {
  if (n <= s->cap) return 0;
  size_t ncap = s->cap ? s->cap : 64;
  while (ncap < n) ncap *= 2;
  el_nlp_word *w = el_reallocarray(s->w, ncap, sizeof(*w));
  if (w == NULL) return -1;
  s->w = w;
  el_nlp_feat *f = el_reallocarray(s->f, ncap, sizeof(*f));
  if (f == NULL) return -1;
  s->f = f;
  uint16_t *t = el_reallocarray(s->tags, 2 * ncap, sizeof(*t)); /* two passes */
  if (t == NULL) return -1;
  s->tags = t;
  s->cap = ncap;
  return 0;
}

static int el_sent_push(el_nlp_sent *s, const el_nlp_word *w) {
  if (s->n == s->cap && el_sent_reserve(s, s->n + 1) != 0) return -1;
  s->w[s->n++] = *w;
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Words                                                                     */

static int el_is_space_at(const unsigned char *z, size_t end, size_t i, size_t *len) {
  int32_t cp;
  *len = el_utf8_decode(z + i, end - i, &cp);
  return (el_uc_class(cp) & EL_CLS_MASK) == EL_CLS_SPACE;
}

/* Gap words: the non-space runs of [a, b). */
static int el_gap_words(el_nlp_sent *s, const unsigned char *z, size_t a, size_t b) {
  size_t l;
  while (a < b) {
    while (a < b && el_is_space_at(z, b, a, &l)) a += l;
    if (a >= b) break;
    size_t e = a;
    while (e < b && !el_is_space_at(z, b, e, &l)) e += l;
    el_nlp_word w;
    memset(&w, 0, sizeof(w));
    w.start = w.tstart = (uint32_t)a;
    w.end = w.tend = (uint32_t)e;
    w.tok = w.tok_last = -1;
    w.head = -1;
    w.flags = EL_NW_GAP;
    if (el_sent_push(s, &w) != 0) return -1;
    a = e;
  }
  return 0;
}

/* Build the words of the unit from the tokens and the decided candidates:
** cand[k].forced is 1 where a boundary was chosen. */
static int el_build_words(el_nlp_sent *s, const unsigned char *z, size_t len, size_t a,
                          size_t b, const el_token *tok, size_t ntok, const el_seg_cand *cand,
                          size_t nc) {
  size_t pos = a, k = 0;
  int joined_mwt = 0; /* the boundary that ended the last word joins an MWT */
  s->n = 0;
  for (size_t i = 0; i < ntok; i++) {
    const el_token *t = &tok[i];
    int merge = 0;
    if (i > 0 && tok[i - 1].end == t->start && s->n > 0 && !(s->w[s->n - 1].flags & EL_NW_GAP)) {
      /* the BETWEEN candidate at t->start decides */
      merge = 1;
      while (k < nc && cand[k].pos < t->start) k++;
      if (k < nc && cand[k].pos == t->start && cand[k].type == EL_SC_BETWEEN) {
        if (cand[k].forced == 1) {
          merge = 0;
          joined_mwt = (t->flags & EL_TF_CLITIC) != 0;
        }
        k++;
      }
    }
    if (!merge) {
      if (el_gap_words(s, z, pos, t->start) != 0) return -1;
    }
    size_t start = t->start;
    /* inside candidates of this token */
    while (k < nc && cand[k].pos <= t->start) k++;
    for (;;) {
      size_t cut = t->end;
      int mwt = 0;
      while (k < nc && cand[k].pos < t->end) {
        if (cand[k].forced == 1 && cand[k].type != EL_SC_BETWEEN) {
          cut = cand[k].pos;
          mwt = cand[k].type == EL_SC_CLITIC;
          k++;
          break;
        }
        k++;
      }
      if (merge) {
        el_nlp_word *w = &s->w[s->n - 1];
        w->end = w->tend = (uint32_t)cut;
        w->tok_last = (int32_t)i;
        merge = 0;
      } else {
        el_nlp_word w;
        memset(&w, 0, sizeof(w));
        w.start = w.tstart = (uint32_t)start;
        w.end = w.tend = (uint32_t)cut;
        w.tok = w.tok_last = (int32_t)i;
        w.head = -1;
        if (joined_mwt) w.flags |= EL_NW_MWT; /* joined to the word before */
        if (el_sent_push(s, &w) != 0) return -1;
      }
      joined_mwt = mwt;
      if (cut == t->end) break;
      start = cut;
    }
    pos = t->end;
    if (i + 1 < ntok && tok[i + 1].start != t->end) joined_mwt = 0;
  }
  if (el_gap_words(s, z, pos, b) != 0) return -1;
  /* multiword tokens: EL_NW_MWT on a word means "joined to the one before" */
  for (size_t i = 0; i < s->n;) {
    size_t j = i + 1;
    while (j < s->n && (s->w[j].flags & EL_NW_MWT)) j++;
    if (j - i > 1 && j - i < 256) {
      for (size_t q = i; q < j; q++) {
        s->w[q].flags |= EL_NW_MWT;
        s->w[q].tstart = s->w[i].start;
        s->w[q].tend = s->w[j - 1].end;
      }
      s->w[i].mwt_n = (uint8_t)(j - i);
    } else {
      for (size_t q = i; q < j; q++) s->w[q].flags &= (uint8_t)~EL_NW_MWT;
    }
    i = j;
  }
  for (size_t i = 0; i < s->n; i++) {
    size_t e = s->w[i].end, l;
    if (i + 1 < s->n ? s->w[i + 1].start == e : (e < len && !el_is_space_at(z, len, e, &l)))
      s->w[i].flags |= EL_NW_NO_SPACE;
  }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Tagging, lemmas, parsing                                                  */

static int el_buf_reserve(el_nlp_sent *s, size_t need) {
  return el_grow((void **)&s->buf, &s->buf_cap, need, 1);
}

/* One greedy pass left to right, or two when the model has a second tagger,
** which sees the first's tags of the words to the right. The final tags go
** to s->tags and each word. */
static void el_tag_words(const el_nlp *m, el_nlp_sent *s) {
  uint64_t f[EL_TAG_NFEAT];
  int32_t sc[256];
  uint16_t *first = s->tags, *second = s->tags + s->cap;
  if (m->ntags > 256) {
    for (size_t i = 0; i < s->n; i++) s->tags[i] = s->w[i].tag = 0;
    return;
  }
  if (m->passes < 2) second = first;
  for (int pass = 0; pass < m->passes; pass++) {
    uint16_t *out = pass ? second : first;
    for (size_t i = 0; i < s->n; i++) {
      if (s->f[i].single) {
        out[i] = (uint16_t)(s->f[i].single - 1);
        continue;
      }
      int nf = el_tag_features(s->f, s->n, i, out, pass ? first : NULL, f);
      el_apm_score(pass ? &m->tagger2 : &m->tagger, f, nf, sc);
      out[i] = (uint16_t)el_argmax_i32(sc, m->ntags, NULL);
    }
  }
  for (size_t i = 0; i < s->n; i++) s->tags[i] = s->w[i].tag = second[i];
}

static void el_lemmatize(const el_nlp *m, const char *text, el_nlp_sent *s) {
  uint64_t f[EL_LEM_NFEAT];
  int32_t scores[1024];
  const unsigned char *z = (const unsigned char *)text;
  for (size_t i = 0; i < s->n; i++) {
    el_nlp_word *w = &s->w[i];
    const el_lemx_ent *x = el_lemx_find(m, el_fh3(EL_LEMX_KEY, s->f[i].lower, w->tag));
    if (x) {
      w->lemma = x->rule;
      continue;
    }
    size_t len = w->end - w->start;
    if (len > 64 || m->lemma.nclass > 1024) {
      w->lemma = 0;
      continue;
    }
    size_t ll = el_nlp_lower(z, w->start, w->end, s->buf, s->buf_cap);
    int nf = el_lemma_features(s->buf, ll, w->tag, &s->f[i], f);
    el_apm_score(&m->lemma, f, nf, scores);
    w->lemma = (uint16_t)el_argmax_i32(scores, m->lemma.nclass, NULL);
  }
}

/* scores := bvec + svec (the scores of the buffer's and of the stack's
** features) + the sum of the constant groups g's scores (see el_nlp_int.h),
** four classes at a time (the compiler's generic vectors). */
typedef int32_t el_v4i __attribute__((vector_size(16)));
static inline void el_v4_add(int32_t *scores, const int32_t *v, int nc) {
  for (int c = 0; c < nc; c += 4) {
    el_v4i a, b;
    memcpy(&a, scores + c, sizeof(a));
    memcpy(&b, v + c, sizeof(b));
    a += b;
    memcpy(scores + c, &a, sizeof(a));
  }
}
static void el_parse_start(const el_nlp *m, unsigned g, const int32_t *bvec, const int32_t *svec,
                           int32_t *scores) {
  int nc = (m->parser.nclass + 3) & ~3;
  memcpy(scores, bvec, (size_t)nc * sizeof(int32_t));
  el_v4_add(scores, svec, nc);
  for (int k = 0; k < EL_PG_N; k++)
    if (g & (1u << k)) el_v4_add(scores, m->pgroup[k], nc);
}

#define EL_PVEC 132 /* a score vector of the parser: EL_PT_NCLASS(64), padded */

/* v := the scores of features f, the padding zeroed too. */
static void el_pscore(const el_nlp *m, const uint64_t *f, int nf, int32_t *v) {
  memset(v, 0, EL_PVEC * sizeof(int32_t));
  el_apm_add(&m->parser, f, nf, v);
}

static int el_parse_words(const el_nlp *m, el_nlp_sent *s) {
  int n = (int)s->n;
  /* the state, then one score vector per word: its stack features' scores,
  ** made when it is pushed (it is s0 then) */
  size_t psize = (el_pstate_size(n) + 15) & ~(size_t)15;
  if (el_grow(&s->pmem, &s->pmem_cap, psize + ((size_t)n + 1) * EL_PVEC * sizeof(int32_t), 1) != 0)
    return -1;
  el_pstate ps;
  el_pstate_init(&ps, n, s->pmem);
  int32_t *svecs = (int32_t *)(void *)((char *)s->pmem + psize);
  uint64_t f[EL_PARSE_NFEAT];
  int32_t scores[EL_PVEC], bvec[EL_PVEC];
  int nclass = m->parser.nclass, root = m->root_dep, bvec_b0 = -1, svec_sp = -1;
  while (!el_pstate_final(&ps)) {
    /* Where only one transition is allowed, the choice below makes it
    ** whatever the scores, so they are not computed: SHIFT when the stack is
    ** empty (3% of transitions on Federal Register text), LEFT with the root
    ** relation when the root alone is left in the buffer and one word on the
    ** stack (once a unit). */
    if (ps.sp == 0 || (ps.b0 == n && ps.sp == 1)) {
      svec_sp = ps.sp;
      el_pstate_apply(&ps, ps.sp == 0 ? EL_PT_SHIFT : EL_PT_LEFT(root));
      continue;
    }
    unsigned g;
    if (ps.b0 != bvec_b0) {
      int nb = el_parse_features_b(&ps, s->f, s->tags, f);
      el_pscore(m, f, nb, bvec);
      bvec_b0 = ps.b0;
    }
    int s0 = ps.stack[ps.sp - 1];
    const int32_t *svec = svecs + (size_t)s0 * EL_PVEC;
    if (ps.sp > svec_sp) { /* s0 was just pushed */
      int ns = el_parse_features_stack(&ps, s->f, s->tags, f);
      el_pscore(m, f, ns, svecs + (size_t)s0 * EL_PVEC);
    }
    svec_sp = ps.sp;
    int nf = el_parse_features_skip(&ps, s->f, s->tags, f, &g);
    el_parse_start(m, g, bvec, svec, scores);
    el_apm_add(&m->parser, f, nf, scores);
    /* the best transition allowed (el_pstate_valid, inlined), and only a
    ** LEFT from the root may carry the root relation */
    int shift_ok = ps.b0 < n, left_ok = ps.sp >= 1 && (ps.b0 < n || ps.sp == 1),
        right_ok = ps.sp >= 2, at_root = ps.b0 == n;
    int best = shift_ok ? EL_PT_SHIFT : -1;
    for (int t = 1; t < nclass; t++) {
      if (best >= 0 && scores[t] <= scores[best]) continue;
      if (!((t & 1) ? left_ok : right_ok)) continue;
      int l = (t - 1) / 2, is_root = (t & 1) && at_root;
      if ((l == root) != is_root) continue;
      best = t;
    }
    if (best < 0) best = ps.b0 < n ? EL_PT_SHIFT : ps.sp >= 2 ? EL_PT_RIGHT(0) : EL_PT_LEFT(root);
    el_pstate_apply(&ps, best);
  }
  for (int i = 0; i < n; i++) {
    s->w[i].head = ps.head[i] >= n ? -1 : ps.head[i];
    s->w[i].dep = (uint16_t)(ps.label[i] < 0 ? root : ps.label[i]);
  }
  return 0;
}

int el_nlp_analyse(const el_nlp *m, const char *text, size_t len, size_t a, size_t b,
                   const el_token *tok, size_t ntok, int what, el_nlp_sent *s) {
  const unsigned char *z = (const unsigned char *)text;
  s->n = 0;
  if (ntok > EL_NLP_MAX_TOKENS) return -1;
  el_seg_cand *cand = s->cand;
  size_t ccap = s->cand_cap;
  long nc = el_seg_candidates(m, text, tok, ntok, &cand, &ccap);
  s->cand = cand;
  s->cand_cap = ccap;
  if (nc < 0) return -1;
  uint64_t f[EL_SEG_NFEAT];
  int32_t sc[2];
  for (long k = 0; k < nc; k++) {
    if (cand[k].forced) continue;
    int nf = el_seg_features(text, tok, ntok, &cand[k], f);
    el_apm_score(&m->seg, f, nf, sc);
    cand[k].forced = sc[1] > sc[0] ? 1 : 2;
  }
  if (el_build_words(s, z, len, a, b, tok, ntok, cand, (size_t)nc) != 0) return -1;
  if (what < EL_NLP_TAG || s->n == 0) return 0;
  size_t longest = 0;
  for (size_t i = 0; i < s->n; i++)
    if (s->w[i].end - s->w[i].start > longest) longest = s->w[i].end - s->w[i].start;
  if (longest > 64) longest = 64;
  if (el_buf_reserve(s, 3 * longest + 64) != 0) return -1;
  el_word_features(m, text, s->w, s->n, s->f, s->buf, s->buf_cap);
  el_tag_words(m, s);
  el_lemmatize(m, text, s);
  if (what < EL_NLP_PARSE) return 0;
  return el_parse_words(m, s);
}

/* ------------------------------------------------------------------------ */
/* Units                                                                     */

void el_unit_init(el_unit_reader *r, const char *text, size_t len) {
  memset(r, 0, sizeof(*r));
  el_segmenter_init(&r->seg, text, len);
  r->has_pending = el_segmenter_next(&r->seg, &r->pending, &r->pending_sent);
}

int el_unit_next(el_unit_reader *r) {
  if (!r->has_pending) return 0;
  r->first += r->ntok;
  r->cont = r->ntok > 0 && r->pending_sent == r->sentence;
  r->sentence = r->pending_sent;
  r->ntok = 0;
  if (r->cap < EL_NLP_MAX_TOKENS) {
    el_token *t = el_reallocarray(r->tok, EL_NLP_MAX_TOKENS, sizeof(el_token));
    if (t == NULL) return -1;
    r->tok = t;
    r->cap = EL_NLP_MAX_TOKENS;
  }
  while (r->has_pending && r->pending_sent == r->sentence && r->ntok < EL_NLP_MAX_TOKENS) {
    r->tok[r->ntok++] = r->pending;
    r->has_pending = el_segmenter_next(&r->seg, &r->pending, &r->pending_sent);
  }
  r->last = !r->has_pending;
  return 1;
}

void el_unit_free(el_unit_reader *r) {
  el_free(r->tok);
  r->tok = NULL;
  r->cap = r->ntok = 0;
}

/* ------------------------------------------------------------------------ */
/* Token stream                                                              */

void el_nlp_stream_init(el_nlp_stream *st, const el_nlp *m, const char *text, size_t len,
                        int what) {
  memset(st, 0, sizeof(*st));
  st->m = m;
  st->text = text;
  st->len = len;
  st->what = what;
  st->root_pos = -1;
  el_unit_init(&st->r, text, len);
  el_nlp_sent_init(&st->s);
}

void el_nlp_stream_free(el_nlp_stream *st) {
  el_unit_free(&st->r);
  el_nlp_sent_free(&st->s);
  el_free(st->main);
  el_free(st->lemma);
  st->main = NULL;
  st->lemma = NULL;
}

/* Depth of word i in the unit's tree (the root is 0), memoised in depth[]
** (-1: not yet known). Trees have no cycle, so the walk ends. */
static int32_t el_word_depth(const el_nlp_word *w, int32_t *depth, int32_t i) {
  int32_t d = 0, x = i;
  while (depth[x] < 0 && w[x].head >= 0) {
    x = w[x].head;
    d++;
  }
  int32_t base = depth[x] >= 0 ? depth[x] : 0;
  if (depth[x] < 0) depth[x] = 0;
  /* second walk: fill in the path */
  int32_t total = base + d;
  for (x = i; depth[x] < 0; x = w[x].head) depth[x] = total--;
  return depth[i];
}

/* Analyse the unit just read and map its tokens to their main words: the
** word of the token nearest the root. Token-level heads then always go up
** the tree, so tokens() rows form a tree as the words do. */
static int el_stream_unit(el_nlp_stream *st) {
  el_unit_reader *r = &st->r;
  size_t b = r->tok[r->ntok - 1].end;
  if (el_nlp_analyse(st->m, st->text, st->len, r->tok[0].start, b, r->tok, r->ntok, st->what,
                     &st->s) != 0)
    return -1;
  size_t need = r->ntok > st->s.n ? r->ntok : st->s.n;
  if (el_grow((void **)&st->main, &st->main_cap, 2 * need, sizeof(int32_t)) != 0) return -1;
  int32_t *depth = st->main + need;
  const el_nlp_word *w = st->s.w;
  for (size_t i = 0; i < st->s.n; i++) depth[i] = -1;
  for (size_t t = 0; t < r->ntok; t++) st->main[t] = -1;
  for (size_t i = 0; i < st->s.n; i++) {
    if (w[i].tok < 0) continue;
    int32_t d = st->what >= EL_NLP_PARSE ? el_word_depth(w, depth, (int32_t)i) : 0;
    for (int32_t t = w[i].tok; t <= w[i].tok_last; t++) {
      int32_t cur = st->main[t];
      if (cur < 0 || d < depth[cur]) st->main[t] = (int32_t)i;
    }
  }
  /* the unit's root token: that of its highest word inside a token */
  int32_t best = -1;
  for (size_t i = 0; i < st->s.n; i++) {
    if (w[i].tok < 0) continue;
    int32_t d = st->what >= EL_NLP_PARSE ? depth[i] : 0;
    if (best < 0 || d < depth[best]) best = (int32_t)i;
  }
  st->unit_root = best >= 0 ? (long long)(r->first + (size_t)w[best].tok) : -1;
  if (!r->cont) st->root_pos = st->unit_root;
  return 0;
}

int el_nlp_stream_next(el_nlp_stream *st) {
  if (st->started && st->i + 1 < st->r.ntok) {
    st->i++;
    return 1;
  }
  long long prev_root = st->root_pos;
  int rc = el_unit_next(&st->r);
  if (rc <= 0) return rc;
  st->started = 1;
  st->i = 0;
  (void)prev_root;
  return el_stream_unit(st) == 0 ? 1 : -1;
}

const el_token *el_nlp_stream_token(const el_nlp_stream *st) { return &st->r.tok[st->i]; }
long long el_nlp_stream_position(const el_nlp_stream *st) {
  return (long long)(st->r.first + st->i);
}
size_t el_nlp_stream_sentence(const el_nlp_stream *st) { return st->r.sentence; }

const el_nlp_word *el_nlp_stream_word(const el_nlp_stream *st) {
  int32_t k = st->main[st->i];
  return k >= 0 ? &st->s.w[k] : NULL;
}

/* The head word of word k, skipping words outside every token. */
static int32_t el_token_head_word(const el_nlp_word *w, int32_t k) {
  int32_t h = w[k].head;
  while (h >= 0 && w[h].tok < 0) h = w[h].head;
  return h;
}

long long el_nlp_stream_head(const el_nlp_stream *st) {
  const el_nlp_word *w = el_nlp_stream_word(st);
  if (w == NULL) return -1;
  /* the later tokens of a word of several tokens hang from its first */
  if ((size_t)w->tok < st->i) return (long long)(st->r.first + (size_t)w->tok);
  int32_t h = el_token_head_word(st->s.w, st->main[st->i]);
  if (h >= 0) return (long long)(st->r.first + (size_t)st->s.w[h].tok);
  long long self = (long long)(st->r.first + st->i);
  if (self != st->unit_root) return st->unit_root; /* below a root outside every token */
  /* a later piece of a cut sentence hangs from the first piece's root */
  return st->r.cont && st->root_pos >= 0 && st->root_pos != self ? st->root_pos : -1;
}

const char *el_nlp_stream_dep(const el_nlp_stream *st) {
  const el_nlp_word *w = el_nlp_stream_word(st);
  if (w == NULL) return "dep";
  if ((size_t)w->tok < st->i) return "goeswith";
  if (el_token_head_word(st->s.w, st->main[st->i]) < 0 &&
      (long long)(st->r.first + st->i) == st->unit_root)
    return el_nlp_stream_head(st) >= 0 ? el_nlp_dep_name(st->m, st->m->chain_dep) : "root";
  return el_nlp_dep_name(st->m, w->head < 0 ? st->m->root_dep : w->dep);
}

long long el_nlp_stream_lemma(el_nlp_stream *st, const char **out) {
  int32_t t = (int32_t)st->i;
  size_t need = 0, o = 0;
  const el_nlp_word *w = st->s.w;
  /* the words lying in this token, in order */
  for (size_t i = 0; i < st->s.n; i++)
    if (w[i].tok >= 0 && w[i].tok <= t && w[i].tok_last >= t) need += EL_NLP_LEMMA_MAX(&w[i]) + 1;
  if (need == 0) {
    *out = "";
    return 0;
  }
  if (el_grow((void **)&st->lemma, &st->lemma_cap, need, 1) != 0) return -1;
  for (size_t i = 0; i < st->s.n; i++) {
    if (!(w[i].tok >= 0 && w[i].tok <= t && w[i].tok_last >= t)) continue;
    if (o) st->lemma[o++] = ' ';
    o += el_nlp_lemma(st->m, st->text, &w[i], st->lemma + o, st->lemma_cap - o);
  }
  *out = st->lemma;
  return (long long)o;
}
