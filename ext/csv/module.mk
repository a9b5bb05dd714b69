# ext/csv: CSV import: csv_file, csv_sniff(), csv_import().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters;
# GEN_HDRS: headers generated at build time into $(B)/gen, with their rules here.
CORE_SRC += ext/csv/el_csvreader.c ext/csv/el_csvsniff.c ext/csv/el_csvinput.c
SQL_SRC  += ext/csv/csv_sql.c ext/csv/csv_import.c ext/csv/lines_sql.c ext/csv/csv_glob.c
GEN_HDRS += $(B)/gen/el_csv_months.h

$(B)/gen/el_csv_months.h: ext/csv/gen_months.py ext/common/genwords.py ext/csv/data/months.tsv | build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$$(command -v /usr/bin/python3 || command -v python3) ext/csv/gen_months.py ext/csv/data/months.tsv > $@.tmp && mv $@.tmp $@
