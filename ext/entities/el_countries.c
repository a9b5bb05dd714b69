/*
** Country lookup (see el_countries.h). The keys are built once per process:
** every code and name goes through the exportlens tokenizer, each word is
** normalised (EL_NORM_FTS: case and diacritics folded, abbreviation periods
** dropped), common abbreviations are spelled out (Rep. -> republic,
** St. -> saint, Isds -> islands), the words the/of/and are dropped, and the
** words are sorted. Lookups normalise the input the same way and bisect.
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../common/el_alloc.h"
#include "el_countries.h"
#include "../text/el_tokenizer.h"
#include "el_entities_data.h"

int el_country_count(void) { return EL_COUNTRY_COUNT; }

const el_country *el_country_at(int idx) {
  return idx >= 0 && idx < EL_COUNTRY_COUNT ? &el_country_table[idx] : NULL;
}

int el_country_alias_count(void) { return EL_COUNTRY_ALIAS_COUNT; }

const el_country_alias *el_country_alias_at(int idx) {
  return idx >= 0 && idx < EL_COUNTRY_ALIAS_COUNT ? &el_country_aliases[idx] : NULL;
}

int el_gaz_count(void) { return EL_GAZ_COUNT; }

const el_gaz_entry *el_gaz_at(int idx) {
  return idx >= 0 && idx < EL_GAZ_COUNT ? &el_gazetteer[idx] : NULL;
}

const char *const *el_first_name_list(int *n) {
  *n = EL_FIRST_NAMES_COUNT;
  return el_first_names;
}

const char *const *el_title_list(int *n) {
  *n = EL_TITLES_COUNT;
  return el_titles;
}

const char *const *el_speech_verb_list(int *n) {
  *n = EL_SPEECH_VERBS_COUNT;
  return el_speech_verbs;
}

const char *const *el_speaker_org_list(int *n) {
  *n = EL_SPEAKER_ORGS_COUNT;
  return el_speaker_orgs;
}

const char *const *el_street_word_list(int *n) {
  *n = EL_STREET_WORDS_COUNT;
  return el_street_words;
}

const char *const *el_quote_title_cue_list(int *n) {
  *n = EL_QUOTE_TITLE_CUES_COUNT;
  return el_quote_title_cues;
}

const char *const *el_speaker_gap_word_list(int *n) {
  *n = EL_SPEAKER_GAP_WORDS_COUNT;
  return el_speaker_gap_words;
}

const char *const *el_quote_frame_verb_list(int *n) {
  *n = EL_QUOTE_FRAME_VERBS_COUNT;
  return el_quote_frame_verbs;
}

const char *const *el_statement_noun_list(int *n) {
  *n = EL_STATEMENT_NOUNS_COUNT;
  return el_statement_nouns;
}

const char *const *el_quote_source_noun_list(int *n) {
  *n = EL_QUOTE_SOURCE_NOUNS_COUNT;
  return el_quote_source_nouns;
}

const char *const *el_name_modifier_head_list(int *n) {
  *n = EL_NAME_MODIFIER_HEADS_COUNT;
  return el_name_modifier_heads;
}

const char *el_country_display(int idx) {
  const el_country *c = el_country_at(idx);
  if (c == NULL) return NULL;
  return c->common_name[0] ? c->common_name : c->name;
}

#define EL_KEY_MAX 256
#define EL_KEY_WORDS 24

static const char *const el_abbrev[][2] = {
  {"rep", "republic"}, {"dem", "democratic"}, {"st", "saint"}, {"ste", "sainte"},
  {"isds", "islands"}, {"is", "islands"}, {"fed", "federated"}, {"sts", "states"},
  {"peoples", "people"}, {"isl", "island"}, {"terr", "territory"},
};

/* Normalised key of z[0..n) into out (EL_KEY_MAX bytes); returns its length,
** or 0 when there is no word or it does not fit. */
static size_t el_country_key(const char *z, size_t n, char *out) {
  el_tokenizer tk;
  el_token tok;
  char words[EL_KEY_WORDS][48];
  size_t lens[EL_KEY_WORDS];
  int nw = 0;
  char pending[48];
  size_t pending_n = 0;
  el_tokenizer_init(&tk, z, n);
  while (el_tokenizer_next(&tk, &tok)) {
    if (tok.kind == EL_PUNCT || tok.kind == EL_SYMBOL) continue;
    if (tok.flags & EL_TF_CLITIC) continue;
    char buf[48];
    size_t len = el_token_norm((const unsigned char *)z, &tok, EL_NORM_FTS, buf, sizeof(buf));
    if (len >= sizeof(buf) || nw == EL_KEY_WORDS) return 0;
    buf[len] = 0;
    if (strcmp(buf, "the") == 0 || strcmp(buf, "of") == 0 || strcmp(buf, "and") == 0) continue;
    /* "u.s.a" without its last period comes as letters: join them ("usa") */
    if (len == 1 && tok.end - tok.start == 1) {
      if (pending_n + 1 < sizeof(pending)) pending[pending_n++] = buf[0];
      continue;
    }
    for (size_t a = 0; a < sizeof(el_abbrev) / sizeof(el_abbrev[0]); a++) {
      if (strcmp(buf, el_abbrev[a][0]) == 0) {
        strcpy(buf, el_abbrev[a][1]);
        len = strlen(buf);
        break;
      }
    }
    /* insertion sort */
    int k = nw++;
    while (k > 0 && strcmp(words[k - 1], buf) > 0) {
      memcpy(words[k], words[k - 1], sizeof(words[0]));
      lens[k] = lens[k - 1];
      k--;
    }
    memcpy(words[k], buf, len + 1);
    lens[k] = len;
  }
  if (pending_n > 0 && nw < EL_KEY_WORDS) {
    pending[pending_n] = 0;
    int k = nw++;
    while (k > 0 && strcmp(words[k - 1], pending) > 0) {
      memcpy(words[k], words[k - 1], sizeof(words[0]));
      lens[k] = lens[k - 1];
      k--;
    }
    memcpy(words[k], pending, pending_n + 1);
    lens[k] = pending_n;
  }
  size_t o = 0;
  for (int i = 0; i < nw; i++) {
    if (o + lens[i] + 1 >= EL_KEY_MAX) return 0;
    if (i) out[o++] = ' ';
    memcpy(out + o, words[i], lens[i]);
    o += lens[i];
  }
  out[o] = 0;
  return o;
}

