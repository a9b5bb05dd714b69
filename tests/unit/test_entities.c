/*
** Unit tests of the entities core (token trie, country lookup, extractor),
** without SQLite. Prints one line per check: "ok - name" or "not ok - name".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_countries.h"
#include "el_entities.h"
#include "el_lexicon.h"
#include "el_tokenizer.h"

#include "check.h"

/* Entities of text as "entity/LABEL/canonical; ..." (MONEY and PERCENT show
** their value with %g). Also checks the spans' invariants. */
static void render(el_ent *e, const char *text, char *out, size_t cap, int *ok) {
  el_ent_span sp;
  size_t o = 0, last_end = 0, last_sentence = 0;
  size_t n = strlen(text);
  out[0] = 0;
  *ok = 1;
  el_ent_start(e, text, n);
  int rc;
  while ((rc = el_ent_next(e, &sp)) == 1) {
    if (sp.start >= sp.end || sp.end > n || sp.start < last_end || sp.sentence < last_sentence)
      *ok = 0;
    last_end = sp.end;
    last_sentence = sp.sentence;
    char canon[64];
    if (sp.has_value) snprintf(canon, sizeof(canon), "%g", sp.value);
    else snprintf(canon, sizeof(canon), "%s", sp.canonical ? sp.canonical : "");
    int w = snprintf(out + o, cap - o, "%s%.*s/%s/%s", o ? "; " : "", (int)(sp.end - sp.start),
                     text + sp.start, sp.label, canon);
    if (w < 0 || (size_t)w >= cap - o) break;
    o += (size_t)w;
  }
  if (rc < 0) *ok = 0;
}

static void expect(el_ent *e, const char *name, const char *text, const char *want) {
  char got[8192], detail[16384];
  int ok;
  render(e, text, got, sizeof(got), &ok);
  snprintf(detail, sizeof(detail), "\n   want: %s\n   got:  %s%s", want, got,
           ok ? "" : "\n   (span invariants broken)");
  check(ok && strcmp(got, want) == 0, name, detail);
}

/* Tokens of s as lexicon tokens (norms into buf). */
static size_t lex_tokens(const char *s, el_lex_tok *out, char *buf, size_t cap) {
  el_tokenizer tk;
  el_token t;
  size_t n = 0, o = 0;
  el_tokenizer_init(&tk, s, strlen(s));
  while (el_tokenizer_next(&tk, &t) && n < 32) {
    size_t len = el_token_norm((const unsigned char *)s, &t, EL_NORM_FTS, buf + o, cap - o);
    out[n].norm = buf + o;
    out[n].nlen = (uint32_t)len;
    out[n].shape = el_lex_shape((const unsigned char *)s, &t);
    out[n].matchable = !(t.flags & EL_TF_CLITIC);
    o += len;
    n++;
  }
  return n;
}

static void test_lexicon(void) {
  el_lex *lx = el_lex_new();
  int added;
  el_lex_add(lx, "US", 2, "GPE", "USA", "t", 0, 0, &added);
  check(added == 1, "lexicon: add", NULL);
  el_lex_add(lx, "United States", 13, "GPE", "USA", "t", 0, 0, NULL);
  el_lex_add(lx, "United States Steel", 19, "ORG", NULL, "t", 0, 0, NULL);
  el_lex_add(lx, "SK hynix", 8, "ORG", NULL, "t", 0, 0, NULL);
  long again = el_lex_add(lx, "U.S.", 4, "GPE", "X", "t", 0, 0, &added);
  check(again == 0 && added == 0, "lexicon: U.S. and US share a token sequence, first kept", NULL);
  check(el_lex_add(lx, "", 0, "X", NULL, NULL, 0, 0, NULL) == -2, "lexicon: empty name refused",
        NULL);
  el_lex_tok t[32];
  char buf[1024];
  size_t len = 0, n;
  n = lex_tokens("the US said", t, buf, sizeof(buf));
  check(el_lex_longest(lx, t, 1, n, &len) == 0 && len == 1, "lexicon: US in capitals", NULL);
  n = lex_tokens("let us go", t, buf, sizeof(buf));
  check(el_lex_longest(lx, t, 1, n, &len) < 0, "lexicon: 'us' is not US", NULL);
  n = lex_tokens("United States Steel said", t, buf, sizeof(buf));
  long e = el_lex_longest(lx, t, 0, n, &len);
  check(e >= 0 && len == 3 && strcmp(el_lex_entry_at(lx, e)->label, "ORG") == 0,
        "lexicon: leftmost-longest", NULL);
  n = lex_tokens("United States officials", t, buf, sizeof(buf));
  e = el_lex_longest(lx, t, 0, n, &len);
  check(e >= 0 && len == 2, "lexicon: falls back to the longest complete entry", NULL);
  n = lex_tokens("SK Hynix", t, buf, sizeof(buf));
  check(el_lex_longest(lx, t, 0, n, &len) >= 0, "lexicon: lower-case pattern word matches any case",
        NULL);
  n = lex_tokens("sk hynix", t, buf, sizeof(buf));
  check(el_lex_longest(lx, t, 0, n, &len) < 0, "lexicon: capitals required where written", NULL);
  check(el_lex_lower_start(lx) == 0, "lexicon: no lower-case start", NULL);
  el_lex_add(lx, "mainland", 8, "X", NULL, NULL, 0, 0, NULL);
  check(el_lex_lower_start(lx) == 1, "lexicon: lower-case start noticed", NULL);
  el_lex_free(lx);
}

