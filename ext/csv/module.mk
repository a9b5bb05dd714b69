# ext/csv: CSV import: csv_file, csv_sniff(), csv_import().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters;
# GEN_HDRS: headers generated at build time into $(B)/gen, with their rules here.
CORE_SRC += ext/csv/el_csvreader.c ext/csv/el_csvsniff.c ext/csv/el_csvinput.c
SQL_SRC  += ext/csv/csv_sql.c ext/csv/csv_import.c ext/csv/lines_sql.c ext/csv/csv_glob.c