typedef struct el_ckey {
  char *key;
  int country;
  int order;
} el_ckey;

/* Built by the first el_country_keys_acquire and freed by the last release,
** so that nothing is left behind when the extension is unloaded. */
static el_ckey *el_ckeys;
static size_t el_nckeys;
static int el_ckeys_refs;
static pthread_mutex_t el_ckeys_mu = PTHREAD_MUTEX_INITIALIZER;

static int el_ckey_cmp(const void *a, const void *b) {
  const el_ckey *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Codes live in their own key space, marked by a leading '#', so that a name
** whose normalised key happens to spell a code ("St." -> "st", the alpha-2 code
** of Sao Tome and Principe) does not resolve to it; el_country_lookup tries
** the code space only for input written as a code (el_code_shape). */
#define EL_CODE_MARK '#'

static int el_ckey_add(el_ckey *keys, size_t *n, const char *name, int country, int code) {
  char k[EL_KEY_MAX + 1];
  if (name == NULL || !name[0]) return 0;
  size_t len = el_country_key(name, strlen(name), k + (code ? 1 : 0));
  if (len == 0 || len + 1 >= EL_KEY_MAX) return 0;
  if (code) k[0] = EL_CODE_MARK, len++;
  char *copy = el_malloc(len + 1);
  if (copy == NULL) return -1;
  memcpy(copy, k, len + 1);
  keys[*n].key = copy;
  keys[*n].country = country;
  keys[*n].order = (int)*n;
  (*n)++;
  return 0;
}

static void el_ckeys_build(void) {
  size_t cap = (size_t)EL_COUNTRY_COUNT * 6 + EL_COUNTRY_ALIAS_COUNT;
  el_ckey *keys = el_malloc(sizeof(*keys) * cap);
  size_t n = 0;
  int rc = 0;
  if (keys == NULL) return;
  /* Earlier keys win: codes, then the project's aliases, then ISO names. */
  for (int i = 0; i < EL_COUNTRY_COUNT && rc == 0; i++) {
    rc |= el_ckey_add(keys, &n, el_country_table[i].iso3, i, 1);
    rc |= el_ckey_add(keys, &n, el_country_table[i].iso2, i, 1);
    rc |= el_ckey_add(keys, &n, el_country_table[i].numeric, i, 1);
  }
  for (int i = 0; i < EL_COUNTRY_ALIAS_COUNT && rc == 0; i++)
    rc |= el_ckey_add(keys, &n, el_country_aliases[i].text, el_country_aliases[i].country, 0);
  for (int i = 0; i < EL_COUNTRY_COUNT && rc == 0; i++) {
    rc |= el_ckey_add(keys, &n, el_country_table[i].common_name, i, 0);
    rc |= el_ckey_add(keys, &n, el_country_table[i].name, i, 0);
    rc |= el_ckey_add(keys, &n, el_country_table[i].official_name, i, 0);
  }
  if (rc != 0) {
    for (size_t i = 0; i < n; i++) el_free(keys[i].key);
    el_free(keys);
    return;
  }
  qsort(keys, n, sizeof(*keys), el_ckey_cmp);
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    if (w > 0 && strcmp(keys[w - 1].key, keys[i].key) == 0) {
      el_free(keys[i].key); /* a later, weaker duplicate */
      continue;
    }
    keys[w++] = keys[i];
  }
  el_ckeys = keys;
  el_nckeys = w;
}