static void expect_country(const char *name, const char *want) {
  int idx = el_country_lookup(name, strlen(name));
  const char *got = idx >= 0 ? el_country_at(idx)->iso3 : "(none)";
  char label[160], detail[160];
  snprintf(label, sizeof(label), "country_lookup: %s", name);
  snprintf(detail, sizeof(detail), "want %s, got %s", want, got);
  check(strcmp(got, want) == 0, label, detail);
}

static void test_countries(void) {
  check(el_country_count() >= 252, "countries: ISO 3166-1 plus economies", NULL);
  expect_country("Korea, Rep.", "KOR");
  expect_country("Rep. of Korea", "KOR");
  expect_country("republic of KOREA", "KOR");
  expect_country("Korea, Dem. People's Rep.", "PRK");
  expect_country("China, peoples' republic of", "CHN");
  expect_country("Türkiye", "TUR");
  expect_country("Turkiye", "TUR");
  expect_country("Viet Nam", "VNM");
  expect_country("St. Kitts and Nevis", "KNA");
  expect_country("Cayman Isds", "CYM");
  expect_country("Congo, Dem. Rep.", "COD");
  expect_country("Congo, Rep.", "COG");
  expect_country("u.s.a.", "USA");
  expect_country("  American ", "USA");
  expect_country("kor", "KOR");
  expect_country("kr", "KOR");
  expect_country("410", "KOR");
  expect_country("European Union", "EUU");
  expect_country("World", "(none)");
  expect_country("East Asia & Pacific", "(none)");
  expect_country("", "(none)");
  int i = el_country_by_code("usa", 3);
  check(i >= 0 && strcmp(el_country_display(i), "United States") == 0, "country_by_code: usa",
        NULL);
  check(el_country_by_code("United States", 13) < 0, "country_by_code: names are not codes", NULL);
}

