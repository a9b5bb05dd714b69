/*
** The dependency parser's transition system and features (see el_nlp_int.h).
**
** Arc-hybrid (Kuhlmann, Gomez-Rodriguez and Satta 2011) with the root at the
** end of the buffer (Ballesteros and Nivre 2013): SHIFT moves the front of the
** buffer b0 onto the stack; LEFT(l) makes b0 the head of the stack's top s0
** and pops it; RIGHT(l) makes s1 the head of s0 and pops it. Only one word
** may attach to the root, and the parse ends with an empty stack and the root
** alone in the buffer, so every sentence gets exactly one tree: one root, no
** cycles, every word attached. The work is linear: 2n transitions.
*/
#include <string.h>

#include "el_nlp_int.h"

static size_t el_align8(size_t n) { return (n + 7) & ~(size_t)7; }

size_t el_pstate_size(int n) {
  size_t w = (size_t)n + 1;
  return el_align8(w * sizeof(int)) * 10 + 2 * w * sizeof(uint64_t);
}

void el_pstate_init(el_pstate *s, int n, void *mem) {
  size_t w = (size_t)n + 1, step = el_align8(w * sizeof(int));
  char *p = mem;
  s->n = n;
  s->stack = (int *)p; p += step;
  s->head = (int *)p; p += step;
  s->label = (int *)p; p += step;
  s->lc1 = (int *)p; p += step;
  s->lc2 = (int *)p; p += step;
  s->rc1 = (int *)p; p += step;
  s->rc2 = (int *)p; p += step;
  s->nl = (int *)p; p += step;
  s->nr = (int *)p; p += step;
  p += step; /* spare */
  s->lset = (uint64_t *)p; p += w * sizeof(uint64_t);
  s->rset = (uint64_t *)p;
  for (size_t i = 0; i < w; i++) {
    s->head[i] = -1;
    s->label[i] = -1;
    s->lc1[i] = s->lc2[i] = s->rc1[i] = s->rc2[i] = -1;
    s->nl[i] = s->nr[i] = 0;
    s->lset[i] = s->rset[i] = 0;
  }
  s->sp = 0;
  s->b0 = 0;
}

int el_pstate_valid(const el_pstate *s, int t) {
  if (t == EL_PT_SHIFT) return s->b0 < s->n;
  if (t & 1) /* LEFT */
    return s->sp >= 1 && (s->b0 < s->n || s->sp == 1);
  return s->sp >= 2; /* RIGHT */
}

static void el_add_arc(el_pstate *s, int h, int d, int l) {
  s->head[d] = h;
  s->label[d] = l;
  uint64_t bit = l < 64 ? (uint64_t)1 << l : 0;
  if (d < h) {
    if (s->lc1[h] < 0 || d < s->lc1[h]) {
      s->lc2[h] = s->lc1[h];
      s->lc1[h] = d;
    } else if (s->lc2[h] < 0 || d < s->lc2[h]) {
      s->lc2[h] = d;
    }
    s->nl[h]++;
    s->lset[h] |= bit;
  } else {
    if (s->rc1[h] < 0 || d > s->rc1[h]) {
      s->rc2[h] = s->rc1[h];
      s->rc1[h] = d;
    } else if (s->rc2[h] < 0 || d > s->rc2[h]) {
      s->rc2[h] = d;
    }
    s->nr[h]++;
    s->rset[h] |= bit;
  }
}

void el_pstate_apply(el_pstate *s, int t) {
  if (t == EL_PT_SHIFT) {
    s->stack[s->sp++] = s->b0++;
  } else if (t & 1) {
    int s0 = s->stack[--s->sp];
    el_add_arc(s, s->b0, s0, (t - 1) / 2);
  } else {
    int s0 = s->stack[--s->sp];
    el_add_arc(s, s->stack[s->sp - 1], s0, (t - 2) / 2);
  }
}

int el_pstate_final(const el_pstate *s) { return s->sp == 0 && s->b0 >= s->n; }

