# ext/quotes: quotes(), claims().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters.
SQL_SRC  += ext/quotes/quotes_sql.c
CORE_SRC += ext/quotes/el_quotes.c ext/quotes/el_claims.c

# make eval: claims() on a hand-annotated dev set kept outside the repository
# (EL_CLAIMS_DEVSET; see tests/bench/eval_claims.py). Skips without it.
EVAL_TARGETS += eval-claims
.PHONY: eval-claims
eval-claims: all
	@py=$$(PYTHON="$(PYTHON)" bash tests/find_python.sh) || { echo "make eval: no Python able to load extensions"; exit 1; }; \
	  EXPORTLENS=$(B)/exportlens $$py tests/bench/eval_claims.py

# The word lists, one generator: claims()' lists in ext/quotes/claim_words.tsv
# -> $(B)/gen/el_claim_words.h; quotes()' lists and the pronouns both use, one
# file each in ext/quotes/data/ -> $(B)/gen/el_quote_words.h.
GEN_HDRS += $(B)/gen/el_claim_words.h $(B)/gen/el_quote_words.h
$(B)/gen/el_claim_words.h: ext/quotes/gen_quote_words.py ext/common/genwords.py ext/quotes/claim_words.tsv | build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$$(command -v /usr/bin/python3 || command -v python3) ext/quotes/gen_quote_words.py ext/quotes/claim_words.tsv > $@.tmp && mv $@.tmp $@
$(B)/gen/el_quote_words.h: ext/quotes/gen_quote_words.py ext/common/genwords.py $(wildcard ext/quotes/data/*) | build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$$(command -v /usr/bin/python3 || command -v python3) ext/quotes/gen_quote_words.py --words ext/quotes/data > $@.tmp && mv $@.tmp $@

# `make eval`: quote-speaker and PERSON scores on a hand-annotated dev set
# (EL_QUOTES_DEVSET; a skip line without one).
EVAL_TARGETS += eval-quotes
.PHONY: eval-quotes
eval-quotes: all
	@PY=$$(PYTHON="$(PYTHON)" bash tests/find_python.sh) && \
	  "$$PY" tests/bench/eval_quotes.py --build $(B)
