/*
** The country table: ISO 3166-1 (Debian's iso-codes, generated into
** el_entities_data.h at build time), economies that are not countries
** (data/economies.tsv: EUU, XKX, CHI) and the project's aliases, demonyms and
** trade-dataset names (data/country_aliases.tsv). No SQLite here.
*/
#ifndef EL_ENTITIES_EL_COUNTRIES_H
#define EL_ENTITIES_EL_COUNTRIES_H

#include <stddef.h>

typedef struct el_country {
  const char *iso3, *iso2, *numeric, *name, *common_name, *official_name;
} el_country;

/* kind: 1 alias, 2 demonym, 3 trade-dataset name */
typedef struct el_country_alias {
  int country;
  int kind;
  const char *text;
} el_country_alias;

int el_country_count(void);
const el_country *el_country_at(int idx);
int el_country_alias_count(void);
const el_country_alias *el_country_alias_at(int idx);

/* A built-in gazetteer row (the .tsv files in data/): label ORG, GPE, LOC, NORP or PERSON. */
typedef struct el_gaz_entry {
  const char *name, *label, *canonical, *source;
} el_gaz_entry;

int el_gaz_count(void);
const el_gaz_entry *el_gaz_at(int idx);
/* data/first_names.txt and data/titles.txt */
const char *const *el_first_name_list(int *n);
const char *const *el_title_list(int *n);
/* ext/text/data/speech_verbs.txt: the one list of verbs of saying, NULL-terminated
** (n does not count the NULL) */
const char *const *el_speech_verb_list(int *n);
/* data/speaker_orgs.txt: role nouns that stand for an organisation ("the
** company said"), NULL-terminated */
const char *const *el_speaker_org_list(int *n);
/* data/quote_title_cues.txt: "titled", "called" ... before a quoted title,
** NULL-terminated */
const char *const *el_quote_title_cue_list(int *n);
/* data/speaker_gap_words.txt: prepositions that open a phrase between a
** speaker and the speech verb ("X in an interview said"). NULL-terminated. */
const char *const *el_speaker_gap_word_list(int *n);
/* data/statement_nouns.txt: "the following statement:", "a statement that can
** be attributed to X:". NULL-terminated. */
const char *const *el_statement_noun_list(int *n);
/* data/quote_source_nouns.txt: "complaints from X that ... \"...\"": nouns of
** saying whose source follows from/by. NULL-terminated. */
const char *const *el_quote_source_noun_list(int *n);
/* data/quote_frame_verbs.txt: lemmas of verbs that frame a quote ("called the
** tariffs \"...\"", "promised to \"...\""), used through the parse. */
const char *const *el_quote_frame_verb_list(int *n);
/* data/name_modifier_heads.txt: "administration" in "the Biden
** administration", where a surname names no person. NULL-terminated. */
const char *const *el_name_modifier_head_list(int *n);
/* data/street_words.txt: "Drive", "Street" ... (not part of a person's name) */
const char *const *el_street_word_list(int *n);

/* The name to show for a country: its common name, else its ISO name. */
const char *el_country_display(int idx);

/* The lookup table of el_country_lookup is built by the first acquire and
** freed by the last release (thread-safe). Returns 0, or -1 when out of
** memory. */
int el_country_keys_acquire(void);
void el_country_keys_release(void);

/* Country for a name, alias, demonym, ISO2, ISO3 or numeric code, ignoring
** case, diacritics, punctuation, word order and the words the/of/and
** ("Korea, Rep." = "Rep. of Korea" = "KOR"); -1 when unknown, -2 when the
** table is not built (no el_country_keys_acquire). */
int el_country_lookup(const char *z, size_t n);

/* Country for an ISO3, ISO2 or numeric code (case-insensitive), or -1. */
int el_country_by_code(const char *z, size_t n);

#endif
