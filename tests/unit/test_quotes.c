/*
** Unit tests of the quote and claim extractors (el_quotes.h), without SQLite.
** Prints one line per check: "ok - name" or "not ok - name: detail".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_entities.h"
#include "el_quotes.h"

#include "check.h"

/* Quotes of text as "quote|speaker|canonical; ..." (empty fields for NULL),
** checking the invariants on the way: in range, in order, not overlapping. */
static int render_quotes(el_qx *q, const char *text, char *out, size_t cap) {
  size_t n = strlen(text), o = 0, last_end = 0;
  int ok = 1, rc;
  el_quote x;
  out[0] = 0;
  if (el_qx_start(q, text, n) != 0) return 0;
  while ((rc = el_qx_next_quote(q, &x)) == 1) {
    if (x.start >= x.end || x.end > n || x.start < last_end || x.spk_start > x.spk_end ||
        x.spk_end > n)
      ok = 0;
    last_end = x.end;
    int w = snprintf(out + o, cap - o, "%s%.*s|%.*s|%s", o ? "; " : "", (int)(x.end - x.start),
                     text + x.start, (int)(x.spk_end - x.spk_start), text + x.spk_start,
                     x.canonical ? x.canonical : "");
    if (w < 0 || (size_t)w >= cap - o) break;
    o += (size_t)w;
  }
  return ok && rc == 0;
}

static int render_claims(el_qx *q, const char *text, char *out, size_t cap) {
  size_t n = strlen(text), o = 0;
  int ok = 1, rc;
  el_claim c;
  out[0] = 0;
  if (el_qx_start(q, text, n) != 0) return 0;
  while ((rc = el_qx_next_claim(q, &c)) == 1) {
    if (c.start >= c.end || c.end > n || c.sent_start > c.start || c.end > c.sent_end ||
        c.metric == NULL || c.unit == NULL)
      ok = 0;
    int w = snprintf(out + o, cap - o, "%s%s|%s|%s|%s|%g|%s|%s|%d", o ? "; " : "",
                     c.subject ? c.subject : "", c.metric, c.object ? c.object : "",
                     c.detail ? c.detail : "", c.value, c.unit,
                     c.qualifier ? c.qualifier : "", c.year);
    if (w < 0 || (size_t)w >= cap - o) break;
    o += (size_t)w;
  }
  return ok && rc == 0;
}

static void expect_quotes(el_qx *q, const char *name, const char *text, const char *want) {
  char got[4096], label[200], detail[8192];
  int ok = render_quotes(q, text, got, sizeof(got));
  snprintf(label, sizeof(label), "quotes: %s", name);
  snprintf(detail, sizeof(detail), "want [%s] got [%s]%s", want, got, ok ? "" : " (invariant)");
  check(ok && strcmp(got, want) == 0, label, detail);
}

static void expect_claims(el_qx *q, const char *name, const char *text, const char *want) {
  char got[4096], label[200], detail[8192];
  int ok = render_claims(q, text, got, sizeof(got));
  snprintf(label, sizeof(label), "claims: %s", name);
  snprintf(detail, sizeof(detail), "want [%s] got [%s]%s", want, got, ok ? "" : " (invariant)");
  check(ok && strcmp(got, want) == 0, label, detail);
}

