# ext/nlp, named entities (included by ext/nlp/module.mk): the tagger
# (el_ner.c), its built-in model (el_ner_blob.c embeds models/ner.bin), the
# trainer behind `make models` and the scorer behind `make eval`.
NER_BLOB_SRC := ext/nlp/el_ner_blob.c
CORE_SRC += ext/nlp/el_ner.c $(NER_BLOB_SRC)
NER_MODEL := ext/nlp/models/ner.bin
NER_DATA  ?= $(NLP_DATA)/nlp/conll2003

# the generated header that el_ner_blob.c includes changes with the model
NLP_MODELS += $(NER_MODEL)
$(B)/gen/el_models_gen.h: $(NER_MODEL)

# The trainer links the core without the embedded models (it writes them).
NER_TRAIN_SRC := $(filter-out $(NLP_MODEL_SRC) $(NER_BLOB_SRC),$(CORE_SRC))
$(B)/ner_train: ext/nlp/el_ner_train.c ext/nlp/el_ner_clusters.c $(NER_TRAIN_SRC) $(HDRS)
	$(CC) $(ALL_CFLAGS) $(CORE_INC) -o $@ ext/nlp/el_ner_train.c ext/nlp/el_ner_clusters.c \
	  $(NER_TRAIN_SRC) $(LIBS) -lz -lm

# `make models`: retrain the NER model from ../shared/data (about 10 s):
# CoNLL-2003 English train for the tags; the Federal Register abstracts, the
# UD English-EWT train sentences and the CoNLL documents for the word
# clusters and capitalisation statistics. Deterministic: the same data give
# the same file, byte for byte (tests/python/test_ner.py checks it).
NER_TRAIN_ARGS = --train $(NER_DATA)/train.txt.gz \
  --corpus $(NLP_DATA)/corpus/federal_register_abstracts.jsonl.gz \
  --ud $(NLP_DATA)/nlp/ud-ewt/en_ewt-ud-train.conllu.gz --epochs 15 --seed 1
MODEL_TARGETS += ner-model
EVAL_TARGETS += eval-ner
.PHONY: ner-model eval-ner
NER_MODEL_OUT ?= $(NER_MODEL)
ner-model:
	$(call ensure_packages,zlib1g-dev)
	$(MAKE) $(B)/ner_train
	$(B)/ner_train $(NER_TRAIN_ARGS) --out $(NER_MODEL_OUT)

# `make eval`: exact-span NER scores of entities() on CoNLL-2003 valid
eval-ner: all
	@PY=$$(PYTHON="$(PYTHON)" bash tests/find_python.sh) && \
	  "$$PY" ext/nlp/eval_ner.py --build $(B) --data $(NER_DATA)
