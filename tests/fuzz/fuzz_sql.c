/*
** libFuzzer target at the SQL level: SQLite with the static exportlens library
** (SQLITE_CORE), driven by statements that the input spells out. The bytes are
** read as a program, not as SQL text, so that every statement is one the
** extension must answer and no input can reach a file outside the fuzzer's own
** temporary folder:
**   - csv_file tables, csv_sniff() and csv_import() over a file written from
**     the input (and a few fixed files, a folder and a missing path), with
**     option lists built from the known keys, odd keys, odd values and the
**     three quoting styles; csv_sniff's proposed statement is run;
**   - table and schema names for csv_import and for the dictionary, lexicon
**     and screening-list arguments: qualified, quoted, odd, missing, in main,
**     temp and an attached database;
**   - every scalar function and eponymous table-valued function the extension
**     registers (found by comparing pragma_function_list and
**     pragma_module_list with a plain connection), called with too few, the
**     right number and too many arguments, through the planner's paths: table
**     arguments, hidden-column constraints in WHERE (=, IN, IS NULL), joins
**     with a correlated argument, two functions chained, ORDER BY, LIMIT and
**     OFFSET, and subqueries.
** Beyond what ASan and UBSan catch, it checks that rows of a function with
** start and end columns satisfy 0 <= start <= end <= length(text), that a
** query gives the same rows twice, and that csv_import's count is the number
** of rows in the plain table it created. A progress handler bounds each
** statement's VM work.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exportlens.h"

#define FUZZ_ASSERT(c) do { if (!(c)) { fprintf(stderr, "fuzz_sql: %s failed at line %d\n", #c, __LINE__); abort(); } } while (0)

/* ---- the input, read as a program ------------------------------------- */

typedef struct {
  const uint8_t *p;
  size_t n, i;
} rd;

static unsigned take(rd *r) { return r->i < r->n ? r->p[r->i++] : 0; }
static unsigned pick(rd *r, unsigned n) { return n ? take(r) % n : 0; }
static int done(const rd *r) { return r->i >= r->n; }

/* A string from the input: a length byte (0 to 63), then that many bytes. */
static char *take_str(rd *r) {
  size_t len = take(r) % 64;
  if (len > r->n - r->i) len = r->n - r->i;
  char *z = malloc(len + 1);
  if (!z) abort();
  memcpy(z, r->p + r->i, len);
  z[len] = 0;
  r->i += len;
  return z;
}

/* ---- what the extension registers -------------------------------------- */

#define MAXN 64
typedef struct {
  char name[64];
  int narg; /* -1: any */
} fn_def;
typedef struct {
  char name[64];
  char cols[16][32];
  int ncols, nhidden;
  int has_offsets; /* has "start" and "end" columns */
} mod_def;

static fn_def fns[MAXN];
static int nfns;
static mod_def mods[MAXN];
static int nmods;
static char dir[256];

static int in_list(sqlite3 *plain, const char *sql, const char *name) {
  sqlite3_stmt *st;
  int found = 0;
  if (sqlite3_prepare_v2(plain, sql, -1, &st, NULL) != SQLITE_OK) abort();
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW) found = 1;
  sqlite3_finalize(st);
  return found;
}

static void cleanup(void) {
  if (dir[0]) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "%s/in.csv", dir);
    unlink(cmd);
    const char *names[] = {"fixed.csv", "latin1.csv", "empty.csv", "quoted.tsv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
      snprintf(cmd, sizeof cmd, "%s/%s", dir, names[i]);
      unlink(cmd);
    }
    snprintf(cmd, sizeof cmd, "%s/folder", dir);
    rmdir(cmd);
    rmdir(dir);
  }
}

static void write_file(const char *name, const char *data, size_t n) {
  char path[320];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (n && fwrite(data, 1, n, f) != n) abort();
  fclose(f);
}

