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
