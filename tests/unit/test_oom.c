/*
** OOM fault injection, the way SQLite's own tests do it: a wrapper around
** SQLite's allocator (SQLITE_CONFIG_MALLOC, installed before
** sqlite3_initialize) makes the Nth allocation fail, once or from the Nth on.
** The extension's core allocates through SQLite (el_alloc.h), so every
** allocation of a call is reached. For every function and table of the
** extension, one statement is first run clean (its result and its number of
** allocations recorded); then, for each N, run again with the Nth allocation
** failing. Each run must give an error, or exactly the clean result; and once
** the connection is closed, SQLite's memory in use must be back where it was
** (nothing leaked on an error path).
**
**
** Interrupts are injected the same way: sqlite3_interrupt() called at the Nth
** allocation reaches every point of a write (the import's own parse, its
** statements, the gaps between them). The statement must then fail with an
** interrupt and leave the database as it was, with no transaction of its own
** left open, or succeed exactly as the clean run did.
**
**   build/test_oom [filter]      only the cases whose name contains filter
** EL_OOM_MAX_STEPS (default 200, 8 under make valgrind): N values tried per case and mode; when a
** case makes more allocations, N is sampled evenly over all of them.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exportlens.h"

#include "check.h"

/* ---------------------------------------------------------------------- */
/* The faulty allocator                                                    */

static sqlite3_mem_methods el_orig;
static long el_nalloc;    /* allocations since the counter was reset */
static long el_fail_at;   /* 0: no injection */
static int el_persist;    /* fail every allocation from el_fail_at on */
static long el_nfailed;
static sqlite3 *el_intr_db; /* interrupt injection: sqlite3_interrupt(el_intr_db) */
static long el_intr_at;     /* at this allocation (0: never) */

static int el_should_fail(void) {
  el_nalloc++;
  if (el_intr_at > 0 && el_nalloc == el_intr_at) sqlite3_interrupt(el_intr_db);
  if (el_fail_at <= 0) return 0;
  if (el_nalloc == el_fail_at || (el_persist && el_nalloc > el_fail_at)) {
    el_nfailed++;
    return 1;
  }
  return 0;
}

static void *el_oom_malloc(int n) { return el_should_fail() ? NULL : el_orig.xMalloc(n); }
static void *el_oom_realloc(void *p, int n) {
  return el_should_fail() ? NULL : el_orig.xRealloc(p, n);
}
static void el_oom_free(void *p) { el_orig.xFree(p); }
static int el_oom_size(void *p) { return el_orig.xSize(p); }
static int el_oom_roundup(int n) { return el_orig.xRoundup(n); }
static int el_oom_init(void *p) { return el_orig.xInit(p); }
static void el_oom_shutdown(void *p) { el_orig.xShutdown(p); }

static void el_inject(long at, int persist) {
  el_nalloc = 0;
  el_intr_at = 0;
  el_nfailed = 0;
  el_fail_at = at;
  el_persist = persist;
}

/* ---------------------------------------------------------------------- */
/* Running one statement                                                   */

typedef struct el_buf {
  char *z;
  size_t n, cap;
} el_buf;

static void el_put(el_buf *b, const void *p, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 1024;
    while (cap < b->n + n + 1) cap *= 2;
    b->z = realloc(b->z, cap);
    if (!b->z) abort();
    b->cap = cap;
  }
  memcpy(b->z + b->n, p, n);
  b->n += n;
  b->z[b->n] = 0;
}

