/* The models built into the extension (ext/nlp/el_models.c). No SQLite here. */
#ifndef EL_NLP_EL_MODELS_H
#define EL_NLP_EL_MODELS_H

#include <stddef.h>

#include "el_model.h"

/* The UD model (segmenter, tagger, lemmatizer, parser): a container of
** sections, in read-only memory, 64-byte aligned. */
void el_model_ud(const void **data, size_t *len);

#endif