static void setup_once(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/el_fuzz_sql_XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) abort();
  atexit(cleanup);
  static const char fixed[] =
      "country,year,exports,share\nKorea, Rep.,2022,683.6,48.1\n\"China, People's Rep.\",2021,3.36e3,20\n"
      "Japan,2020,641,\nN/A,..,NA,x\n";
  write_file("fixed.csv", fixed, sizeof fixed - 1);
  static const char latin1[] = "name;value\nC\xf4te d'Ivoire;1,5\nT\xfcrkiye;2\n";
  write_file("latin1.csv", latin1, sizeof latin1 - 1);
  write_file("empty.csv", "", 0);
  static const char tsv[] = "sep=\t\n\"a\"\t\"b\"\n\"x \"\"y\"\"\"\t2\n";
  write_file("quoted.tsv", tsv, sizeof tsv - 1);
  char folder[300];
  snprintf(folder, sizeof folder, "%s/folder", dir);
  mkdir(folder, 0700);

  /* what a plain connection has, and what the extension adds */
  sqlite3 *plain, *db;
  if (sqlite3_open(":memory:", &plain) != SQLITE_OK || sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
  char *err = NULL;
  if (sqlite3_exportlens_init(db, &err, NULL) != SQLITE_OK) abort();
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "SELECT DISTINCT name, narg FROM pragma_function_list WHERE type = 's' ORDER BY 1, 2",
                         -1, &st, NULL) != SQLITE_OK) abort();
  while (sqlite3_step(st) == SQLITE_ROW && nfns < MAXN) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    if (in_list(plain, "SELECT 1 FROM pragma_function_list WHERE name = ?1", name)) continue;
    snprintf(fns[nfns].name, sizeof fns[nfns].name, "%s", name);
    fns[nfns].narg = sqlite3_column_int(st, 1);
    nfns++;
  }
  sqlite3_finalize(st);
  if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_module_list ORDER BY 1", -1, &st, NULL) != SQLITE_OK) abort();
  while (sqlite3_step(st) == SQLITE_ROW && nmods < MAXN) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    if (in_list(plain, "SELECT 1 FROM pragma_module_list WHERE name = ?1", name)) continue;
    mod_def *m = &mods[nmods];
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name);
    sqlite3_stmt *cs;
    if (sqlite3_prepare_v2(db, "SELECT name, hidden FROM pragma_table_xinfo(?1) ORDER BY hidden, cid", -1, &cs,
                           NULL) != SQLITE_OK) abort();
    sqlite3_bind_text(cs, 1, name, -1, SQLITE_STATIC);
    int start = 0, end = 0;
    while (sqlite3_step(cs) == SQLITE_ROW && m->ncols < 16) {
      snprintf(m->cols[m->ncols], sizeof m->cols[0], "%s", (const char *)sqlite3_column_text(cs, 0));
      if (sqlite3_column_int(cs, 1)) m->nhidden++;
      if (strcmp(m->cols[m->ncols], "start") == 0) start = 1;
      if (strcmp(m->cols[m->ncols], "end") == 0) end = 1;
      m->ncols++;
    }
    sqlite3_finalize(cs);
    m->has_offsets = start && end;
    if (m->ncols > 0) nmods++; /* eponymous; csv_file needs CREATE VIRTUAL TABLE */
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  sqlite3_close(plain);
  FUZZ_ASSERT(nfns > 5 && nmods > 5);
}

/* ---- statements ----------------------------------------------------------- */

static int steps;
static int progress(void *p) {
  (void)p;
  return ++steps > 20000; /* about 20 million VM instructions per statement */
}

