# ext/nlp, named entities: the tagger (el_ner.c), its built-in model
# (el_ner_blob.c includes models/ner.bin), the trainer behind `make models`
# and the scorer behind `make eval`.
CORE_SRC += ext/nlp/el_ner.c ext/nlp/el_ner_blob.c
NER_MODEL := ext/nlp/models/ner.bin
NER_DATA  ?= ../shared/data/nlp/conll2003

# the model is data of the library: objects that include it depend on it
$(B)/obj/nlp/el_ner_blob.o $(B)/sobj/nlp/el_ner_blob.o: $(NER_MODEL)

$(B)/ner_train: ext/nlp/el_ner_train.c $(CORE_SRC) $(HDRS)
	$(CC) $(ALL_CFLAGS) $(CORE_INC) -o $@ ext/nlp/el_ner_train.c $(CORE_SRC) $(LIBS) -lz -lm
