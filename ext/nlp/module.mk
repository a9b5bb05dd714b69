# ext/nlp: the linguistic core. Each part has its own .mk.
-include ext/nlp/ner.mk
