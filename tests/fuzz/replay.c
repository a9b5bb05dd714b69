/*
** Replays fuzz corpus files through a fuzz target without libFuzzer, so that
** every seed and every crash once found runs in `make test` (and under ASan in
** `make asan`). Prints one "ok - ..." line per file; a failed invariant aborts.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      printf("not ok - fuzz replay: cannot open %s\n", argv[i]);
      return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    size_t got = buf ? fread(buf, 1, (size_t)(n > 0 ? n : 0), f) : 0;
    fclose(f);
    if (!buf || (long)got != n) {
      printf("not ok - fuzz replay: cannot read %s\n", argv[i]);
      free(buf);
      return 1;
    }
    LLVMFuzzerTestOneInput(buf, got);
    free(buf);
    printf("ok - fuzz replay: %s\n", argv[i]);
  }
  return 0;
}
