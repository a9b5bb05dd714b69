# ext/terms: export_terms(), export_lexicon, eccn_parse(), cfr_parse().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters;
# GEN_HDRS: headers generated at build time into $(B)/gen, with their rules here.
SQL_SRC  += ext/terms/terms_sql.c
