/*
** CSV input layer: gzip and UTF-16 sources stacked on a file (see
** el_csvinput.h).
*/
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "el_alloc.h"
#include "el_csvinput.h"
#include "el_unicode.h"

#define EL_IN_BUF (64 * 1024) /* compressed / UTF-16 bytes read at a time */

const char *el_csv_compression_name(int c) { return c == EL_CSV_COMP_GZIP ? "gzip" : "none"; }

const char *el_csv_utf16_name(int e) {
  return e == EL_CSV_UTF16_LE ? "utf16le" : e == EL_CSV_UTF16_BE ? "utf16be" : NULL;
}

/* Read until n bytes or the end: the count, or -1. */
static long long el_in_fill(el_csv_source *s, unsigned char *buf, size_t n, char *err,
                            size_t errlen) {
  size_t k = 0;
  while (k < n) {
    long long got = s->xRead(s, buf + k, n - k, err, errlen);
    if (got < 0) return -1;
    if (got == 0) break;
    k += (size_t)got;
  }
  return (long long)k;
}

/* --- memory ------------------------------------------------------------- */

typedef struct el_mem_source {
  el_csv_source base;
  const unsigned char *p;
  size_t left;
} el_mem_source;

static long long el_mem_read(el_csv_source *src, unsigned char *buf, size_t n, char *err,
                             size_t errlen) {
  el_mem_source *m = (el_mem_source *)src;
  if (n > m->left) n = m->left;
  memcpy(buf, m->p, n);
  m->p += n;
  m->left -= n;
  return (long long)n;
}

static void el_mem_close(el_csv_source *src) { el_free(src); }

el_csv_source *el_csv_mem_source(const void *data, size_t n) {
  el_mem_source *m = el_malloc(sizeof *m);
  if (!m) return NULL;
  m->base.xRead = el_mem_read;
  m->base.xClose = el_mem_close;
  m->p = data ? data : (const void *)"";
  m->left = data ? n : 0;
  return &m->base;
}

/* --- peek: the first bytes, read once and handed back ------------------- */

typedef struct el_peek_source {
  el_csv_source base;
  el_csv_source *under;
  unsigned char head[4];
  size_t hpos, hlen;
} el_peek_source;

static long long el_peek_read(el_csv_source *src, unsigned char *buf, size_t n, char *err,
                              size_t errlen) {
  el_peek_source *p = (el_peek_source *)src;
  if (p->hpos < p->hlen && n > 0) {
    size_t k = p->hlen - p->hpos < n ? p->hlen - p->hpos : n;
    memcpy(buf, p->head + p->hpos, k);
    p->hpos += k;
    return (long long)k;
  }
  return p->under->xRead(p->under, buf, n, err, errlen);
}

static void el_peek_close(el_csv_source *src) {
  el_peek_source *p = (el_peek_source *)src;
  p->under->xClose(p->under);
  el_free(p);
}

/* Wrap under (owned; closed on failure) and read its first bytes. */
static el_peek_source *el_peek(el_csv_source *under, char *err, size_t errlen) {
  el_peek_source *p = el_malloc(sizeof *p);
  if (!p) {
    under->xClose(under);
    snprintf(err, errlen, EL_CSV_NOMEM);
    return NULL;
  }
  p->base.xRead = el_peek_read;
  p->base.xClose = el_peek_close;
  p->under = under;
  p->hpos = 0;
  long long got = el_in_fill(under, p->head, sizeof p->head, err, errlen);
  if (got < 0) {
    el_peek_close(&p->base);
    return NULL;
  }
  p->hlen = (size_t)got;
  return p;
}

/* --- gzip ----------------------------------------------------------------- */

typedef struct el_gz_source {
  el_csv_source base;
  el_csv_source *under;
  z_stream z;
  int zinit;
  int in_member;        /* inside a member (its end not reached yet) */
  int done;
  long long in_total;   /* compressed bytes read */
  long long out_total;  /* bytes inflated */
  long long member_out; /* bytes inflated by the current member */
  long long empty;      /* members that inflated to nothing */
  unsigned char in[EL_IN_BUF];
} el_gz_source;

static voidpf el_gz_alloc(voidpf opaque, uInt items, uInt size) {
  (void)opaque;
  return el_reallocarray(NULL, items, size);
}

static void el_gz_free(voidpf opaque, voidpf p) {
  (void)opaque;
  el_free(p);
}

