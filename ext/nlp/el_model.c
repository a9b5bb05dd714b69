/* Model containers: see el_model.h. */
#include "el_model.h"

#include <string.h>

#include "el_alloc.h"

typedef struct el_blob_ent {
  char name[EL_BLOB_NAME];
  uint64_t off, len;
} el_blob_ent;

#define EL_BLOB_HEAD 16

int el_blob_count(const void *blob, size_t len) {
  const unsigned char *b = blob;
  if (b == NULL || len < EL_BLOB_HEAD || memcmp(b, EL_BLOB_MAGIC, 8) != 0) return -1;
  uint32_t n;
  memcpy(&n, b + 8, 4);
  if (n > (len - EL_BLOB_HEAD) / sizeof(el_blob_ent)) return -1;
  return (int)n;
}

int el_blob_find(const void *blob, size_t len, const char *name, const void **data,
                 size_t *dlen) {
  int n = el_blob_count(blob, len);
  const unsigned char *b = blob;
  for (int i = 0; i < n; i++) {
    el_blob_ent e;
    memcpy(&e, b + EL_BLOB_HEAD + (size_t)i * sizeof(e), sizeof(e));
    if (strncmp(e.name, name, EL_BLOB_NAME) != 0) continue;
    if (e.off > len || e.len > len - e.off) return -1;
    *data = b + e.off;
    *dlen = (size_t)e.len;
    return 0;
  }
  return -1;
}

void el_blob_writer_init(el_blob_writer *w) { memset(w, 0, sizeof(*w)); }

int el_blob_add(el_blob_writer *w, const char *name, const void *data, size_t len) {
  if (w->failed || strlen(name) >= EL_BLOB_NAME) {
    w->failed = 1;
    return -1;
  }
  if (w->n == w->cap) {
    int ncap = w->cap ? w->cap * 2 : 16;
    el_blob_sec *ns = el_reallocarray(w->sec, (size_t)ncap, sizeof(*ns));
    if (ns == NULL) {
      w->failed = 1;
      return -1;
    }
    w->sec = ns;
    w->cap = ncap;
  }
  el_blob_sec *s = &w->sec[w->n];
  memset(s->name, 0, sizeof(s->name));
  memcpy(s->name, name, strlen(name));
  s->data = el_malloc(len);
  if (s->data == NULL) {
    w->failed = 1;
    return -1;
  }
  if (len) memcpy(s->data, data, len);
  s->len = len;
  w->n++;
  return 0;
}

int el_blob_finish(el_blob_writer *w, unsigned char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  if (w->failed) return -1;
  size_t off = EL_BLOB_HEAD + (size_t)w->n * sizeof(el_blob_ent);
  size_t total = off;
  for (int i = 0; i < w->n; i++) {
    total = (total + EL_BLOB_ALIGN - 1) & ~(size_t)(EL_BLOB_ALIGN - 1);
    total += w->sec[i].len;
  }
  unsigned char *b = el_calloc(1, total ? total : 1);
  if (b == NULL) return -1;
  memcpy(b, EL_BLOB_MAGIC, 8);
  uint32_t n = (uint32_t)w->n;
  memcpy(b + 8, &n, 4);
  for (int i = 0; i < w->n; i++) {
    off = (off + EL_BLOB_ALIGN - 1) & ~(size_t)(EL_BLOB_ALIGN - 1);
    el_blob_ent e;
    memset(&e, 0, sizeof(e));
    memcpy(e.name, w->sec[i].name, EL_BLOB_NAME);
    e.off = off;
    e.len = w->sec[i].len;
    memcpy(b + EL_BLOB_HEAD + (size_t)i * sizeof(e), &e, sizeof(e));
    if (w->sec[i].len) memcpy(b + off, w->sec[i].data, w->sec[i].len);
    off += w->sec[i].len;
  }
  *out = b;
  *len = total;
  return 0;
}

void el_blob_writer_free(el_blob_writer *w) {
  for (int i = 0; i < w->n; i++) el_free(w->sec[i].data);
  el_free(w->sec);
  memset(w, 0, sizeof(*w));
}
