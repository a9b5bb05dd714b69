/*
** Internal to ext/quotes: the extractor's state and the token tests shared by
** the quote rules (el_quotes.c) and the claim rules (el_claims.c). No SQLite.
*/
#ifndef EL_QUOTES_EL_QUOTES_INT_H
#define EL_QUOTES_EL_QUOTES_INT_H

#include <stdint.h>
#include <string.h>

#include "../common/el_alloc.h"
#include "el_quotes.h"
#include "../entities/el_entities.h"
#include "../nlp/el_nlp.h"
#include "../text/el_tokenizer.h"
/* the word lists of ext/quotes/data/ (el_qw_pronouns, ...), generated */
#include "el_quote_words.h"

/* ------------------------------------------------------------------------ */
/* Growable buffers                                                          */

static inline int el_grow(void **p, size_t *cap, size_t need, size_t elt) {
  if (need <= *cap) return 0;
  size_t nc = *cap ? *cap : 64;
  while (nc < need) nc *= 2;
  void *np = el_realloc(*p, nc * elt);
  if (np == NULL) return -1;
  *p = np;
  *cap = nc;
  return 0;
}

#define EL_NONE ((size_t)-1)
#define EL_QX_TITLED 8  /* titled persons remembered across paragraphs */

/* An entity span of the current paragraph, on token indices [a, b). */
typedef struct el_qspan {
  size_t start, end;
  size_t a, b;
  const char *label;
  size_t canon;   /* offset in the pool, or EL_NONE */
  double value;
  int has_value;
} el_qspan;

typedef struct el_qq {
  el_quote o;
  size_t canon;   /* pool offset or EL_NONE */
  int from_prev;  /* speaker of the previous paragraph */
} el_qq;

typedef struct el_qclaim {
  el_claim c;
  size_t subject, object, detail;   /* pool offsets or EL_NONE */
} el_qclaim;

/* Per token i of a paragraph (EL_NOTOK: none). */
typedef struct el_cidx {
  uint32_t prev_iso, next_iso;     /* last country token < i, first >= i */
  uint32_t prev_brk, next_brk;     /* last clause break < i, first >= i */
  uint32_t prev_comma;             /* last "," or ";" < i */
  uint32_t prev_year, next_year;   /* last year token < i, first >= i */
  uint32_t subj;                   /* el_subject_before memo (EL_NOTOK: unknown) */
} el_cidx;
#define EL_NOTOK UINT32_MAX
#define EL_SUBJ_NONE (UINT32_MAX - 1)

/* A claim's frame, kept for the claims after it: "the figure", "that share",
** an owner-less "exports" (el_claims.c). */
typedef struct el_cframe {
  const char *metric;    /* a static string; NULL: none */
  const char *unit;      /* a static string */
  char subj[4], obj[4];  /* ISO3, or "" */
  double value;
} el_cframe;

