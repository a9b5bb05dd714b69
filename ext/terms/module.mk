# ext/terms: export_terms(), export_lexicon, eccn_parse(), cfr_parse().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters;
# GEN_HDRS: headers generated at build time into $(B)/gen, with their rules here.
CORE_SRC += ext/terms/el_terms.c
SQL_SRC  += ext/terms/terms_sql.c
GEN_HDRS += $(B)/gen/el_lexicon_data.h

$(B)/gen/el_lexicon_data.h: ext/terms/gen_lexicon.py ext/terms/lexicon.tsv ext/terms/inflections.tsv ext/terms/org_masks.tsv \
                             ext/terms/hs_qualifiers.txt ext/terms/initials_small_words.txt ext/common/genwords.py | build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$$(command -v /usr/bin/python3 || command -v python3) ext/terms/gen_lexicon.py ext/terms/lexicon.tsv > $@.tmp && mv $@.tmp $@

# The benchmark's peer: the same lexicon as one PCRE2 alternation, behind a
# small loadable extension (regexp-style matching); built on demand by
# tests/bench/bench_terms.py.
$(B)/bench/terms_pcre2_peer.so: tests/bench/terms_pcre2_peer.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< $(LIBS)

# make eval: export_terms() recall and precision on an annotated development
# set kept outside the repository (EL_TERMS_DEVSET; a skip line when unset).
EVAL_TARGETS += eval-terms
.PHONY: eval-terms
eval-terms: all
	@py=$$(PYTHON="$(PYTHON)" bash tests/find_python.sh) || { echo "make eval: no Python able to load extensions"; exit 1; }; \
	  "$$py" tests/bench/eval_terms.py --ext $(B)/exportlens