/* More compressed bytes: 1, 0 at the end of the file, -1 on error. */
static int el_gz_more(el_gz_source *g, char *err, size_t errlen) {
  long long got = g->under->xRead(g->under, g->in, sizeof g->in, err, errlen);
  if (got < 0) return -1;
  g->z.next_in = g->in;
  g->z.avail_in = (uInt)got;
  g->in_total += got;
  return got > 0;
}

/* After a member: another one follows (1), the data ends (0), or error. */
static int el_gz_next_member(el_gz_source *g, char *err, size_t errlen) {
  for (;;) {
    if (g->z.avail_in == 0) {
      int k = el_gz_more(g, err, errlen);
      if (k <= 0) return k;
    }
    if (g->z.next_in[0] == 0x1f) return 1; /* inflate checks the rest of the magic */
    /* zeros after the last member (tape or block padding) are ignored, as
    ** gzip does; anything else is not ours to guess at */
    for (uInt i = 0; i < g->z.avail_in; i++) {
      if (g->z.next_in[i] != 0) {
        snprintf(err, errlen, "unexpected bytes after the gzip data at compressed byte %lld (the file "
                 "is damaged or is not one gzip file)",
                 g->in_total - (long long)g->z.avail_in + (long long)i);
        return -1;
      }
    }
    g->z.avail_in = 0;
  }
}

static long long el_gz_read(el_csv_source *src, unsigned char *buf, size_t n, char *err,
                            size_t errlen) {
  el_gz_source *g = (el_gz_source *)src;
  if (g->done || n == 0) return 0;
  if (n > (1u << 30)) n = 1u << 30;
  g->z.next_out = buf;
  g->z.avail_out = (uInt)n;
  while (g->z.avail_out == n) {
    if (!g->in_member) {
      int k = el_gz_next_member(g, err, errlen);
      if (k < 0) return -1;
      if (k == 0) { g->done = 1; break; }
      if (inflateReset(&g->z) != Z_OK) {
        snprintf(err, errlen, "gzip: cannot restart the decoder");
        return -1;
      }
      g->in_member = 1;
      g->member_out = 0;
    }
    if (g->z.avail_in == 0) {
      int k = el_gz_more(g, err, errlen);
      if (k < 0) return -1;
      if (k == 0) {
        snprintf(err, errlen, "the gzip data is truncated: the file ends inside the compressed "
                 "stream, after %lld bytes were inflated (download the file again)",
                 g->out_total + (long long)(n - g->z.avail_out));
        return -1;
      }
    }
    uInt before = g->z.avail_out;
    int zr = inflate(&g->z, Z_NO_FLUSH);
    g->member_out += before - g->z.avail_out;
    if (zr == Z_STREAM_END) {
      g->in_member = 0;
      if (g->member_out == 0 && ++g->empty > EL_CSV_GZ_MAX_EMPTY) {
        snprintf(err, errlen, "the gzip file holds more than %d empty members (refused as hostile)",
                 EL_CSV_GZ_MAX_EMPTY);
        return -1;
      }
    } else if (zr == Z_MEM_ERROR) {
      snprintf(err, errlen, EL_CSV_NOMEM);
      return -1;
    } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
      snprintf(err, errlen, "the gzip data is corrupt at compressed byte %lld: %s",
               g->in_total - (long long)g->z.avail_in, g->z.msg ? g->z.msg : "invalid data");
      return -1;
    }
  }
  long long got = (long long)(n - g->z.avail_out);
  g->out_total += got;
  if (g->out_total > EL_CSV_GZ_RATIO_FLOOR && g->out_total / EL_CSV_GZ_MAX_RATIO > g->in_total) {
    snprintf(err, errlen, "refused as a decompression bomb: %lld compressed bytes inflate to over "
             "%lld bytes (more than %dx)", g->in_total, g->out_total, EL_CSV_GZ_MAX_RATIO);
    return -1;
  }
  return got;
}

static void el_gz_close(el_csv_source *src) {
  el_gz_source *g = (el_gz_source *)src;
  if (g->zinit) inflateEnd(&g->z);
  g->under->xClose(g->under);
  el_free(g);
}