static void exec(sqlite3 *db, const char *sql) {
  steps = 0;
  sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Bound values: texts the functions find things in, and odd values. */
static const char *const texts[] = {
    "The Bureau of Industry and Security (BIS) added Huawei to the Entity List on May 16, 2019; "
    "\xe2\x80\x9c" "exports fell 30% to $1.5 billion,\xe2\x80\x9d said Gina Raimondo of Commerce. "
    "Items under ECCN 3A090 and 15 CFR 744.21 need a license for China.",
    "China accounts for more than 30% of South Korea's exports. Korea\xe2\x80\x99s SK hynix makes memory chips. "
    "\"We comply,\" she said.",
    "U.S. Export Holdings and Korea Chip Trading Co. were listed. Jane Doe (J. Doe) denied it.",
    "", "   ", "x", "\xff\xfe bad \xc3", "a\0b",
};

static void bind_value(sqlite3_stmt *st, int i, rd *r, const char *s) {
  switch (pick(r, 9)) {
    case 0: sqlite3_bind_null(st, i); break;
    case 1: sqlite3_bind_int64(st, i, (int64_t)(int8_t)take(r)); break;
    case 2: sqlite3_bind_double(st, i, (double)(int8_t)take(r) / 7.0); break;
    case 3: sqlite3_bind_blob(st, i, s, (int)strlen(s), SQLITE_TRANSIENT); break;
    case 4: case 5: sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT); break;
    default: {
      unsigned k = pick(r, sizeof texts / sizeof texts[0]);
      sqlite3_bind_text(st, i, texts[k], k == 7 ? 3 : -1, SQLITE_STATIC);
    }
  }
}

/* A table name for a dictionary, lexicon, list or import target. */
static void table_name(sqlite3_str *out, rd *r, const char *base) {
  static const char *const forms[] = {"%s", "main.%s", "temp.t%s", "aux.%s", "\"main\".\"%s\"", "no_such_%s",
                                      "main.", ".%s", "", "temp.", "sqlite_master", "main.sqlite_schema",
                                      "\"a.%s\"", "%s ", " aux . %s", "aux.%s.x", "%s; DROP TABLE docs",
                                      "\xf0\x9f\x99\x82", "\"%s", "'%s'", "[%s]", "AUX.%s"};
  unsigned k = pick(r, sizeof forms / sizeof forms[0] + 2);
  if (k >= sizeof forms / sizeof forms[0]) {
    char *s = take_str(r);
    sqlite3_str_appendall(out, s);
    free(s);
  } else {
    sqlite3_str_appendf(out, forms[k], base, base);
  }
}

static char *file_path(rd *r) {
  static const char *const files[] = {"in.csv", "in.csv", "in.csv", "fixed.csv", "latin1.csv", "empty.csv",
                                      "quoted.tsv", "folder", "missing.csv"};
  return sqlite3_mprintf("%s/%s", dir, files[pick(r, sizeof files / sizeof files[0])]);
}

/* An option list, for csv_file (',' between items) or csv_sniff/csv_import (';'). */
static void options(sqlite3_str *out, rd *r, char sep) {
  static const char *const keys[] = {"header", "delimiter", "quote", "escape", "skip", "types", "null",
                                     "columns", "schema", "encoding", "strict", "sample", "max_field_size",
                                     "mode", "nulls", "comment", "trim", "HEADER", "header ", "", "=",
                                     "filename", "decimal", "thousands", "dateformat"};
  static const char *const values[] = {"yes", "no", "auto", ";", ",", "\\t", "tab", "pipe", "none", "\"",
                                       "'", "\\", "0", "1", "3", "-1", "999999999999", "text", "utf8",
                                       "latin1", "all", "NA,..,", "a,b,c", "a,a,a",
                                       "CREATE TABLE x(a INTEGER NOT NULL, b REAL, c)", "CREATE TABLE x(",
                                       "append", "replace", "create", "1000", "268435456", "2", "",
                                       "||", "~|~", ", ", "DD.MM.YYYY", "MM/DD/YYYY", "thin", "."};
  unsigned n = pick(r, 5);
  for (unsigned i = 0; i < n; i++) {
    if (i) sqlite3_str_appendchar(out, 1, sep);
    unsigned k = pick(r, sizeof keys / sizeof keys[0] + 1);
    char *rnd = NULL;
    const char *key = k < sizeof keys / sizeof keys[0] ? keys[k] : (rnd = take_str(r));
    unsigned v = pick(r, sizeof values / sizeof values[0] + 1);
    char *rv = NULL;
    const char *val = v < sizeof values / sizeof values[0] ? values[v] : (rv = take_str(r));
    switch (pick(r, 4)) {
      case 0: sqlite3_str_appendf(out, "%s=%s", key, val); break;
      case 1: sqlite3_str_appendf(out, "%s='%q'", key, val); break;
      case 2: sqlite3_str_appendf(out, "%s=\"%w\"", key, val); break;
      default: sqlite3_str_appendf(out, "%s", key); break;
    }
    free(rnd);
    free(rv);
  }
}