/* Template ids of the parser's features. */
enum {
  P_S0W = 1, P_S0P, P_S0WP, P_S1W, P_S1P, P_S1WP, P_B0W, P_B0P, P_B0WP, P_B1W, P_B1P, P_B1WP,
  P_B2W, P_B2P, P_S2P, P_S0WPB0WP, P_S0WPB0W, P_S0WB0WP, P_S0WPB0P, P_S0PB0WP, P_S0WB0W,
  P_S0PB0P, P_B0PB1P, P_B0PB1PB2P, P_S0PB0PB1P, P_S1PS0PB0P, P_S2PS1PS0P, P_S1PS0P,
  P_S1WS0W, P_S1PS0WP, P_S1WPS0P, P_S0WD, P_S0PD, P_B0WD, P_B0PD, P_S0WB0WD, P_S0PB0PD,
  P_S1PS0PD, P_S0WVR, P_S0PVR, P_S0WVL, P_S0PVL, P_B0WVL, P_B0PVL, P_S1PVR, P_S0LW, P_S0LP,
  P_S0LL, P_S0RW, P_S0RP, P_S0RL, P_B0LW, P_B0LP, P_B0LL, P_S0L2P, P_S0L2L, P_S0R2P,
  P_S0R2L, P_B0L2P, P_B0L2L, P_S1RP, P_S1RL, P_S1LP, P_S0PS0LPB0P, P_S0PS0RPB0P,
  P_S0PB0PB0LP, P_S0PS0LPS0L2P, P_S0PS0RPS0R2P, P_B0PB0LPB0L2P, P_S1PS1RPS0P, P_S0PRSET,
  P_S0PLSET, P_B0PLSET, P_S0C, P_B0C, P_S1C, P_B1C, P_S0CB0P, P_S0PB0C, P_S0CB0C, P_S1CS0P,
  P_S0WB1P, P_B0WB1W
};

#define EL_NONE 0x4e4f4e45ULL  /* no word at this position */
#define EL_ROOTW 0x524f4f54ULL /* the root */
#define EL_TNONE 0xFFFDu
#define EL_TROOT 0xFFFEu

static inline int el_dist_bucket(int d) {
  if (d < 0) d = -d;
  if (d <= 4) return d;
  if (d <= 7) return 5;
  if (d <= 12) return 6;
  return 7;
}

/* The features of the buffer's words alone (b0, b1, b2): the same while b0
** is (el_parse_features_skip leaves them out, el_parse_features_b gives
** them). */
#define EL_BF_B0W el_fh2(P_B0W, b0w)
#define EL_BF_B0P el_fh2(P_B0P, b0p)
#define EL_BF_B0WP el_fh3(P_B0WP, b0w, b0p)
#define EL_BF_B1W el_fh2(P_B1W, b1w)
#define EL_BF_B1P el_fh2(P_B1P, b1p)
#define EL_BF_B1WP el_fh3(P_B1WP, b1w, b1p)
#define EL_BF_B2W el_fh2(P_B2W, W(b2))
#define EL_BF_B2P el_fh2(P_B2P, b2p)
#define EL_BF_B0PB1P el_fh3(P_B0PB1P, b0p, b1p)
#define EL_BF_B0PB1PB2P el_fh4(P_B0PB1PB2P, b0p, b1p, b2p)
#define EL_BF_B0C el_fh2(P_B0C, C(b0))
#define EL_BF_B1C el_fh2(P_B1C, C(b1))
#define EL_BF_B0WB1W el_fh3(P_B0WB1W, b0w, b1w)

