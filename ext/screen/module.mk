# ext/screen: name_similarity(), name_key(), screen().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters;
# GEN_HDRS: headers generated at build time into $(B)/gen, with their rules here.
CORE_SRC += ext/screen/el_names.c ext/screen/el_sindex.c
SQL_SRC  += ext/screen/screen_sql.c
GEN_HDRS += $(B)/gen/el_screen_words.h

# The normaliser's word lists: ext/screen/data/ -> $(B)/gen/el_screen_words.h
$(B)/gen/el_screen_words.h: ext/screen/gen_screen_words.py ext/common/genwords.py $(wildcard ext/screen/data/*) | build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$$(command -v /usr/bin/python3 || command -v python3) ext/screen/gen_screen_words.py ext/screen/data > $@.tmp && mv $@.tmp $@