static void test_extractor(void) {
  el_ent *e = el_ent_new();
  check(e != NULL, "extractor: created", NULL);
  if (e == NULL) return;
  /* these check the rules; test_model checks the model and the merge */
  check(el_ent_set_model(e, 0) == 0 && !el_ent_model_on(e), "extractor: the rules alone", NULL);
  expect(e, "title before a name; the title is not an entity",
         "Secretary of State Antony Blinken spoke on Monday.",
         "Antony Blinken/PERSON/Antony Blinken; Monday/DATE/");
  expect(e, "an organisation or country inside a title is kept",
         "U.S. Trade Representative Katherine Tai met Commerce Secretary Gina Raimondo.",
         "U.S./GPE/USA; Katherine Tai/PERSON/Katherine Tai; Commerce/ORG/Department of Commerce; "
         "Gina Raimondo/PERSON/Gina Raimondo");
  expect(e, "a title before a surname of the gazetteer", "President Xi met the press.",
         "Xi/PERSON/Xi Jinping");
  expect(e, "surname resolves to the person introduced earlier",
         "Andrew Grotto spoke first. Later, Grotto said little. \"No,\" said Grotto.",
         "Andrew Grotto/PERSON/Andrew Grotto; Grotto/PERSON/Andrew Grotto; "
         "Grotto/PERSON/Andrew Grotto");
  expect(e, "a surname that is a common word",
         "Elizabeth Economy, a senior adviser, spoke. Economy said it was hard.",
         "Elizabeth Economy/PERSON/Elizabeth Economy; Economy/PERSON/Elizabeth Economy");
  expect(e, "unknown name after a speech verb", "The deal is done, said Kowalski.",
         "Kowalski/PERSON/Kowalski");
  expect(e, "a name after a closing quote and a speech verb",
         "\"We are ready,\" Smith said. \u201cNot yet,\u201d Jones added.",
         "Smith/PERSON/Smith; Jones/PERSON/Jones");
  expect(e, "a given name that is also a country", "Chad Bown, a senior fellow, said so.",
         "Chad Bown/PERSON/Chad Bown");
  expect(e, "hyphenated compounds and possessives", "The U.S.-China rift and the U.S.\u2019s plan.",
         "U.S./GPE/USA; China/GPE/CHN; U.S./GPE/USA");
  expect(e, "US-South Korea", "US-South Korea ties", "US/GPE/USA; South Korea/GPE/KOR");
  expect(e, "demonyms are NORP with the country's code",
         "South Korean and Chinese firms met American buyers.",
         "South Korean/NORP/KOR; Chinese/NORP/CHN; American/NORP/USA");
  expect(e, "acronym defined in parentheses, then used",
         "The Center for Quantum Trade Policy (CQTP) said so. CQTP was founded in 2019.",
         "Center for Quantum Trade Policy/ORG/Center for Quantum Trade Policy; "
         "CQTP/ORG/Center for Quantum Trade Policy; CQTP/ORG/Center for Quantum Trade Policy; "
         "2019/DATE/2019");
  expect(e, "known acronyms expand", "Officials at BIS and the NSC agreed.",
         "BIS/ORG/Bureau of Industry and Security; NSC/ORG/National Security Council");
  expect(e, "organisation head last and company suffixes",
         "He joined the Harbor Policy Institute and Qorvex Systems Co., Ltd. last year.",
         "Harbor Policy Institute/ORG/Harbor Policy Institute; "
         "Qorvex Systems Co., Ltd./ORG/Qorvex Systems Co., Ltd.");
  expect(e, "a company's first word stands for it later",
         "Zhongshan Lumen Optics Co., Ltd. sells lenses. Most of Zhongshan's sales are abroad.",
         "Zhongshan Lumen Optics Co., Ltd./ORG/Zhongshan Lumen Optics Co., Ltd.; "
         "Zhongshan/ORG/Zhongshan Lumen Optics Co., Ltd.");
  expect(e, "no person inside a longer capitalised phrase",
         "Data came from the Japan Chip Equipment Survey, an industry tracker.",
         "Japan/GPE/JPN");
  expect(e, "an organisation by apposition; a person's role wins",
         "Data from Qorvane, a Dutch chipmaker, and Lena Dahl, a senior fellow, agree.",
         "Qorvane/ORG/Qorvane; Dutch/NORP/NLD; Lena Dahl/PERSON/Lena Dahl");
  expect(e, "and inside an organisation's name, not between two names",
         "The Food and Drug Administration, Samsung and LG Electronics, Acme and Zenith Corp.",
         "Food and Drug Administration/ORG/Food and Drug Administration; "
         "Samsung/ORG/Samsung Electronics; LG Electronics/ORG/LG Electronics; "
         "Zenith Corp./ORG/Zenith Corp.");
  expect(e, "no organisation from a clause after a comma",
         "Since the agency issued these ADs, the agency has received reports. "
         "Methodologically, the Agency seeks data.", "");
  expect(e, "where a role works: analysts at X", "Analysts at Orvelle estimated a rise.",
         "Orvelle/ORG/Orvelle");
  expect(e, "a name that goes on past its head is not an organisation",
         "The Export Administration Regulations apply.", "");
  expect(e, "a sentence ending in an abbreviation is not a headline", "We met Zenith Corp.",
         "Zenith Corp./ORG/Zenith Corp.");
  expect(e, "title-case headline gives no junk",
         "Big Tech Firms Face Tough New Hurdles Abroad, Experts Say\nThe firms disagree.", "");
  expect(e, "gazetteer names still count in a headline",
         "Huawei Wins Reprieve as Germany Delays Decision\nMore follows.",
         "Huawei/ORG/Huawei Technologies; Germany/GPE/DEU");
  expect(e, "money and percent values",
         "Sales rose 4.5% to $1.2 billion, or 30 percent of the 2,000 million won total.",
         "4.5%/PERCENT/4.5; $1.2 billion/MONEY/1.2e+09; 30 percent/PERCENT/30; "
         "2,000 million won/MONEY/2e+09");
  expect(e, "money with currency signs and codes",
         "They paid \u20ac1 billion, US$5 million, USD 3 million and RMB 10 billion.",
         "\u20ac1 billion/MONEY/1e+09; US$5 million/MONEY/5e+06; USD 3 million/MONEY/3e+06; "
         "RMB 10 billion/MONEY/1e+10");
  expect(e, "dates: full, month-day, month-year, year after a preposition",
         "On Oct. 7, 2022, and June 2 and in March 2023, since 2019; May is a month.",
         "Oct. 7, 2022/DATE/2022-10-07; June 2/DATE/--06-02; March 2023/DATE/2023-03; "
         "2019/DATE/2019; May/DATE/--05");
  expect(e, "a month abbreviation without its period, before a day", "Sept 1 and Jan Smith.",
         "Sept 1/DATE/--09-01; Jan Smith/PERSON/Jan Smith");
  expect(e, "a capitalised word before a known company at a sentence start",
         "Rival Nikon Corp agreed.", "Nikon Corp/ORG/Nikon");
  expect(e, "bylines", "(Reporting by Toby Sterling; Editing by Mark Potter)",
         "Toby Sterling/PERSON/Toby Sterling; Mark Potter/PERSON/Mark Potter");
  expect(e, "May the modal verb at a sentence start", "May I ask? They may.", "");
  expect(e, "countries by alias", "Officials in Britain, the UK and Viet Nam agreed.",
         "Britain/GPE/GBR; UK/GPE/GBR; Viet Nam/GPE/VNM");
  expect(e, "the pronoun us is not the US", "Tell us more.", "");
  expect(e, "People's Republic of China is China", "the People's Republic of China said",
         "People's Republic of China/GPE/CHN");
  /* person_for: the coreference table is available to callers */
  {
    const char *t = "Victor Cha spoke.";
    el_ent_span sp;
    el_ent_start(e, t, strlen(t));
    while (el_ent_next(e, &sp) == 1) {
    }
    const char *p = el_ent_person_for(e, "cha", 3);
    check(p && strcmp(p, "Victor Cha") == 0, "person_for: surname", p ? p : "NULL");
    p = el_ent_person_for(e, "Victor", 6);
    check(p && strcmp(p, "Victor Cha") == 0, "person_for: first word, any case", p ? p : "NULL");
    check(el_ent_person_for(e, "Smith", 5) == NULL && el_ent_person_for(e, NULL, 0) == NULL,
          "person_for: unknown", NULL);
  }
  /* a sentence longer than one batch: spans stay ordered, later text is seen */
  {
    size_t reps = EL_ENT_BATCH + 100;
    char *big = malloc(reps * 6 + 64);
    size_t o = 0;
    for (size_t i = 0; i < reps; i++) o += (size_t)sprintf(big + o, "Japan ");
    o += (size_t)sprintf(big + o, "and Chile.");
    char *out = malloc(1 << 20);
    int ok;
    render(e, big, out, 1 << 20, &ok);
    size_t count = 0;
    for (const char *p = out; (p = strstr(p, "/GPE/")) != NULL; p++) count++;
    char detail[64];
    snprintf(detail, sizeof(detail), "%zu GPE spans", count);
    check(ok && count == reps + 1 && strstr(out, "Chile/GPE/CHL") != NULL,
          "extractor: a sentence longer than a batch", detail);
    free(out);
    free(big);
  }
  /* bytes that are not text */
  {
    const char junk[] = "\xff\xfe Chin\x00" "a \xc3 U.S.\x80-\xe2\x80 Korea";
    el_ent_span sp;
    el_ent_start(e, junk, sizeof(junk) - 1);
    int rc, n = 0;
    while ((rc = el_ent_next(e, &sp)) == 1) n++;
    check(rc == 0 && n == 2, "extractor: invalid UTF-8 and NUL bytes", NULL);
  }
  el_ent_free(e);
}