/* Run sql to the end; the rows, typed, into out. Returns the SQLite code
** (SQLITE_OK for a complete run). */
static int el_run(sqlite3 *db, const char *sql, el_buf *out) {
  sqlite3_stmt *st = NULL;
  out->n = 0;
  el_put(out, "", 0);
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      char tag[32];
      int t = sqlite3_column_type(st, i);
      if (t == SQLITE_NULL) {
        el_put(out, "N|", 2);
        continue;
      }
      /* the bytes, then the length: a failed conversion shows as a NULL */
      const void *p = t == SQLITE_BLOB ? sqlite3_column_blob(st, i) : sqlite3_column_text(st, i);
      int n = sqlite3_column_bytes(st, i);
      if (p == NULL && n > 0) {
        sqlite3_finalize(st);
        return SQLITE_NOMEM;
      }
      if (p == NULL && sqlite3_errcode(db) == SQLITE_NOMEM) {
        sqlite3_finalize(st);
        return SQLITE_NOMEM;
      }
      snprintf(tag, sizeof(tag), "%d:%d:", t, n);
      el_put(out, tag, strlen(tag));
      if (n) el_put(out, p, (size_t)n);
      el_put(out, "|", 1);
    }
    el_put(out, " ;; ", 4); /* end of row */
  }
  int frc = sqlite3_finalize(st);
  if (rc == SQLITE_DONE) rc = frc;
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---------------------------------------------------------------------- */
/* The cases                                                               */

typedef struct el_case {
  const char *name;
  const char *setup; /* run clean before the statement (may be NULL) */
  const char *sql;
  const char *known; /* a known failure, owned elsewhere: reported, not counted */
} el_case;

#define TEXT                                                                                   \
  "The U.S. Commerce Department''s BIS added Huawei Technologies to the Entity List under "   \
  "15 CFR 744.21 and ECCN 3A090.a. \xe2\x80\x9c" "Exports rose 30% to $5 billion in 2023,"   \
  "\xe2\x80\x9d said Jane Doe, a fellow at CSIS, in Seoul. China took 20% of Korea''s chip " \
  "exports; Japan''s shipments fell 5%.\n\nKorea\xe2\x80\x99s SK hynix makes memory chips."

static const el_case el_cases[] = {
  /* registration itself (sqlite3_open runs the auto extension) */
  {"registration", NULL, NULL, NULL},
  {"exportlens_debug", NULL, "SELECT length(exportlens_debug()) > 0", NULL},
  {"token_count", NULL, "SELECT token_count('" TEXT "')", NULL},
  {"tokens", NULL, "SELECT * FROM tokens('" TEXT "')", NULL},
  {"sentences", NULL, "SELECT * FROM sentences('" TEXT "')", NULL},
  {"fts5 tokenizer", "CREATE VIRTUAL TABLE ft USING fts5(body, tokenize='exportlens')",
   "INSERT INTO ft VALUES('" TEXT "'); SELECT rowid FROM ft WHERE ft MATCH 'exports'", NULL},
  {"entities", NULL, "SELECT * FROM entities('" TEXT "')", NULL},
  {"entities with a dictionary",
   "CREATE TABLE my_names(name TEXT, label TEXT, canonical TEXT);"
   "INSERT INTO my_names VALUES('SK hynix', 'ORG', 'SK Hynix Inc.'), ('CSIS', 'ORG', NULL)",
   "SELECT * FROM entities_with('" TEXT "', 'my_names')", NULL},
  {"country_code", NULL, "SELECT country_code('Republic of Korea'), country_code('U.S.')", NULL},
  {"country_name", NULL, "SELECT country_name('KOR'), country_name('xx')", NULL},
  {"countries", NULL, "SELECT count(*), max(iso3) FROM countries", NULL},
  {"quotes", NULL, "SELECT * FROM quotes('" TEXT "')", NULL},
  {"claims", NULL, "SELECT * FROM claims('" TEXT "')", NULL},
  /* a headline's claims held until the text names its country */
  {"claims after a headline", NULL,
   "SELECT * FROM claims('Exports gain 11 pct, imports $2 billion\n\nKorea''s exports rose 5%.')", NULL},
  {"export_terms", NULL, "SELECT * FROM export_terms('" TEXT "')", NULL},
  {"export_terms with a lexicon",
   "CREATE TABLE lex(term, category, canonical, is_pattern);"
   "INSERT INTO lex VALUES('memory chips', 'product', 'memory chip', 0),"
   "('chip[- ]?makers?', 'industry', 'chipmaker', 1)",
   "SELECT * FROM export_terms_with('" TEXT "', 'lex')", NULL},
  {"export_lexicon", NULL, "SELECT count(*), max(term) FROM export_lexicon", NULL},
  {"eccn_parse", NULL, "SELECT eccn_parse('3A090.a'), eccn_parse('x')", NULL},
  {"cfr_parse", NULL, "SELECT cfr_parse('15 CFR 744.21(b)'), cfr_parse('87 FR 62186')", NULL},
  {"name_key", NULL, "SELECT name_key('Korea Chip Trading Co., Ltd.')", NULL},
  {"name_similarity", NULL, "SELECT name_similarity('Huawei Technologies Co', 'HUAWEI TECH. CO., LTD')", NULL},
  {"screen",
   "CREATE TABLE csl(name, alt_names, source, programs);"
   "INSERT INTO csl VALUES('Huawei Technologies Co., Ltd.', 'Huawei', 'EL', 'P'),"
   "('Korea Chip Trading Co.', NULL, 'SDN', 'Q')",
   "SELECT * FROM screen('HUAWEI TECH CO')", NULL},
  {"csv_sniff", NULL, "SELECT csv_sniff('tests/fixtures/csv/codes.csv')", NULL},
  {"csv_file", "CREATE VIRTUAL TABLE temp.c USING csv_file('tests/fixtures/csv/codes.csv')",
   "SELECT * FROM temp.c", NULL},
  {"csv_import", NULL,
   "SELECT csv_import('tests/fixtures/csv/codes.csv', 'imp'); SELECT * FROM imp", NULL},
};

