/*
** exportlens capability: quotes(), claims().
** The SQL adapters register through el_quotes_register(), called from
** ext/exportlens.c's capability table.
*/
#ifndef EL_QUOTES_QUOTES_H
#define EL_QUOTES_QUOTES_H

#include "sqlite3ext.h"

int el_quotes_register(sqlite3 *db, char **pzErr);

#endif
