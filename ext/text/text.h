/* The text capability: tokens(), sentences(), token_count(), FTS5 tokenizer. */
#ifndef EL_TEXT_TEXT_H
#define EL_TEXT_TEXT_H
#include "sqlite3ext.h"
int el_text_register(sqlite3 *db, char **pzErr);
int el_text_has_fts5(sqlite3 *db); /* 1 when db has the FTS5 tokenizer "exportlens" */
#endif
