/*
** Unit tests of the core tokenizer and sentence splitter, without SQLite.
** Prints one line per check: "ok - name" or "not ok - name: detail".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_tokenizer.h"
#include "el_unicode.h"

#include "check.h"

/* Render the tokens of text as "tok/kind tok/kind ..." into out. */
static void render(const char *text, size_t n, char *out, size_t cap) {
  el_tokenizer t;
  el_token tok;
  size_t o = 0;
  out[0] = 0;
  el_tokenizer_init(&t, text, n);
  while (el_tokenizer_next(&t, &tok)) {
    int w = snprintf(out + o, cap - o, "%s%.*s/%s", o ? " " : "", (int)(tok.end - tok.start),
                     text + tok.start, el_kind_name(tok.kind));
    if (w < 0 || (size_t)w >= cap - o) break;
    o += (size_t)w;
  }
}

static void expect_tokens(const char *name, const char *text, const char *want) {
  char got[4096], detail[8192];
  render(text, strlen(text), got, sizeof(got));
  snprintf(detail, sizeof(detail), "\n   want: %s\n   got:  %s", want, got);
  check(strcmp(got, want) == 0, name, detail);
}

/* Sentences as "first|second|..." (text of each sentence). */
static void render_sentences(const char *text, char *out, size_t cap) {
  el_segmenter s;
  el_token tok;
  size_t sid, cur = (size_t)-1, start = 0, end = 0, o = 0;
  out[0] = 0;
  el_segmenter_init(&s, text, strlen(text));
  for (;;) {
    int more = el_segmenter_next(&s, &tok, &sid);
    if (!more || sid != cur) {
      if (cur != (size_t)-1) {
        int w = snprintf(out + o, cap - o, "%s%.*s", o ? "|" : "", (int)(end - start),
                         text + start);
        if (w < 0 || (size_t)w >= cap - o) return;
        o += (size_t)w;
      }
      if (!more) break;
      cur = sid;
      start = tok.start;
    }
    end = tok.end;
  }
}

static void expect_sentences(const char *name, const char *text, const char *want) {
  char got[4096], detail[8192];
  render_sentences(text, got, sizeof(got));
  snprintf(detail, sizeof(detail), "\n   want: %s\n   got:  %s", want, got);
  check(strcmp(got, want) == 0, name, detail);
}

static void expect_norm(const char *name, const char *text, int mode, const char *want) {
  el_tokenizer t;
  el_token tok;
  char buf[256], detail[600];
  el_tokenizer_init(&t, text, strlen(text));
  if (!el_tokenizer_next(&t, &tok)) {
    check(0, name, "no token");
    return;
  }
  size_t len = el_token_norm((const unsigned char *)text, &tok, mode, buf, sizeof(buf));
  buf[len < sizeof(buf) ? len : sizeof(buf) - 1] = 0;
  snprintf(detail, sizeof(detail), "want %s got %s", want, buf);
  check(strcmp(buf, want) == 0, name, detail);
}

/* Every token must lie inside the text, in order, and never split a character
** unit; returns the number of tokens. */
static size_t walk_checked(const char *name, const char *text, size_t n) {
  el_tokenizer t;
  el_token tok;
  size_t count = 0, last = 0;
  int ok = 1;
  el_tokenizer_init(&t, text, n);
  while (el_tokenizer_next(&t, &tok)) {
    if (tok.start < last || tok.end <= tok.start || tok.end > n) ok = 0;
    if (tok.start > 0 && ((unsigned char)text[tok.start] & 0xC0) == 0x80) {
      /* a continuation byte may only start a token after a byte below 0xC0 */
      unsigned char prev = (unsigned char)text[tok.start - 1];
      if (prev >= 0xC0 || (prev & 0xC0) == 0x80) ok = 0;
    }
    last = tok.end;
    count++;
  }
  check(ok, name, "token offsets out of order or splitting a character");
  return count;
}

