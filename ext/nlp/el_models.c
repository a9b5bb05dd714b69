/*
** The trained models built into the extension (see el_model.h for the
** mechanism). Kept apart from the other core sources so that the trainers,
** which write these files, link without them.
*/
#include "el_models.h"

#include <pthread.h>

#include "el_nlp_int.h"

#include "el_models_gen.h" /* generated: rebuilds this object when a model changes */

EL_INCBIN(el_model_ud_bytes, "ext/nlp/models/ud.bin");

void el_model_ud(const void **data, size_t *len) {
  *data = el_model_ud_bytes;
  *len = (size_t)(el_model_ud_bytes_end - el_model_ud_bytes);
}

static el_nlp el_default_model;
static int el_default_ok;
static pthread_once_t el_default_once = PTHREAD_ONCE_INIT;

static void el_default_init(void) {
  const void *d;
  size_t n;
  el_model_ud(&d, &n);
  el_default_ok = el_nlp_init(&el_default_model, d, n) == 0;
}

const el_nlp *el_nlp_default(void) {
  pthread_once(&el_default_once, el_default_init);
  return el_default_ok ? &el_default_model : NULL;
}
