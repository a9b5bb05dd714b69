/* CoNLL-U reading for the trainers: see conllu.h. */
#include "conllu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static char *xstrdup(const char *s) {
  size_t n = strlen(s);
  char *p = malloc(n + 1);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  memcpy(p, s, n + 1);
  return p;
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Find each word's span: forms in order, white space skipped. */
static int cu_spans(cu_sent *s) {
  size_t pos = 0;
  for (int i = 0; i < s->n; i++) {
    const char *f = s->w[i].form;
    size_t fl = strlen(f);
    while (pos < s->tlen && is_space((unsigned char)s->text[pos])) pos++;
    /* U+00A0 and other space characters inside the text are skipped too */
    while (pos + 1 < s->tlen && (unsigned char)s->text[pos] == 0xC2 &&
           (unsigned char)s->text[pos + 1] == 0xA0 && strncmp(s->text + pos, f, 2) != 0)
      pos += 2;
    if (pos + fl > s->tlen || memcmp(s->text + pos, f, fl) != 0) return -1;
    s->w[i].start = (uint32_t)pos;
    s->w[i].end = (uint32_t)(pos + fl);
    pos += fl;
  }
  return 0;
}

static void cu_push(cu_corpus *c, cu_sent *s) {
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 1024;
    c->s = realloc(c->s, (size_t)c->cap * sizeof(*c->s));
    if (!c->s) exit(1);
  }
  c->s[c->n++] = *s;
}

static void cu_sent_free(cu_sent *s) {
  for (int i = 0; i < s->n; i++) {
    free(s->w[i].form);
    free(s->w[i].lemma);
    free(s->w[i].upos);
    free(s->w[i].xpos);
    free(s->w[i].deprel);
  }
  free(s->w);
  free(s->text);
  memset(s, 0, sizeof(*s));
}

int cu_read(const char *path, cu_corpus *c) {
  gzFile g = gzopen(path, "rb");
  if (!g) {
    fprintf(stderr, "cannot open %s\n", path);
    return -1;
  }
  memset(c, 0, sizeof(*c));
  static char line[1 << 16];
  cu_sent cur;
  memset(&cur, 0, sizeof(cur));
  int wcap = 0, mwt_end = -1, dropped = 0;
  while (gzgets(g, line, sizeof(line))) {
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    if (len == 0) {
      if (cur.text && cur.n > 0) {
        if (cu_spans(&cur) == 0) {
          cu_push(c, &cur);
        } else {
          dropped++;
          cu_sent_free(&cur);
        }
      } else {
        cu_sent_free(&cur);
      }
      memset(&cur, 0, sizeof(cur));
      wcap = 0;
      mwt_end = -1;
      continue;
    }
    if (line[0] == '#') {
      if (strncmp(line, "# text = ", 9) == 0) {
        free(cur.text);
        cur.text = xstrdup(line + 9);
        cur.tlen = strlen(cur.text);
      }
      continue;
    }
    char *col[10];
    int nc = 0;
    char *p = line;
    while (nc < 10) {
      col[nc++] = p;
      char *t = strchr(p, '\t');
      if (!t) break;
      *t = 0;
      p = t + 1;
    }
    if (nc < 10) continue;
    if (strchr(col[0], '.')) continue; /* empty node */
    char *dash = strchr(col[0], '-');
    if (dash) {
      mwt_end = atoi(dash + 1);
      continue;
    }
    int id = atoi(col[0]);
    if (cur.n == wcap) {
      wcap = wcap ? wcap * 2 : 32;
      cur.w = realloc(cur.w, (size_t)wcap * sizeof(cu_word));
      if (!cur.w) exit(1);
    }
    cu_word *w = &cur.w[cur.n++];
    w->form = xstrdup(col[1]);
    w->lemma = xstrdup(col[2]);
    w->upos = xstrdup(col[3]);
    w->xpos = xstrdup(col[4]);
    w->deprel = xstrdup(col[7]);
    w->head = atoi(col[6]) - 1;
    w->mwt = id <= mwt_end;
  }
  if (cur.text && cur.n > 0 && cu_spans(&cur) == 0) cu_push(c, &cur);
  else cu_sent_free(&cur);
  gzclose(g);
  if (dropped) fprintf(stderr, "%s: %d sentences whose words do not match their text dropped\n",
                       path, dropped);
  return 0;
}

void cu_free(cu_corpus *c) {
  for (int i = 0; i < c->n; i++) cu_sent_free(&c->s[i]);
  free(c->s);
  memset(c, 0, sizeof(*c));
}

void cu_universal(const char *deprel, char *out, size_t cap) {
  size_t i = 0;
  while (deprel[i] && deprel[i] != ':' && i + 1 < cap) {
    out[i] = deprel[i];
    i++;
  }
  out[i] = 0;
}
