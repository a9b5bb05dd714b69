/*
** A byte-level multi-pattern matcher: Aho-Corasick compiled to a DFA over
** byte equivalence classes. No SQLite here; generic, so any annotator
** (terms, entities, screening) can reuse it.
**
** - ASCII letters are case-folded by the class map (a pattern may ask for
**   its exact case to be checked afterwards: EL_AC_EXACT).
** - A space in a pattern matches one or more white-space bytes (space, tab,
**   CR, LF, FF, VT); runs of white space in a pattern count as one.
** - Word boundaries are checked per pattern (EL_AC_WB_START / EL_AC_WB_END):
**   a boundary is required only where the pattern's own first / last
**   character is a word character (a letter or digit, including non-ASCII
**   letters and digits decoded from UTF-8).
** - el_ac_scan reports every occurrence that passes those checks, overlaps
**   included; el_span_resolve keeps the leftmost-longest non-overlapping set.
**
** Cost: one table look-up per input byte, whatever the number of patterns.
*/
#ifndef EL_MATCH_EL_AC_H
#define EL_MATCH_EL_AC_H

#include <stddef.h>
#include <stdint.h>

#define EL_AC_WB_START 0x01 /* need a word boundary before the match */
#define EL_AC_WB_END   0x02 /* need a word boundary after the match */
#define EL_AC_WB       0x03
#define EL_AC_EXACT    0x04 /* ASCII case must match exactly */

/* Limits (el_ac_add / el_ac_compile return EL_AC_TOOBIG beyond them). */
#define EL_AC_MAX_PATTERN 1024              /* bytes in one pattern */
#define EL_AC_MAX_TABLE   (256u << 20)      /* bytes of DFA table */

#define EL_AC_OK     0
#define EL_AC_NOMEM  1
#define EL_AC_TOOBIG 2
#define EL_AC_EMPTY  3 /* pattern empty (or white space only) */

typedef struct el_ac_builder el_ac_builder;
typedef struct el_ac el_ac;

/* A match: byte offsets [start, end) and the pattern's id. */
typedef struct el_span {
  size_t start, end;
  uint32_t id;
  uint32_t prio; /* lower wins a tie on the same [start, end) */
} el_span;

el_ac_builder *el_ac_builder_new(void);
void el_ac_builder_free(el_ac_builder *b);
/* Add a pattern (any bytes; white space is collapsed, leading and trailing
** white space dropped). The same bytes may be added under several ids. */
int el_ac_add(el_ac_builder *b, const char *pat, size_t len, uint32_t id, unsigned flags);
/* Compile; the builder may be freed afterwards. *out is NULL on error. */
int el_ac_compile(const el_ac_builder *b, el_ac **out);
void el_ac_free(el_ac *ac);

size_t el_ac_states(const el_ac *ac);
size_t el_ac_classes(const el_ac *ac);
size_t el_ac_memory(const el_ac *ac);

/* Called for every occurrence; a non-zero return stops the scan and is
** returned by el_ac_scan. */
typedef int (*el_ac_cb)(void *ctx, size_t start, size_t end, uint32_t id);
int el_ac_scan(const el_ac *ac, const char *z, size_t n, el_ac_cb cb, void *ctx);

/* Is the character ending just before byte i (or starting at byte i) a
** word character? Letters and digits, ASCII or decoded from UTF-8. */
int el_word_before(const unsigned char *z, size_t i);
int el_word_at(const unsigned char *z, size_t n, size_t i);

/* Sort spans by (start, longest first, prio) and keep a leftmost-longest set
** of non-overlapping ones, in place; returns how many are kept. */
size_t el_span_resolve(el_span *s, size_t n);

#endif