static el_csv_source *el_gz_open(el_csv_source *under, char *err, size_t errlen) {
  el_gz_source *g = el_malloc(sizeof *g);
  if (!g) {
    under->xClose(under);
    snprintf(err, errlen, EL_CSV_NOMEM);
    return NULL;
  }
  memset(g, 0, offsetof(el_gz_source, in));
  g->base.xRead = el_gz_read;
  g->base.xClose = el_gz_close;
  g->under = under;
  g->z.zalloc = el_gz_alloc;
  g->z.zfree = el_gz_free;
  int zr = inflateInit2(&g->z, 15 + 16); /* gzip wrapper only */
  if (zr != Z_OK) {
    snprintf(err, errlen, zr == Z_MEM_ERROR ? EL_CSV_NOMEM : "gzip: cannot start the decoder");
    el_gz_close(&g->base);
    return NULL;
  }
  g->zinit = 1;
  g->in_member = 1;
  return &g->base;
}

/* --- UTF-16 --------------------------------------------------------------- */

typedef struct el_u16_source {
  el_csv_source base;
  el_csv_source *under;
  int be;
  int eof;
  unsigned char pend[4]; /* UTF-8 bytes of one character not yet handed out */
  int npend, ppend;
  long long line, col;   /* where the next character is (1-based line, 0-based column) */
  size_t ipos, ilen;
  unsigned char in[EL_IN_BUF];
} el_u16_source;

/* One code unit at ipos (refilling as needed): 1, 0 at the end, -1 error. */
static int el_u16_unit(el_u16_source *u, unsigned *cu, char *err, size_t errlen) {
  if (u->ilen - u->ipos < 2) {
    size_t tail = u->ilen - u->ipos;
    memmove(u->in, u->in + u->ipos, tail);
    u->ipos = 0;
    u->ilen = tail;
    if (!u->eof) {
      long long got = el_in_fill(u->under, u->in + tail, sizeof u->in - tail, err, errlen);
      if (got < 0) return -1;
      if ((size_t)got < sizeof u->in - tail) u->eof = 1;
      u->ilen += (size_t)got;
    }
    if (u->ilen == 0) return 0;
    if (u->ilen == 1) {
      snprintf(err, errlen, "invalid UTF-16 at line %lld, character %lld: the text ends with an odd "
               "byte (half a character)", u->line, u->col + 1);
      return -1;
    }
  }
  const unsigned char *p = u->in + u->ipos;
  *cu = u->be ? (unsigned)(p[0] << 8 | p[1]) : (unsigned)(p[1] << 8 | p[0]);
  u->ipos += 2;
  return 1;
}

/* Decode the next character into pend: 1, 0 at the end, -1 error. */
static int el_u16_char(el_u16_source *u, char *err, size_t errlen) {
  unsigned c, lo;
  int k = el_u16_unit(u, &c, err, errlen);
  if (k <= 0) return k;
  if (c >= 0xDC00 && c <= 0xDFFF) {
    snprintf(err, errlen, "invalid UTF-16 at line %lld, character %lld: a low surrogate (U+%04X) "
             "without a high one", u->line, u->col + 1, c);
    return -1;
  }
  if (c >= 0xD800 && c <= 0xDBFF) {
    k = el_u16_unit(u, &lo, err, errlen);
    if (k < 0) return -1;
    if (k == 0 || lo < 0xDC00 || lo > 0xDFFF) {
      snprintf(err, errlen, "invalid UTF-16 at line %lld, character %lld: a high surrogate (U+%04X) "
               "not followed by a low one", u->line, u->col + 1, c);
      return -1;
    }
    c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
  }
  unsigned char *o = u->pend;
  if (c < 0x80) {
    o[0] = (unsigned char)c;
    u->npend = 1;
  } else if (c < 0x800) {
    o[0] = (unsigned char)(0xC0 | c >> 6);
    o[1] = (unsigned char)(0x80 | (c & 0x3F));
    u->npend = 2;
  } else if (c < 0x10000) {
    o[0] = (unsigned char)(0xE0 | c >> 12);
    o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    o[2] = (unsigned char)(0x80 | (c & 0x3F));
    u->npend = 3;
  } else {
    o[0] = (unsigned char)(0xF0 | c >> 18);
    o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    u->npend = 4;
  }
  u->ppend = 0;
  if (c == '\n') {
    u->line++;
    u->col = 0;
  } else {
    u->col++;
  }
  return 1;
}