static int valid_utf8_no_nul(const char *z, int n) {
  for (int i = 0; i < n;) {
    unsigned c = (unsigned char)z[i];
    int len = c == 0 ? 0 : c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > n) return 0;
    for (int j = 1; j < len; j++)
      if (((unsigned char)z[i + j] & 0xC0) != 0x80) return 0;
    i += len;
  }
  return 1;
}

/* Runs a prepared query to the end; returns its row count (or -1 on error). */
static int run(sqlite3_stmt *st) {
  int rows = 0, rc;
  steps = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) rows++;
  return rc == SQLITE_DONE ? rows : -1;
}

/* A table-valued function through one of the planner's paths. */
static void tvf(sqlite3 *db, rd *r, const char *s) {
  const mod_def *m = &mods[pick(r, (unsigned)nmods)];
  int nvis = m->ncols - m->nhidden;
  const char *col = nvis > 0 ? m->cols[pick(r, (unsigned)nvis)] : "rowid";
  int nargs = m->nhidden ? (int)pick(r, (unsigned)m->nhidden + 2) : (int)pick(r, 2);
  const char *base = strstr(m->name, "terms") ? "lex" : strstr(m->name, "screen") ? "csl" : "dict";
  sqlite3_str *q = sqlite3_str_new(db);
  unsigned shape = pick(r, 9);
  /* arguments: ?1 is the text; a later one may be a table name */
  char args[512] = "";
  size_t used = 0;
  for (int i = 0; i < nargs && used < sizeof args - 64; i++) {
    if (i == 1 && pick(r, 2)) {
      sqlite3_str *t = sqlite3_str_new(db);
      table_name(t, r, base);
      char *name = sqlite3_str_finish(t);
      char *quoted = sqlite3_mprintf("%Q", name);
      used += (size_t)snprintf(args + used, sizeof args - used, "%s%s", i ? ", " : "", quoted ? quoted : "NULL");
      sqlite3_free(quoted);
      sqlite3_free(name);
    } else {
      used += (size_t)snprintf(args + used, sizeof args - used, "%s?%d", i ? ", " : "", i + 1);
    }
  }
  switch (shape) {
    case 0: sqlite3_str_appendf(q, "SELECT * FROM %s(%s)", m->name, args); break;
    case 1: /* hidden columns constrained in WHERE */
      sqlite3_str_appendf(q, "SELECT \"%w\" FROM %s WHERE %s = ?1", col, m->name,
                          m->nhidden ? m->cols[nvis] : col);
      if (m->nhidden > 1 && pick(r, 2)) sqlite3_str_appendf(q, " AND %s = ?2", m->cols[nvis + 1]);
      break;
    case 2: sqlite3_str_appendf(q, "SELECT \"%w\" FROM %s WHERE %s IN (?1, ?2, ?1)", col, m->name,
                                m->nhidden ? m->cols[nvis] : col); break;
    case 3: sqlite3_str_appendf(q, "SELECT d.id, f.\"%w\" FROM docs AS d, %s(d.body%s%s) AS f", col, m->name,
                                nargs > 1 ? ", " : "", nargs > 1 ? "?2" : ""); break;
    case 4: sqlite3_str_appendf(q, "SELECT \"%w\" FROM %s(%s) ORDER BY 1 %s LIMIT ?9 OFFSET %d", col, m->name,
                                args, pick(r, 2) ? "DESC" : "", (int)pick(r, 4)); break;
    case 5: sqlite3_str_appendf(q, "SELECT count(*) FROM %s(%s) WHERE \"%w\" %s ?8", m->name, args, col,
                                (const char *[]){"=", "<", ">=", "IS NOT", "LIKE", "<>"}[pick(r, 6)]); break;
    case 6: sqlite3_str_appendf(q, "SELECT * FROM docs WHERE id IN (SELECT rowid FROM %s(%s)) OR body IN "
                                "(SELECT \"%w\" FROM %s(docs.body))", m->name, args, col, m->name); break;
    case 7: { /* two functions chained: the second reads a column of the first */
      const mod_def *m2 = &mods[pick(r, (unsigned)nmods)];
      sqlite3_str_appendf(q, "SELECT count(*) FROM %s(%s) AS a JOIN %s(a.\"%w\") AS b", m->name, args,
                          m2->name, col);
      break;
    }
    default: sqlite3_str_appendf(q, "SELECT * FROM %s WHERE %s IS NULL", m->name,
                                 m->nhidden ? m->cols[nvis] : col);
  }
  char *sql = sqlite3_str_finish(q);
  sqlite3_stmt *st = NULL;
  if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
    for (int i = 1; i <= sqlite3_bind_parameter_count(st) && i < 9; i++) bind_value(st, i, r, s);
    if (sqlite3_bind_parameter_count(st) >= 9) sqlite3_bind_int(st, 9, (int)pick(r, 5));
    int a = run(st);
    sqlite3_reset(st);
    int b = run(st);
    FUZZ_ASSERT(a < 0 || b < 0 || a == b); /* the same rows twice */
    sqlite3_finalize(st);
  }
  sqlite3_free(sql);

  /* offsets: 0 <= start <= end <= length(text) for a valid UTF-8 text */
  if (m->has_offsets && m->nhidden) {
    char *chk = sqlite3_mprintf("SELECT start, \"end\", length(?1) FROM %s(?1)", m->name);
    if (sqlite3_prepare_v2(db, chk, -1, &st, NULL) == SQLITE_OK) {
      const char *t = pick(r, 2) ? s : texts[pick(r, 3)];
      int n = (int)strlen(t);
      if (valid_utf8_no_nul(t, n)) {
        sqlite3_bind_text(st, 1, t, n, SQLITE_STATIC);
        steps = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
          sqlite3_int64 a = sqlite3_column_int64(st, 0), b = sqlite3_column_int64(st, 1);
          sqlite3_int64 len = sqlite3_column_int64(st, 2);
          FUZZ_ASSERT(sqlite3_column_type(st, 0) == SQLITE_INTEGER && 0 <= a && a <= b && b <= len);
        }
      }
      sqlite3_finalize(st);
    }
    sqlite3_free(chk);
  }
}

