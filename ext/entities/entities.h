/*
** exportlens capability: entities(), countries, country_code().
** The SQL adapters register through el_entities_register(), called from
** ext/exportlens.c's capability table.
*/
#ifndef EL_ENTITIES_ENTITIES_H
#define EL_ENTITIES_ENTITIES_H

#include "sqlite3ext.h"

int el_entities_register(sqlite3 *db, char **pzErr);

#endif
