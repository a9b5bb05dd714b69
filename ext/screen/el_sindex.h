/*
** A screening index: the normalised names and aliases of a list, blocked on
** their tokens so that a query compares a name with few entries. No SQLite
** here: memory comes from the realloc/free pair given at creation.
**
** Blocking keys (64-bit hashes, one namespace) of an entry are
**   - each token, and its plural stem;
**   - for tokens of 6 or more characters without digits, each form with one
**     character deleted (so two tokens one edit apart always share a key:
**     the symmetric deletion scheme);
**   - the tokens run together ("hua wei" -> "huawei").
** A query looks its own keys up, rarest token first. Tokens whose postings
** are long (common words such as "china" or "technology") are skipped while
** the skipped tokens are too light to reach the threshold on their own (see
** el_sindex_query), so a query never compares every pair. Known misses: a name
** whose every token differs by two or more edits from the listed one.
*/
#ifndef EL_SCREEN_EL_SINDEX_H
#define EL_SCREEN_EL_SINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "el_names.h"

typedef void *(*el_realloc_fn)(void *, size_t);
typedef void (*el_free_fn)(void *);

typedef struct el_sindex el_sindex;

typedef struct el_shit {
  int row;        /* the row given to el_sindex_add */
  int alias;      /* 0: the name; k: the k-th alias */
  double score;
  int exact;      /* the query's name key equals the entry's */
} el_shit;

el_sindex *el_sindex_new(el_realloc_fn xrealloc, el_free_fn xfree);
void el_sindex_free(el_sindex *ix);

/* Add the name (alias 0) or an alias (alias k > 0) of row `row`. Rows must
** be added in increasing order. Returns 0, 1 when the text has no token
** (nothing added) or -1 when out of memory. */
int el_sindex_add(el_sindex *ix, int row, int alias, const char *z, size_t n);

/* Sort the keys; call once after the last el_sindex_add. 0 or -1 (memory). */
int el_sindex_finish(el_sindex *ix);

/* Entries, keys: for tests and benchmarks. */
size_t el_sindex_entries(const el_sindex *ix);
size_t el_sindex_keys(const el_sindex *ix);

/* Screen a name: one hit per row (its best entry, the name winning ties),
** score >= threshold, best first, then by row. *hits is allocated with the
** index's allocator (free it with el_sindex_free_hits). Returns the number of
** hits, or -1 when out of memory. *compared (if not NULL) gets the number of
** entries scored. */
int el_sindex_query(el_sindex *ix, const char *z, size_t n, double threshold, el_shit **hits,
                    size_t *compared);
void el_sindex_free_hits(el_sindex *ix, el_shit *hits);

#endif
