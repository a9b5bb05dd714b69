/* The core's allocator hook: see el_alloc.h. */
#include "el_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *el_libc_malloc(size_t n) { return malloc(n); }
static void *el_libc_realloc(void *p, size_t n) { return realloc(p, n); }
static void el_libc_free(void *p) { free(p); }

static el_allocator el_current = {el_libc_malloc, el_libc_realloc, el_libc_free};

void el_alloc_set(const el_allocator *a) {
  if (a == NULL || a->xMalloc == NULL || a->xRealloc == NULL || a->xFree == NULL) {
    el_current.xMalloc = el_libc_malloc;
    el_current.xRealloc = el_libc_realloc;
    el_current.xFree = el_libc_free;
  } else {
    el_current = *a;
  }
}

void *el_malloc(size_t n) { return el_current.xMalloc(n ? n : 1); }

void *el_calloc(size_t n, size_t size) {
  if (size != 0 && n > SIZE_MAX / size) return NULL;
  size_t total = n * size;
  void *p = el_malloc(total);
  if (p != NULL) memset(p, 0, total ? total : 1);
  return p;
}

void *el_realloc(void *p, size_t n) { return el_current.xRealloc(p, n ? n : 1); }

void *el_reallocarray(void *p, size_t n, size_t size) {
  if (size != 0 && n > SIZE_MAX / size) return NULL;
  return el_realloc(p, n * size);
}

void el_free(void *p) {
  if (p != NULL) el_current.xFree(p);
}

char *el_strndup(const char *s, size_t n) {
  char *z = el_malloc(n + 1);
  if (z == NULL) return NULL;
  if (n) memcpy(z, s, n);
  z[n] = '\0';
  return z;
}