int el_country_keys_acquire(void) {
  int rc = 0;
  pthread_mutex_lock(&el_ckeys_mu);
  if (el_ckeys_refs == 0) el_ckeys_build();
  if (el_ckeys == NULL) rc = -1;
  else el_ckeys_refs++;
  pthread_mutex_unlock(&el_ckeys_mu);
  return rc;
}

void el_country_keys_release(void) {
  pthread_mutex_lock(&el_ckeys_mu);
  if (el_ckeys_refs > 0 && --el_ckeys_refs == 0) {
    for (size_t i = 0; i < el_nckeys; i++) el_free(el_ckeys[i].key);
    el_free(el_ckeys);
    el_ckeys = NULL;
    el_nckeys = 0;
  }
  pthread_mutex_unlock(&el_ckeys_mu);
}

/* Is z[0..n) written as a code: two or three letters all upper case ("US",
** "DEU") or all lower case ("deu"), upper-case letters each followed by a
** period ("U.S.", "U.S.A."), or three digits ("276")? Surrounding blanks are
** allowed. Mixed case ("St", "In") is a word, not a code. */
static int el_code_shape(const char *z, size_t n) {
  while (n > 0 && (*z == ' ' || *z == '\t')) z++, n--;
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t')) n--;
  int upper = 0, lower = 0, digit = 0, dots = 0;
  for (size_t i = 0; i < n; i++) {
    char c = z[i];
    if (c >= 'A' && c <= 'Z') upper++;
    else if (c >= 'a' && c <= 'z') lower++;
    else if (c >= '0' && c <= '9') digit++;
    else if (c == '.' && i > 0 && z[i - 1] >= 'A' && z[i - 1] <= 'Z') dots++;
    else return 0;
  }
  if (digit) return digit == 3 && upper + lower + dots == 0;
  if (upper + lower < 2 || upper + lower > 3 || (upper && lower)) return 0;
  return dots == 0 || (upper && (dots == upper || dots == upper - 1));
}

static int el_ckey_find(const char *k) {
  size_t lo = 0, hi = el_nckeys;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(el_ckeys[mid].key, k);
    if (c == 0) return el_ckeys[mid].country;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

int el_country_lookup(const char *z, size_t n) {
  char k[EL_KEY_MAX + 1];
  if (el_ckeys == NULL) return -2;
  if (z == NULL || n == 0 || n > 4 * EL_KEY_MAX) return -1;
  if (el_country_key(z, n, k + 1) == 0) return -1;
  if (el_code_shape(z, n)) {
    k[0] = EL_CODE_MARK;
    int c = el_ckey_find(k);
    if (c >= 0) return c;
  }
  return el_ckey_find(k + 1);
}

static int el_ieq(const char *a, size_t n, const char *b) {
  size_t m = strlen(b);
  if (m != n || m == 0) return 0;
  for (size_t i = 0; i < n; i++) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = (char)(x - 32);
    if (y >= 'a' && y <= 'z') y = (char)(y - 32);
    if (x != y) return 0;
  }
  return 1;
}

int el_country_by_code(const char *z, size_t n) {
  if (z == NULL) return -1;
  while (n > 0 && (*z == ' ' || *z == '\t')) z++, n--;
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t')) n--;
  for (int i = 0; i < EL_COUNTRY_COUNT; i++) {
    const el_country *c = &el_country_table[i];
    if (el_ieq(z, n, c->iso3) || el_ieq(z, n, c->iso2) || el_ieq(z, n, c->numeric)) return i;
  }
  return -1;
}
