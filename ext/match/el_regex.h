/*
** A small PCRE2 wrapper (8-bit): compile with a length cap and JIT when the
** library has it, match with match and depth limits, and errors as text that
** name the offset. No SQLite here.
**
** Patterns are UTF-8 with PCRE2_MATCH_INVALID_UTF, so any subject bytes are
** safe; offsets are bytes. A compiled el_regex is read-only while matching
** (it may be shared); each caller brings its own el_regex_md.
*/
#ifndef EL_MATCH_EL_REGEX_H
#define EL_MATCH_EL_REGEX_H

#include <stddef.h>
#include <stdint.h>

#define EL_RE_CASELESS 0x01

#define EL_RE_MAX_PATTERN   1000      /* bytes */
#define EL_RE_MATCH_LIMIT   1000000u  /* PCRE2 match limit (backtracking steps) */
#define EL_RE_DEPTH_LIMIT   1000u     /* PCRE2 depth limit (interpreter) */
#define EL_RE_HEAP_LIMIT    20000u    /* KiB of heap for backtracking (interpreter) */

typedef struct el_regex el_regex;
typedef struct el_regex_md el_regex_md;

/* Compile. On failure returns NULL and writes a message such as
** "missing closing parenthesis at offset 3" into err. */
el_regex *el_regex_compile(const char *pat, size_t len, unsigned flags, char *err, size_t errcap);
void el_regex_free(el_regex *re);
int el_regex_jit(const el_regex *re); /* 1 when JIT-compiled */

el_regex_md *el_regex_md_new(const el_regex *re);
void el_regex_md_free(el_regex_md *md);

/* Find the first match in z[0..n) at or after byte from. Returns 1 with
** [*ms, *me), 0 for no match, -1 on an error (limits, memory) with err
** filled ("match limit exceeded"). */
int el_regex_find(const el_regex *re, el_regex_md *md, const char *z, size_t n, size_t from,
                  size_t *ms, size_t *me, char *err, size_t errcap);

#endif