/* Run one case's statements (several, separated by ';' at the top level:
** run in turn, their rows concatenated). */
static int el_run_all(sqlite3 *db, const char *sql, el_buf *out) {
  el_buf part = {0};
  out->n = 0;
  el_put(out, "", 0);
  const char *p = sql;
  int rc = SQLITE_OK;
  while (*p && rc == SQLITE_OK) {
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    rc = sqlite3_prepare_v2(db, p, -1, &st, &tail);
    if (rc != SQLITE_OK) break;
    if (!st) break;
    char *one = sqlite3_mprintf("%s", sqlite3_sql(st));
    sqlite3_finalize(st);
    if (!one) {
      rc = SQLITE_NOMEM;
      break;
    }
    rc = el_run(db, one, &part);
    sqlite3_free(one);
    if (rc == SQLITE_OK) el_put(out, part.z, part.n);
    p = tail;
  }
  free(part.z);
  return rc;
}

static int el_open(sqlite3 **db, const char *setup) {
  int rc = sqlite3_open(":memory:", db);
  if (rc == SQLITE_OK && setup) rc = sqlite3_exec(*db, setup, NULL, NULL, NULL);
  return rc;
}


static long el_max_steps(void) {
  const char *e = getenv("EL_OOM_MAX_STEPS");
  /* under valgrind (tests/run.sh exports VG=1 for make valgrind) a few
  ** steps per case: each run costs a hundred times more there */
  const char *vg = getenv("VG");
  long dflt = vg && *vg ? 8 : 200;
  long v = e ? atol(e) : dflt;
  return v > 0 ? v : dflt;
}

/* Registration under OOM: sqlite3_open runs the extension's init. Either the
** open fails, or every function and module is there. */
static void el_run_registration(void) {
  const char *probe = "SELECT exportlens_version(), token_count('a b'), "
                      "(SELECT count(*) FROM export_lexicon) > 0, "
                      "(SELECT count(*) FROM pragma_module_list WHERE name IN "
                      "('tokens', 'entities', 'quotes', 'claims', 'export_terms', 'screen'))";
  el_buf clean = {0}, got = {0};
  sqlite3 *db = NULL;
  el_inject(0, 0);
  sqlite3_open(":memory:", &db);
  long total = el_nalloc;
  int rc = el_run_all(db, probe, &clean);
  sqlite3_close(db);
  char detail[400] = "";
  int bad = rc != SQLITE_OK;
  long nerr = 0;
  if (bad) snprintf(detail, sizeof(detail), "clean: %s", sqlite3_errstr(rc));
  long steps = el_max_steps(), stride = total > steps ? total / steps : 1;
  for (int persist = 0; persist < 2 && !bad; persist++) {
    for (long at = 1; at <= total + 1 && !bad; at += stride) {
      el_inject(at, persist);
      rc = sqlite3_open(":memory:", &db);
      el_inject(0, 0);
      if (rc != SQLITE_OK) {
        nerr++;
      } else if ((rc = el_run_all(db, probe, &got)) != SQLITE_OK || got.n != clean.n ||
                 memcmp(got.z, clean.z, clean.n) != 0) {
        snprintf(detail, sizeof(detail), "%s allocation %ld failing: the open succeeded, "
                 "but %s", persist ? "from" : "only", at, rc ? sqlite3_errmsg(db) : got.z);
        bad = 1;
      }
      sqlite3_close(db);
    }
  }
  char name[128];
  snprintf(name, sizeof(name), "oom: registration (%ld allocations, %ld failed opens)", total, nerr);
  check(!bad && nerr > 0, name, detail);
  free(clean.z);
  free(got.z);
}

