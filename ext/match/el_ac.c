/*
** Aho-Corasick over byte classes, compiled to a full DFA (see el_ac.h).
**
** Build: a trie over the class alphabet, then a breadth-first pass fills
** every missing transition from the failure state, so scanning is one table
** look-up per byte. States are renumbered so that every state at which some
** pattern ends sits at or above a threshold: the hot loop tests one compare.
** The table holds premultiplied state offsets (state * classes).
*/
#include "../common/el_alloc.h"
#include "el_ac.h"

#include <stdlib.h>
#include <string.h>

#include "el_unicode.h"

#define NONE UINT32_MAX

typedef struct el_ac_pat {
  uint32_t off, len; /* into the builder's / automaton's byte pool */
  uint32_t id;
  uint8_t flags;
} el_ac_pat;

struct el_ac_builder {
  el_ac_pat *pats;
  size_t npats, cap;
  char *pool;
  size_t pool_len, pool_cap;
  size_t dense_max; /* 0: EL_AC_DENSE_MAX */
};

struct el_ac {
  uint8_t cls[256];
  uint32_t ncls;
  uint32_t nstates;
  uint32_t threshold;   /* premultiplied: states >= it have outputs */
  uint32_t dead;        /* premultiplied DEAD state (word-start mode), or NONE */
  uint8_t wordb[256];   /* ASCII letters and digits */
  uint32_t *delta;      /* nstates * ncls, premultiplied targets */
  uint32_t *own;        /* per state: first pattern ending here, or NONE */
  uint32_t *dict;       /* per state: next state (not premultiplied) with outputs, or NONE */
  uint32_t *pat_next;   /* per pattern: next pattern ending at the same state */
  el_ac_pat *pats;
  size_t npats;
  char *pool;
  uint32_t ws_cls;      /* the white-space class, or 0 when no pattern has a space */
  /* the compact form (compact = 1): sparse edges and failure links */
  int compact;
  uint32_t root[256];   /* ROOT's transitions by class */
  uint32_t *estart;     /* per state: first edge; nstates + 1 entries */
  uint8_t *elab;        /* per edge: class, ascending within a state */
  uint32_t *eto;        /* per edge: target state */
  uint32_t *fail;       /* per state: failure link */
  uint8_t *spaced;      /* bit per state: reached by a space (loops on white space) */
};

