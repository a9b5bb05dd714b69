# ext/entities: entities(), countries, country_code(), country_name().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters;
# GEN_HDRS: headers generated at build time into $(B)/gen, with their rules here.
CORE_SRC += ext/entities/el_lexicon.c ext/entities/el_countries.c ext/entities/el_entities.c \
            ext/entities/el_ent_choose.c ext/entities/el_ent_person.c ext/entities/el_ent_org.c \
            ext/entities/el_ent_numeric.c ext/entities/el_ent_model.c
SQL_SRC  += ext/entities/entities_sql.c
GEN_HDRS += $(B)/gen/el_entities_data.h $(B)/gen/el_entity_words.h
EL_ISO3166 ?= /usr/share/iso-codes/json/iso_3166-1.json

# The country table and gazetteers; speech_verbs.txt is the tokenizer's list.
$(B)/gen/el_entities_data.h: ext/entities/gen_entities.py ext/common/genwords.py $(wildcard ext/entities/data/*) ext/text/data/speech_verbs.txt | build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$$(command -v /usr/bin/python3 || command -v python3) ext/entities/gen_entities.py $(EL_ISO3166) ext/entities/data > $@.tmp && mv $@.tmp $@

# The rules' word lists (stop words, organisation heads, months...).
$(B)/gen/el_entity_words.h: ext/entities/gen_entities.py ext/common/genwords.py $(wildcard ext/entities/data/*) | build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$$(command -v /usr/bin/python3 || command -v python3) ext/entities/gen_entities.py --words ext/entities/data > $@.tmp && mv $@.tmp $@
