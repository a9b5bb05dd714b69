# ext/screen: name_similarity(), name_key(), screen().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters.
CORE_SRC += ext/screen/el_names.c ext/screen/el_sindex.c
SQL_SRC  += ext/screen/screen_sql.c
