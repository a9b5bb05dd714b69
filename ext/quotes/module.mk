# ext/quotes: quotes(), claims().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters.
SQL_SRC  += ext/quotes/quotes_sql.c
CORE_SRC += ext/quotes/el_quotes.c ext/quotes/el_claims.c
