# ext/text: the tokenizer and sentence splitter (its sources are the base set in
# the Makefile). Its word lists live in ext/text/data/ and are generated into a
# header at build time.
GEN_HDRS += $(B)/gen/el_text_words.h

$(B)/gen/el_text_words.h: ext/text/gen_text_words.py ext/common/genwords.py $(wildcard ext/text/data/*) | build/.deps-ok
	@mkdir -p $(dir $@)
	$(Q)$$(command -v /usr/bin/python3 || command -v python3) ext/text/gen_text_words.py ext/text/data > $@.tmp && mv $@.tmp $@
