/*
** Internals of the linguistic core shared by its files (el_udseg.c,
** el_tagger.c, el_parser.c, el_nlp.c) and by the trainer, which must compute
** exactly the features the extension computes. No SQLite here.
*/
#ifndef EL_NLP_EL_NLP_INT_H
#define EL_NLP_EL_NLP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "el_nlp.h"
#include "el_perceptron.h"

/* ------------------------------------------------------------------------ */
/* Model sections                                                            */

/* Lexicon: lower-cased word forms seen in training (and the cluster corpus),
** open addressing on the form's hash. */
typedef struct el_lex_ent {
  uint64_t key;     /* el_fh_bytes of the lower-cased form; 0: empty slot */
  uint32_t cluster; /* fine class + 1 | (coarse class + 1) << 16 (0: none) */
  uint16_t amb;     /* ambiguity class (0: none) */
  uint16_t tag;     /* the only tag this word takes, + 1 (0: ambiguous) */
  uint32_t count;   /* occurrences in the training data */
  uint8_t capr;     /* capitalization away from sentence starts: 0 unknown, 1..4 */
  uint8_t pad[3];
} el_lex_ent;

/* Lemma look-up: (lower-cased form, tag) seen in training -> lemma rule. */
typedef struct el_lemx_ent {
  uint64_t key;     /* el_fh3(EL_LEMX_KEY, form hash, tag); 0: empty */
  uint16_t rule;
  uint16_t pad[3];
} el_lemx_ent;

/* Lemma rule: case operation, then strip `strip` bytes and append. */
#define EL_LEMR_APPEND 12
typedef struct el_lemma_rule {
  uint8_t op;       /* EL_LOP_* */
  uint8_t strip;
  uint8_t alen;
  char append[EL_LEMR_APPEND + 1];
} el_lemma_rule;
#define EL_LOP_KEEP 0   /* the form's case */
#define EL_LOP_LOWER 1  /* lower-cased */

/* Segmentation lexicon: lower-cased token -> split offsets (a bit per byte:
** bit k set = a word starts k bytes into the token), for forms such as
** "cannot" and "gonna" that the treebank splits. Flags: EL_SEGX_OPTIONAL, the
** treebank splits the form only sometimes ("its" for "it's"), so the
** classifier decides each split; EL_SEGX_PLAIN, the pieces are words of their
** own, not a multiword token (run-on words: "alot", "everyday"). */
typedef struct el_segx_ent {
  uint64_t key;
  uint32_t splits;
  uint32_t flags;
} el_segx_ent;
#define EL_SEGX_OPTIONAL 1u
#define EL_SEGX_PLAIN 2u

#define EL_LEMX_KEY 0x4c454d58u

/* Names: fixed records, NUL-padded. */
typedef struct el_tag_name {
  char upos[16];
  char xpos[16];
} el_tag_name;
typedef struct el_dep_name {
  char name[32];
} el_dep_name;

struct el_nlp {
  const el_tag_name *tags;
  const el_dep_name *deps;
  int ntags, ndeps;
  const el_lex_ent *lex;
  uint64_t lex_mask;
  const el_segx_ent *segx;
  uint64_t segx_mask;
  const el_lemx_ent *lemx;
  uint64_t lemx_mask;
  const el_lemma_rule *lemr;
  int nlemr;
  el_apm seg, tagger, tagger2, lemma, parser;
  /* the parser's scores of each constant feature group (el_parse_features_skip) */
  int32_t pgroup[8][132];     /* [EL_PG_N][EL_PT_NCLASS(64), padded] */
  int passes;                 /* tagger passes: 1, or 2 with tagger2 */
  int root_dep;               /* relation id of "root" */
  int chain_dep;              /* relation that chains the pieces of a cut sentence */
};

/* Open-addressing lookups (tables of 2^k entries, key 0 = empty). */
const el_lex_ent *el_lex_find(const el_nlp *m, uint64_t key);
const el_segx_ent *el_segx_find(const el_nlp *m, uint64_t key);
const el_lemx_ent *el_lemx_find(const el_nlp *m, uint64_t key);

/* ------------------------------------------------------------------------ */
/* Text helpers                                                              */

/* Lower-case (Unicode fold) bytes [a, b) of z into out (cap bytes, at most
** 3 * (b - a) needed); returns the length written. */
size_t el_nlp_lower(const unsigned char *z, size_t a, size_t b, char *out, size_t cap);

/* Hash of the shape of bytes [a, b) (at most maxc characters): X x d for
** letters and digits, other ASCII as is, other characters as '*', runs of one
** symbol kept to two ("Xxx", "dd/dd/dd"). */
uint64_t el_nlp_shape(const unsigned char *z, size_t a, size_t b, size_t maxc);

/* ------------------------------------------------------------------------ */
/* Segmentation                                                              */

/* A candidate word boundary inside a run of non-space characters. */
typedef struct el_seg_cand {
  uint32_t pos;       /* byte offset */
  uint16_t ltok, rtok; /* tokens on each side (indices in the unit) */
  uint16_t cs, ce;    /* first and last token of the run of tokens without space */
  uint8_t type;       /* EL_SC_* */
  uint8_t forced;     /* 1: always a boundary (rule or lexicon), 2: never */
} el_seg_cand;
#define EL_SC_BETWEEN 1   /* between two tokens with nothing between them */
#define EL_SC_INSIDE 2    /* inside a token where the character class changes */
#define EL_SC_CLITIC 3    /* inside a token, by a contraction rule or the lexicon */

#define EL_SEG_MAX_TOKEN 32 /* longer tokens are never split */
#define EL_SEG_NFEAT 24

