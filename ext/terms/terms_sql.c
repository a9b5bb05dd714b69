/* SQL adapters for export_terms(), export_lexicon, eccn_parse(), cfr_parse() (not yet built). */
#include "../common/el_sqlite.h"

#include "terms.h"

int el_terms_register(sqlite3 *db, char **pzErr) {
  (void)db; (void)pzErr;
  return SQLITE_OK;
}
