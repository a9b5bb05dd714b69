/*
** Word clusters and capitalisation statistics for the NER trainer (see
** el_ner_clusters.c). Trainer only: not part of the extension.
*/
#ifndef EL_NLP_EL_NER_CLUSTERS_H
#define EL_NLP_EL_NER_CLUSTERS_H

#include <stddef.h>
#include <stdint.h>

/* Add raw text, a JSON-lines corpus ("text" members, gzip) or the "# text ="
** lines of a CoNLL-U treebank (gzip). */
void el_ner_cl_text(const char *z, size_t n);
void el_ner_cl_jsonl(const char *path);
void el_ner_cl_conllu(const char *path);

/* Cluster the frequent words (c1 coarse clusters, c2 fine ones in each) and
** call emit for each word, in order of frequency: clusters from 1, cap the
** capitalisation bucket (0 unknown, 1 rarely .. 4 always capitalised).
** Returns the number of words. */
typedef void (*el_ner_cl_fn)(void *ctx, const char *w, size_t n, uint16_t c1, uint16_t c2,
                             uint8_t cap);
size_t el_ner_cl_build(int c1, int c2, el_ner_cl_fn emit, void *ctx);
void el_ner_cl_free(void);

#endif
