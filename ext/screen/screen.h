/*
** exportlens capability: name_similarity(), name_key(), screen().
** The SQL adapters register through el_screen_register(), called from
** ext/exportlens.c's capability table.
*/
#ifndef EL_SCREEN_SCREEN_H
#define EL_SCREEN_SCREEN_H

#include "sqlite3ext.h"

int el_screen_register(sqlite3 *db, char **pzErr);

#endif
