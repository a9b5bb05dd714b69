/*
** exportlens entry point. Each capability lives in its own folder under ext/
** and exposes one register function; this file calls them from a table and
** adds exportlens_version() and exportlens_debug().
*/
#include <pcre2.h>
#include <csv.h>
#include <string.h>

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1

#include "../include/exportlens.h"
#include "common/el_sqlite.h"
#include "common/el_unicode.h"
#include "text/text.h"
#include "csv/csvimport.h"
#include "entities/entities.h"
#include "terms/terms.h"
#include "quotes/quotes.h"
#include "screen/screen.h"
#include "nlp/nlp.h"

#ifndef EL_BUILD_DATE
#define EL_BUILD_DATE "unknown"
#endif
#ifndef EL_BUILD_FLAGS
#define EL_BUILD_FLAGS "unknown"
#endif
#ifndef EL_GIT_COMMIT
#define EL_GIT_COMMIT "unknown"
#endif
#ifndef EL_ISO_CODES_VERSION
#define EL_ISO_CODES_VERSION "unknown"
#endif
#ifdef SQLITE_CORE
#define EL_LINKAGE "static"
#else
#define EL_LINKAGE "loadable"
#endif

static void el_version_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc; (void)argv;
  sqlite3_result_text(ctx, EXPORTLENS_VERSION, -1, SQLITE_STATIC);
}

static void el_debug_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc; (void)argv;
  char pcre_version[64] = "unknown";
  uint32_t jit = 0;
  if (pcre2_config(PCRE2_CONFIG_VERSION, pcre_version) < 0) strcpy(pcre_version, "unknown");
  if (pcre2_config(PCRE2_CONFIG_JIT, &jit) < 0) jit = 0;
  char *z = sqlite3_mprintf(
      "exportlens %s (%s build)\n"
      "commit: %s\n"
      "build date: %s\n"
      "sqlite: %s (compiled against %s)\n"
      "pcre2: %s, JIT %s\n"
      "libcsv: %d.%d.%d\n"
      "unicode: %s\n"
      "iso-codes: %s\n"
      "fts5 tokenizer: %s\n"
      "flags: %s",
      EXPORTLENS_VERSION, EL_LINKAGE, EL_GIT_COMMIT, EL_BUILD_DATE, sqlite3_libversion(),
      SQLITE_VERSION, pcre_version, jit ? "on" : "off", CSV_MAJOR, CSV_MINOR, CSV_RELEASE,
      el_uc_version(), EL_ISO_CODES_VERSION, el_text_has_fts5(sqlite3_context_db_handle(ctx)) ? "exportlens" : "unavailable", EL_BUILD_FLAGS);
  if (z == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, z, -1, sqlite3_free);
}

static int el_core_register(sqlite3 *db, char **pzErr) {
  static const el_function_def fns[] = {
    {"exportlens_version", 0, EL_PURE, el_version_fn},
    {"exportlens_debug", 0, EL_PURE_VOLATILE, el_debug_fn},
    {NULL, 0, 0, NULL}
  };
  return el_register_functions(db, fns, pzErr);
}

/* Every capability, in registration order. reads_files marks the ones left
** out by the no-file-access entry point. */
static const struct {
  const char *name;
  int (*reg)(sqlite3 *, char **);
  int reads_files;
} el_capabilities[] = {
  {"core", el_core_register, 0},
  {"text", el_text_register, 0},
  {"csv", el_csv_register, 1},
  {"entities", el_entities_register, 0},
  {"terms", el_terms_register, 0},
  {"quotes", el_quotes_register, 0},
  {"screen", el_screen_register, 0},
  {"nlp", el_nlp_register, 0},
};

static int el_init(sqlite3 *db, char **pzErrMsg, int allow_files) {
  for (size_t i = 0; i < sizeof(el_capabilities) / sizeof(el_capabilities[0]); i++) {
    if (el_capabilities[i].reads_files && !allow_files) continue;
    char *err = NULL;
    int rc = el_capabilities[i].reg(db, &err);
    if (rc != SQLITE_OK) {
      if (pzErrMsg) {
        *pzErrMsg = err ? err
                        : sqlite3_mprintf("exportlens: registering %s failed: %s",
                                          el_capabilities[i].name, sqlite3_errstr(rc));
      } else {
        sqlite3_free(err);
      }
      return rc;
    }
  }
  return SQLITE_OK;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_exportlens_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  return el_init(db, pzErrMsg, 1);
}

/* The same without anything that reads files (csv_file, csv_sniff,
** csv_import), for hosts that must not give SQL access to the file system:
**   .load build/exportlens sqlite3_exportlens_noread_init */
#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_exportlens_noread_init(sqlite3 *db, char **pzErrMsg,
                                   const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  return el_init(db, pzErrMsg, 0);
}
