# ext/quotes: quotes(), claims().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters.
SQL_SRC  += ext/quotes/quotes_sql.c
CORE_SRC += ext/quotes/el_quotes.c

# `make eval`: quote-speaker and PERSON scores on a hand-annotated dev set
# (EL_QUOTES_DEVSET; a skip line without one).
EVAL_TARGETS += eval-quotes
.PHONY: eval-quotes
eval-quotes: all
	@PY=$$(PYTHON="$(PYTHON)" bash tests/find_python.sh) && \
	  "$$PY" tests/bench/eval_quotes.py --build $(B)