static long long el_u16_read(el_csv_source *src, unsigned char *buf, size_t n, char *err,
                             size_t errlen) {
  el_u16_source *u = (el_u16_source *)src;
  size_t k = 0;
  while (k < n) {
    if (u->ppend == u->npend) {
      /* ASCII runs are the common case: copy them without the general path */
      if (!u->be) {
        while (k < n && u->ilen - u->ipos >= 2 && u->in[u->ipos + 1] == 0 && u->in[u->ipos] < 0x80) {
          unsigned char c = u->in[u->ipos];
          buf[k++] = c;
          u->ipos += 2;
          if (c == '\n') { u->line++; u->col = 0; } else u->col++;
        }
        if (k == n) break;
      }
      int r = el_u16_char(u, err, errlen);
      if (r < 0) return -1;
      if (r == 0) break;
    }
    while (k < n && u->ppend < u->npend) buf[k++] = u->pend[u->ppend++];
  }
  return (long long)k;
}

static void el_u16_close(el_csv_source *src) {
  el_u16_source *u = (el_u16_source *)src;
  u->under->xClose(u->under);
  el_free(u);
}

/* under is positioned after the BOM; the output starts with a UTF-8 BOM so
** that the reader knows the text is UTF-8. */
static el_csv_source *el_u16_open(el_csv_source *under, int be, char *err, size_t errlen) {
  el_u16_source *u = el_malloc(sizeof *u);
  if (!u) {
    under->xClose(under);
    snprintf(err, errlen, EL_CSV_NOMEM);
    return NULL;
  }
  memset(u, 0, offsetof(el_u16_source, in));
  u->base.xRead = el_u16_read;
  u->base.xClose = el_u16_close;
  u->under = under;
  u->be = be;
  u->line = 1;
  memcpy(u->pend, "\xEF\xBB\xBF", 3);
  u->npend = 3;
  return &u->base;
}

/* --- stacking ------------------------------------------------------------- */

el_csv_source *el_csv_input_wrap(el_csv_source *src, el_csv_input_info *info, char *errbuf,
                                 size_t errlen) {
  el_csv_input_info tmp;
  if (!info) info = &tmp;
  memset(info, 0, sizeof *info);
  el_peek_source *p = el_peek(src, errbuf, errlen);
  if (!p) return NULL;
  if (p->hlen >= 3 && p->head[0] == 0x1f && p->head[1] == 0x8b && p->head[2] == 8) {
    info->compression = EL_CSV_COMP_GZIP;
    src = el_gz_open(&p->base, errbuf, errlen);
    if (!src) return NULL;
    p = el_peek(src, errbuf, errlen);
    if (!p) return NULL;
  }
  int le = p->hlen >= 2 && p->head[0] == 0xFF && p->head[1] == 0xFE;
  int be = p->hlen >= 2 && p->head[0] == 0xFE && p->head[1] == 0xFF;
  if (!le && !be) return &p->base;
  p->hpos = 2; /* skip the BOM */
  info->utf16 = le ? EL_CSV_UTF16_LE : EL_CSV_UTF16_BE;
  return el_u16_open(&p->base, be, errbuf, errlen);
}

el_csv_source *el_csv_input_open(const char *path, el_csv_input_info *info, char *errbuf,
                                 size_t errlen) {
  el_csv_source *src = el_csv_file_source(path, errbuf, errlen);
  if (!src) return NULL;
  return el_csv_input_wrap(src, info, errbuf, errlen);
}

int el_csv_input_probe(const char *path, el_csv_input_info *info, char *errbuf, size_t errlen) {
  el_csv_source *src = el_csv_input_open(path, info, errbuf, errlen);
  if (!src) return -1;
  src->xClose(src);
  return 0;
}

/* --- lines ----------------------------------------------------------------- */

struct el_lines {
  el_csv_source *src;
  unsigned char *buf;
  size_t cap, start, end, scanned; /* scanned: bytes from start known to hold no '\n' */
  size_t max_line;
  int eof, first;
  long long lineno, offset;         /* of the next line */
  char err[400];
};

