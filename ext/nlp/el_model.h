/*
** Model files and how they are built into the extension. No SQLite here.
**
** A model file (ext/nlp/models/<name>.bin, committed, written by the C
** trainers behind `make models`) is a container of named sections, each
** 64-byte aligned, so that every section can be used in place:
**
**   "ELBLOB01"  magic
**   uint32      section count, uint32 0
**   count x     {char name[48]; uint64 offset; uint64 length}  (offsets from the
**               start of the file)
**   data        the sections, each starting at a multiple of 64
**
** A section is typically an averaged-perceptron blob (el_perceptron.h), a
** string table or a lexicon; its owner knows its layout.
**
** Embedding: EL_INCBIN(sym, "ext/nlp/models/x.bin") in a .c file puts the
** file's bytes in the object's read-only data (the assembler's .incbin; the
** path is relative to the repository root, where make runs), between the
** hidden symbols sym and sym_end. The bytes are then shared by every process
** that maps the .so, and by every connection: nothing is copied or parsed
** into the heap. ext/nlp/el_models.c embeds the models of this folder; a
** module.mk lists each model file as a dependency of the generated header
** $(B)/gen/el_models.h, so objects rebuild when a model changes.
**
** Writing: el_blob_writer collects sections and writes the container.
*/
#ifndef EL_NLP_EL_MODEL_H
#define EL_NLP_EL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define EL_BLOB_MAGIC "ELBLOB01"
#define EL_BLOB_NAME 48
#define EL_BLOB_ALIGN 64

/* The bytes of file `path` between the symbols sym and sym_end. */
#define EL_INCBIN(sym, path)                                                       \
  __asm__(".section .rodata\n.balign 64\n.globl " #sym "\n.hidden " #sym "\n" #sym \
          ":\n.incbin \"" path "\"\n.globl " #sym "_end\n.hidden " #sym "_end\n" #sym \
          "_end:\n.byte 0\n.previous\n");                                           \
  extern const unsigned char sym[], sym##_end[]

/* Find section `name` in a container; returns 0 and sets *data and *len, or
** -1 when the blob is not a valid container or has no such section. Checks
** every offset against len. */
int el_blob_find(const void *blob, size_t len, const char *name, const void **data,
                 size_t *dlen);

/* Number of sections, or -1 when blob is not a valid container. */
int el_blob_count(const void *blob, size_t len);

typedef struct el_blob_sec {
  char name[EL_BLOB_NAME];
  unsigned char *data;
  size_t len;
} el_blob_sec;

typedef struct el_blob_writer {
  el_blob_sec *sec;
  int n, cap;
  int failed; /* sticky: an allocation failed */
} el_blob_writer;

void el_blob_writer_init(el_blob_writer *w);
/* Add a copy of data as section name (names are unique, < 48 bytes).
** Returns 0 or -1 (and the writer's failed flag is set). */
int el_blob_add(el_blob_writer *w, const char *name, const void *data, size_t len);
/* The container, in sections' order of addition; *out is el_malloc'ed. */
int el_blob_finish(el_blob_writer *w, unsigned char **out, size_t *len);
void el_blob_writer_free(el_blob_writer *w);

#endif