static void scalar(sqlite3 *db, rd *r, const char *s) {
  const fn_def *f = &fns[pick(r, (unsigned)nfns)];
  int n = f->narg < 0 ? (int)pick(r, 4) : f->narg + (int)pick(r, 3) - 1;
  if (n < 0) n = 0;
  sqlite3_str *q = sqlite3_str_new(db);
  sqlite3_str_appendf(q, "SELECT %s(", f->name);
  for (int i = 0; i < n; i++) sqlite3_str_appendf(q, "%s?%d", i ? ", " : "", i + 1);
  sqlite3_str_appendall(q, pick(r, 2) ? ")" : ") FROM docs");
  char *sql = sqlite3_str_finish(q);
  sqlite3_stmt *st;
  if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
    for (int i = 1; i <= n; i++) bind_value(st, i, r, s);
    run(st);
    sqlite3_finalize(st);
  }
  sqlite3_free(sql);
}

static void csv_ops(sqlite3 *db, rd *r) {
  char *path = file_path(r);
  sqlite3_str *q = sqlite3_str_new(db);
  unsigned op = pick(r, 3);
  if (op == 0) {
    sqlite3_str_appendf(q, "CREATE VIRTUAL TABLE temp.v USING csv_file(%Q", path);
    if (pick(r, 2)) {
      sqlite3_str_appendall(q, ", ");
      options(q, r, ',');
    }
    sqlite3_str_appendall(q, ")");
    char *sql = sqlite3_str_finish(q);
    exec(db, sql);
    sqlite3_free(sql);
    static const char *const reads[] = {"SELECT * FROM temp.v", "SELECT count(*) FROM temp.v WHERE rowid > 2",
                                        "SELECT * FROM temp.v ORDER BY 1 DESC LIMIT 3",
                                        "SELECT * FROM temp.v WHERE rowid = 2",
                                        "SELECT * FROM temp.csv_rejects", "PRAGMA table_info(v)",
                                        "SELECT a.rowid FROM temp.v a JOIN temp.v b USING (rowid)"};
    exec(db, reads[pick(r, sizeof reads / sizeof reads[0])]);
    exec(db, "DROP TABLE IF EXISTS temp.v");
  } else if (op == 1) {
    sqlite3_str_appendf(q, "SELECT csv_sniff(%Q", path);
    if (pick(r, 2)) {
      sqlite3_str_appendall(q, ", '");
      sqlite3_str *o = sqlite3_str_new(db);
      options(o, r, ';');
      char *opts = sqlite3_str_finish(o);
      sqlite3_str_appendf(q, "%q')", opts ? opts : "");
      sqlite3_free(opts);
    } else {
      sqlite3_str_appendall(q, ")");
    }
    char *sql = sqlite3_str_finish(q);
    sqlite3_stmt *st;
    if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
      steps = 0;
      if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        /* run the statement csv_sniff proposes */
        char *json = sqlite3_mprintf("SELECT json_extract(%Q, '$.sql')", (const char *)sqlite3_column_text(st, 0));
        sqlite3_stmt *j;
        if (sqlite3_prepare_v2(db, json, -1, &j, NULL) == SQLITE_OK) {
          if (sqlite3_step(j) == SQLITE_ROW && sqlite3_column_text(j, 0)) {
            char *create = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(j, 0));
            sqlite3_finalize(j);
            j = NULL;
            exec(db, create);
            sqlite3_free(create);
          }
          sqlite3_finalize(j);
        }
        sqlite3_free(json);
      }
      sqlite3_finalize(st);
    }
    sqlite3_free(sql);
  } else {
    sqlite3_str *t = sqlite3_str_new(db);
    table_name(t, r, "imp");
    char *name = sqlite3_str_finish(t);
    sqlite3_str *o = sqlite3_str_new(db);
    options(o, r, ';');
    char *opts = sqlite3_str_finish(o);
    int plain = name && name[0] && strspn(name, "abcdefghijklmnopqrstuvwxyz_") == strlen(name);
    int existed = 0;
    if (plain) {
      char *ex = sqlite3_mprintf("SELECT 1 FROM main.sqlite_master WHERE name = %Q COLLATE NOCASE", name);
      sqlite3_stmt *e;
      if (sqlite3_prepare_v2(db, ex, -1, &e, NULL) == SQLITE_OK) {
        existed = sqlite3_step(e) == SQLITE_ROW;
        sqlite3_finalize(e);
      }
      sqlite3_free(ex);
    }
    sqlite3_str_appendf(q, "SELECT csv_import(%Q, %Q, %Q)", path, name ? name : "", opts ? opts : "");
    char *sql = sqlite3_str_finish(q);
    sqlite3_stmt *st;
    if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
      steps = 0;
      if (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 n = sqlite3_column_int64(st, 0);
        FUZZ_ASSERT(n >= 0);
        sqlite3_finalize(st);
        st = NULL;
        if (plain && !existed) {
          /* a new plain table holds exactly the rows csv_import counted */
          char *cnt = sqlite3_mprintf("SELECT count(*) FROM main.\"%w\"", name);
          sqlite3_stmt *c;
          if (sqlite3_prepare_v2(db, cnt, -1, &c, NULL) == SQLITE_OK) {
            FUZZ_ASSERT(sqlite3_step(c) == SQLITE_ROW && sqlite3_column_int64(c, 0) == n);
            sqlite3_finalize(c);
          }
          sqlite3_free(cnt);
        }
      }
      sqlite3_finalize(st);
    }
    sqlite3_free(sql);
    sqlite3_free(name);
    sqlite3_free(opts);
  }
  sqlite3_free(path);
}

