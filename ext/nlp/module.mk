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
NLP_CORE_SRC := ext/nlp/el_perceptron.c ext/nlp/el_model.c
NLP_MODEL_SRC := ext/nlp/el_models.c
NLP_MODELS   := ext/nlp/models/ud.bin
CORE_SRC += $(NLP_CORE_SRC) $(NLP_MODEL_SRC)
GEN_HDRS += $(B)/gen/el_models_gen.h
NLP_DATA ?= ../shared/data

# A header that changes whenever a model does (its size and checksum), so
# that everything embedding the models is rebuilt.
$(B)/gen/el_models_gen.h: $(NLP_MODELS) | build/.deps-ok
	@mkdir -p $(dir $@)
	@{ echo '/* generated from the model files; do not edit */'; \
	  for f in $(NLP_MODELS); do echo "/* $$f: $$(cksum < $$f) */"; done; } > $@.tmp && mv $@.tmp $@

# The NER model's rules (written by the NER work; absent until then).
-include ext/nlp/ner.mk
