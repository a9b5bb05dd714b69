/*
** The one assertion of the C unit tests: prints "ok - name" or
** "not ok - name: detail" (the lines tests/run.sh counts) and counts the
** failures, which each test's main() returns as its exit status.
*/
#ifndef EL_TESTS_UNIT_CHECK_H
#define EL_TESTS_UNIT_CHECK_H

#include <stdio.h>

static int failures = 0;

static void check(int cond, const char *name, const char *detail) {
  if (cond) {
    printf("ok - %s\n", name);
  } else {
    printf("not ok - %s: %s\n", name, detail ? detail : "");
    failures++;
  }
}

#endif