/* The features of the stack's words alone (s0, s1, s2), s0's left children
** and s1's children: the same while s0 is on the stack. The words under it
** cannot change until it goes; only b0 takes left children (s0's are final
** once it is pushed); and s1 takes a right child only when s0 goes. Nor can
** s1's left children change. (el_parse_features_skip leaves them out,
** el_parse_features_stack gives them.) */
#define EL_SF_S0W el_fh2(P_S0W, s0w)
#define EL_SF_S0P el_fh2(P_S0P, s0p)
#define EL_SF_S0WP el_fh3(P_S0WP, s0w, s0p)
#define EL_SF_S1W el_fh2(P_S1W, s1w)
#define EL_SF_S1P el_fh2(P_S1P, s1p)
#define EL_SF_S1WP el_fh3(P_S1WP, s1w, s1p)
#define EL_SF_S2P el_fh2(P_S2P, P(s2))
#define EL_SF_S2PS1PS0P el_fh4(P_S2PS1PS0P, P(s2), s1p, s0p)
#define EL_SF_S1PS0P el_fh3(P_S1PS0P, s1p, s0p)
#define EL_SF_S1WS0W el_fh3(P_S1WS0W, s1w, s0w)
#define EL_SF_S1PS0WP el_fh4(P_S1PS0WP, s1p, s0w, s0p)
#define EL_SF_S1WPS0P el_fh4(P_S1WPS0P, s1w, s1p, s0p)
#define EL_SF_S1PS0PD el_fh4(P_S1PS0PD, s1p, s0p, d1)
#define EL_SF_S0C el_fh2(P_S0C, C(s0))
#define EL_SF_S1C el_fh2(P_S1C, C(s1))
#define EL_SF_S1CS0P el_fh3(P_S1CS0P, C(s1), s0p)
#define EL_SF_S0WVL el_fh3(P_S0WVL, s0w, s0vl)
#define EL_SF_S0PVL el_fh3(P_S0PVL, s0p, s0vl)
#define EL_SF_S1PVR el_fh3(P_S1PVR, s1p, s1vr)
#define EL_SF_S0LW el_fh2(P_S0LW, W(s0l))
#define EL_SF_S0LP el_fh2(P_S0LP, P(s0l))
#define EL_SF_S0LL el_fh2(P_S0LL, L(s0l))
#define EL_SF_S0L2P el_fh2(P_S0L2P, P(s0l2))
#define EL_SF_S0L2L el_fh2(P_S0L2L, L(s0l2))
#define EL_SF_S1RP el_fh3(P_S1RP, P(s1r), s0p)
#define EL_SF_S1RL el_fh3(P_S1RL, L(s1r), s0p)
#define EL_SF_S1LP el_fh3(P_S1LP, P(s1l), s1p)
#define EL_SF_S0PS0LPS0L2P el_fh4(P_S0PS0LPS0L2P, s0p, P(s0l), P(s0l2))
#define EL_SF_S1PS1RPS0P el_fh4(P_S1PS1RPS0P, s1p, P(s1r), s0p)
#define EL_SF_S0PLSET el_fh3(P_S0PLSET, s0p, s0 >= 0 ? s->lset[s0] : 0)

