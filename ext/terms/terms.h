/*
** exportlens capability: export_terms(), export_lexicon, eccn_parse(), cfr_parse().
** The SQL adapters register through el_terms_register(), called from
** ext/exportlens.c's capability table.
*/
#ifndef EL_TERMS_TERMS_H
#define EL_TERMS_TERMS_H

#include "sqlite3ext.h"

int el_terms_register(sqlite3 *db, char **pzErr);

#endif