static void test_quotes(el_qx *q) {
  expect_quotes(q, "after: said X",
                "“Rules like these take years to settle,” said Hannah Vogel.",
                "Rules like these take years to settle|Hannah Vogel|Hannah Vogel");
  expect_quotes(q, "after: X said, surname resolved",
                "Hannah Vogel spoke first. \"Rules like these take years to settle,\" Vogel said.",
                "Rules like these take years to settle|Vogel|Hannah Vogel");
  expect_quotes(q, "before: X said:",
                "Hannah Vogel said: “Rules like these take years to settle.”",
                "Rules like these take years to settle.|Hannah Vogel|Hannah Vogel");
  expect_quotes(q, "split quote",
                "“The first half comes here,” said Hannah Vogel, “and the second half there.”",
                "The first half comes here|Hannah Vogel|Hannah Vogel; "
                "and the second half there.|Hannah Vogel|Hannah Vogel");
  expect_quotes(q, "appositive: X, a spokesperson for Y, said",
                "“We will review every license application,” Mark Fischer, a spokesperson for "
                "the ministry, said.",
                "We will review every license application|Mark Fischer|Mark Fischer");
  expect_quotes(q, "according to X",
                "According to Hannah Vogel, “the rules will be revised early next year.”",
                "the rules will be revised early next year.|Hannah Vogel|Hannah Vogel");
  expect_quotes(q, "X told reporters",
                "Mark Fischer told reporters: “We expect more companies to apply soon.”",
                "We expect more companies to apply soon.|Mark Fischer|Mark Fischer");
  expect_quotes(q, "pronoun resolves to the last named speaker",
                "“The first answer is short and clear,” said Hannah Vogel. “The second one "
                "is longer,” she said.",
                "The first answer is short and clear|Hannah Vogel|Hannah Vogel; "
                "The second one is longer|she|Hannah Vogel");
  expect_quotes(q, "role resolves to the last named speaker",
                "Mark Fischer said the review was over. “No more licenses will be granted this "
                "year,” the official said.",
                "No more licenses will be granted this year|the official|Mark Fischer");
  expect_quotes(q, "continuation paragraph",
                "“Licensing is only the first step of a long process,” said Hannah Vogel.\n\n"
                "“Enforcement is the part that nobody wants to pay for.”",
                "Licensing is only the first step of a long process|Hannah Vogel|Hannah Vogel; "
                "Enforcement is the part that nobody wants to pay for.|Hannah Vogel|Hannah Vogel");
  expect_quotes(q, "role with capitalised words: the organisation named in it",
                "“We are watching this very closely,” a Commerce Department spokesperson said.",
                "We are watching this very closely|a Commerce Department spokesperson|"
                "Department of Commerce");
  expect_quotes(q, "title before the name",
                "“The rule takes effect next month,” said Commerce Secretary Gina Raimondo.",
                "The rule takes effect next month|Gina Raimondo|Gina Raimondo");
  expect_quotes(q, "organisation as speaker",
                "“We do not comment on individual licenses,” BIS said in a statement.",
                "We do not comment on individual licenses|BIS|Bureau of Industry and Security");
  expect_quotes(q, "no attribution across a new clause",
                "Anna Weber called it “overdue,” and Peter Lang said it was “a big mistake.”",
                "a big mistake.|Peter Lang|Peter Lang");
  expect_quotes(q, "straight marks pair by shape after a stray one",
                "The 5\" pipe list. Mark Fischer said \"the list will grow again next year.\"",
                "the list will grow again next year.|Mark Fischer|Mark Fischer");
  expect_quotes(q, "scare quotes dropped", "The \"entity list\" and the “red line” moved again.", "");
  expect_quotes(q, "unattributed long quote kept",
                "A sign read “no exports without a license from this office.”",
                "no exports without a license from this office.||");
  expect_quotes(q, "quote opened and never closed runs to the paragraph end",
                "The memo said “all shipments stop on Monday until further notice\n\nNext line.",
                "all shipments stop on Monday until further notice|The memo|");
  expect_quotes(q, "only marks", "“”\"\"“ ” \" \"", "");
  expect_quotes(q, "empty", "", "");
  expect_quotes(q, "closing mark first",
                "” stray mark, then “a properly quoted sentence of several words,” said Mark "
                "Fischer.",
                "a properly quoted sentence of several words|Mark Fischer|Mark Fischer");
}