/* skip == 0: every feature, in the trainer's order. skip == 1: without the
** features of the groups constant in this state (or, force != 0, of the
** groups in force), whose bits go to *groups, and without the buffer's
** (EL_BF_*) and the stack's (EL_SF_*). skip == 2: the buffer's only;
** skip == 3: the stack's only. */
static inline int el_parse_feats(const el_pstate *s, const el_nlp_feat *f, const uint16_t *tags,
                                 uint64_t *o, int skip, unsigned force, unsigned *groups) {
  int n = s->n, k = 0;
  int s0 = s->sp > 0 ? s->stack[s->sp - 1] : -1;
  int s1 = s->sp > 1 ? s->stack[s->sp - 2] : -1;
  int s2 = s->sp > 2 ? s->stack[s->sp - 3] : -1;
  int b0 = s->b0 <= n ? s->b0 : -1;
  int b1 = b0 >= 0 && b0 + 1 <= n ? b0 + 1 : -1;
  int b2 = b1 >= 0 && b1 + 1 <= n ? b1 + 1 : -1;
#define W(x) ((x) < 0 ? EL_NONE : (x) == n ? EL_ROOTW : f[x].lower)
#define P(x) ((uint64_t)((x) < 0 ? EL_TNONE : (x) == n ? EL_TROOT : tags[x]))
#define C(x) ((uint64_t)((x) < 0 || (x) == n ? 0 : f[x].cluster & 0xFFFF))
#define L(x) ((uint64_t)((x) < 0 ? 0xFFFF : (uint64_t)s->label[x]))
  uint64_t s0w = W(s0), s0p = P(s0), s1w = W(s1), s1p = P(s1), b0w = W(b0), b0p = P(b0);
  uint64_t b1w = W(b1), b1p = P(b1), b2p = P(b2);
  int s0l = s0 >= 0 ? s->lc1[s0] : -1, s0r = s0 >= 0 ? s->rc1[s0] : -1;
  int b0l = b0 >= 0 ? s->lc1[b0] : -1;
  int s0l2 = s0 >= 0 ? s->lc2[s0] : -1, s0r2 = s0 >= 0 ? s->rc2[s0] : -1;
  int b0l2 = b0 >= 0 ? s->lc2[b0] : -1;
  int s1r = s1 >= 0 ? s->rc1[s1] : -1, s1l = s1 >= 0 ? s->lc1[s1] : -1;
  uint64_t d = s0 >= 0 && b0 >= 0 ? (uint64_t)el_dist_bucket(b0 - s0) : 99;
  uint64_t d1 = s0 >= 0 && s1 >= 0 ? (uint64_t)el_dist_bucket(s0 - s1) : 99;
  uint64_t s0vr = s0 >= 0 ? (uint64_t)s->nr[s0] : 99, s0vl = s0 >= 0 ? (uint64_t)s->nl[s0] : 99;
  uint64_t b0vl = b0 >= 0 ? (uint64_t)s->nl[b0] : 99, s1vr = s1 >= 0 ? (uint64_t)s->nr[s1] : 99;
  unsigned g = 0;
  if (skip && force) {
    g = force;
  } else if (skip) {
    g |= (unsigned)(s0l < 0) << EL_PG_S0L | (unsigned)(s0l2 < 0) << EL_PG_S0L2;
    g |= (unsigned)(s0r < 0) << EL_PG_S0R | (unsigned)(s0r2 < 0) << EL_PG_S0R2;
    g |= (unsigned)(b0l < 0) << EL_PG_B0L | (unsigned)(b0l2 < 0) << EL_PG_B0L2;
    g |= (unsigned)(s1 < 0) << EL_PG_S1 | (unsigned)(s2 < 0) << EL_PG_S2;
  }
  if (groups) *groups = g;
  if (skip == 2) {
    o[k++] = EL_BF_B0W;
    o[k++] = EL_BF_B0P;
    o[k++] = EL_BF_B0WP;
    o[k++] = EL_BF_B1W;
    o[k++] = EL_BF_B1P;
    o[k++] = EL_BF_B1WP;
    o[k++] = EL_BF_B2W;
    o[k++] = EL_BF_B2P;
    o[k++] = EL_BF_B0PB1P;
    o[k++] = EL_BF_B0PB1PB2P;
    o[k++] = EL_BF_B0C;
    o[k++] = EL_BF_B1C;
    o[k++] = EL_BF_B0WB1W;
    return k;
  }
  if (skip == 3) {
    o[k++] = EL_SF_S0W;
    o[k++] = EL_SF_S0P;
    o[k++] = EL_SF_S0WP;
    o[k++] = EL_SF_S1W;
    o[k++] = EL_SF_S1P;
    o[k++] = EL_SF_S1WP;
    o[k++] = EL_SF_S2P;
    o[k++] = EL_SF_S2PS1PS0P;
    o[k++] = EL_SF_S1PS0P;
    o[k++] = EL_SF_S1WS0W;
    o[k++] = EL_SF_S1PS0WP;
    o[k++] = EL_SF_S1WPS0P;
    o[k++] = EL_SF_S1PS0PD;
    o[k++] = EL_SF_S0C;
    o[k++] = EL_SF_S1C;
    o[k++] = EL_SF_S1CS0P;
    o[k++] = EL_SF_S0WVL;
    o[k++] = EL_SF_S0PVL;
    o[k++] = EL_SF_S1PVR;
    o[k++] = EL_SF_S0LW;
    o[k++] = EL_SF_S0LP;
    o[k++] = EL_SF_S0LL;
    o[k++] = EL_SF_S0L2P;
    o[k++] = EL_SF_S0L2L;
    o[k++] = EL_SF_S1RP;
    o[k++] = EL_SF_S1RL;
    o[k++] = EL_SF_S1LP;
    o[k++] = EL_SF_S0PS0LPS0L2P;
    o[k++] = EL_SF_S1PS1RPS0P;
    o[k++] = EL_SF_S0PLSET;
    return k;
  }
#define G(grp) if (!(g & (1u << (grp))))
#define NB if (!skip)
#define NS if (!skip)

  NS o[k++] = EL_SF_S0W;
  NS o[k++] = EL_SF_S0P;
  NS o[k++] = EL_SF_S0WP;
  NS G(EL_PG_S1) o[k++] = EL_SF_S1W;
  NS G(EL_PG_S1) o[k++] = EL_SF_S1P;
  NS G(EL_PG_S1) o[k++] = EL_SF_S1WP;
  NB o[k++] = EL_BF_B0W;
  NB o[k++] = EL_BF_B0P;
  NB o[k++] = EL_BF_B0WP;
  NB o[k++] = EL_BF_B1W;
  NB o[k++] = EL_BF_B1P;
  NB o[k++] = EL_BF_B1WP;
  NB o[k++] = EL_BF_B2W;
  NB o[k++] = EL_BF_B2P;
  NS G(EL_PG_S2) o[k++] = EL_SF_S2P;
  o[k++] = el_fh5(P_S0WPB0WP, s0w, s0p, b0w, b0p);
  o[k++] = el_fh4(P_S0WPB0W, s0w, s0p, b0w);
  o[k++] = el_fh4(P_S0WB0WP, s0w, b0w, b0p);
  o[k++] = el_fh4(P_S0WPB0P, s0w, s0p, b0p);
  o[k++] = el_fh4(P_S0PB0WP, s0p, b0w, b0p);
  o[k++] = el_fh3(P_S0WB0W, s0w, b0w);
  o[k++] = el_fh3(P_S0PB0P, s0p, b0p);
  NB o[k++] = EL_BF_B0PB1P;
  NB o[k++] = EL_BF_B0PB1PB2P;
  o[k++] = el_fh4(P_S0PB0PB1P, s0p, b0p, b1p);
  o[k++] = el_fh4(P_S1PS0PB0P, s1p, s0p, b0p);
  NS o[k++] = EL_SF_S2PS1PS0P;
  NS o[k++] = EL_SF_S1PS0P;
  NS o[k++] = EL_SF_S1WS0W;
  NS o[k++] = EL_SF_S1PS0WP;
  NS o[k++] = EL_SF_S1WPS0P;
  o[k++] = el_fh3(P_S0WD, s0w, d);
  o[k++] = el_fh3(P_S0PD, s0p, d);
  o[k++] = el_fh3(P_B0WD, b0w, d);
  o[k++] = el_fh3(P_B0PD, b0p, d);
  o[k++] = el_fh4(P_S0WB0WD, s0w, b0w, d);
  o[k++] = el_fh4(P_S0PB0PD, s0p, b0p, d);
  NS o[k++] = EL_SF_S1PS0PD;
  o[k++] = el_fh3(P_S0WVR, s0w, s0vr);
  o[k++] = el_fh3(P_S0PVR, s0p, s0vr);
  NS o[k++] = EL_SF_S0WVL;
  NS o[k++] = EL_SF_S0PVL;
  o[k++] = el_fh3(P_B0WVL, b0w, b0vl);
  o[k++] = el_fh3(P_B0PVL, b0p, b0vl);
  NS G(EL_PG_S1) o[k++] = EL_SF_S1PVR;
  NS G(EL_PG_S0L) o[k++] = EL_SF_S0LW;
  NS G(EL_PG_S0L) o[k++] = EL_SF_S0LP;
  NS G(EL_PG_S0L) o[k++] = EL_SF_S0LL;
  G(EL_PG_S0R) o[k++] = el_fh2(P_S0RW, W(s0r));
  G(EL_PG_S0R) o[k++] = el_fh2(P_S0RP, P(s0r));
  G(EL_PG_S0R) o[k++] = el_fh2(P_S0RL, L(s0r));
  G(EL_PG_B0L) o[k++] = el_fh2(P_B0LW, W(b0l));
  G(EL_PG_B0L) o[k++] = el_fh2(P_B0LP, P(b0l));
  G(EL_PG_B0L) o[k++] = el_fh2(P_B0LL, L(b0l));
  NS G(EL_PG_S0L2) o[k++] = EL_SF_S0L2P;
  NS G(EL_PG_S0L2) o[k++] = EL_SF_S0L2L;
  G(EL_PG_S0R2) o[k++] = el_fh2(P_S0R2P, P(s0r2));
  G(EL_PG_S0R2) o[k++] = el_fh2(P_S0R2L, L(s0r2));
  G(EL_PG_B0L2) o[k++] = el_fh2(P_B0L2P, P(b0l2));
  G(EL_PG_B0L2) o[k++] = el_fh2(P_B0L2L, L(b0l2));
  NS o[k++] = EL_SF_S1RP;
  NS o[k++] = EL_SF_S1RL;
  NS G(EL_PG_S1) o[k++] = EL_SF_S1LP;
  o[k++] = el_fh4(P_S0PS0LPB0P, s0p, P(s0l), b0p);
  o[k++] = el_fh4(P_S0PS0RPB0P, s0p, P(s0r), b0p);
  o[k++] = el_fh4(P_S0PB0PB0LP, s0p, b0p, P(b0l));
  NS o[k++] = EL_SF_S0PS0LPS0L2P;
  o[k++] = el_fh4(P_S0PS0RPS0R2P, s0p, P(s0r), P(s0r2));
  o[k++] = el_fh4(P_B0PB0LPB0L2P, b0p, P(b0l), P(b0l2));
  NS o[k++] = EL_SF_S1PS1RPS0P;
  o[k++] = el_fh3(P_S0PRSET, s0p, s0 >= 0 ? s->rset[s0] : 0);
  NS o[k++] = EL_SF_S0PLSET;
  o[k++] = el_fh3(P_B0PLSET, b0p, b0 >= 0 ? s->lset[b0] : 0);
  NS o[k++] = EL_SF_S0C;
  NB o[k++] = EL_BF_B0C;
  NS G(EL_PG_S1) o[k++] = EL_SF_S1C;
  NB o[k++] = EL_BF_B1C;
  o[k++] = el_fh3(P_S0CB0P, C(s0), b0p);
  o[k++] = el_fh3(P_S0PB0C, s0p, C(b0));
  o[k++] = el_fh3(P_S0CB0C, C(s0), C(b0));
  NS o[k++] = EL_SF_S1CS0P;
  o[k++] = el_fh3(P_S0WB1P, s0w, b1p);
  NB o[k++] = EL_BF_B0WB1W;
#undef W
#undef P
#undef C
#undef L
#undef G
#undef NB
#undef NS
  return k;
}