/* The candidates of tokens tok[0..n) of z, into *out (grown with el_realloc);
** returns the count, or -1 when out of memory. m may be NULL (no lexicon). */
long el_seg_candidates(const el_nlp *m, const char *z, const el_token *tok, size_t n,
                       el_seg_cand **out, size_t *cap);
/* Features of candidate c (c[k] among cand[0..nc)) into f; returns the count. */
int el_seg_features(const char *z, const el_token *tok, size_t n, const el_seg_cand *c,
                    uint64_t *f);

/* ------------------------------------------------------------------------ */
/* Word features, tagger, lemmatizer                                         */

#define EL_WF_DIGIT 0x01
#define EL_WF_UPPER 0x02   /* has an upper-case letter */
#define EL_WF_ALLUP 0x04   /* letters, all upper case */
#define EL_WF_INITUP 0x08  /* first character upper case */
#define EL_WF_HYPHEN 0x10
#define EL_WF_ALPHA 0x20   /* has a letter */
#define EL_WF_PUNCT 0x40   /* no letter, no digit */
#define EL_WF_FIRST 0x80   /* first word of the unit */

/* Features of words w[0..n) of z into f[0..n) (lexicon look-ups included;
** m may be NULL). scratch: at least 3 * longest word + 8 bytes. */
void el_word_features(const el_nlp *m, const char *z, const el_nlp_word *w, size_t n,
                      el_nlp_feat *f, char *scratch, size_t scratch_cap);

#define EL_TAG_NFEAT 56
/* Tagger features of word i given the tags of the words before it and, for
** the second pass, the first pass's tags of all words (right, else NULL). */
int el_tag_features(const el_nlp_feat *f, size_t n, size_t i, const uint16_t *tags,
                    const uint16_t *right, uint64_t *out);
#define EL_TAG_NONE 0xFFFF /* tag of a position outside the unit */

#define EL_LEM_NFEAT 16
int el_lemma_features(const char *lower, size_t len, int tag, const el_nlp_feat *f,
                      uint64_t *out);
/* Apply rule r to form [z + a, z + b) into out; returns the length needed. */
size_t el_lemma_apply(const el_lemma_rule *r, const unsigned char *z, size_t a, size_t b,
                      char *out, size_t cap);

/* ------------------------------------------------------------------------ */
/* Parser                                                                    */

/* Transitions: SHIFT, LEFT(label), RIGHT(label). */
#define EL_PT_SHIFT 0
#define EL_PT_LEFT(l) (1 + 2 * (l))
#define EL_PT_RIGHT(l) (2 + 2 * (l))
#define EL_PT_NCLASS(ndeps) (1 + 2 * (ndeps))

/* Parser state of arc-hybrid with the root at the end of the buffer. Word n
** is the root. */
typedef struct el_pstate {
  int n;
  int *stack, sp;     /* stack[0..sp) */
  int b0;             /* front of the buffer (n: the root) */
  int *head, *label;  /* per word; head -1: none yet */
  int *lc1, *lc2, *rc1, *rc2; /* leftmost two and rightmost two children */
  int *nl, *nr;       /* number of left and right children */
  uint64_t *lset, *rset; /* labels of left and right children (bit sets) */
} el_pstate;

size_t el_pstate_size(int n);
void el_pstate_init(el_pstate *s, int n, void *mem);
int el_pstate_valid(const el_pstate *s, int t);  /* transition t allowed? (label ignored) */
void el_pstate_apply(el_pstate *s, int t);
int el_pstate_final(const el_pstate *s);

#define EL_PARSE_NFEAT 96
int el_parse_features(const el_pstate *s, const el_nlp_feat *f, const uint16_t *tags,
                      uint64_t *out);

/* Constant feature groups. Where a position is empty (s0 has no left child,
** the stack has no s1, ...), every feature made of that position's values
** alone has the same hash in every state: its scores can be summed once per
** model (el_parse_group_features) and added as one vector, instead of
** looking up and adding a few hundred weights per transition. Sums of the
** same integers: the scores are the same to the bit. */
enum {
  EL_PG_S0L, EL_PG_S0L2, EL_PG_S0R, EL_PG_S0R2, EL_PG_B0L, EL_PG_B0L2, EL_PG_S1, EL_PG_S2,
  EL_PG_N
};
_Static_assert(EL_PG_N <= 8 && EL_PT_NCLASS(64) <= 132, "el_nlp.pgroup is too small");
/* As el_parse_features, but without the features of the groups that are
** constant in this state (their bits go to *groups), nor those of the
** buffer's words alone, which el_parse_features_b gives: they stay the same
** from one transition to the next while b0 does (LEFT and RIGHT keep it), so
** a parse scores them once per b0, not once per transition. */
int el_parse_features_skip(const el_pstate *s, const el_nlp_feat *f, const uint16_t *tags,
                           uint64_t *out, unsigned *groups);
int el_parse_features_b(const el_pstate *s, const el_nlp_feat *f, const uint16_t *tags,
                        uint64_t *out);
/* Likewise the features of the stack's words alone (s0, s1, s2), of s0's
** left children and of s1's children: they stay the same while s0 is on the
** stack (the words under it cannot change until it goes, only b0 takes left
** children, and s1 a right child only when s0 goes), so a parse scores them
** once per word pushed. */
int el_parse_features_stack(const el_pstate *s, const el_nlp_feat *f, const uint16_t *tags,
                            uint64_t *out);
/* The features of group g (EL_PG_*) when constant; returns their number. */
int el_parse_group_features(int g, uint64_t *out);

#endif
