/*
** exportlens capability: conllu() (the tokens() columns upos, xpos, lemma,
** head and dep live in ext/text/text_sql.c and call the same core).
** The SQL adapters register through el_nlp_register(), called from
** ext/exportlens.c's capability table.
*/
#ifndef EL_NLP_NLP_H
#define EL_NLP_NLP_H

#include "sqlite3ext.h"

int el_nlp_register(sqlite3 *db, char **pzErr);

#endif