int main(void) {
  /* Kinds */
  expect_tokens("kinds: words and punctuation", "Seoul, too.", "Seoul/word ,/punct too/word ./punct");
  expect_tokens("kinds: percent and money", "30% of $1.5 billion and US$20m",
                "30%/percent of/word $1.5/money billion/word and/word US$20m/money");
  expect_tokens("kinds: euro, won, pound", "€20 ₩2 £3.50", "€20/money ₩2/money £3.50/money");
  expect_tokens("kinds: reference in parentheses", "(see 2205260028)",
                "(/punct see/word 2205260028/reference )/punct");
  expect_tokens("kinds: federal register document number", "FR Doc. 2022-21713 filed",
                "FR/word Doc./word 2022-21713/reference filed/word");
  expect_tokens("kinds: year ranges stay numbers", "2017-2019",
                "2017/number -/punct 2019/number");
  expect_tokens("kinds: ECCNs and codes", "3A090 3A090.a 5A002.a.1 EAR99 0A521 H100",
                "3A090/code 3A090.a/code 5A002.a.1/code EAR99/code 0A521/code H100/code");
  expect_tokens("kinds: hyphenated codes", "COVID-19 F-35 MG-8769 mid-2022",
                "COVID-19/code F-35/code MG-8769/code mid/word -/punct 2022/number");
  expect_tokens("kinds: numbers", "1,000,000 3.14 744.21 21st 1990s 12,34",
                "1,000,000/number 3.14/number 744.21/number 21st/number 1990s/number "
                "12/number ,/punct 34/number");
  expect_tokens("kinds: magnitudes and times stay numbers", "1.5bn 300m 20k 5pm 5G 3D",
                "1.5bn/number 300m/number 20k/number 5pm/number 5G/code 3D/code");
  expect_tokens("soft hyphen and zero-width space inside a word",
                "semi\xc2\xad" "conductor zero\xe2\x80\x8bwidth \xc2\xad",
                "semi\xc2\xad" "conductor/word zero\xe2\x80\x8bwidth/word");
  expect_norm("norm: soft hyphen dropped", "Semi\xc2\xad" "conductor", EL_NORM_FOLD, "semiconductor");
  expect_tokens("kinds: url and email", "see https://www.bis.doc.gov/x?a=1. or press@example.org.",
                "see/word https://www.bis.doc.gov/x?a=1/url ./punct or/word "
                "press@example.org/email ./punct");
  expect_tokens("kinds: www url", "(www.federalregister.gov)",
                "(/punct www.federalregister.gov/url )/punct");
  expect_tokens("kinds: symbols", "§ 744.23 + 5 = ©", "§/punct 744.23/number +/symbol 5/number =/symbol ©/symbol");
  expect_tokens("abbreviations: U.S. and U.S.-South Korea", "U.S.-South Korea",
                "U.S./word -/punct South/word Korea/word");
  expect_tokens("abbreviations: titles, months, initials", "Dr. J. Smith met Nov. 29 at No. 2",
                "Dr./word J./word Smith/word met/word Nov./word 29/number at/word No./word 2/number");
  expect_sentences("sentences: list item with a parenthesis inside",
                   "1. Tariffs rose (to 25) on steel. 2. Then fell.",
                   "1. Tariffs rose (to 25) on steel.|2. Then fell.");
  expect_sentences("sentences: list item with a number and period inside",
                   "1. Prices rose 5. The end came.", "1. Prices rose 5.|The end came.");
  expect_sentences("sentences: list item with sub-items", "1. Buy a) apples b) pears. 2. Go.",
                   "1. Buy a) apples b) pears.|2. Go.");
  expect_sentences("sentences: a line break after Dr. does not end it", "We met Dr.\nSmith today.",
                   "We met Dr.\nSmith today.");
  expect_sentences("sentences: a blank line after Dr. does", "We met Dr.\n\nSmith today.",
                   "We met Dr.|Smith today.");
  expect_sentences("sentences: more closing marks than the window",
                   "He left.\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d The end.",
                   "He left.\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d|\xe2\x80\x9d\xe2\x80\x9d\xe2\x80\x9d The end.");
  expect_sentences("sentences: legal citations", "It cited United States v. Smith. Then it ruled.",
                   "It cited United States v. Smith.|Then it ruled.");
  expect_sentences("sentences: Patent No. RE 48,629",
                   "It cites U.S. Patent No. RE 48,629 and No. 7,564,914. Next.",
                   "It cites U.S. Patent No. RE 48,629 and No. 7,564,914.|Next.");
  expect_tokens("abbreviations: plain 'no.' is a word", "Say no. Then", "Say/word no/word ./punct Then/word");
  expect_tokens("apostrophes: possessive split", "Korea’s chips, the firm's",
                "Korea/word ’s/word chips/word ,/punct the/word firm/word 's/word");
  expect_tokens("apostrophes: contractions and names", "don’t O'Brien companies’ plans",
                "don’t/word O'Brien/word companies/word ’/punct plans/word");
  expect_tokens("hyphens split words", "high-tech export-control",
                "high/word -/punct tech/word export/word -/punct control/word");
  expect_tokens("ellipsis and dashes", "wait... then -- go",
                "wait/word .../punct then/word --/punct go/word");
  expect_tokens("curly quotes are punctuation", "“broaden cooperation”",
                "“/punct broaden/word cooperation/word ”/punct");
  expect_tokens("non-ASCII letters", "Türkiye naïve Côte d’Ivoire",
                "Türkiye/word naïve/word Côte/word d’Ivoire/word");

  /* Normalisation */
  expect_norm("norm: U.S. -> us", "U.S.", EL_NORM_FOLD, "us");
  expect_norm("norm: curly apostrophe folded", "Don’t", EL_NORM_FOLD, "don't");
  expect_norm("norm: keeps diacritics", "Türkiye", EL_NORM_FOLD, "türkiye");
  expect_norm("norm (fts): removes diacritics", "Türkiye", EL_NORM_FTS, "turkiye");
  expect_norm("norm (fts): decomposed accents", "Cafe\xcc\x81", EL_NORM_FTS, "cafe");
  expect_norm("norm: Greek and Cyrillic fold", "ΑΘΗΝΑ", EL_NORM_FOLD, "αθηνα");
  expect_norm("norm: money", "$1.5", EL_NORM_FOLD, "$1.5");

  /* Sentences */
  expect_sentences("sentences: abbreviations do not end sentences",
                   "The U.S. and Dr. Smith met on Nov. 29. Samsung Electronics Co. Ltd. agreed.",
                   "The U.S. and Dr. Smith met on Nov. 29.|Samsung Electronics Co. Ltd. agreed.");
  expect_sentences("sentences: U.S. can end a sentence",
                   "They chose the U.S. The rest stayed.",
                   "They chose the U.S.|The rest stayed.");
  expect_sentences("sentences: initials", "It was J. Smith. He left.", "It was J. Smith.|He left.");
  expect_sentences("sentences: closing quote belongs to its sentence",
                   "He said, “We will act.” Then he left.",
                   "He said, “We will act.”|Then he left.");
  expect_sentences("sentences: quoted question with attribution",
                   "“Where do we go from here?” she said. Nobody knew.",
                   "“Where do we go from here?” she said.|Nobody knew.");
  expect_sentences("sentences: quoted question with named attribution",
                   "“Where now?” Terry said. “Not sure.”",
                   "“Where now?” Terry said.|“Not sure.”");
  /* "responded" and "testified" are in the shared speech-verb list
  ** (ext/text/data/speech_verbs.txt) that quotes() uses, and were missing
  ** from the splitter's own copy */
  expect_sentences("sentences: attribution verbs are the shared speech verbs",
                   "“Will they act?” Terry responded. “Why?” Kim testified. No.",
                   "“Will they act?” Terry responded.|“Why?” Kim testified.|No.");
  expect_sentences("sentences: quoted question then pronoun starts anew",
                   "“Where now?” She paused.", "“Where now?”|She paused.");
  expect_sentences("sentences: headline line", "Chip Rules Tighten Again\nThe rule took effect.",
                   "Chip Rules Tighten Again|The rule took effect.");
  expect_sentences("sentences: paragraph break", "First part\n\nsecond part", "First part|second part");
  expect_sentences("sentences: wrapped line continues", "the rule\ncovers chips. Done.",
                   "the rule\ncovers chips.|Done.");
  /* hard-wrapped text (lines of about 60 characters, our own words) */
  expect_sentences("sentences: a hard wrap before a capital continues the sentence",
                   "The ministry said on Monday that it would consult its partners\n"
                   "before the new licence rules take effect, according to Deputy\n"
                   "Minister Jane Roe, who spoke to reporters in the capital city.\n"
                   "Shipments of lithography tools fell by a third in the quarter.",
                   "The ministry said on Monday that it would consult its partners\n"
                   "before the new licence rules take effect, according to Deputy\n"
                   "Minister Jane Roe, who spoke to reporters in the capital city.|"
                   "Shipments of lithography tools fell by a third in the quarter.");
  expect_sentences("sentences: a short title line before wrapped text still ends",
                   "New Rules on Chip Tools\n"
                   "The ministry said on Monday that it would consult its partners\n"
                   "before the new licence rules take effect, according to Deputy\n"
                   "Minister Jane Roe, who spoke to reporters in the capital city.",
                   "New Rules on Chip Tools|The ministry said on Monday that it would consult its partners\n"
                   "before the new licence rules take effect, according to Deputy\n"
                   "Minister Jane Roe, who spoke to reporters in the capital city.");
  expect_sentences("sentences: a line the next word would have fitted on ends",
                   "Export Controls\nThe ministry said on Monday that it would consult its partners.",
                   "Export Controls|The ministry said on Monday that it would consult its partners.");
  expect_sentences("sentences: unwrapped lines are paragraphs",
                   "Licence Applications Pending Review at the Ministry of Trade and Energy Today\n"
                   "Applicants wait.\nReviewers are few.",
                   "Licence Applications Pending Review at the Ministry of Trade and Energy Today|"
                   "Applicants wait.|Reviewers are few.");
  expect_sentences("sentences: a line ending in a word that ends nothing goes on",
                   "It was a grave step, said the Minister of State for\nTrade Policy Jane Roe. Next.",
                   "It was a grave step, said the Minister of State for\nTrade Policy Jane Roe.|Next.");
  expect_sentences("sentences: continuation words in any case",
                   "Rules Related To\nChip Tools Take Effect\nThe rule starts today.",
                   "Rules Related To\nChip Tools Take Effect|The rule starts today.");
  expect_sentences("sentences: a particle can end a line",
                   "Sign In\nThe rule starts today.", "Sign In|The rule starts today.");
  expect_sentences("sentences: decimals and lowercase after period",
                   "It rose 3.5 percent, i.e. a lot. Fine.",
                   "It rose 3.5 percent, i.e. a lot.|Fine.");
  expect_sentences("sentences: exclamation and question", "Stop! Why? Because.",
                   "Stop!|Why?|Because.");
  expect_sentences("sentences: parenthesised close", "It grew (see 2205260028). Next one.",
                   "It grew (see 2205260028).|Next one.");
  expect_sentences("sentences: Corp. before an acronym", "Nvidia Corp. (NVDA) fell. Then it rose.",
                   "Nvidia Corp. (NVDA) fell.|Then it rose.");

  /* Bad input */
  {
    const char bad[] = "ab\xff\xfe" "cd \xc3\x28 \xe2\x82 x \xed\xa0\x80 y \xc0\xaf z\x80\x80 end";
    size_t count = walk_checked("invalid utf-8: offsets stay consistent", bad, sizeof(bad) - 1);
    char got[512];
    render(bad, sizeof(bad) - 1, got, sizeof(got));
    check(strcmp(got, "ab/word cd/word (/punct x/word y/word z/word end/word") == 0,
          "invalid utf-8: invalid bytes are separators", got);
    check(count == 7, "invalid utf-8: token count", got);
  }
  {
    const char nul[] = "alpha\0beta\0\0gamma";
    char got[256];
    render(nul, sizeof(nul) - 1, got, sizeof(got));
    check(strcmp(got, "alpha/word beta/word gamma/word") == 0, "NUL bytes are separators", got);
  }
  {
    el_tokenizer t;
    el_token tok;
    el_tokenizer_init(&t, NULL, 5);
    check(el_tokenizer_next(&t, &tok) == 0, "NULL text gives no tokens", NULL);
    el_tokenizer_init(&t, "", 0);
    check(el_tokenizer_next(&t, &tok) == 0, "empty text gives no tokens", NULL);
  }
  {
    /* A truncated multi-byte sequence at the very end must not be read past. */
    const char tail[] = "word \xe2\x80";
    size_t c = walk_checked("truncated sequence at end", tail, sizeof(tail) - 1);
    check(c == 1, "truncated sequence at end: one token", NULL);
  }
  {
    /* Pathological inputs stay linear: 4 MB of "a.a.a." (e-mail look-ahead)
    ** and one 4 MB token. A quadratic scanner would not finish. */
    size_t n = 4u << 20;
    char *big = malloc(n);
    if (big) {
      for (size_t i = 0; i < n; i++) big[i] = (i % 2) ? '.' : 'a';
      size_t c = walk_checked("4 MB of a.a.a. (linear)", big, n);
      check(c > 1000000, "4 MB of a.a.a. token count", NULL);
      memset(big, 'x', n);
      c = walk_checked("one 4 MB token", big, n);
      check(c == 1, "one 4 MB token: count", NULL);
      for (size_t i = 0; i < n; i++) big[i] = (char)(i * 2654435761u >> 24);
      walk_checked("4 MB of random bytes", big, n);
      el_segmenter s;
      el_token tok;
      size_t sid, k = 0;
      el_segmenter_init(&s, big, n);
      while (el_segmenter_next(&s, &tok, &sid)) k++;
      check(k > 0, "4 MB of random bytes through the sentence splitter", NULL);
      free(big);
    }
  }
  {
    /* Character counting agrees with SQLite's rule (lead byte takes every
    ** following continuation byte). */
    const unsigned char z[] = {'a', 0xC3, 0xA9, 0x80, 'b', 0x80, 0xF0, 0x9F, 0x98, 0x80, 'c'};
    check(el_utf8_count(z, sizeof(z)) == 6, "character count matches SQLite", NULL);
  }

  printf("# unit: %d failed\n", failures);
  return failures ? 1 : 0;
}