static void el_run_case(const el_case *c) {
  char name[160], detail[600];
  if (!c->sql) {
    el_run_registration();
    return;
  }
  el_buf clean = {0}, got = {0};
  sqlite3 *db = NULL;

  /* clean: twice, so that process-wide caches (the built-in automaton) exist */
  for (int k = 0; k < 2; k++) {
    if (el_open(&db, c->setup) != SQLITE_OK) {
      snprintf(detail, sizeof(detail), "setup: %s", sqlite3_errmsg(db));
      snprintf(name, sizeof(name), "oom: %s: clean run", c->name);
      check(0, name, detail);
      sqlite3_close(db);
      return;
    }
    el_inject(0, 0);
    int rc = el_run_all(db, c->sql, &clean);
    sqlite3_close(db);
    if (rc != SQLITE_OK) {
      snprintf(name, sizeof(name), "oom: %s: clean run", c->name);
      snprintf(detail, sizeof(detail), "%s", sqlite3_errstr(rc));
      check(0, name, detail);
      free(clean.z);
      return;
    }
  }
  /* the allocations of the statement alone */
  el_open(&db, c->setup);
  el_inject(0, 0);
  el_run_all(db, c->sql, &got);
  long total = el_nalloc;
  sqlite3_close(db);
  sqlite3_int64 base = sqlite3_memory_used();

  long steps = el_max_steps(), stride = total > steps ? total / steps : 1;
  int bad = 0, leaks = 0;
  long nerr = 0, nsame = 0;
  detail[0] = 0;
  for (int persist = 0; persist < 2 && !bad; persist++) {
    for (long at = 1; at <= total + 1 && !bad; at += stride) {
      if (el_open(&db, c->setup) != SQLITE_OK) {
        snprintf(detail, sizeof(detail), "setup failed");
        bad = 1;
        break;
      }
      el_inject(at, persist);
      int rc = el_run_all(db, c->sql, &got);
      el_inject(0, 0);
      if (rc != SQLITE_OK) {
        nerr++;
        const char *msg = sqlite3_errmsg(db);
        if (rc != SQLITE_NOMEM && (!msg || !*msg || strcmp(msg, "not an error") == 0)) {
          snprintf(detail, sizeof(detail), "%s allocation %ld: error %d with no message",
                   persist ? "from" : "only", at, rc);
          bad = 1;
        }
      } else if (got.n != clean.n || memcmp(got.z, clean.z, clean.n) != 0) {
        snprintf(detail, sizeof(detail),
                 "%s allocation %ld failing: no error, but a different result: got %.200s"
                 " want %.200s",
                 persist ? "from" : "only", at, got.z, clean.z);
        bad = 1;
      } else {
        nsame++;
      }
      sqlite3_close(db);
      if (sqlite3_memory_used() != base && !leaks) {
        leaks = 1;
        snprintf(detail, sizeof(detail), "%s allocation %ld failing: %lld bytes not freed",
                 persist ? "from" : "only", at, (long long)(sqlite3_memory_used() - base));
        base = sqlite3_memory_used();
      }
    }
  }
  snprintf(name, sizeof(name), "oom: %s (%ld allocations, %ld errors, %ld same results)",
           c->name, total, nerr, nsame);
  if (c->known && (bad || leaks)) {
    printf("ok - %s: known failure: %s (%s)\n", name, c->known, detail);
  } else if (c->known) {
    check(0, name, "a known failure passes now: remove its note from el_cases");
  } else {
    check(!bad && !leaks && nerr > 0, name, detail);
  }
  free(clean.z);
  free(got.z);
}

