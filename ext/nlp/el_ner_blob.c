/*
** The named-entity model built into the extension: ext/nlp/models/ner.bin
** (trained by `make models`), embedded by the assembler (el_model.h). Kept
** apart from el_ner.c so that the trainer, which writes the file, links
** without it.
*/
#include "el_model.h"
#include "el_models_gen.h" /* generated: rebuilds this object when a model changes */
#include "el_ner.h"

EL_INCBIN(el_model_ner_bytes, "ext/nlp/models/ner.bin");

void el_model_ner(const void **data, size_t *len) {
  *data = el_model_ner_bytes;
  *len = (size_t)(el_model_ner_bytes_end - el_model_ner_bytes);
}
