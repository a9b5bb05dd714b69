/*
** The trained models built into the extension (see el_model.h for the
** mechanism). Kept apart from the other core sources so that the trainers,
** which write these files, link without them.
*/
#include "el_models.h"

#include "el_models_gen.h" /* generated: rebuilds this object when a model changes */

EL_INCBIN(el_model_ud_bytes, "ext/nlp/models/ud.bin");

void el_model_ud(const void **data, size_t *len) {
  *data = el_model_ud_bytes;
  *len = (size_t)(el_model_ud_bytes_end - el_model_ud_bytes);
}
