# ext/match: generic matchers, no SQLite: an Aho-Corasick DFA over byte
# classes (el_ac) and a PCRE2 wrapper with limits (el_regex).
CORE_SRC += ext/match/el_ac.c ext/match/el_regex.c