/* ---------------------------------------------------------------------- */
/* Interrupts at every allocation of a write                               */

typedef struct el_icase {
  const char *name;
  const char *setup; /* run clean first (may end inside a BEGIN) */
  const char *sql;   /* one statement (%s: the late-type file) */
  const char *state; /* what must be unchanged when sql fails */
} el_icase;

/* tables of main and temp (csv_rejects is the session's reject log) */
#define EL_SCHEMA                                                                             \
  "SELECT group_concat(type || ' ' || name, ', ') FROM (SELECT type, name FROM sqlite_schema " \
  "UNION ALL SELECT type, 'temp.' || name FROM temp.sqlite_schema WHERE name NOT LIKE 'csv_rejects%' " \
  "ORDER BY 2)"
static char el_late[64]; /* a file of 1200 integers, then a word (named by the pid) */

static const el_icase el_icases[] = {
  {"csv_import into a new table", "CREATE TABLE keep(x)",
   "SELECT csv_import('tests/fixtures/csv/codes.csv', 'imp')", EL_SCHEMA},
  {"csv_import into a new temp table", NULL,
   "SELECT csv_import('tests/fixtures/csv/codes.csv', 'temp.imp')", EL_SCHEMA},
  {"csv_import appending", "SELECT csv_import('tests/fixtures/csv/codes.csv', 'imp')",
   "SELECT csv_import('tests/fixtures/csv/codes.csv', 'imp', 'mode=append')",
   "SELECT count(*) FROM imp"},
  {"csv_import replacing", "SELECT csv_import('tests/fixtures/csv/codes.csv', 'imp')",
   "SELECT csv_import('tests/fixtures/csv/mixed_types.csv', 'imp', 'mode=replace')",
   "SELECT * FROM imp"},
  {"csv_import inside the caller's transaction", "CREATE TABLE keep(x); BEGIN",
   "SELECT csv_import('tests/fixtures/csv/codes.csv', 'imp')", EL_SCHEMA},
  {"csv_import where a late value changes a type", NULL, "SELECT csv_import('%s', 'imp')", EL_SCHEMA},
  {"csv_import over a pattern", NULL,
   "SELECT csv_import('tests/fixtures/csv/monthly/*', 'imp')", EL_SCHEMA},
};

static int el_write_late(void) {
  snprintf(el_late, sizeof(el_late), "/tmp/el_oom_late_type_%ld.csv", (long)getpid());
  FILE *f = fopen(el_late, "w");
  if (!f) return -1;
  fputs("n,v\n", f);
  for (int i = 0; i < 1200; i++) fprintf(f, "%d,%d\n", i, i);
  fputs("1200,late\n", f);
  return fclose(f);
}