int el_parse_features(const el_pstate *s, const el_nlp_feat *f, const uint16_t *tags,
                      uint64_t *o) {
  return el_parse_feats(s, f, tags, o, 0, 0, NULL);
}

int el_parse_features_skip(const el_pstate *s, const el_nlp_feat *f, const uint16_t *tags,
                           uint64_t *o, unsigned *groups) {
  return el_parse_feats(s, f, tags, o, 1, 0, groups);
}

int el_parse_features_b(const el_pstate *s, const el_nlp_feat *f, const uint16_t *tags,
                        uint64_t *o) {
  return el_parse_feats(s, f, tags, o, 2, 0, NULL);
}

int el_parse_features_stack(const el_pstate *s, const el_nlp_feat *f, const uint16_t *tags,
                            uint64_t *o) {
  return el_parse_feats(s, f, tags, o, 3, 0, NULL);
}

/* The constant features of group grp: in a state where every group is
** constant (one word alone on the stack, without children, and the root as
** b0), every feature minus every feature but those of the group, minus the
** buffer's and the stack's. */
int el_parse_group_features(int grp, uint64_t *o) {
  int stack[2] = {0, 0}, head[2] = {-1, -1}, label[2] = {-1, -1}, none[2] = {-1, -1},
      zero[2] = {0, 0};
  uint64_t set[2] = {0, 0};
  el_nlp_feat f[2];
  uint16_t tags[2] = {0, 0};
  memset(f, 0, sizeof(f));
  el_pstate s = {.n = 1, .stack = stack, .sp = 1, .b0 = 1, .head = head, .label = label,
                 .lc1 = none, .lc2 = none, .rc1 = none, .rc2 = none, .nl = zero, .nr = zero,
                 .lset = set, .rset = set};
  uint64_t all[EL_PARSE_NFEAT], kept[EL_PARSE_NFEAT];
  unsigned g;
  el_parse_feats(&s, f, tags, kept, 1, 0, &g);
  if (grp < 0 || grp >= EL_PG_N || !(g & (1u << grp))) return 0;
  int na = el_parse_feats(&s, f, tags, all, 0, 0, NULL);
  int nk = el_parse_feats(&s, f, tags, kept, 1, 1u << grp, NULL);
  int k = 0, j = 0;
  for (int i = 0; i < na; i++) {
    if (j < nk && all[i] == kept[j])
      j++;
    else
      o[k++] = all[i];
  }
  /* the skipped features also hold the buffer's and the stack's: take them
  ** out */
  for (int mode = 2; mode <= 3; mode++) {
    int nb = el_parse_feats(&s, f, tags, kept, mode, 0, NULL);
    for (int b = 0; b < nb; b++) {
      for (int i = 0; i < k; i++) {
        if (o[i] != kept[b]) continue;
        o[i] = o[--k];
        break;
      }
    }
  }
  return k;
}
