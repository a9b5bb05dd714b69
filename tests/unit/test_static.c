/*
** The static library (built with -DSQLITE_CORE) registers the same functions
** as the loadable one, through sqlite3_auto_extension.
*/
#include <stdio.h>
#include <string.h>

#include "exportlens.h"

#include "check.h"

static void query_text(sqlite3 *db, const char *sql, char *out, size_t cap) {
  sqlite3_stmt *st = NULL;
  out[0] = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    snprintf(out, cap, "error: %s", sqlite3_errmsg(db));
    return;
  }
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

int main(void) {
  sqlite3 *db = NULL;
  char buf[512];
  int rc = sqlite3_auto_extension((void (*)(void))sqlite3_exportlens_init);
  check(rc == SQLITE_OK, "static: auto_extension", sqlite3_errstr(rc));
  rc = sqlite3_open(":memory:", &db);
  check(rc == SQLITE_OK, "static: open", sqlite3_errstr(rc));
  query_text(db, "SELECT exportlens_version()", buf, sizeof(buf));
  check(strcmp(buf, EXPORTLENS_VERSION) == 0, "static: exportlens_version()", buf);
  query_text(db, "SELECT exportlens_debug()", buf, sizeof(buf));
  check(strstr(buf, "static build") != NULL, "static: exportlens_debug() says static", buf);
  query_text(db, "SELECT group_concat(norm, ' ') FROM tokens('The U.S. rule')", buf, sizeof(buf));
  check(strcmp(buf, "the us rule") == 0, "static: tokens()", buf);
  query_text(db, "SELECT token_count('one two three')", buf, sizeof(buf));
  check(strcmp(buf, "3") == 0, "static: token_count()", buf);
  sqlite3_close(db);
  sqlite3_reset_auto_extension();
  return failures ? 1 : 0;
}