static void el_run_icase(const el_icase *c) {
  char name[200], detail[1000] = "";
  char *sql = sqlite3_mprintf(c->sql, el_late);
  el_buf clean = {0}, got = {0}, before = {0}, after = {0}, done = {0};
  sqlite3 *db = NULL;
  int bad = 0;
  long nerr = 0, nsame = 0, total = 0;

  if (el_open(&db, c->setup) != SQLITE_OK || el_run_all(db, c->state, &before) != SQLITE_OK) {
    snprintf(detail, sizeof(detail), "setup: %s", sqlite3_errmsg(db));
    bad = 1;
  } else {
    el_inject(0, 0);
    int rc = el_run(db, sql, &clean);
    total = el_nalloc;
    if (rc == SQLITE_OK) rc = el_run_all(db, c->state, &done);
    if (rc != SQLITE_OK) {
      snprintf(detail, sizeof(detail), "clean run: %s", sqlite3_errmsg(db));
      bad = 1;
    }
  }
  sqlite3_close(db);
  long steps = el_max_steps(), stride = total > steps ? total / steps : 1;
  for (long at = 1; at <= total + 1 && !bad; at += stride) {
    el_open(&db, c->setup);
    int was_auto = sqlite3_get_autocommit(db);
    el_inject(0, 0);
    el_intr_db = db;
    el_intr_at = at;
    int rc = el_run(db, sql, &got);
    el_inject(0, 0);
    int now_auto = sqlite3_get_autocommit(db);
    if (rc == SQLITE_INTERRUPT && got.n == clean.n && memcmp(got.z, clean.z, clean.n) == 0) {
      /* the whole result came, then the interrupt (at the statement's last
      ** step): the write is done and must be whole */
      if (el_run_all(db, c->state, &after) != SQLITE_OK || after.n != done.n ||
          memcmp(after.z, done.z, done.n) != 0) {
        snprintf(detail, sizeof(detail), "interrupt at allocation %ld after the result: the database is "
                 "%.200s, not %.200s", at, after.z, done.z);
        bad = 1;
      }
      nsame++;
    } else if (rc == SQLITE_OK) {
      if (got.n != clean.n || memcmp(got.z, clean.z, clean.n) != 0) {
        snprintf(detail, sizeof(detail), "interrupt at allocation %ld: no error, but %.200s, not %.200s",
                 at, got.z, clean.z);
        bad = 1;
      }
      nsame++;
    } else {
      nerr++;
      char msg[300];
      snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(db));
      if (rc != SQLITE_INTERRUPT || !strstr(msg, "interrupt")) {
        snprintf(detail, sizeof(detail), "interrupt at allocation %ld: error %d: %s", at, rc, msg);
        bad = 1;
      } else if (was_auto && !now_auto) {
        snprintf(detail, sizeof(detail), "interrupt at allocation %ld: a transaction is left open (%s)",
                 at, msg);
        bad = 1;
      } else if (el_run_all(db, c->state, &after) != SQLITE_OK || after.n != before.n ||
                 memcmp(after.z, before.z, before.n) != 0) {
        snprintf(detail, sizeof(detail), "interrupt at allocation %ld: %s, but the database changed: "
                 "%.200s, was %.200s", at, msg, after.z, before.z);
        bad = 1;
      }
    }
    sqlite3_close(db);
  }
  snprintf(name, sizeof(name), "interrupt: %s (%ld allocations, %ld interrupted, %ld completed)", c->name,
           total, nerr, nsame);
  check(!bad && nerr > 0, name, detail);
  free(clean.z);
  free(got.z);
  free(before.z);
  free(after.z);
  free(done.z);
  sqlite3_free(sql);
}

int main(int argc, char **argv) {
  if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &el_orig) != SQLITE_OK) return 2;
  sqlite3_mem_methods m = el_orig;
  m.xMalloc = el_oom_malloc;
  m.xRealloc = el_oom_realloc;
  m.xFree = el_oom_free;
  m.xSize = el_oom_size;
  m.xRoundup = el_oom_roundup;
  m.xInit = el_oom_init;
  m.xShutdown = el_oom_shutdown;
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK) return 2;
  /* a lookaside buffer would hide small allocations from the wrapper */
  sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0);
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1);
  if (sqlite3_initialize() != SQLITE_OK) return 2;
  int rc = sqlite3_auto_extension((void (*)(void))sqlite3_exportlens_init);
  check(rc == SQLITE_OK, "oom: auto_extension", sqlite3_errstr(rc));
  for (size_t i = 0; i < sizeof(el_cases) / sizeof(el_cases[0]); i++) {
    if (argc > 1 && !strstr(el_cases[i].name, argv[1])) continue;
    el_run_case(&el_cases[i]);
  }
  check(el_write_late() == 0, "interrupt: write the late-type file", el_late);
  for (size_t i = 0; i < sizeof(el_icases) / sizeof(el_icases[0]); i++) {
    if (argc > 1 && !strstr(el_icases[i].name, argv[1]) && !strstr("interrupt", argv[1])) continue;
    el_run_icase(&el_icases[i]);
  }
  remove(el_late);
  sqlite3_reset_auto_extension();
  return failures ? 1 : 0;
}