el_lines *el_lines_open_source(el_csv_source *src, size_t max_line, char *errbuf, size_t errlen) {
  el_lines *L = el_malloc(sizeof *L);
  if (!L) {
    src->xClose(src);
    snprintf(errbuf, errlen, EL_CSV_NOMEM);
    return NULL;
  }
  memset(L, 0, sizeof *L);
  L->src = src;
  L->max_line = max_line ? max_line : EL_LINES_MAX_DEFAULT;
  L->cap = 64 * 1024;
  L->buf = el_malloc(L->cap + 1);
  if (!L->buf) {
    snprintf(errbuf, errlen, EL_CSV_NOMEM);
    el_lines_close(L);
    return NULL;
  }
  L->first = 1;
  L->lineno = 1;
  return L;
}

el_lines *el_lines_open(const char *path, size_t max_line, char *errbuf, size_t errlen) {
  el_csv_source *src = el_csv_input_open(path, NULL, errbuf, errlen);
  return src ? el_lines_open_source(src, max_line, errbuf, errlen) : NULL;
}

/* Invalid UTF-8 or a NUL byte in z[0..n): its 0-based index, or -1. */
static long long el_lines_bad_utf8(const unsigned char *z, size_t n, int *nul) {
  size_t i = 0;
  while (i < n) {
    if (z[i] >= 0x80) {
      int32_t cp;
      size_t k = el_utf8_decode(z + i, n - i, &cp);
      if (cp == EL_UC_INVALID) { *nul = 0; return (long long)i; }
      i += k;
    } else if (z[i] == 0) {
      *nul = 1;
      return (long long)i;
    } else {
      i++;
    }
  }
  return -1;
}

int el_lines_next(el_lines *L, const char **z, size_t *n, long long *lineno, long long *offset) {
  for (;;) {
    unsigned char *nl = memchr(L->buf + L->start + L->scanned, '\n', L->end - L->start - L->scanned);
    size_t len;
    if (nl) {
      len = (size_t)(nl - (L->buf + L->start));
    } else if (L->eof) {
      if (L->start == L->end) return 0;
      len = L->end - L->start;
    } else {
      /* need more: move the partial line to the front, grow up to max_line */
      L->scanned = L->end - L->start;
      if (L->start > 0) {
        memmove(L->buf, L->buf + L->start, L->end - L->start);
        L->end -= L->start;
        L->start = 0;
      }
      if (L->end == L->cap) {
        if (L->cap > L->max_line) {
          snprintf(L->err, sizeof L->err, "line %lld is longer than %lld bytes", L->lineno,
                   (long long)L->max_line);
          return -1;
        }
        size_t ncap = L->cap * 2 > L->max_line + 1 ? L->max_line + 1 : L->cap * 2;
        unsigned char *nb = el_realloc(L->buf, ncap + 1);
        if (!nb) { snprintf(L->err, sizeof L->err, EL_CSV_NOMEM); return -1; }
        L->buf = nb;
        L->cap = ncap;
      }
      long long got = L->src->xRead(L->src, L->buf + L->end, L->cap - L->end, L->err, sizeof L->err);
      if (got < 0) return -1;
      if (got == 0) L->eof = 1;
      L->end += (size_t)got;
      continue;
    }
    unsigned char *p = L->buf + L->start;
    size_t skip = 0;
    if (L->first) {
      L->first = 0;
      if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) skip = 3;
    }
    size_t keep = len;
    if (keep > skip && p[keep - 1] == '\r') keep--;
    if (keep - skip > L->max_line) {
      snprintf(L->err, sizeof L->err, "line %lld is longer than %lld bytes", L->lineno,
               (long long)L->max_line);
      return -1;
    }
    int nul;
    long long bad = el_lines_bad_utf8(p + skip, keep - skip, &nul);
    if (bad >= 0) {
      snprintf(L->err, sizeof L->err, "line %lld, byte %lld: %s", L->lineno, bad + 1,
               nul ? "a NUL byte" : "invalid UTF-8");
      return -1;
    }
    p[keep] = 0; /* the '\n' or '\r' (or the byte past the end: buf has cap + 1) */
    *z = (const char *)p + skip;
    *n = keep - skip;
    *lineno = L->lineno++;
    *offset = L->offset + (long long)skip;
    size_t used = nl ? len + 1 : len;
    L->offset += (long long)used;
    L->start += used;
    L->scanned = 0;
    return 1;
  }
}

const char *el_lines_error(el_lines *L) { return L->err; }

void el_lines_close(el_lines *L) {
  if (!L) return;
  if (L->src) L->src->xClose(L->src);
  el_free(L->buf);
  el_free(L);
}
