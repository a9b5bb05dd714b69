# ext/nlp: the trained linguistic core (UD words, tagger, lemmatizer,
# dependency parser; the NER model adds itself through ner.mk) and conllu().
# CORE_SRC: no SQLite (unit tests, fuzz targets); SQL_SRC: the adapters.
#
#   make models   retrain every model from ../shared/data (C trainers,
#                 deterministic): MODEL_TARGETS, appended to by each .mk
#   make eval     print the dev scores of the built models: EVAL_TARGETS
#
# The trained models are committed under ext/nlp/models/ and built into the
# .so by ext/nlp/el_models.c (the assembler's .incbin). The trainers link
# the core without el_models.c, since they write those files.
NLP_CORE_SRC := ext/nlp/el_perceptron.c ext/nlp/el_model.c ext/nlp/el_udseg.c \
                ext/nlp/el_tagger.c ext/nlp/el_parser.c ext/nlp/el_nlp.c ext/nlp/el_conllu.c
NLP_MODEL_SRC := ext/nlp/el_models.c
NLP_MODELS   := ext/nlp/models/ud.bin
CORE_SRC += $(NLP_CORE_SRC) $(NLP_MODEL_SRC)
SQL_SRC  += ext/nlp/nlp_sql.c
GEN_HDRS += $(B)/gen/el_models_gen.h $(B)/gen/el_nlp_words.h
NLP_DATA ?= ../shared/data

# A header that changes whenever a model does (its size and checksum), so
# that everything embedding the models is rebuilt.
$(B)/gen/el_models_gen.h: $(NLP_MODELS) | build/.deps-ok
	@mkdir -p $(dir $@)
	@{ echo '/* generated from the model files; do not edit */'; \
	  for f in $(NLP_MODELS); do echo "/* $$f: $$(cksum < $$f) */"; done; } > $@.tmp && mv $@.tmp $@

# The UD word layer's word lists (ext/nlp/data/), generated into a header.
$(B)/gen/el_nlp_words.h: ext/nlp/gen_nlp_words.py $(wildcard ext/nlp/data/*) | build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$$(command -v /usr/bin/python3 || command -v python3) ext/nlp/gen_nlp_words.py ext/nlp/data > $@.tmp && mv $@.tmp $@

# The trainers: the core they need, without the built-in models.
NLP_TRAIN_SRC := ext/common/el_alloc.c ext/common/el_unicode.c ext/text/el_tokenizer.c \
                 $(NLP_CORE_SRC) ext/nlp/train/conllu.c
NLP_TRAIN_DEPS := $(NLP_TRAIN_SRC) $(wildcard ext/nlp/*.h ext/nlp/train/*.h) ext/common/el_unicode_data.h \
                  $(B)/gen/el_nlp_words.h

$(B)/nlp/train_ud: ext/nlp/train/train_ud.c $(NLP_TRAIN_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ ext/nlp/train/train_ud.c $(NLP_TRAIN_SRC) -lz

$(B)/nlp/train_clusters: ext/nlp/train/train_clusters.c $(NLP_TRAIN_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ ext/nlp/train/train_clusters.c $(NLP_TRAIN_SRC) -lz -lm

$(B)/nlp/bench_nlp: ext/nlp/train/bench_nlp.c $(NLP_TRAIN_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ ext/nlp/train/bench_nlp.c $(NLP_TRAIN_SRC) -lz

# make models: word clusters from the Federal Register abstracts and the
# treebank's training text, then the UD model (about 5 minutes on 2 cores).
NLP_EWT    ?= $(NLP_DATA)/nlp/ud-ewt
NLP_CORPUS ?= $(NLP_DATA)/corpus/federal_register_abstracts.jsonl.gz
MODEL_TARGETS += models-ud
EVAL_TARGETS  += eval-ud
.PHONY: models-ud eval-ud nlp-train-deps

nlp-train-deps: build/.deps-ok
	$(call ensure_packages,zlib1g-dev)

models-ud: nlp-train-deps
	@test -f $(NLP_EWT)/en_ewt-ud-train.conllu.gz -a -f $(NLP_CORPUS) || \
	  { echo "make models: the training data is not there ($(NLP_EWT), $(NLP_CORPUS));"; \
	    echo "  set NLP_DATA to the folder holding nlp/ and corpus/"; exit 1; }
	$(MAKE) $(B)/nlp/train_ud $(B)/nlp/train_clusters
	$(B)/nlp/train_clusters $(B)/nlp/clusters.tsv $(NLP_CORPUS) \
	  $(NLP_EWT)/en_ewt-ud-train.conllu.gz
	$(B)/nlp/train_ud $(NLP_EWT)/en_ewt-ud-train.conllu.gz $(NLP_EWT)/en_ewt-ud-dev.conllu.gz \
	  $(B)/nlp/clusters.tsv ext/nlp/models/ud.bin

# make eval: conllu() on each dev sentence's text, scored as the CoNLL 2018
# shared task scores (ext/nlp/eval_ud.py).
eval-ud: all
	@test -f $(NLP_EWT)/en_ewt-ud-dev.conllu.gz || \
	  { echo "make eval: $(NLP_EWT)/en_ewt-ud-dev.conllu.gz not found"; exit 1; }
	@py=$$(PYTHON="$(PYTHON)" bash tests/find_python.sh) || { echo "make eval: no Python able to load extensions"; exit 1; }; \
	  $$py ext/nlp/eval_ud.py $(B)/exportlens.so $(NLP_EWT)/en_ewt-ud-dev.conllu.gz

# The NER model's rules (written by the NER work; absent until then).
-include ext/nlp/ner.mk