static void test_claims(el_qx *q) {
  expect_claims(q, "share of exports",
                "China accounts for more than 30% of South Korean exports.",
                "CHN|share_of_exports|KOR||30|%|more than|0");
  expect_claims(q, "share of imports with detail",
                "South Korea imports more than 30% of its semiconductors from China.",
                "KOR|share_of_imports|CHN|semiconductors|30|%|more than|0");
  expect_claims(q, "share of world production",
                "South Korean companies produce 70% of the world's memory chips.",
                "KOR|share_of_world_production|memory chips||70|%||0");
  expect_claims(q, "share of world exports, year",
                "Taiwan accounted for 25% of global chip exports in 2022.",
                "TWN|share_of_world_exports|chips||25|%||2022");
  expect_claims(q, "N% of Y's exports go to X",
                "About 40% of Mexico's exports go to the United States.",
                "USA|share_of_exports|MEX||40|%|about|0");
  expect_claims(q, "X supplies N% of Y's imports",
                "Vietnam supplies 12% of Japan's imports.",
                "JPN|share_of_imports|VNM||12|%||0");
  expect_claims(q, "exports % of GDP",
                "In Korea, exports are equal to 44% of Korea's GDP.",
                "KOR|exports_pct_gdp|||44|%||0");
  expect_claims(q, "exports value in USD",
                "Korea's exports to China reached $162 billion in 2019.",
                "KOR|exports_value|CHN||1.62e+11|USD||2019");
  expect_claims(q, "money value with its object",
                "The United States approved a $52 billion subsidy package.",
                "USA|value|subsidy package||5.2e+10|USD||0");
  expect_claims(q, "change, sign",
                "Chip exports fell 10% while imports rose 2%.",
                "|change|exports||-10|%||0; |change|imports||2|%||0");
  expect_claims(q, "fraction words",
                "Canada took two-thirds of Norway's exports and half of Peru's exports.",
                "CAN|share_of_exports|NOR||66.6667|%||0; CAN|share_of_exports|PER||50|%||0");
  expect_claims(q, "qualifiers",
                "Japan took up to 5% of Chile's exports, at least 6% of Peru's exports and "
                "fewer than 7% of Cuba's exports.",
                "JPN|share_of_exports|CHL||5|%|up to|0; JPN|share_of_exports|PER||6|%|at least|0; "
                "JPN|share_of_exports|CUB||7|%|less than|0");
  expect_claims(q, "currencies",
                "It cost 3 trillion won, ¥5 billion, €2 million and 4 billion yuan.",
                "|value|||3e+12|KRW||0; |value|||5e+09|JPY||0; |value|||2e+06|EUR||0; "
                "|value|||4e+09|CNY||0");
  /* subject, clause and year found thousands of tokens away (per-paragraph
  ** look-ups, not a walk of the sentence for each value); owner-less changes
  ** after Korea's exports in the same sentence are Korea's */
  {
    static char far1[20000], far2[30000];
    char fill[7501] = "";
    for (int i = 0; i < 1500; i++) memcpy(fill + 5 * i, "very ", 6);
    snprintf(far1, sizeof(far1), "Canada took %stwo-thirds of Norway's exports and half of "
             "Peru's exports, and %s5%% of Chile's exports.", fill, fill);
    snprintf(far2, sizeof(far2), "In 2019, %sKorea's exports to China reached $162 billion; %s"
             " exports fell 3%% in 2021, and %simports rose 2%%.", fill, fill, fill);
    expect_claims(q, "subject far before its values", far1,
                  "CAN|share_of_exports|NOR||66.6667|%||0; CAN|share_of_exports|PER||50|%||0; "
                  "CAN|share_of_exports|CHL||5|%||0");
    expect_claims(q, "years and clauses far from their values", far2,
                  "KOR|exports_value|CHN||1.62e+11|USD||2019; KOR|change|exports||-3|%||2021; "
                  "KOR|change|imports||2|%||2021");
  }
  expect_claims(q, "a bare percentage is not a claim", "Turnout was 64% this time.", "");
  expect_claims(q, "empty", "", "");
}

/* A long text: bounded paragraphs, offsets in order, no quadratic walk. */
static void test_big(el_qx *q) {
  const char *unit = "“A quote that is long enough to count,” said Hannah Vogel. "
                     "China took 5% of Japan's exports. ";
  size_t un = strlen(unit), reps = 20000;
  char *big = malloc(un * reps + 2);
  if (big == NULL) return;
  big[0] = 0;
  for (size_t i = 0; i < reps; i++) memcpy(big + i * un, unit, un);
  big[un * reps] = 0;
  el_quote x;
  el_claim c;
  size_t nq = 0, nc = 0, last = 0;
  int ok = 1;
  el_qx_start(q, big, un * reps);
  while (el_qx_next_quote(q, &x) == 1) {
    if (x.start < last) ok = 0;
    last = x.end;
    nq++;
  }
  el_qx_start(q, big, un * reps);
  while (el_qx_next_claim(q, &c) == 1) nc++;
  char d[100];
  snprintf(d, sizeof(d), "%zu quotes, %zu claims", nq, nc);
  check(ok && nq == reps && nc == reps, "big text: one quote and one claim per repeat", d);
  /* an opening mark never closed, then many sentences */
  big[0] = '"';
  el_qx_start(q, big, un * reps);
  nq = 0;
  while (el_qx_next_quote(q, &x) == 1) nq++;
  check(nq > 0, "big text: still quotes after a stray opening mark", NULL);
  free(big);
}

int main(void) {
  el_qx *q = el_qx_new();
  check(q != NULL, "new", NULL);
  if (q == NULL) return 1;
  test_quotes(q);
  test_claims(q);
  test_big(q);
  el_qx_free(q);
  return failures ? 1 : 0;
}
