/*
** One allocator for the whole core. No SQLite here.
**
** Every allocation made by core code (automata, lexicons, the entity, quote
** and NLP engines, CSV buffers, PCRE2 through its general context) goes
** through these functions. By default they are libc's, which is what unit
** tests and fuzz targets use. The extension's entry point installs SQLite's
** allocator (sqlite3_malloc64 and friends), so that sqlite3_memory_used(),
** PRAGMA hard_heap_limit and SQLite's OOM fault injection see the core's
** memory too.
**
** The allocator is process-wide and must be installed before the first
** allocation; installing the same functions again is harmless. Blocks are
** always freed by the allocator that made them, so it must never change
** while core objects are alive.
*/
#ifndef EL_COMMON_EL_ALLOC_H
#define EL_COMMON_EL_ALLOC_H

#include <stddef.h>

typedef struct el_allocator {
  void *(*xMalloc)(size_t n);          /* n > 0; NULL when out of memory */
  void *(*xRealloc)(void *p, size_t n); /* n > 0; p may be NULL */
  void (*xFree)(void *p);              /* p may be NULL */
} el_allocator;

/* Install a (NULL restores libc). The struct is copied. */
void el_alloc_set(const el_allocator *a);

/* malloc/calloc/realloc/free through the installed allocator. A size of 0 is
** treated as 1, so NULL always means out of memory. el_calloc and
** el_reallocarray check n * size for overflow. */
void *el_malloc(size_t n);
void *el_calloc(size_t n, size_t size);
void *el_realloc(void *p, size_t n);
void *el_reallocarray(void *p, size_t n, size_t size);
void el_free(void *p);

/* A NUL-terminated copy of the n bytes at s (NULL when out of memory). */
char *el_strndup(const char *s, size_t n);

#endif
