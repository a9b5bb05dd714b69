/*
** Core throughput of the linguistic core, without SQLite (a developer's
** tool, not part of the extension): bench_nlp MODEL.bin FILE [MB]
** FILE is plain text; each line is analysed as one text. SUM=1 also prints
** a checksum of every word's tag, lemma rule, head and relation, to check
** that a speed-up changes no result.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "../el_nlp_int.h"
#include "../el_model.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(getenv("WALL") ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *blob;
  if (getenv("HUGE")) {
    size_t sz = ((size_t)n + (2 << 20)) & ~(size_t)((2 << 20) - 1);
    blob = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise(blob, sz, MADV_HUGEPAGE);
  } else {
    blob = aligned_alloc(64, ((size_t)n + 63) & ~(size_t)63);
  }
  if (fread(blob, 1, (size_t)n, f) != (size_t)n) return 1;
  fclose(f);
  el_nlp m;
  if (el_nlp_init(&m, blob, (size_t)n) != 0) {
    fprintf(stderr, "bad model\n");
    return 1;
  }
  size_t max = (size_t)(argc > 3 ? atof(argv[3]) : 10) * 1000000;
  char *text = malloc(max + 1);
  f = fopen(argv[2], "rb");
  size_t len = fread(text, 1, max, f);
  fclose(f);
  for (int what = 0; what <= 2; what++) {
    el_nlp_sent s;
    el_nlp_sent_init(&s);
    double t = now();
    size_t words = 0, sum = 0;
    char *p = text, *end = text + len;
    while (p < end) {
      char *e = memchr(p, '\n', (size_t)(end - p));
      if (!e) e = end;
      el_unit_reader r;
      el_unit_init(&r, p, (size_t)(e - p));
      while (el_unit_next(&r) == 1) {
        el_nlp_analyse(&m, p, (size_t)(e - p), r.tok[0].start, r.tok[r.ntok - 1].end, r.tok,
                       r.ntok, what, &s);
        words += s.n;
        for (size_t i = 0; i < s.n; i++)
          sum = sum * 1000003 + (size_t)s.w[i].tag * 131 + (size_t)(s.w[i].head + 1) * 7 +
                s.w[i].dep + (size_t)s.w[i].lemma * 65537;
      }
      el_unit_free(&r);
      p = e + 1;
    }
    double dt = now() - t;
    printf("%s: %.2f MB/s, %.0f words/s, %.3f us/word\n",
           what == 0 ? "words" : what == 1 ? "+tags+lemmas" : "+parse", len / dt / 1e6,
           words / dt, dt / words * 1e6);
    if (getenv("SUM")) printf("checksum %zx\n", sum);
    el_nlp_sent_free(&s);
  }
  return 0;
}