static int el_is_ws(unsigned c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static unsigned el_fold(unsigned c) {
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int el_ascii_word(unsigned c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int el_cp_word(int32_t cp) {
  unsigned k = el_uc_class(cp) & EL_CLS_MASK;
  return k == EL_CLS_LETTER || k == EL_CLS_DIGIT;
}

int el_word_before(const unsigned char *z, size_t i) {
  if (i == 0) return 0;
  unsigned c = z[i - 1];
  if (c < 0x80) return el_ascii_word(c);
  size_t j = i - 1, back = 0;
  while (j > 0 && (z[j] & 0xC0) == 0x80 && back < 3) {
    j--;
    back++;
  }
  if (z[j] < 0xC0) return 0;
  int32_t cp;
  size_t len = el_utf8_decode(z + j, i - j, &cp);
  if (j + len != i) return 0;
  return el_cp_word(cp);
}

int el_word_at(const unsigned char *z, size_t n, size_t i) {
  if (i >= n) return 0;
  unsigned c = z[i];
  if (c < 0x80) return el_ascii_word(c);
  int32_t cp;
  el_utf8_decode(z + i, n - i, &cp);
  return el_cp_word(cp);
}

el_ac_builder *el_ac_builder_new(void) {
  el_ac_builder *b = el_calloc(1, sizeof(*b));
  return b;
}

void el_ac_builder_free(el_ac_builder *b) {
  if (!b) return;
  el_free(b->pats);
  el_free(b->pool);
  el_free(b);
}

int el_ac_add(el_ac_builder *b, const char *pat, size_t len, uint32_t id, unsigned flags) {
  if (len > EL_AC_MAX_PATTERN) return EL_AC_TOOBIG;
  if (b->npats == b->cap) {
    size_t ncap = b->cap ? b->cap * 2 : 64;
    el_ac_pat *np = el_realloc(b->pats, ncap * sizeof(*np));
    if (!np) return EL_AC_NOMEM;
    b->pats = np;
    b->cap = ncap;
  }
  if (b->pool_len + len + 1 > b->pool_cap) {
    size_t ncap = b->pool_cap ? b->pool_cap * 2 : 4096;
    while (ncap < b->pool_len + len + 1) ncap *= 2;
    char *np = el_realloc(b->pool, ncap);
    if (!np) return EL_AC_NOMEM;
    b->pool = np;
    b->pool_cap = ncap;
  }
  /* copy with white space collapsed and trimmed */
  char *out = b->pool + b->pool_len;
  size_t o = 0;
  int pending_space = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned c = (unsigned char)pat[i];
    if (el_is_ws(c)) {
      pending_space = o > 0;
      continue;
    }
    if (pending_space) out[o++] = ' ';
    pending_space = 0;
    out[o++] = (char)c;
  }
  if (o == 0) return EL_AC_EMPTY;
  el_ac_pat *p = &b->pats[b->npats++];
  p->off = (uint32_t)b->pool_len;
  p->len = (uint32_t)o;
  p->id = id;
  p->flags = (uint8_t)flags;
  b->pool_len += o;
  return EL_AC_OK;
}

void el_ac_free(el_ac *ac) {
  if (!ac) return;
  el_free(ac->delta);
  el_free(ac->own);
  el_free(ac->dict);
  el_free(ac->pat_next);
  el_free(ac->pats);
  el_free(ac->pool);
  el_free(ac->estart);
  el_free(ac->elab);
  el_free(ac->eto);
  el_free(ac->fail);
  el_free(ac->spaced);
  el_free(ac);
}

size_t el_ac_states(const el_ac *ac) { return ac->nstates; }
size_t el_ac_classes(const el_ac *ac) { return ac->ncls; }
int el_ac_is_compact(const el_ac *ac) { return ac->compact; }
size_t el_ac_memory(const el_ac *ac) {
  size_t per_state = ac->compact ? 4 + 1 + 4 + 4 + 4 + 4 : (size_t)ac->ncls * 4 + 8;
  return (size_t)ac->nstates * per_state + ac->npats * 20;
}

void el_ac_builder_dense_max(el_ac_builder *b, size_t bytes) { b->dense_max = bytes; }

/*
** Word-start mode. When every pattern that begins with a word character
** (ASCII letter or digit) needs a word boundary before it, a match can only
** start after a non-word byte. The automaton then follows only suffixes that
** start at such positions: a failure link goes to the longest proper suffix
** that starts after a non-word byte (or with one), else to ROOT when the last
** byte read is a non-word byte, else to DEAD ("inside a word, nothing
** pending"). DEAD loops on word bytes, which the scanner skips in a tight
** loop. Non-ASCII bytes count as non-word here (a superset of the positions
** the exact, Unicode-aware boundary check then accepts). The compact form
** does without it (a plain Aho-Corasick finds a superset; the boundary
** checks at report time keep the same matches).
**
** Build: a sparse trie first (first child / next sibling), sized by the
** patterns' bytes. When its states times the classes fit EL_AC_DENSE_MAX
** bytes it becomes the full DFA; otherwise it stays sparse, with failure
** links (about 17 bytes per state, whatever the alphabet).
*/
static uint32_t el_sp_child(const uint32_t *child, const uint32_t *sib, const uint8_t *lab,
                            uint32_t s, unsigned c) {
  for (uint32_t t = child[s]; t != NONE; t = sib[t])
    if (lab[t] == c) return t;
  return NONE;
}

/* The compact automaton's transition: the trie edge, else the white-space
** self-loop of a state reached by a space, else the failure link's. */
static uint32_t el_cp_step(const el_ac *ac, uint32_t s, unsigned c) {
  for (;;) {
    if (s == 0) return ac->root[c];
    uint32_t lo = ac->estart[s], hi = ac->estart[s + 1];
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      if (ac->elab[mid] < c) lo = mid + 1;
      else hi = mid;
    }
    if (lo < ac->estart[s + 1] && ac->elab[lo] == c) return ac->eto[lo];
    if (c == ac->ws_cls && ac->ws_cls != 0 && (ac->spaced[s >> 3] >> (s & 7) & 1)) return s;
    s = ac->fail[s];
  }
}

static int el_ac_compact(el_ac *ac, uint32_t nstates, const uint32_t *child, const uint32_t *sib,
                         const uint8_t *lab, const uint8_t *spaced, uint32_t *own) {
  uint32_t *queue = NULL;
  int rc = EL_AC_NOMEM;
  ac->compact = 1;
  ac->nstates = nstates;
  ac->estart = el_malloc(((size_t)nstates + 1) * sizeof(uint32_t));
  ac->elab = el_malloc(nstates);
  ac->eto = el_malloc((size_t)nstates * sizeof(uint32_t));
  ac->fail = el_malloc((size_t)nstates * sizeof(uint32_t));
  ac->dict = el_malloc((size_t)nstates * sizeof(uint32_t));
  ac->spaced = el_calloc((size_t)nstates / 8 + 1, 1);
  queue = el_malloc((size_t)nstates * sizeof(uint32_t));
  if (!ac->estart || !ac->elab || !ac->eto || !ac->fail || !ac->dict || !ac->spaced || !queue)
    goto done;
  ac->own = own;
  /* edges sorted by class: a state's children, smallest class first */
  uint32_t e = 0;
  for (uint32_t s = 0; s < nstates; s++) {
    ac->estart[s] = e;
    for (uint32_t t = child[s]; t != NONE; t = sib[t]) {
      uint32_t k = e++; /* insertion sort: sibling lists are short */
      while (k > ac->estart[s] && ac->elab[k - 1] > lab[t]) {
        ac->elab[k] = ac->elab[k - 1];
        ac->eto[k] = ac->eto[k - 1];
        k--;
      }
      ac->elab[k] = lab[t];
      ac->eto[k] = t;
    }
    if (spaced[s]) ac->spaced[s >> 3] |= (uint8_t)(1u << (s & 7));
  }
  ac->estart[nstates] = e;
  for (unsigned c = 0; c < 256; c++) ac->root[c] = 0;
  for (uint32_t k = ac->estart[0]; k < ac->estart[1]; k++) ac->root[ac->elab[k]] = ac->eto[k];
  /* failure and dictionary links, breadth first (DEAD, unused here, too) */
  for (uint32_t s = 0; s < nstates; s++) {
    ac->fail[s] = 0;
    ac->dict[s] = NONE;
  }
  size_t qh = 0, qt = 0;
  ac->fail[0] = 0;
  ac->dict[0] = NONE;
  for (uint32_t k = ac->estart[0]; k < ac->estart[1]; k++) {
    uint32_t v = ac->eto[k];
    ac->fail[v] = 0;
    ac->dict[v] = NONE;
    queue[qt++] = v;
  }
  while (qh < qt) {
    uint32_t u = queue[qh++];
    for (uint32_t k = ac->estart[u]; k < ac->estart[u + 1]; k++) {
      uint32_t v = ac->eto[k];
      uint32_t f = el_cp_step(ac, ac->fail[u], ac->elab[k]);
      ac->fail[v] = f;
      ac->dict[v] = own[f] != NONE ? f : ac->dict[f];
      queue[qt++] = v;
    }
  }
  rc = EL_AC_OK;
done:
  el_free(queue);
  return rc;
}

int el_ac_compile(const el_ac_builder *b, el_ac **out) {
  *out = NULL;
  el_ac *ac = el_calloc(1, sizeof(*ac));
  if (!ac) return EL_AC_NOMEM;
  int rc = EL_AC_NOMEM;
  uint32_t *trie = NULL, *fail = NULL, *queue = NULL, *perm = NULL, *own = NULL, *dict = NULL;
  uint32_t *child = NULL, *sib = NULL;
  uint8_t *lab = NULL, *spaced = NULL;

  int wordstart = 1;
  for (size_t p = 0; p < b->npats; p++) {
    unsigned c0 = (unsigned char)b->pool[b->pats[p].off];
    if (el_ascii_word(c0) && !(b->pats[p].flags & EL_AC_WB_START)) wordstart = 0;
  }
  for (unsigned c = 0; c < 256; c++) ac->wordb[c] = (uint8_t)el_ascii_word(c);

  /* byte classes: one per distinct (folded) byte used; white space is one;
  ** unused bytes are class 0 (non-word) or 1 (word, in word-start mode) */
  int used[256] = {0};
  for (size_t i = 0; i < b->pool_len; i++) used[el_fold((unsigned char)b->pool[i])] = 1;
  uint32_t ncls = wordstart ? 2 : 1;
  uint8_t fcls[256] = {0};
  for (unsigned c = 0; c < 256; c++) {
    if (used[c] && c != ' ') fcls[c] = (uint8_t)ncls++;
    else fcls[c] = (wordstart && el_ascii_word(c)) ? 1 : 0;
  }
  uint32_t ws_cls = 0;
  if (used[' ']) ws_cls = ncls++;
  for (unsigned c = 0; c < 256; c++) {
    ac->cls[c] = el_is_ws(c) ? (uint8_t)ws_cls : fcls[el_fold(c)];
  }
  ac->ncls = ncls;
  ac->ws_cls = ws_cls;
  uint8_t cls_word[256] = {0};
  for (unsigned c = 0; c < 256; c++)
    if (el_ascii_word(c)) cls_word[ac->cls[c]] = 1;

  if (b->pool_len > UINT32_MAX - 4) {
    rc = EL_AC_TOOBIG;
    goto done;
  }
  size_t max_states = 2 + b->pool_len;
  child = el_malloc(max_states * sizeof(uint32_t));
  sib = el_malloc(max_states * sizeof(uint32_t));
  lab = el_malloc(max_states);
  own = el_malloc(max_states * sizeof(uint32_t));
  spaced = el_calloc(max_states, 1);
  ac->pat_next = el_malloc((b->npats ? b->npats : 1) * sizeof(uint32_t));
  ac->pats = el_malloc((b->npats ? b->npats : 1) * sizeof(el_ac_pat));
  ac->pool = el_malloc(b->pool_len ? b->pool_len : 1);
  if (!child || !sib || !lab || !own || !spaced || !ac->pat_next || !ac->pats || !ac->pool)
    goto done;
  if (b->npats) memcpy(ac->pats, b->pats, b->npats * sizeof(el_ac_pat));
  if (b->pool_len) memcpy(ac->pool, b->pool, b->pool_len);
  ac->npats = b->npats;

  /* the sparse trie; state 0 is ROOT; state 1 is DEAD in word-start mode */
  uint32_t nstates = wordstart ? 2 : 1;
  const uint32_t DEAD = wordstart ? 1 : NONE;
  for (uint32_t s = 0; s < nstates; s++) {
    child[s] = sib[s] = own[s] = NONE;
    lab[s] = 0;
  }
  for (size_t p = 0; p < b->npats; p++) {
    const el_ac_pat *pt = &b->pats[p];
    uint32_t s = 0;
    for (uint32_t i = 0; i < pt->len; i++) {
      unsigned c = ac->cls[(unsigned char)b->pool[pt->off + i]];
      uint32_t t = el_sp_child(child, sib, lab, s, c);
      if (t == NONE) {
        t = nstates++;
        child[t] = own[t] = NONE;
        lab[t] = (uint8_t)c;
        sib[t] = child[s];
        child[s] = t;
        spaced[t] = (c == ws_cls && ws_cls != 0);
      }
      s = t;
    }
    /* append p to s's list, keeping insertion order */
    ac->pat_next[p] = NONE;
    if (own[s] == NONE) {
      own[s] = (uint32_t)p;
    } else {
      uint32_t q = own[s];
      while (ac->pat_next[q] != NONE) q = ac->pat_next[q];
      ac->pat_next[q] = (uint32_t)p;
    }
  }

  size_t dense_max = b->dense_max ? b->dense_max : EL_AC_DENSE_MAX;
  if ((size_t)nstates > SIZE_MAX / 4 / ncls || (size_t)nstates * ncls * 4 > dense_max) {
    rc = el_ac_compact(ac, nstates, child, sib, lab, spaced, own);
    if (rc == EL_AC_OK) own = NULL; /* now the automaton's */
    goto done;
  }

  trie = el_malloc((size_t)nstates * ncls * sizeof(uint32_t));
  fail = el_malloc(nstates * sizeof(uint32_t));
  queue = el_malloc(nstates * sizeof(uint32_t));
  dict = el_malloc(nstates * sizeof(uint32_t));
  if (!trie || !fail || !queue || !dict) goto done;
  for (uint32_t s = 0; s < nstates; s++) {
    uint32_t *row = &trie[(size_t)s * ncls];
    for (size_t k = 0; k < ncls; k++) row[k] = NONE;
    for (uint32_t t = child[s]; t != NONE; t = sib[t]) row[lab[t]] = t;
    dict[s] = NONE;
    fail[s] = 0;
  }

  /* ROOT's row, then DEAD's, then breadth-first: failure links, full
  ** transitions, dictionary links */
  size_t qh = 0, qt = 0;
  for (size_t c = 0; c < ncls; c++) {
    uint32_t t = trie[c];
    uint32_t empty = (wordstart && cls_word[c]) ? DEAD : 0; /* the empty suffix */
    if (t == NONE) {
      trie[c] = empty;
    } else {
      fail[t] = empty;
      dict[t] = NONE;
      queue[qt++] = t;
    }
  }
  if (wordstart) {
    for (size_t c = 0; c < ncls; c++) trie[(size_t)DEAD * ncls + c] = cls_word[c] ? DEAD : trie[c];
  }
  while (qh < qt) {
    uint32_t u = queue[qh++];
    uint32_t fu = fail[u];
    for (size_t c = 0; c < ncls; c++) {
      uint32_t *slot = &trie[(size_t)u * ncls + c];
      if (*slot != NONE) {
        uint32_t v = *slot;
        uint32_t f = trie[(size_t)fu * ncls + c];
        fail[v] = f;
        dict[v] = own[f] != NONE ? f : dict[f];
        queue[qt++] = v;
      } else if (c == ws_cls && ws_cls != 0 && spaced[u]) {
        *slot = u; /* a space in a pattern takes a run of white space */
      } else {
        *slot = trie[(size_t)fu * ncls + c];
      }
    }
  }

  /* renumber in breadth-first order (shallow, hot states together), with
  ** the states that have outputs last */
  perm = el_malloc(nstates * sizeof(uint32_t));
  if (!perm) goto done;
  uint32_t nmatch = 0;
  for (uint32_t s = 0; s < nstates; s++)
    if (own[s] != NONE || dict[s] != NONE) nmatch++;
  uint32_t lo = 0, hi = nstates - nmatch;
  for (uint32_t k = 0; k < (wordstart ? 2u : 1u); k++) perm[k] = lo++;
  for (size_t k = 0; k < qt; k++) {
    uint32_t s = queue[k];
    perm[s] = (own[s] != NONE || dict[s] != NONE) ? hi++ : lo++;
  }
  ac->threshold = (nstates - nmatch) * ncls;
  ac->dead = wordstart ? perm[DEAD] * ncls : NONE;
  ac->nstates = nstates;
  ac->delta = el_malloc((size_t)nstates * ncls * sizeof(uint32_t));
  ac->own = el_malloc(nstates * sizeof(uint32_t));
  ac->dict = el_malloc(nstates * sizeof(uint32_t));
  if (!ac->delta || !ac->own || !ac->dict) goto done;
  for (uint32_t s = 0; s < nstates; s++) {
    uint32_t ns = perm[s];
    for (size_t c = 0; c < ncls; c++)
      ac->delta[(size_t)ns * ncls + c] = perm[trie[(size_t)s * ncls + c]] * ncls;
    ac->own[ns] = own[s];
    ac->dict[ns] = dict[s] == NONE ? NONE : perm[dict[s]];
  }
  rc = EL_AC_OK;

done:
  el_free(trie);
  el_free(fail);
  el_free(queue);
  el_free(perm);
  el_free(own);
  el_free(dict);
  el_free(spaced);
  el_free(child);
  el_free(sib);
  el_free(lab);
  if (rc != EL_AC_OK) {
    el_ac_free(ac);
    return rc;
  }
  *out = ac;
  return EL_AC_OK;
}

/* Find where pattern p, ending at byte end, starts; checks exact case.
** Returns 0 when the bytes do not match (only possible for EL_AC_EXACT). */
static int el_ac_start(const el_ac *ac, const el_ac_pat *p, const unsigned char *z, size_t end,
                       size_t *start) {
  const unsigned char *pat = (const unsigned char *)ac->pool + p->off;
  size_t j = end, k = p->len;
  int exact = p->flags & EL_AC_EXACT;
  while (k > 0) {
    unsigned pc = pat[k - 1];
    if (pc == ' ') {
      if (j == 0 || !el_is_ws(z[j - 1])) return 0;
      while (j > 0 && el_is_ws(z[j - 1])) j--;
    } else {
      if (j == 0) return 0;
      unsigned c = z[j - 1];
      if (exact ? c != pc : el_fold(c) != el_fold(pc)) return 0;
      j--;
    }
    k--;
  }
  *start = j;
  return 1;
}

/* Report the patterns ending at byte end in state (not premultiplied) whose
** start lies in [lo, hi). */
static int el_ac_report(const el_ac *ac, uint32_t state, const unsigned char *z, size_t n,
                        size_t end, size_t lo, size_t hi, el_ac_cb cb, void *ctx) {
  while (state != NONE) {
    for (uint32_t p = ac->own[state]; p != NONE; p = ac->pat_next[p]) {
      const el_ac_pat *pt = &ac->pats[p];
      size_t start;
      if (!el_ac_start(ac, pt, z, end, &start)) continue;
      if (start < lo || start >= hi) continue;
      const unsigned char *pat = (const unsigned char *)ac->pool + pt->off;
      if ((pt->flags & EL_AC_WB_START) && el_ascii_word(pat[0]) && el_word_before(z, start))
        continue;
      if ((pt->flags & EL_AC_WB_END) && el_ascii_word(pat[pt->len - 1]) && el_word_at(z, n, end))
        continue;
      int rc = cb(ctx, start, end, pt->id);
      if (rc) return rc;
    }
    state = ac->dict[state];
  }
  return 0;
}

/* One stream from state s over [i, stop); then, if cont, on past stop
** until nothing is pending (ROOT or DEAD), reporting only matches that start
** in [lo, hi). */
static int el_ac_run(const el_ac *ac, const unsigned char *z, size_t n, size_t i, size_t stop,
                     uint32_t s, int cont, size_t lo, size_t hi, el_ac_cb cb, void *ctx) {
  const uint8_t *cls = ac->cls;
  const uint32_t *d = ac->delta;
  const uint32_t thr = ac->threshold, dead = ac->dead;
  for (; i < stop; i++) {
    s = d[s + cls[z[i]]];
    if (s >= thr) {
      int rc = el_ac_report(ac, s / ac->ncls, z, n, i + 1, lo, hi, cb, ctx);
      if (rc) return rc;
    }
  }
  if (!cont) return 0;
  for (; i < n && s != 0 && s != dead; i++) {
    s = d[s + cls[z[i]]];
    if (s >= thr) {
      int rc = el_ac_report(ac, s / ac->ncls, z, n, i + 1, lo, hi, cb, ctx);
      if (rc) return rc;
    }
  }
  return 0;
}

#define EL_AC_STREAMS 4

/*
** The scan. One DFA step is a dependent load (about 2 ns here), so a long
** text is cut at white-space bytes into EL_AC_STREAMS segments walked in
** lock-step: independent chains overlap in the CPU. Each segment starts in
** ROOT (right after white space nothing is pending) and reports the matches
** that start inside it; a segment's walk goes on past its end until nothing
** is pending, so a term that straddles a cut is found by the segment where
** it starts.
*/
/* A compact automaton: one stream, a few look-ups per byte. */
static int el_ac_scan_compact(const el_ac *ac, const unsigned char *z, size_t n, el_ac_cb cb,
                              void *ctx) {
  uint32_t s = 0;
  for (size_t i = 0; i < n; i++) {
    s = el_cp_step(ac, s, ac->cls[z[i]]);
    if (ac->own[s] != NONE || ac->dict[s] != NONE) {
      int rc = el_ac_report(ac, s, z, n, i + 1, 0, n, cb, ctx);
      if (rc) return rc;
    }
  }
  return 0;
}

/* Report the streams of one automaton that sit in states with outputs. */
static int el_ac_report4(const el_ac *ac, const uint32_t st[4], const unsigned char *z, size_t n,
                         const size_t *cut, size_t i, el_ac_cb cb, void *ctx) {
  for (int j = 0; j < 4; j++) {
    if (st[j] < ac->threshold) continue;
    int rc = el_ac_report(ac, st[j] / ac->ncls, z, n, cut[j] + i + 1, cut[j], cut[j + 1], cb, ctx);
    if (rc) return rc;
  }
  return 0;
}

/*
** The scan. One DFA step is a dependent load (about 2 ns here), so a long
** text is cut at white-space bytes into EL_AC_STREAMS segments walked in
** lock-step: independent chains overlap in the CPU. Each segment starts in
** ROOT (right after white space nothing is pending) and reports the matches
** that start inside it; a segment's walk goes on past its end until nothing
** is pending, so a term that straddles a cut is found by the segment where
** it starts. With a second automaton (a user lexicon beside the shared
** built-ins), both walk the same segments in the same loop: eight chains.
*/
int el_ac_scan2(const el_ac *ac, const el_ac *bc, const char *text, size_t n, el_ac_cb cb,
                void *ctx) {
  const unsigned char *z = (const unsigned char *)text;
  if (ac->compact || (bc && bc->compact)) {
    int rc = ac->compact ? el_ac_scan_compact(ac, z, n, cb, ctx) : el_ac_scan2(ac, NULL, text, n, cb, ctx);
    if (rc || !bc) return rc;
    return bc->compact ? el_ac_scan_compact(bc, z, n, cb, ctx) : el_ac_scan2(bc, NULL, text, n, cb, ctx);
  }
  size_t cut[EL_AC_STREAMS + 1];
  int k = 0;
  cut[k++] = 0;
  if (n >= 128) {
    /* cut just after a white-space byte at or before j/4 of the text, so
    ** that the last segment is the longest */
    for (int j = 1; j < EL_AC_STREAMS; j++) {
      size_t p = n * (size_t)j / EL_AC_STREAMS, lim = p > 64 ? p - 64 : 0;
      while (p > lim && !el_is_ws(z[p - 1])) p--;
      if (p > lim && p > cut[k - 1]) cut[k++] = p;
    }
  }
  cut[k] = n;
  if (k != EL_AC_STREAMS) {
    int rc = el_ac_run(ac, z, n, 0, n, 0, 0, 0, n, cb, ctx);
    if (rc || !bc) return rc;
    return el_ac_run(bc, z, n, 0, n, 0, 0, 0, n, cb, ctx);
  }
  const unsigned char *z0 = z + cut[0], *z1 = z + cut[1], *z2 = z + cut[2], *z3 = z + cut[3];
  size_t len = n - cut[3]; /* every stream can walk this far */
  size_t i = 0;
  uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  const uint8_t *cls = ac->cls;
  const uint32_t *d = ac->delta;
  const uint32_t thr = ac->threshold;
  if (!bc) {
    for (; i < len; i++) {
      s0 = d[s0 + cls[z0[i]]];
      s1 = d[s1 + cls[z1[i]]];
      s2 = d[s2 + cls[z2[i]]];
      s3 = d[s3 + cls[z3[i]]];
      if ((s0 >= thr) | (s1 >= thr) | (s2 >= thr) | (s3 >= thr)) {
        uint32_t st[4] = {s0, s1, s2, s3};
        int rc = el_ac_report4(ac, st, z, n, cut, i, cb, ctx);
        if (rc) return rc;
      }
    }
  } else {
    const uint8_t *cls2 = bc->cls;
    const uint32_t *d2 = bc->delta;
    const uint32_t thr2 = bc->threshold;
    for (; i < len; i++) {
      unsigned c0 = z0[i], c1 = z1[i], c2 = z2[i], c3 = z3[i];
      s0 = d[s0 + cls[c0]];
      s1 = d[s1 + cls[c1]];
      s2 = d[s2 + cls[c2]];
      s3 = d[s3 + cls[c3]];
      t0 = d2[t0 + cls2[c0]];
      t1 = d2[t1 + cls2[c1]];
      t2 = d2[t2 + cls2[c2]];
      t3 = d2[t3 + cls2[c3]];
      if ((s0 >= thr) | (s1 >= thr) | (s2 >= thr) | (s3 >= thr)) {
        uint32_t st[4] = {s0, s1, s2, s3};
        int rc = el_ac_report4(ac, st, z, n, cut, i, cb, ctx);
        if (rc) return rc;
      }
      if ((t0 >= thr2) | (t1 >= thr2) | (t2 >= thr2) | (t3 >= thr2)) {
        uint32_t st[4] = {t0, t1, t2, t3};
        int rc = el_ac_report4(bc, st, z, n, cut, i, cb, ctx);
        if (rc) return rc;
      }
    }
  }
  /* tails: the rest of a segment, then on until nothing is pending */
  for (int m = 0; m < (bc ? 2 : 1); m++) {
    const el_ac *x = m ? bc : ac;
    uint32_t st[4] = {m ? t0 : s0, m ? t1 : s1, m ? t2 : s2, m ? t3 : s3};
    for (int j = 0; j < 3; j++) {
      size_t at = cut[j] + i;
      int rc = el_ac_run(x, z, n, at, at < cut[j + 1] ? cut[j + 1] : at, st[j], 1, cut[j],
                         cut[j + 1], cb, ctx);
      if (rc) return rc;
    }
  }
  return 0;
}

int el_ac_scan(const el_ac *ac, const char *text, size_t n, el_ac_cb cb, void *ctx) {
  return el_ac_scan2(ac, NULL, text, n, cb, ctx);
}

static int el_span_cmp(const void *a, const void *b) {
  const el_span *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->end != y->end) return x->end > y->end ? -1 : 1;
  if (x->prio != y->prio) return x->prio < y->prio ? -1 : 1;
  if (x->id != y->id) return x->id < y->id ? -1 : 1;
  return 0;
}

size_t el_span_resolve(el_span *s, size_t n) {
  if (n == 0) return 0;
  qsort(s, n, sizeof(*s), el_span_cmp);
  size_t k = 0, last_end = 0;
  for (size_t i = 0; i < n; i++) {
    if (k > 0 && s[i].start < last_end) continue;
    s[k++] = s[i];
    last_end = s[i].end;
  }
  return k;
}