/* The named-entity model and its merge with the rules. */
static void test_model(void) {
  el_ent *e = el_ent_new();
  check(e != NULL && el_ner_builtin() != NULL && el_ent_model_on(e),
        "model: built in and on by default", NULL);
  if (e == NULL || !el_ent_model_on(e)) {
    el_ent_free(e);
    return;
  }
  expect(e, "model: names no rule announces; a date stays the rules'; coreference to the "
            "model's person",
         "Talks between Werner Zwingmann and Nikolaus van der Pas ended in Brussels on Monday. "
         "Zwingmann said little.",
         "Werner Zwingmann/PERSON/Werner Zwingmann; Nikolaus van der Pas/PERSON/Nikolaus van der "
         "Pas; Brussels/GPE/Brussels; Monday/DATE/; Zwingmann/PERSON/Werner Zwingmann");
  expect(e, "model: an organisation and a city; percent from the rules",
         "Shares of Pirelli rose 3 percent in Milan.",
         "Pirelli/ORG/Pirelli; 3 percent/PERCENT/3; Milan/GPE/Milan");
  expect(e, "model: an acronym defined as no name, and a law, are no entity",
         "The FAA issued an airworthiness directive (AD). The AD requires inspections under the "
         "Paperwork Reduction Act.",
         "FAA/ORG/FAA");
  expect(e, "model: a title-case headline keeps to the rules",
         "Chipmakers Brace for New Rules as Washington Tightens Controls",
         "Washington/GPE/Washington");
  expect(e, "model: a country keeps its ISO3 code", "Exports from Germany rose.",
         "Germany/GPE/DEU");
  /* the source column */
  {
    el_ent_span sp;
    const char *t = "Shares of Pirelli rose.";
    int model = 0;
    el_ent_start(e, t, strlen(t));
    while (el_ent_next(e, &sp) == 1) model += strcmp(sp.source, "model") == 0;
    check(model == 1, "model: its rows say source 'model'", NULL);
    check(el_ent_set_model(e, 0) == 0, "model: off", NULL);
    el_ent_start(e, t, strlen(t));
    model = 0;
    while (el_ent_next(e, &sp) == 1) model++;
    check(model == 0, "model: off, the rules find nothing there", NULL);
    check(el_ent_set_model(e, 1) == 0 && el_ent_model_on(e), "model: on again", NULL);
  }
  /* a user's dictionary wins over the model */
  {
    el_lex *user = el_lex_new();
    el_lex_add(user, "Pirelli", 7, "COMPANY", "Pirelli SpA", "dictionary:t", 8u, 0, NULL);
    el_ent_set_user(e, user);
    expect(e, "model: a dictionary entry wins", "Shares of Pirelli rose.",
           "Pirelli/COMPANY/Pirelli SpA");
    el_ent_set_user(e, NULL);
    el_lex_free(user);
  }
  /* the same text twice gives the same rows: the history is per document */
  {
    const char *t = "Surrey beat Kent. SURREY 12 Kent 5. Kent said little.";
    char a[2048], b[2048];
    int ok1, ok2;
    render(e, t, a, sizeof(a), &ok1);
    render(e, t, b, sizeof(b), &ok2);
    check(ok1 && ok2 && strcmp(a, b) == 0, "model: the history is forgotten between texts", b);
  }
  el_ent_free(e);
}

int main(void) {
  check(el_country_lookup("Japan", 5) == -2, "country_lookup: -2 before the table is built", NULL);
  check(el_ent_builtin_acquire() == 0, "builtin: acquire", NULL);
  test_lexicon();
  test_countries();
  test_extractor();
  test_model();
  el_ent_builtin_release();
  check(el_country_lookup("Japan", 5) == -2, "country_lookup: freed by the last release", NULL);
  return failures ? 1 : 0;
}