static const char setup_sql[] =
    "ATTACH ':memory:' AS aux;"
    "CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT);"
    "INSERT INTO docs(body) VALUES ('BIS added Huawei and SMIC to the Entity List; China objected.'),"
    " ('\xe2\x80\x9cWe will comply,\xe2\x80\x9d said Jane Doe of Korea Chip Trading Co. Exports rose 5%.'), (NULL);"
    "CREATE TABLE dict(entity, label, canonical);"
    "INSERT INTO dict VALUES ('Korea Chip Trading', 'ORG', 'KCT'), ('Doe', 'PERSON', 'Jane Doe'), (NULL, NULL, NULL);"
    "CREATE TEMP TABLE tdict AS SELECT * FROM dict;"
    "CREATE TABLE aux.dict AS SELECT * FROM dict;"
    "CREATE TABLE lex(term, category, canonical);"
    "INSERT INTO lex VALUES ('entity list', 'list', 'Entity List'), ('~chips?', 'item', 'chip'), ('', 'x', 'y');"
    "CREATE TEMP TABLE tlex AS SELECT * FROM lex;"
    "CREATE TABLE aux.lex AS SELECT * FROM lex;"
    "CREATE TABLE csl(name, alt_names, source, programs);"
    "INSERT INTO csl VALUES ('Korea Chip Trading Co.', 'KCT', 'EL', 'EAR'), ('Jane Doe', 'J. Doe; Doe Jane', 'SDN', 'P');"
    "CREATE TEMP TABLE tcsl AS SELECT * FROM csl;"
    "CREATE TABLE aux.csl AS SELECT * FROM csl;"
    "CREATE TABLE imp(country, year, exports, share);";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!dir[0]) setup_once();
  rd r = {data, size, 0};
  /* two bytes (little-endian) give the length of the file in.csv, whose
  ** bytes come next; the rest is the program */
  size_t file_len = take(&r);
  file_len |= (size_t)take(&r) << 8;
  if (file_len > size - r.i) file_len = size - r.i;
  write_file("in.csv", (const char *)data + r.i, file_len);
  r.i += file_len;

  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
  char *err = NULL;
  FUZZ_ASSERT(sqlite3_exportlens_init(db, &err, NULL) == SQLITE_OK);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 4 << 20);
  sqlite3_progress_handler(db, 1000, progress, NULL);
  FUZZ_ASSERT(sqlite3_exec(db, setup_sql, NULL, NULL, NULL) == SQLITE_OK);

  for (int ops = 0; ops < 8 && !done(&r); ops++) {
    char *s = take_str(&r);
    switch (pick(&r, 5)) {
      case 0: case 1: tvf(db, &r, s); break;
      case 2: scalar(db, &r, s); break;
      default: csv_ops(db, &r); break;
    }
    free(s);
  }
  FUZZ_ASSERT(sqlite3_close(db) == SQLITE_OK);
  return 0;
}