struct el_qx {
  const char *z;
  size_t n;
  el_segmenter seg;
  el_ent *ent;
  /* look-ahead token (first of the next paragraph) */
  el_token look;
  size_t look_sent;
  int has_look, seg_eof;
  /* look-ahead entity span, its canonical copied */
  el_ent_span esp;
  char *esp_canon;
  size_t esp_canon_cap;
  int has_esp, ent_eof;
  /* the paragraph */
  el_token *tok;
  size_t *sent;
  int *ent_at;   /* index of the span covering token i, or -1 */
  int *inq;      /* quote covering token i (marks included), or -1 */
  size_t ntok, tokcap, sentcap, entcap, inqcap;
  el_qspan *sp;
  size_t nsp, spcap;
  char *pool;
  size_t npool, poolcap;
  /* results of the paragraph */
  el_qq *qs;
  size_t nq, qcap, qnext;
  el_qclaim *cs;
  size_t nc, ccap, cnext;
  /* claims: per-token look-ups, so that each value costs O(1) whatever the
  ** length of its sentence (see el_claim_index) */
  el_cidx *ci;
  size_t cicap;
  size_t first_imp, first_exp; /* of the current sentence, or EL_NONE */
  /* a headline's claims, held until the text names its country (el_qx_next_claim) */
  el_qclaim *pend;
  size_t npend, pendcap, pnext;
  char *ppool;
  size_t nppool, ppoolcap;
  int hold;              /* 1: pend holds the first paragraph's claims */
  size_t npar;           /* paragraphs read for claims */
  el_cframe cf_last;     /* the last claim in percent, across paragraphs */
  el_cframe cf_money;    /* the last claim in money */
  int cf_recent_money;   /* the last claim of all was in money */
  int sent_owner;        /* the current sentence names a country that is not a partner */
  size_t cx_from;        /* "from" of "from A to B" before the next value, or EL_NONE */
  /* "A and B grew 5% and 6%, respectively": the countries, in order, and the
  ** first token of each value; role 0: subjects, 1: objects (partners) */
  char resp_iso[8][4];
  size_t resp_val[8];
  int resp_n, resp_role;
  char cf_own[8][4];     /* owners of the claims so far, and how many claims each */
  int cf_own_n[8], cf_nown;
  char cf_ctx[4];        /* the country the text is about: the owner of most claims so far
                         ** (the latest on a tie), else the first country named that is not
                         ** a partner ("" when none yet) */
  /* across paragraphs */
  char *last_named;      /* last named speaker's canonical */
  size_t last_named_cap;
  int last_named_set;
  char *last_person;     /* last person named outside quotes (when no speaker is known) */
  size_t last_person_cap;
  int last_person_set;
  char *last_org_named;  /* last organisation that said something ("Nvidia said") */
  size_t last_org_named_cap;
  int last_org_named_set;
  char *last_org;        /* last organisation named outside quotes */
  size_t last_org_cap;
  int last_org_set;
  char *last_subj;       /* a person opening the last sentence, after its last speaker */
  size_t last_subj_cap;
  int last_subj_set;
  /* persons named after a title ("National Security Advisor Jake Sullivan"),
  ** most recent first: the title's capitalised words and the name */
  struct { char words[96], name[96]; } titled[EL_QX_TITLED];
  int ntitled;
  char *prev_spk;        /* speaker of the previous paragraph's last quote */
  size_t prev_spk_cap;
  int prev_spk_set;
  int prev_colon;        /* prev_spk introduces the next paragraph ("X said:" and a line break) */
  size_t prev_spk_start, prev_spk_end;
  /* the parse of one sentence of the paragraph (el_parse_sent_of) */
  el_nlp_sent nlp;
  int nlp_inited, nlp_ok;
  size_t nlp_sent;       /* its sentence, or EL_NONE */
  size_t nlp_s0;         /* its first token in the paragraph */
};

/* Copy s[0..n) into the paragraph's string pool: its offset, or EL_NONE with
** *err set when out of memory. */
size_t el_pool_add(el_qx *q, const char *s, size_t n, int *err);
/* Read the next paragraph into q: 1, 0 at the end of the text, -1 when out
** of memory. */
int el_read_par(el_qx *q);

/* ------------------------------------------------------------------------ */
/* Token tests                                                               */

static inline size_t el_tlen(const el_qx *q, size_t i) { return q->tok[i].end - q->tok[i].start; }
static inline const char *el_ttext(const el_qx *q, size_t i) { return q->z + q->tok[i].start; }

/* Token i is the word w (ASCII case ignored). */
static inline int el_is(const el_qx *q, size_t i, const char *w) {
  if (i >= q->ntok) return 0;
  size_t n = strlen(w);
  if (el_tlen(q, i) != n) return 0;
  const char *t = el_ttext(q, i);
  for (size_t k = 0; k < n; k++) {
    char c = t[k];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != w[k]) return 0;
  }
  return 1;
}

static inline int el_is_any(const el_qx *q, size_t i, const char *const *ws) {
  for (; *ws; ws++)
    if (el_is(q, i, *ws)) return 1;
  return 0;
}

static inline int el_is_word(const el_qx *q, size_t i) {
  return i < q->ntok && q->tok[i].kind == EL_WORD && !(q->tok[i].flags & EL_TF_CLITIC);
}
static inline int el_is_lower(const el_qx *q, size_t i) {
  return el_is_word(q, i) && (q->tok[i].flags & EL_TF_LOWER);
}
static inline int el_is_upper(const el_qx *q, size_t i) {
  return el_is_word(q, i) && (q->tok[i].flags & EL_TF_UPPER);
}
static inline int el_is_clitic(const el_qx *q, size_t i) {
  return i < q->ntok && (q->tok[i].flags & EL_TF_CLITIC);
}
/* A trade word (exports, imports ...) that is not part of a capitalised
** name: "Export Administration Regulations" says nothing about exports. */
static inline int el_is_trade(const el_qx *q, size_t i, const char *const *ws) {
  return el_is_any(q, i, ws) && !(el_is_upper(q, i) && el_is_upper(q, i + 1));
}

static inline int el_is_punct(const el_qx *q, size_t i, char c) {
  return i < q->ntok && el_tlen(q, i) == 1 && el_ttext(q, i)[0] == c;
}

#endif
