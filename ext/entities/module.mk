# ext/entities: entities(), countries, country_code().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters;
# GEN_HDRS: headers generated at build time into $(B)/gen, with their rules here.
SQL_SRC  += ext/entities/entities_sql.c
