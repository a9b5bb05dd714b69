/*
** The streaming CSV reader: libcsv does the quoting; this file feeds it one
** physical line at a time out of a fixed block, transcodes Latin-1 and
** backslash escapes on the way in, checks fields for invalid UTF-8, NUL
** bytes and the size limit, and queues finished rows in one arena.
*/
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "../common/el_alloc.h"
#include "el_csvreader.h"
#include "el_csvinput.h"

/* libcsv's parser states (libcsv.c; stable since 3.0) */
#define EL_LIBCSV_ROW_NOT_BEGUN 0
#define EL_LIBCSV_FIELD_BEGUN 2
#define EL_LIBCSV_FIELD_MIGHT_HAVE_ENDED 3

typedef struct el_qrow {
  size_t f0;        /* first field in r->fields */
  int n, nraw;
  long long line, offset;
  int err, err_col;
  size_t raw_off, raw_len;   /* prefix of the raw text in the arena (from earlier chunks) */
  const unsigned char *chunk; /* the chunk in which the row ended */
  size_t chunk_len;
  /* rows from a multi-line chunk are located lazily (el_csv_locate) */
  int multi, ridx, mlatin; /* mlatin: the chunk was transcoded from Latin-1 */
  long long mline, moff;
  /* read ahead (el_csv_read_ahead): where the chunk's copy starts in the
  ** batch, and the reader's line and bytes read when the row was made */
  size_t coff;
  long long seen_line, seen_bytes;
} el_qrow;

typedef struct el_ahead el_ahead;

/* escape pre-transform states */
enum { EL_ES_START, EL_ES_UNQ, EL_ES_Q, EL_ES_QQ };

struct el_csv_reader {
  el_csv_dialect d;
  struct csv_parser p;
  int p_init;
  el_csv_source *src;
  const unsigned char *mem;
  size_t memn;
  unsigned char *blk;      /* block buffer (file) or mem */
  size_t blen, bpos;
  long long blk_off;       /* file offset of blk[0] */
  int eof, done, failed;
  int first;               /* BOM not checked yet */
  unsigned char term;      /* line terminator for chunking: '\n' or '\r' */
  long long line;          /* line number of the next chunk */
  long long last_line;     /* the last line that held bytes */
  long long skip_left;
  int at_line_start;
  /* row being built */
  long long row_line, row_off;
  size_t cur_f0;
  size_t row_arena0;       /* arena offset where the row in progress starts */
  int cur_n, cur_nraw, cur_err, cur_err_col;
  int row_flags, chunk_flags;
  int multi;                /* feeding a multi-line chunk */
  size_t multi_nq0;         /* queue length when it started */
  long long chunk_off;      /* file offset of the chunk */
  const unsigned char *chunk_raw; /* the chunk before transcoding */
  int toolong;
  unsigned char *rawpre; size_t rawpre_len;   /* raw prefix of the row in progress */
  const unsigned char *chunk; size_t chunk_len;
  /* arena and queue */
  char *arena; size_t alen, acap;
  el_csv_field *fields; size_t nf, fcap;
  el_qrow *q; size_t nq, qcap, qhead;
  int oom;
  uint64_t skipmask; /* fields not copied (bit 63: every field from 63 on) */
  size_t row_limit;  /* bytes of one row's fields */
  /* transcoding */
  int enc, bom;
  unsigned char *tbuf; size_t tcap;
  int es_state, es_pending;
  /* a multi-byte delimiter (el_r_transform_md): md set, iq the file's quote
  ** character (0: none) */
  int md;
  unsigned char iq;
  unsigned char mcarry[EL_CSV_DELIM_MAX]; /* a piece's last bytes that may begin a delimiter */
  size_t mcarry_len;
  unsigned char *cbuf; size_t ccap;        /* the carry and the next piece together */
  /* last row returned, for el_csv_raw */
  el_qrow last;
  int have_last;
  char rawout[EL_CSV_RAW_MAX + 8];
  /* errors */
  char err[512];
  /* reading ahead on a second thread (NULL: this thread parses) */
  el_ahead *ah;
};

#define EL_CF_NONASCII 1
#define EL_CF_NUL 2
#define EL_CF_BLANK 4 /* space or tab */
#define EL_CF_BADUTF8 8 /* non-ASCII that is not valid UTF-8 (fields are checked one by one) */

static void *el_r_realloc(el_csv_reader *r, void *p, size_t n) {
  (void)r;
  return el_realloc(p, n);
}
static void el_r_free(el_csv_reader *r, void *p) {
  (void)r;
  el_free(p);
}

int el_csv_is_nomem(const char *err) { return err && strcmp(err, EL_CSV_NOMEM) == 0; }

const char *el_csv_errstr(int err) {
  switch (err) {
    case EL_CSV_OK: return "ok";
    case EL_CSV_EQUOTE: return "unterminated quoted field";
    case EL_CSV_EPARSE: return "malformed quoting";
    case EL_CSV_EUTF8: return "invalid UTF-8";
    case EL_CSV_ENUL: return "NUL byte in field";
    case EL_CSV_ETOOLONG: return "field too long";
    case EL_CSV_EMANY: return "too many fields";
    case EL_CSV_EFEW: return "too few fields";
    default: return "error";
  }
}

static void el_r_seterr(el_csv_reader *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err, sizeof r->err, fmt, ap);
  va_end(ap);
  r->failed = 1;
}

/* 1 if z[0..n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). When
** partial_ok, a sequence cut by the end of the buffer counts as valid. */
static int el_utf8_valid(const unsigned char *z, size_t n, int partial_ok) {
  size_t i = 0;
  while (i < n) {
    unsigned c = z[i];
#if defined(__SSE2__)
    if (c < 0x80 && i + 16 <= n &&
        _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(z + i))) == 0) {
      i += 16; /* 16 ASCII bytes */
      continue;
    }
#endif
    if (c < 0x80) { i++; continue; }
    size_t need;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) { need = 1; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; min = 0x10000; }
    else return 0;
    if (n - i <= need) {
      /* truncated sequence: check the bytes present */
      for (size_t k = 1; i + k < n; k++)
        if ((z[i + k] & 0xC0) != 0x80) return 0;
      return partial_ok;
    }
    unsigned cp = c & (need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07);
    for (size_t k = 1; k <= need; k++) {
      unsigned b = z[i + k];
      if ((b & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    i += need + 1;
  }
  return 1;
}

/* Does z hold a well-formed UTF-8 sequence of two or more bytes? */
static int el_utf8_has_multibyte(const unsigned char *z, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (z[i] < 0xC2 || z[i] > 0xF4) continue;
    size_t need = z[i] < 0xE0 ? 1 : z[i] < 0xF0 ? 2 : 3;
    if (i + need < n + 0 && el_utf8_valid(z + i, need + 1, 0)) return 1;
  }
  return 0;
}

static int el_is_edge(unsigned char c, unsigned char delim, int quote) {
  return c == delim || c == '\r' || c == '\n' || (quote && c == (unsigned char)quote);
}

/* One pass over a chunk z[0..n): flags (non-ASCII, NUL, and "blank": a
** space or tab next to a delimiter, line end, quote or the chunk's edge,
** the only place where libcsv's built-in blank test would trim), the line
** terminators seen and where the last one ends. With stop_at_quote it stops
** at the first quote byte (flags and counts then cover the bytes before). */
static size_t el_scan(const unsigned char *z, size_t n, unsigned char term, unsigned char delim,
                      int quote, int stop_at_quote, size_t *nterm, int *flags) {
  size_t i = 0, nt = 0, last = 0;
  int f = 0, stop = 0;
  if (n && (z[0] == ' ' || z[0] == '\t' || z[n - 1] == ' ' || z[n - 1] == '\t')) f |= EL_CF_BLANK;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128(), sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
  const __m128i tv = _mm_set1_epi8((char)term), qv = _mm_set1_epi8((char)quote);
  const __m128i dv = _mm_set1_epi8((char)delim), cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
  unsigned hi = 0, nul = 0, adj = 0;
  for (; i + 16 <= n && !stop; i += 16) {
    __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(z + i));
    unsigned q = quote ? (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, qv)) : 0;
    unsigned lim = 0xFFFFu;
    if (q && stop_at_quote) { lim = (1u << __builtin_ctz(q)) - 1; stop = 1; }
    unsigned t = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, tv)) & lim;
    hi |= (unsigned)_mm_movemask_epi8(w) & lim;
    nul |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, zero)) & lim;
    unsigned b = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(w, sp), _mm_cmpeq_epi8(w, tab)));
    if (b & lim) {
      /* a blank: is it next to a delimiter, quote or line end? */
      unsigned d = (unsigned)_mm_movemask_epi8(_mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(w, dv), _mm_cmpeq_epi8(w, qv)),
          _mm_or_si128(_mm_cmpeq_epi8(w, cr), _mm_cmpeq_epi8(w, lf))));
      b &= ~d & lim;
      adj |= b & ((d << 1) | (d >> 1));
      if ((b & 1u) && i > 0 && el_is_edge(z[i - 1], delim, quote)) adj = 1;
      if ((b & 0x8000u) && i + 16 < n && el_is_edge(z[i + 16], delim, quote)) adj = 1;
    }
    if (t) {
      last = i + (size_t)(31 - __builtin_clz(t)) + 1;
      while (t) { t &= t - 1; nt++; }
    }
  }
  if (hi) f |= EL_CF_NONASCII;
  if (nul) f |= EL_CF_NUL;
  if (adj) f |= EL_CF_BLANK;
#endif
  for (; i < n && !stop; i++) {
    unsigned char c = z[i];
    if (stop_at_quote && quote && c == (unsigned char)quote) break;
    if (c & 0x80) f |= EL_CF_NONASCII;
    else if (c == 0) f |= EL_CF_NUL;
    else if ((c == ' ' || c == '\t') && c != delim) {
      unsigned char pc = i ? z[i - 1] : 0, nc = i + 1 < n ? z[i + 1] : 0;
      if (i == 0 || i + 1 == n || pc == delim || pc == '\r' || pc == '\n' || pc == (unsigned char)quote ||
          nc == delim || nc == '\r' || nc == '\n' || nc == (unsigned char)quote)
        f |= EL_CF_BLANK;
    }
    if (c == term) { last = i + 1; nt++; }
  }
  if (nterm) *nterm = nt;
  *flags = f;
  return last;
}

static int el_arena_put(el_csv_reader *r, const void *s, size_t n, size_t *off) {
  if (r->alen + n + 1 > r->acap) {
    size_t nc = r->acap ? r->acap : 4096;
    while (nc < r->alen + n + 1) nc *= 2;
    char *na = el_r_realloc(r, r->arena, nc);
    if (!na) { r->oom = 1; return -1; }
    r->arena = na;
    r->acap = nc;
  }
  *off = r->alen;
  if (n) memcpy(r->arena + r->alen, s, n);
  r->arena[r->alen + n] = 0;
  r->alen += n + 1;
  return 0;
}

/* Grow the arena and the field array so that the next chunk of n bytes fits
** without checks in the field callback: a chunk yields at most n + 1 fields
** whose bytes, with what libcsv already holds, fit in entry_pos + n. */
static int el_r_reserve(el_csv_reader *r, size_t n) {
  size_t need = r->alen + r->p.entry_pos + 2 * n + 32;
  if (need > r->acap) {
    size_t nc = r->acap ? r->acap : 65536;
    while (nc < need) nc *= 2;
    char *na = el_r_realloc(r, r->arena, nc);
    if (!na) { r->oom = 1; return -1; }
    r->arena = na;
    r->acap = nc;
  }
  if (r->alen == 0) r->arena[r->alen++] = 0; /* offset 0: an empty string */
  size_t fneed = r->nf + n + 2;
  if (fneed > r->fcap) {
    size_t nc = r->fcap ? r->fcap : 1024;
    while (nc < fneed) nc *= 2;
    el_csv_field *nfp = el_r_realloc(r, r->fields, nc * sizeof *nfp);
    if (!nfp) { r->oom = 1; return -1; }
    r->fields = nfp;
    r->fcap = nc;
  }
  return 0;
}

/* The checks of a field in a row with something unusual (the row's chunks
** held a NUL byte or invalid UTF-8, or the field went over the limit). */
static int el_field_checks(el_csv_reader *r, const unsigned char *z, size_t *len) {
  int flags = 0;
  if (r->toolong) {
    r->toolong = 0;
    flags |= EL_CSV_F_DROPPED;
    *len = 0;
    if (!r->cur_err) { r->cur_err = EL_CSV_ETOOLONG; r->cur_err_col = r->cur_n; }
    return flags;
  }
  if ((r->row_flags & EL_CF_NUL) && *len && memchr(z, 0, *len)) {
    flags |= EL_CSV_F_BINARY;
    if (!r->cur_err) { r->cur_err = EL_CSV_ENUL; r->cur_err_col = r->cur_n; }
  }
  if ((r->row_flags & EL_CF_BADUTF8) && r->enc != EL_CSV_ENC_LATIN1 && !el_utf8_valid(z, *len, 0)) {
    flags |= EL_CSV_F_BINARY;
    if (!r->cur_err) { r->cur_err = EL_CSV_EUTF8; r->cur_err_col = r->cur_n; }
  }
  return flags;
}

#if defined(__GNUC__)
#define EL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define EL_UNLIKELY(x) (x)
#endif

static void el_cb_field(void *s, size_t len, void *data) {
  el_csv_reader *r = data;
  int i = r->cur_n;
  r->cur_nraw++;
  if (EL_UNLIKELY(i >= EL_CSV_MAX_FIELDS)) { r->toolong = 0; return; }
  const unsigned char *z = s ? s : (const unsigned char *)"";
  uint32_t flags = 0;
  /* a field that arrived whole in one feed was not seen by the check in
  ** el_r_feed, which catches only fields spanning feeds */
  if (EL_UNLIKELY(len > r->d.max_field)) r->toolong = 1;
  if (EL_UNLIKELY(r->toolong | (r->row_flags & (EL_CF_NUL | EL_CF_BADUTF8))))
    flags = (uint32_t)el_field_checks(r, z, &len);
  /* room was reserved by el_r_reserve (csv_fini: by el_r_finish) */
  el_csv_field *f = &r->fields[r->nf++];
  r->cur_n = i + 1;
  f->flags = flags;
  if ((r->skipmask >> (i < 63 ? i : 63)) & 1) {
    /* a column the caller does not read: not copied */
    f->off = 0; /* arena[0] is always a NUL */
    f->len = 0;
    return;
  }
  /* the row's fields together are bounded too (memory stays constant) */
  if (EL_UNLIKELY(r->alen - r->row_arena0 + len > r->row_limit)) {
    f->flags |= EL_CSV_F_DROPPED;
    len = 0;
    if (!r->cur_err) { r->cur_err = EL_CSV_ETOOLONG; r->cur_err_col = i; }
  }
  f->len = (uint32_t)len;
  f->off = (uint32_t)r->alen;
  char *o = r->arena + r->alen;
  if (len <= 16 && z == r->p.entry_buf && r->p.entry_size >= 16)
    memcpy(o, z, 16); /* fixed size: two moves (room: el_r_reserve) */
  else
    memcpy(o, z, len);
  o[len] = 0;
  r->alen += len + 1;
}

static void el_cb_row(int c, void *data) {
  el_csv_reader *r = data;
  (void)c;
  if (r->oom) return;
  if (r->nq == r->qcap) {
    size_t nc = r->qcap ? r->qcap * 2 : 16;
    el_qrow *nqp = el_r_realloc(r, r->q, nc * sizeof *nqp);
    if (!nqp) { r->oom = 1; return; }
    r->q = nqp;
    r->qcap = nc;
  }
  el_qrow *q = &r->q[r->nq];
  q->f0 = r->cur_f0;
  q->n = r->cur_n;
  q->nraw = r->cur_nraw;
  q->line = r->row_line;
  q->offset = r->row_off;
  q->err = r->cur_err;
  q->err_col = r->cur_err_col;
  q->raw_len = 0;
  q->raw_off = 0;
  if (r->rawpre_len && el_arena_put(r, r->rawpre, r->rawpre_len, &q->raw_off) == 0)
    q->raw_len = r->rawpre_len;
  q->chunk = r->chunk;
  q->chunk_len = r->chunk_len;
  q->multi = r->multi;
  if (r->multi) {
    q->ridx = (int)(r->nq - r->multi_nq0);
    q->mline = r->line;
    q->moff = r->chunk_off;
    q->mlatin = r->chunk != r->chunk_raw;
  }
  r->nq++;
  r->cur_f0 = r->nf;
  r->row_arena0 = r->alen;
  r->cur_n = r->cur_nraw = r->cur_err = r->cur_err_col = 0;
  r->rawpre_len = 0;
  r->row_flags = r->chunk_flags;
}

static int el_r_init_parser(el_csv_reader *r) {
  unsigned char opts = r->d.strict ? CSV_STRICT : 0;
  if (csv_init(&r->p, opts) != 0) { el_r_seterr(r, EL_CSV_NOMEM); return -1; }
  r->p_init = 1;
  csv_set_delim(&r->p, r->d.delim);
  csv_set_quote(&r->p, r->d.quote ? r->d.quote : 0);
  csv_set_space_func(&r->p, NULL);
  csv_set_blk_size(&r->p, 4096);
  /* libcsv's field buffer comes from the core's allocator too */
  csv_set_realloc_func(&r->p, el_realloc);
  csv_set_free_func(&r->p, el_free);
  return 0;
}

/* libcsv trims blanks around unquoted fields unless told that nothing is a
** blank; values must come back unchanged, so nothing is. */
static int el_no_space(unsigned char c) {
  (void)c;
  return 0;
}

static el_csv_reader *el_r_new(const el_csv_dialect *d, char *errbuf, size_t errlen) {
  el_csv_reader *r = el_malloc(sizeof *r);
  if (!r) {
    snprintf(errbuf, errlen, EL_CSV_NOMEM);
    return NULL;
  }
  memset(r, 0, sizeof *r);
  r->d = *d;
  if (!r->d.delim) r->d.delim = ',';
  if (!r->d.max_field) r->d.max_field = EL_CSV_MAX_FIELD_DEFAULT;
  r->row_limit = 2 * r->d.max_field > EL_CSV_MAX_ROW ? 2 * r->d.max_field : EL_CSV_MAX_ROW;
  if (r->d.escape == r->d.quote) r->d.escape = 0;
  if (r->d.mdelim_len >= 2 && r->d.mdelim_len <= EL_CSV_DELIM_MAX) {
    /* libcsv sees every field quoted with a quote character of its own
    ** (the file's, or '"' when the file has none) and a delimiter byte
    ** that then only ever stands between fields (el_r_transform_md) */
    r->md = 1;
    r->iq = r->d.quote;
    if (!r->d.quote) r->d.quote = '"';
    r->d.delim = r->d.quote == 0x1F ? 0x1E : 0x1F;
  }
  r->enc = d->encoding;
  r->line = 1;
  r->skip_left = d->skip > 0 ? d->skip : 0;
  r->first = 1;
  r->at_line_start = 1;
  r->es_state = EL_ES_START;
  if (el_r_init_parser(r) != 0) {
    snprintf(errbuf, errlen, "%s", r->err);
    el_r_free(r, r);
    return NULL;
  }
  csv_set_space_func(&r->p, el_no_space);
  return r;
}

/* --- sources ------------------------------------------------------------ */

typedef struct el_file_source {
  el_csv_source base;
  int fd;
  long long left; /* bytes still to read: the file's size when it was opened */
} el_file_source;

static long long el_file_read(el_csv_source *src, unsigned char *buf, size_t n, char *err,
                              size_t errlen) {
  el_file_source *f = (el_file_source *)src;
  if (f->left <= 0 || n == 0) return 0;
  if ((unsigned long long)f->left < n) n = (size_t)f->left;
  for (;;) {
    ssize_t got = read(f->fd, buf, n);
    if (got >= 0) {
      f->left -= got;
      if (got == 0) f->left = 0; /* the file shrank */
      return (long long)got;
    }
    if (errno == EINTR) continue;
    snprintf(err, errlen, "read error: %s", strerror(errno));
    return -1;
  }
}

static void el_file_close(el_csv_source *src) {
  el_file_source *f = (el_file_source *)src;
  close(f->fd);
  el_free(f);
}

/* What a file that is not a regular file is, for the error message. */
static const char *el_file_kind(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a pipe (FIFO)";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

/* Open path without blocking (a FIFO with no writer cannot hang us, and
** nothing is read from a device), and accept only a regular file. */
static int el_open_regular(const char *path, long long *size, char *errbuf, size_t errlen) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int e = errno;
    struct stat sb;
    /* a socket cannot be opened at all: say what it is */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
      snprintf(errbuf, errlen, "cannot read %s: it is %s (only regular files are read: save the data to "
               "a file first)", path, el_file_kind(sb.st_mode));
    else
      snprintf(errbuf, errlen, "cannot open %s: %s", path, strerror(e));
    return -1;
  }
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    snprintf(errbuf, errlen, "cannot open %s: %s", path, strerror(errno));
    close(fd);
    return -1;
  }
  if (!S_ISREG(sb.st_mode)) {
    snprintf(errbuf, errlen,
             "cannot read %s: it is %s (only regular files are read: save the data to a file first)",
             path, el_file_kind(sb.st_mode));
    close(fd);
    return -1;
  }
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  *size = (long long)sb.st_size;
  return fd;
}

el_csv_source *el_csv_file_source(const char *path, char *errbuf, size_t errlen) {
  long long size;
  int fd = el_open_regular(path, &size, errbuf, errlen);
  if (fd < 0) return NULL;
  el_file_source *f = el_malloc(sizeof *f);
  if (!f) {
    close(fd);
    snprintf(errbuf, errlen, EL_CSV_NOMEM);
    return NULL;
  }
  f->base.xRead = el_file_read;
  f->base.xClose = el_file_close;
  f->fd = fd;
  f->left = size;
  return &f->base;
}

long long el_csv_read_head(const char *path, unsigned char *buf, size_t n, char *errbuf,
                           size_t errlen) {
  el_csv_source *src = el_csv_input_open(path, NULL, errbuf, errlen);
  if (!src) return -1;
  size_t k = 0;
  while (k < n) {
    long long got = src->xRead(src, buf + k, n - k, errbuf, errlen);
    if (got < 0) { src->xClose(src); return -1; }
    if (got == 0) break;
    k += (size_t)got;
  }
  src->xClose(src);
  return (long long)k;
}

el_csv_reader *el_csv_open_source(el_csv_source *src, const el_csv_dialect *d, char *errbuf,
                                  size_t errlen) {
  el_csv_reader *r = el_r_new(d, errbuf, errlen);
  if (!r) { src->xClose(src); return NULL; }
  r->src = src;
  r->blk = el_r_realloc(r, NULL, EL_CSV_BLOCK);
  if (!r->blk) {
    snprintf(errbuf, errlen, EL_CSV_NOMEM);
    el_csv_close(r);
    return NULL;
  }
  return r;
}

el_csv_reader *el_csv_open(const char *path, const el_csv_dialect *d, char *errbuf,
                           size_t errlen) {
  el_csv_input_info in;
  el_csv_source *src = el_csv_input_open(path, &in, errbuf, errlen);
  if (!src) return NULL;
  el_csv_dialect d8 = *d;
  if (in.utf16) d8.encoding = EL_CSV_ENC_UTF8; /* transcoded (el_csvinput.c) */
  return el_csv_open_source(src, &d8, errbuf, errlen);
}

el_csv_reader *el_csv_open_mem(const char *data, size_t n, const el_csv_dialect *d,
                               char *errbuf, size_t errlen) {
  el_csv_reader *r = el_r_new(d, errbuf, errlen);
  if (!r) return NULL;
  r->mem = (const unsigned char *)(data ? data : "");
  r->memn = data ? n : 0;
  r->blk = (unsigned char *)r->mem;
  r->blen = r->memn;
  if (d->max_bytes > 0 && (unsigned long long)d->max_bytes < r->memn) r->blen = (size_t)d->max_bytes;
  r->eof = 1;
  return r;
}

/* Refill the block, keeping the unread tail. Returns bytes added (0 = EOF). */
static size_t el_r_fill(el_csv_reader *r) {
  if (r->mem || r->eof) return 0;
  size_t tail = r->blen - r->bpos;
  if (r->bpos) {
    memmove(r->blk, r->blk + r->bpos, tail);
    r->blk_off += (long long)r->bpos;
    r->bpos = 0;
    r->blen = tail;
  }
  size_t want = EL_CSV_BLOCK - r->blen;
  if (r->d.max_bytes > 0) {
    /* a sniffing pass reads a bounded prefix: the rest is as if absent */
    long long left = r->d.max_bytes - (r->blk_off + (long long)r->blen);
    if (left <= 0) want = 0;
    else if ((unsigned long long)left < want) want = (size_t)left;
  }
  size_t got = 0;
  while (got < want) {
    long long k = r->src->xRead(r->src, r->blk + r->blen + got, want - got, r->err, sizeof r->err);
    if (k < 0) { r->failed = 1; break; }
    if (k == 0) break;
    got += (size_t)k;
  }
  if (got == 0) r->eof = 1;
  r->blen += got;
  return got;
}

/* Output buffer for transcoding */
static unsigned char *el_r_tbuf(el_csv_reader *r, size_t need) {
  if (need > r->tcap) {
    unsigned char *nb = el_r_realloc(r, r->tbuf, need);
    if (!nb) { r->oom = 1; return NULL; }
    r->tbuf = nb;
    r->tcap = need;
  }
  return r->tbuf;
}

/* Bytes 0x80-0x9F of a "Latin-1" file are read as Windows-1252, as web
** browsers do (C1 control characters are almost never meant); 0 keeps the
** byte's Latin-1 meaning (the five bytes Windows-1252 leaves undefined). */
static const unsigned short el_cp1252[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* Latin-1 byte c (>= 0x80) as UTF-8 at o; returns the bytes written. */
static size_t el_latin_put(unsigned char c, unsigned char *o) {
  unsigned cp = c;
  if (c < 0xA0 && el_cp1252[c - 0x80]) cp = el_cp1252[c - 0x80];
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  o[0] = (unsigned char)(0xE0 | (cp >> 12));
  o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[2] = (unsigned char)(0x80 | (cp & 0x3F));
  return 3;
}

/* Latin-1 to UTF-8 and/or backslash escapes to doubled quotes. */
static const unsigned char *el_r_transform(el_csv_reader *r, const unsigned char *z, size_t n,
                                           size_t *nout) {
  int latin = r->enc == EL_CSV_ENC_LATIN1 && (r->chunk_flags & EL_CF_NONASCII);
  int esc = r->d.escape != 0;
  if (!latin && !esc) { *nout = n; return z; }
  unsigned char *o = el_r_tbuf(r, 3 * n + 2);
  if (!o) return NULL;
  size_t k = 0;
  unsigned char q = r->d.quote, e = r->d.escape, dl = r->d.delim;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = z[i];
    if (esc) {
      if (r->es_pending) {
        r->es_pending = 0;
        if (c == q) { o[k++] = q; o[k++] = q; continue; }
        if (c == e) { o[k++] = e; continue; }
        o[k++] = e; /* a lone escape is kept */
      }
      switch (r->es_state) {
        case EL_ES_START:
          if (c == q && q) r->es_state = EL_ES_Q;
          else if (c != dl && c != '\n' && c != '\r') r->es_state = EL_ES_UNQ;
          break;
        case EL_ES_UNQ:
          if (c == dl || c == '\n' || c == '\r') r->es_state = EL_ES_START;
          break;
        case EL_ES_Q:
          if (c == e) { r->es_pending = 1; continue; }
          if (c == q) r->es_state = EL_ES_QQ;
          break;
        default: /* EL_ES_QQ */
          if (c == q) r->es_state = EL_ES_Q;
          else if (c == dl || c == '\n' || c == '\r') r->es_state = EL_ES_START;
          else r->es_state = EL_ES_Q;
          break;
      }
    }
    if (latin && c >= 0x80) k += el_latin_put(c, o + k);
    else o[k++] = c;
  }
  *nout = k;
  return o;
}

/* A delimiter of several bytes. libcsv splits on one byte, so the chunk is
** rewritten for it in one pass: every field comes out quoted (with libcsv's
** quote character, quotes inside doubled), and each delimiter outside quotes
** becomes the byte r->d.delim, which then only ever stands between fields.
** This is exact for any bytes in the data (a lone '|' in a "||" file, or a
** byte equal to r->d.delim, is inside quotes) and linear; substituting a byte
** that "does not occur" would need a byte that can never occur, and none
** can be promised for arbitrary input. The states follow libcsv's own: a
** quote that ends a quoted field is held back (EL_ES_QQ) until the next
** byte tells whether it ends the field, is doubled, or (libcsv's lenient
** reading of "ab"c) is dropped. Blanks are kept, Latin-1 is transcoded and
** backslash escapes become doubled quotes, as on the single-byte path.
** With strict quoting, a quote inside an unquoted field and a byte after a
** closing quote still reach libcsv as the errors they are. */
static const unsigned char *el_r_transform_md(el_csv_reader *r, const unsigned char *z,
                                              size_t n, int final, size_t *nout) {
  int latin = r->enc == EL_CSV_ENC_LATIN1 && (r->chunk_flags & EL_CF_NONASCII);
  if (r->mcarry_len) {
    /* the bytes held back from the previous piece come first */
    if (r->mcarry_len + n > r->ccap) {
      unsigned char *nb = el_r_realloc(r, r->cbuf, r->mcarry_len + n);
      if (!nb) { r->oom = 1; return NULL; }
      r->cbuf = nb;
      r->ccap = r->mcarry_len + n;
    }
    memcpy(r->cbuf, r->mcarry, r->mcarry_len);
    if (n) memcpy(r->cbuf + r->mcarry_len, z, n);
    z = r->cbuf;
    n += r->mcarry_len;
    r->mcarry_len = 0;
    latin = r->enc == EL_CSV_ENC_LATIN1; /* the carry may hold non-ASCII bytes */
  }
  unsigned char *o = el_r_tbuf(r, 4 * n + 8);
  if (!o) return NULL;
  const unsigned char *dl = r->d.mdelim;
  size_t dn = (size_t)r->d.mdelim_len, k = 0;
  unsigned char iq = r->iq, q = r->d.quote, D = r->d.delim, e = r->d.escape;
  int st = r->es_state, strict = r->d.strict;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = z[i];
    if (st != EL_ES_Q && c == dl[0] && n - i < dn && !final && memcmp(z + i, dl, n - i) == 0) {
      /* a piece of a long line ends in what may be the start of a
      ** delimiter: it is decided with the next piece */
      r->mcarry_len = n - i;
      memcpy(r->mcarry, z + i, n - i);
      break;
    }
    if (st != EL_ES_Q && c == dl[0] && n - i >= dn && memcmp(z + i, dl, dn) == 0) {
      if (st != EL_ES_START) o[k++] = q; /* close the field */
      o[k++] = D;
      st = EL_ES_START;
      i += dn - 1;
      continue;
    }
    if (st != EL_ES_Q && (c == '\n' || c == '\r')) {
      if (st != EL_ES_START) o[k++] = q;
      o[k++] = c;
      st = EL_ES_START;
      continue;
    }
    switch (st) {
      case EL_ES_START:
        o[k++] = q; /* the field starts quoted, whatever it is */
        if (iq && c == iq) { st = EL_ES_Q; continue; }
        st = EL_ES_UNQ;
        /* fall through: c is the field's first byte */
        /* FALLTHRU */
      case EL_ES_UNQ:
        if (c == q) {
          if (strict && iq) { o[k++] = q; o[k++] = 'x'; continue; } /* libcsv's error */
          o[k++] = q; /* a quote in an unquoted field is data */
        }
        break;
      case EL_ES_QQ:
        if (c == iq) { o[k++] = q; o[k++] = q; st = EL_ES_Q; continue; } /* a doubled quote */
        st = EL_ES_Q;
        if (strict) { o[k++] = q; o[k++] = c == D ? 'x' : c; continue; } /* libcsv's error */
        break; /* "ab"c: libcsv drops the quote and reads on, quoted */
      default: /* EL_ES_Q */
        if (r->es_pending) {
          r->es_pending = 0;
          if (c == iq) { o[k++] = q; o[k++] = q; continue; }
          if (c == e) { o[k++] = e; continue; }
          o[k++] = e; /* a lone escape is kept */
        }
        if (e && c == e) { r->es_pending = 1; continue; }
        if (c == iq) { st = EL_ES_QQ; continue; } /* held back */
        break;
    }
    if (latin && c >= 0x80) k += el_latin_put(c, o + k);
    else o[k++] = c;
  }
  r->es_state = st;
  *nout = k;
  return o;
}

/* At the end of the file: the bytes held back (data, as no delimiter
** followed), and what el_r_transform_md left open. */
static size_t el_r_md_tail(el_csv_reader *r, unsigned char *o) {
  size_t k = 0;
  if (r->mcarry_len) {
    size_t tn;
    const unsigned char *t = el_r_transform_md(r, NULL, 0, 1, &tn);
    if (!t) return 0;
    memcpy(o, t, tn); /* at most 4 bytes held, 16 written */
    k = tn;
  }
  if (r->es_state == EL_ES_Q && r->es_pending) o[k++] = r->d.escape;
  if (r->es_state == EL_ES_UNQ || r->es_state == EL_ES_QQ) o[k++] = r->d.quote;
  r->es_pending = 0;
  r->es_state = EL_ES_START;
  return k;
}

/* Save raw bytes of the row in progress (capped). */
static void el_r_rawpre(el_csv_reader *r, const unsigned char *z, size_t n) {
  if (r->rawpre_len >= EL_CSV_RAW_MAX) return;
  if (!r->rawpre) {
    r->rawpre = el_r_realloc(r, NULL, EL_CSV_RAW_MAX);
    if (!r->rawpre) { r->oom = 1; return; }
  }
  size_t room = EL_CSV_RAW_MAX - r->rawpre_len;
  if (n > room) n = room;
  memcpy(r->rawpre + r->rawpre_len, z, n);
  r->rawpre_len += n;
}

/* Split whole lines without a quote character, as libcsv would, without
** its byte-at-a-time state machine: a field ends at the delimiter, a row at
** CR or LF, and an empty line is no row. Only for what el_r_feed checks:
** no quote byte in z (a NUL when quote=none), nothing to trim (libcsv
** trims blanks only next to a delimiter or a line end, and the chunk has
** none there, or trims nothing), z ends with a line end. The callbacks are
** libcsv's, so rows come out exactly as through it (tests/unit/test_csv.c
** compares the two). */
static void el_r_split(el_csv_reader *r, const unsigned char *z, size_t n) {
  const unsigned char dl = r->d.delim;
  size_t fs = 0, i = 0;
  int inrow = 0;
#define EL_SPLIT_AT(p)                                                   \
  do {                                                                   \
    size_t p_ = (p);                                                     \
    if (z[p_] == dl) {                                                   \
      el_cb_field((void *)(z + fs), p_ - fs, r);                         \
      inrow = 1;                                                         \
    } else if (inrow || p_ > fs) {                                       \
      el_cb_field((void *)(z + fs), p_ - fs, r);                         \
      el_cb_row(z[p_], r);                                               \
      inrow = 0;                                                         \
    }                                                                    \
    fs = p_ + 1;                                                         \
  } while (0)
#if defined(__SSE2__)
  const __m128i dv = _mm_set1_epi8((char)dl), cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(z + i));
    unsigned m = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(w, dv), _mm_or_si128(_mm_cmpeq_epi8(w, cr), _mm_cmpeq_epi8(w, lf))));
    while (m) {
      EL_SPLIT_AT(i + (size_t)__builtin_ctz(m));
      m &= m - 1;
    }
  }
#endif
  for (; i < n; i++)
    if (z[i] == dl || z[i] == '\r' || z[i] == '\n') EL_SPLIT_AT(i);
#undef EL_SPLIT_AT
}

/* Feed one chunk: one line, a piece of a line over EL_CSV_CHUNK bytes
** (nlines 0), or when multi, whole lines without quotes (nlines of them). */
static int el_r_feed(el_csv_reader *r, const unsigned char *z, size_t n, size_t nlines,
                     int flags, int multi) {
  if (r->skip_left > 0) {
    if (nlines) { r->skip_left--; r->line++; }
    return 0;
  }
  r->chunk_flags = flags;
  if (n) r->last_line = r->line + (nlines ? (long long)nlines - 1 : 0);
  if ((flags & EL_CF_NONASCII) && r->enc != EL_CSV_ENC_LATIN1) {
    /* valid UTF-8 as a whole means every field is (they split at ASCII) */
    int ok = el_utf8_valid(z, n, !nlines);
    if (r->enc == EL_CSV_ENC_AUTO) {
      /* The first non-ASCII bytes decide (the flags may be a superset):
      ** UTF-8 when valid, or when it holds at least one well-formed
      ** multi-byte sequence (Latin-1 text almost never does); else Latin-1. */
      size_t k = 0;
      while (k < n && z[k] < 0x80) k++;
      if (k < n) r->enc = ok || el_utf8_has_multibyte(z + k, n - k) ? EL_CSV_ENC_UTF8 : EL_CSV_ENC_LATIN1;
    }
    if (r->enc == EL_CSV_ENC_UTF8 && !ok) r->chunk_flags |= EL_CF_BADUTF8;
  }
  size_t tn;
  const unsigned char *t = r->md ? el_r_transform_md(r, z, n, 0, &tn) : el_r_transform(r, z, n, &tn);
  if (!t) { el_r_seterr(r, EL_CSV_NOMEM); return -1; }
  r->chunk_off = r->blk_off + (long long)(z - r->blk);
  if (r->p.pstate == EL_LIBCSV_ROW_NOT_BEGUN && r->cur_nraw == 0) {
    r->row_line = r->line;
    r->row_off = r->chunk_off;
    r->row_flags = 0;
    r->rawpre_len = 0;
  }
  r->row_flags |= r->chunk_flags;
  /* the raw text of rejects: the file's bytes when the rewrite for a
  ** multi-byte delimiter did not also transcode them */
  r->chunk = r->md && !(r->enc == EL_CSV_ENC_LATIN1 && (r->chunk_flags & EL_CF_NONASCII)) ? z : t;
  r->chunk_raw = z;
  r->chunk_len = r->chunk == t ? tn : n;
  r->multi = multi;
  r->multi_nq0 = r->nq;
  if (el_r_reserve(r, tn) != 0) { el_r_seterr(r, EL_CSV_NOMEM); return -1; }
  /* libcsv calls is_space for every byte of an unquoted field; when the
  ** chunk has no blank, its built-in test (which would trim) is the same
  ** as ours and faster */
  r->p.is_space = (r->chunk_flags & EL_CF_BLANK) || r->md ? el_no_space : NULL;
  size_t done;
  if (multi && t == z && !r->md && !(r->chunk_flags & EL_CF_NUL) && r->d.delim != '\r' &&
      r->d.delim != '\n' && r->d.delim != r->d.quote && r->p.pstate == EL_LIBCSV_ROW_NOT_BEGUN) {
    el_r_split(r, t, tn); /* whole lines without quotes: split here, as libcsv would */
    done = tn;
  } else {
    done = csv_parse(&r->p, t, tn, el_cb_field, el_cb_row, r);
  }
  r->multi = 0;
  if (r->oom) { el_r_seterr(r, EL_CSV_NOMEM); return -1; }
  if (done < tn) {
    int e = csv_error(&r->p);
    if (e == CSV_EPARSE) {
      /* strict mode: malformed quoting */
      el_r_seterr(r, "line %lld, column %d: malformed quoting", r->line, r->cur_nraw + 1);
    } else if (e == CSV_ENOMEM) {
      el_r_seterr(r, EL_CSV_NOMEM);
    } else {
      el_r_seterr(r, "%s", csv_strerror(e));
    }
    return -1;
  }
  if (r->p.entry_pos > r->d.max_field) {
    /* The field in progress is over the limit: drop what libcsv holds (its
    ** buffer stays at max_field + one chunk) and mark the field. */
    r->toolong = 1;
    if (r->p.pstate == EL_LIBCSV_FIELD_MIGHT_HAVE_ENDED) {
      r->p.entry_buf[0] = r->p.entry_buf[r->p.entry_pos - 1];
      r->p.entry_pos = 1;
    } else {
      r->p.entry_pos = 0;
    }
  }
  /* a row still in progress keeps its raw text */
  if (r->p.pstate != EL_LIBCSV_ROW_NOT_BEGUN || r->cur_nraw) el_r_rawpre(r, r->chunk, r->chunk == t ? tn : n);
  r->line += (long long)nlines;
  return 0;
}

static void el_r_finish(el_csv_reader *r) {
  if (r->md) {
    unsigned char tail[4 * EL_CSV_DELIM_MAX + 16];
    size_t k = el_r_md_tail(r, tail);
    if (r->oom) { el_r_seterr(r, EL_CSV_NOMEM); r->done = 1; return; }
    r->chunk = NULL; /* the row's raw text is in rawpre */
    r->chunk_len = 0;
    if (k && (el_r_reserve(r, k) != 0 || csv_parse(&r->p, tail, k, el_cb_field, el_cb_row, r) < k ||
              r->oom)) {
      if (r->oom || csv_error(&r->p) == CSV_ENOMEM) el_r_seterr(r, EL_CSV_NOMEM);
      else el_r_seterr(r, "line %lld: malformed quoting", r->last_line);
      r->done = 1;
      return;
    }
  }
  if (r->p.pstate == EL_LIBCSV_FIELD_BEGUN && r->p.quoted) {
    /* the quote left open is the row's problem, whatever else it has: it
    ** may have swallowed the rest of the file (el_csv_line tells) */
    r->cur_err = EL_CSV_EQUOTE;
    r->cur_err_col = r->cur_n;
  }
  r->chunk = NULL;
  r->chunk_len = 0;
  if (el_r_reserve(r, 1) != 0) { el_r_seterr(r, EL_CSV_NOMEM); r->done = 1; return; }
  r->p.is_space = el_no_space;
  csv_fini(&r->p, el_cb_field, el_cb_row, r);
  if (r->oom) el_r_seterr(r, EL_CSV_NOMEM);
  r->done = 1;
}

/* Check the start of the file for a byte order mark. */
static int el_r_bom(el_csv_reader *r) {
  while (!r->mem && r->blen - r->bpos < 512 && el_r_fill(r) > 0) {}
  const unsigned char *z = r->blk + r->bpos;
  size_t n = r->blen - r->bpos;
  r->first = 0;
  if (n >= 3 && z[0] == 0xEF && z[1] == 0xBB && z[2] == 0xBF) {
    r->bpos += 3;
    r->bom = 1;
    if (r->enc == EL_CSV_ENC_AUTO) r->enc = EL_CSV_ENC_UTF8;
  } else if (n >= 2 && ((z[0] == 0xFF && z[1] == 0xFE) || (z[0] == 0xFE && z[1] == 0xFF))) {
    el_r_seterr(r, "UTF-16 files are not supported (convert the file to UTF-8)");
    return -1;
  } else {
    /* compressed or office files are not CSV: say so rather than read
    ** their bytes as Latin-1 text */
    static const struct { const char *magic; size_t n; const char *what; } sigs[] = {
      {"\x1f\x8b", 2, "gzip-compressed"}, {"PK\x03\x04", 4, "a ZIP archive (or an .xlsx workbook)"},
      {"BZh", 3, "bzip2-compressed"}, {"\xfd" "7zXZ\x00", 6, "xz-compressed"},
      {"\x28\xb5\x2f\xfd", 4, "zstd-compressed"}, {"7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive"},
      {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "an OLE2 document (an .xls workbook)"},
      {"%PDF-", 5, "a PDF document"}};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
      if (n >= sigs[k].n && memcmp(z, sigs[k].magic, sigs[k].n) == 0) {
        el_r_seterr(r, "the file is %s, not CSV text", sigs[k].what);
        return -1;
      }
    }
    /* UTF-16 without a byte order mark: ASCII text with a NUL in every
    ** other byte */
    size_t m = n < 512 ? n : 512, nul_even = 0, nul_odd = 0;
    for (size_t i = 0; i + 1 < m; i += 2) {
      nul_even += z[i] == 0;
      nul_odd += z[i + 1] == 0;
    }
    size_t pairs = m / 2;
    if (pairs >= 2 && (nul_even * 10 >= pairs * 8 || nul_odd * 10 >= pairs * 8) &&
        (nul_even * 10 <= pairs || nul_odd * 10 <= pairs)) {
      el_r_seterr(r, "UTF-16 files are not supported (convert the file to UTF-8)");
      return -1;
    }
  }
  /* line terminator: '\n' unless the first block has only CR */
  n = r->blen - r->bpos;
  z = r->blk + r->bpos;
  r->term = '\n';
  if (!memchr(z, '\n', n) && memchr(z, '\r', n)) r->term = '\r';
  return 0;
}

/* The row a queued row q gives the caller. */
static void el_r_row(const el_qrow *q, const char *arena, const el_csv_field *fields, el_csv_row *row) {
  row->base = arena;
  row->f = fields + q->f0;
  row->n = q->n;
  row->nraw = q->nraw;
  row->line = q->multi ? 0 : q->line;
  row->offset = q->multi ? -1 : q->offset;
  row->err = q->err;
  row->err_col = q->err_col;
}

static int el_r_next(el_csv_reader *r, el_csv_row *row) {
  if (r->failed) return -1;
  if (r->qhead == r->nq) {
    /* queue drained: recycle the arena */
    r->nq = r->qhead = 0;
    if (r->cur_f0 > 0 || r->nf > 0) {
      /* move the row in progress to the front */
      size_t nkeep = r->nf - r->cur_f0;
      if (nkeep && r->cur_f0) {
        /* the row in progress starts after the rows handed out */
        size_t base = r->row_arena0;
        memmove(r->arena + 1, r->arena + base, r->alen - base);
        r->alen -= base - 1;
        for (size_t i = 0; i < nkeep; i++) {
          r->fields[i] = r->fields[r->cur_f0 + i];
          if (r->fields[i].off) r->fields[i].off -= base - 1;
        }
      } else if (!nkeep) {
        r->alen = 0;
      }
      r->row_arena0 = 1;
      r->nf = nkeep;
      r->cur_f0 = 0;
    }
    if (r->first && el_r_bom(r) != 0) return -1;
    while (r->nq == 0 && !r->done) {
      size_t avail = r->blen - r->bpos;
      const unsigned char *z = r->blk + r->bpos;
      size_t lim = avail < EL_CSV_CHUNK ? avail : EL_CSV_CHUNK;
      const unsigned char *e = lim ? memchr(z, r->term, lim) : NULL;
      if (!e && avail < EL_CSV_CHUNK && !r->eof) {
        el_r_fill(r);
        if (r->failed) return -1;
        continue;
      }
      if (avail == 0) {
        el_r_finish(r);
        break;
      }
      size_t n = e ? (size_t)(e - z) + 1 : lim;
      if (e && !r->skip_left && r->p.pstate == EL_LIBCSV_ROW_NOT_BEGUN && r->cur_nraw == 0 &&
          !r->d.escape && !r->mcarry_len && r->d.max_field >= EL_CSV_CHUNK && r->enc != EL_CSV_ENC_LATIN1) {
        /* Whole lines up to the last terminator in reach: without a quote
        ** character every row ends at a terminator, so one libcsv call can
        ** take them all and rows are located lazily. */
        size_t nl;
        int fl;
        size_t m = el_scan(z, lim, r->term, r->d.delim, r->d.quote, 1, &nl, &fl);
        /* (with a multi-byte delimiter, rows are located in the file's
        ** bytes: only while those are not transcoded) */
        if (m > n && !(r->md && (fl & EL_CF_NONASCII) && r->enc != EL_CSV_ENC_UTF8)) {
          r->bpos += m;
          if (el_r_feed(r, z, m, nl, fl, 1) != 0) return -1;
          continue;
        }
      }
      int fl;
      el_scan(z, n, r->term, r->d.delim, r->d.quote, 0, NULL, &fl);
      r->bpos += n;
      if (el_r_feed(r, z, n, e != NULL, fl, 0) != 0) return -1;
    }
    if (r->failed) return -1;
    if (r->nq == 0) return 0;
  }
  el_qrow *q = &r->q[r->qhead++];
  el_r_row(q, r->arena, r->fields, row);
  if (!r->ah) { /* (a producer thread leaves them to the consumer: el_ahead_next) */
    r->last = *q;
    r->have_last = 1;
  }
  return 1;
}

/* --- reading ahead on a second thread ----------------------------------- */
/* The producer thread runs el_r_next, exactly as el_csv_next would, and
** moves each batch of rows it makes (one fill of the queue: the arena, the
** fields, the rows, and a copy of the chunk they were cut from, so that
** el_csv_locate and el_csv_raw work as before) into a batch. Two batches
** alternate: the consumer reads one while the producer fills the other.
** A batch ends after EL_AHEAD_BYTES of fields, EL_AHEAD_ROWS rows, or at
** the end of the file or the first error, which the consumer meets after
** the rows before it, as el_csv_next returns them. */
#define EL_AHEAD_BYTES (256 * 1024)
#define EL_AHEAD_ROWS 8192
#define EL_AHEAD_SWAP_ROWS 256 /* a fill of the queue this big is a batch of its own */

typedef struct el_batch {
  char *arena; size_t alen, acap;
  el_csv_field *fields; size_t nf, fcap;
  el_qrow *q; size_t nq, qcap;
  unsigned char *chunks; size_t clen, ccap; /* copies of the rows' chunks */
  int end;                      /* 0: more follow; 1: end of file; -1: error */
  long long end_line, end_bytes; /* el_csv_line and el_csv_bytes_read at the end */
  int enc, bom;
  char err[512];                /* end -1: el_csv_error */
} el_batch;

struct el_ahead {
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  el_batch b[2];
  int ready[2];     /* filled by the producer, not yet given back */
  atomic_int stop;  /* the reader is closing: the producer ends */
  /* the consumer's side */
  el_batch *cur;    /* the batch being read, NULL between batches */
  int ci;           /* its slot */
  size_t qhead;
  int end;          /* met the end: 1 (end of file) or -1 (error) */
  long long line, bytes;
  int enc, bom;
};

/* p (capacity *cap elements of size sz) with room for need: p itself, a
** bigger block, or NULL when out of memory (p is then unchanged). */
static void *el_grow(void *p, size_t *cap, size_t need, size_t sz) {
  if (need <= *cap) return p;
  size_t nc = *cap ? *cap : 1024;
  while (nc < need) nc *= 2;
  void *np = el_realloc(p, nc * sz);
  if (np) *cap = nc;
  return np;
}

/* The chunk copies and the reader's position, for rows [Q, b->nq) of b. */
static int el_batch_chunks(el_batch *b, el_csv_reader *r, size_t Q) {
  const unsigned char *last = NULL;
  size_t last_len = 0, last_off = 0;
  long long seen_bytes = r->blk_off + (long long)r->bpos;
  for (size_t k = Q; k < b->nq; k++) {
    el_qrow *q = &b->q[k];
    q->seen_line = r->last_line;
    q->seen_bytes = seen_bytes;
    if (!q->chunk) continue;
    if (q->chunk != last || q->chunk_len != last_len) {
      unsigned char *nc = el_grow(b->chunks, &b->ccap, b->clen + q->chunk_len + 1, 1);
      if (!nc) return -1;
      b->chunks = nc;
      memcpy(b->chunks + b->clen, q->chunk, q->chunk_len);
      last = q->chunk;
      last_len = q->chunk_len;
      last_off = b->clen;
      b->clen += q->chunk_len;
    }
    q->coff = last_off;
  }
  return 0;
}

/* A big fill of the queue into an empty batch: the batch takes the
** reader's arena, fields and rows as they are, and gives the reader its
** own buffers, into which the row in progress moves (as el_r_next's
** recycling would move it to the front). No row is copied. */
static int el_batch_swap(el_batch *b, el_csv_reader *r) {
  size_t base = r->row_arena0, f0 = r->cur_f0, nkeep = r->nf - r->cur_f0;
  size_t keep = nkeep ? r->alen - base : 0;
  char *na = el_grow(b->arena, &b->acap, keep + 1, 1);
  if (!na) return -1;
  b->arena = na;
  el_csv_field *nfs = el_grow(b->fields, &b->fcap, nkeep + 1, sizeof *nfs);
  if (!nfs) return -1;
  b->fields = nfs;
  char *ta = r->arena; size_t tac = r->acap, tal = r->alen;
  r->arena = b->arena; r->acap = b->acap;
  b->arena = ta; b->acap = tac; b->alen = tal;
  el_csv_field *tf = r->fields; size_t tfc = r->fcap;
  r->fields = b->fields; r->fcap = b->fcap;
  b->fields = tf; b->fcap = tfc; b->nf = f0;
  el_qrow *tq = r->q; size_t tqc = r->qcap;
  r->q = b->q; r->qcap = b->qcap;
  b->q = tq; b->qcap = tqc; b->nq = r->nq;
  if (nkeep) {
    r->arena[0] = 0;
    memcpy(r->arena + 1, b->arena + base, keep);
    r->alen = keep + 1;
    for (size_t i = 0; i < nkeep; i++) {
      r->fields[i] = b->fields[f0 + i];
      if (r->fields[i].off) r->fields[i].off -= (uint32_t)(base - 1);
    }
  } else {
    r->alen = 0;
  }
  r->nf = nkeep;
  r->cur_f0 = 0;
  r->row_arena0 = 1;
  r->nq = r->qhead = 0;
  return el_batch_chunks(b, r, 0) ? -1 : 1;
}

/* Move the rows of the reader's queue (just filled by el_r_next, which
** returned its first) into batch b, and mark them read: 0 (copied), 1
** (swapped: the batch is full), -1 (out of memory). */
static int el_batch_take(el_batch *b, el_csv_reader *r) {
  size_t q0 = r->qhead ? r->qhead - 1 : 0, nq = r->nq - q0, nf = r->cur_f0, an = r->alen;
  if (b->nq == 0 && q0 == 0 && nq >= EL_AHEAD_SWAP_ROWS) return el_batch_swap(b, r);
  size_t A = b->alen, F = b->nf, Q = b->nq;
  char *na = el_grow(b->arena, &b->acap, A + an + 1, 1);
  if (!na) return -1;
  b->arena = na;
  el_csv_field *nfs = el_grow(b->fields, &b->fcap, F + nf, sizeof *nfs);
  if (!nfs) return -1;
  b->fields = nfs;
  el_qrow *nqs = el_grow(b->q, &b->qcap, Q + nq, sizeof *nqs);
  if (!nqs) return -1;
  b->q = nqs;
  /* the arena whole, in one copy: offset 0 holds a NUL (el_r_reserve), so
  ** fields that point there still read as "" */
  memcpy(b->arena + A, r->arena, an);
  if (!an) b->arena[A] = 0;
  b->alen = A + (an ? an : 1);
  for (size_t i = 0; i < nf; i++) {
    b->fields[F + i] = r->fields[i];
    b->fields[F + i].off += (uint32_t)A;
  }
  b->nf = F + nf;
  for (size_t k = 0; k < nq; k++) {
    el_qrow *q = &b->q[Q + k];
    *q = r->q[q0 + k];
    q->f0 += F;
    q->raw_off += A;
  }
  b->nq = Q + nq;
  r->qhead = r->nq;
  return el_batch_chunks(b, r, Q);
}

static void *el_ahead_main(void *arg) {
  el_csv_reader *r = arg;
  el_ahead *a = r->ah;
  int slot = 0;
  for (;;) {
    pthread_mutex_lock(&a->mu);
    while (a->ready[slot] && !atomic_load(&a->stop)) pthread_cond_wait(&a->cv, &a->mu);
    pthread_mutex_unlock(&a->mu);
    if (atomic_load(&a->stop)) break;
    el_batch *b = &a->b[slot];
    b->alen = b->nf = b->nq = b->clen = 0;
    b->end = 0;
    while (!b->end && b->alen < EL_AHEAD_BYTES && b->nq < EL_AHEAD_ROWS &&
           !atomic_load_explicit(&a->stop, memory_order_relaxed)) {
      el_csv_row row;
      int k = el_r_next(r, &row);
      int took = k > 0 ? el_batch_take(b, r) : 0;
      if (took < 0) {
        el_r_seterr(r, EL_CSV_NOMEM);
        k = -1;
      }
      if (k == 0) b->end = 1;
      if (k < 0) {
        b->end = -1;
        snprintf(b->err, sizeof b->err, "%s", el_csv_error(r));
      }
      if (took > 0) break; /* a batch of its own */
    }
    b->end_line = r->last_line;
    b->end_bytes = r->blk_off + (long long)r->bpos;
    b->enc = r->enc;
    b->bom = r->bom;
    pthread_mutex_lock(&a->mu);
    a->ready[slot] = 1;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    if (b->end) break;
    slot ^= 1;
  }
  return NULL;
}

int el_csv_read_ahead(el_csv_reader *r, char *errbuf, size_t errlen) {
  if (r->ah || r->have_last || r->failed) {
    snprintf(errbuf, errlen, "the reader has already started");
    return -1;
  }
  el_ahead *a = el_malloc(sizeof *a);
  if (!a) { snprintf(errbuf, errlen, EL_CSV_NOMEM); return -1; }
  memset(a, 0, sizeof *a);
  atomic_init(&a->stop, 0);
  if (pthread_mutex_init(&a->mu, NULL) != 0) {
    el_free(a);
    snprintf(errbuf, errlen, "cannot start the reading thread");
    return -1;
  }
  if (pthread_cond_init(&a->cv, NULL) != 0) {
    pthread_mutex_destroy(&a->mu);
    el_free(a);
    snprintf(errbuf, errlen, "cannot start the reading thread");
    return -1;
  }
  r->ah = a;
  int e = pthread_create(&a->th, NULL, el_ahead_main, r);
  if (e != 0) {
    r->ah = NULL;
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    el_free(a);
    snprintf(errbuf, errlen, "cannot start the reading thread: %s", strerror(e));
    return -1;
  }
  return 0;
}

int el_csv_threads(el_csv_reader *r) { return r->ah ? 2 : 1; }

/* Stop the producer, wait for it, and free what it made. */
static void el_ahead_end(el_csv_reader *r) {
  el_ahead *a = r->ah;
  pthread_mutex_lock(&a->mu);
  atomic_store(&a->stop, 1);
  pthread_cond_broadcast(&a->cv);
  pthread_mutex_unlock(&a->mu);
  pthread_join(a->th, NULL);
  pthread_cond_destroy(&a->cv);
  pthread_mutex_destroy(&a->mu);
  for (int i = 0; i < 2; i++) {
    el_free(a->b[i].arena);
    el_free(a->b[i].fields);
    el_free(a->b[i].q);
    el_free(a->b[i].chunks);
  }
  el_free(a);
  r->ah = NULL;
}

/* el_csv_next on the consumer's side: the next row of the current batch. */
static int el_ahead_next(el_csv_reader *r, el_csv_row *row) {
  el_ahead *a = r->ah;
  while (!a->cur || a->qhead == a->cur->nq) {
    if (a->end) return a->end > 0 ? 0 : -1;
    if (a->cur) {
      el_batch *b = a->cur;
      a->line = b->end_line;
      a->bytes = b->end_bytes;
      if (b->end) {
        a->end = b->end;
        if (b->end < 0) snprintf(r->err, sizeof r->err, "%s", b->err);
        continue;
      }
      /* give the batch back to the producer */
      pthread_mutex_lock(&a->mu);
      a->ready[a->ci] = 0;
      pthread_cond_broadcast(&a->cv);
      pthread_mutex_unlock(&a->mu);
      a->ci ^= 1;
      a->cur = NULL;
    }
    pthread_mutex_lock(&a->mu);
    while (!a->ready[a->ci]) pthread_cond_wait(&a->cv, &a->mu);
    pthread_mutex_unlock(&a->mu);
    a->cur = &a->b[a->ci];
    a->qhead = 0;
    a->enc = a->cur->enc;
    a->bom = a->cur->bom;
  }
  el_batch *b = a->cur;
  el_qrow *q = &b->q[a->qhead++];
  el_r_row(q, b->arena, b->fields, row);
  r->last = *q;
  if (q->chunk) r->last.chunk = b->chunks + q->coff;
  r->have_last = 1;
  a->line = q->seen_line;
  a->bytes = q->seen_bytes;
  return 1;
}

int el_csv_next(el_csv_reader *r, el_csv_row *row) {
  return r->ah ? el_ahead_next(r, row) : el_r_next(r, row);
}

/* The segment of a multi-line chunk holding row q: the ridx-th non-empty
** run between terminators (a run without quotes is exactly one row). */
static const unsigned char *el_r_segment(el_csv_reader *r, const el_qrow *q, size_t *len,
                                         long long *line, long long *off) {
  const unsigned char *p = q->chunk, *end = q->chunk + q->chunk_len;
  long long ln = q->mline;
  int k = -1;
  while (p < end) {
    const unsigned char *s = p;
    while (p < end && *p != '\n' && *p != '\r') p++;
    if (p > s && ++k == q->ridx) {
      *len = (size_t)(p - s);
      *line = ln;
      size_t o = (size_t)(s - q->chunk);
      if (q->mlatin) {
        /* back to file bytes: each Latin-1 byte became a lead byte and a
        ** continuation byte */
        size_t raw = 0;
        for (size_t i = 0; i < o; i++) raw += (q->chunk[i] & 0xC0) != 0x80;
        o = raw;
      }
      *off = q->moff + (long long)o;
      return s;
    }
    if (p < end) {
      if (*p == r->term) ln++;
      p++;
    }
  }
  *len = 0;
  *line = q->mline;
  *off = q->moff;
  return q->chunk;
}

void el_csv_locate(el_csv_reader *r, el_csv_row *row) {
  if (!r->have_last || !r->last.multi) return;
  size_t len;
  el_r_segment(r, &r->last, &len, &row->line, &row->offset);
}

const char *el_csv_raw(el_csv_reader *r, size_t *n) {
  size_t k = 0;
  if (r->have_last && r->last.multi) {
    long long ln, off;
    size_t len;
    const unsigned char *s = el_r_segment(r, &r->last, &len, &ln, &off);
    k = len < EL_CSV_RAW_MAX ? len : EL_CSV_RAW_MAX;
    memcpy(r->rawout, s, k);
  } else if (r->have_last) {
    size_t a = r->last.raw_len;
    if (a > EL_CSV_RAW_MAX) a = EL_CSV_RAW_MAX;
    memcpy(r->rawout, (r->ah && r->ah->cur ? r->ah->cur->arena : r->arena) + r->last.raw_off, a);
    k = a;
    if (r->last.chunk && k < EL_CSV_RAW_MAX) {
      size_t b = r->last.chunk_len;
      if (b > EL_CSV_RAW_MAX - k) b = EL_CSV_RAW_MAX - k;
      memcpy(r->rawout + k, r->last.chunk, b);
      k += b;
    }
  }
  /* drop the line terminator */
  while (k && (r->rawout[k - 1] == '\n' || r->rawout[k - 1] == '\r')) k--;
  r->rawout[k] = 0;
  *n = k;
  return r->rawout;
}

void el_csv_set_unused(el_csv_reader *r, uint64_t mask) {
  if (!r->ah) r->skipmask = mask; /* (the producer reads it: fixed once it runs) */
}

/* With a producer thread, the consumer's view: what el_r_next had made when
** it returned the row last read (r->err is written by the consumer only
** after the producer has ended). */
const char *el_csv_error(el_csv_reader *r) { return r->err[0] ? r->err : "error"; }
int el_csv_encoding(el_csv_reader *r) { return r->ah ? r->ah->enc : r->enc; }
int el_csv_had_bom(el_csv_reader *r) { return r->ah ? r->ah->bom : r->bom; }
long long el_csv_bytes_read(el_csv_reader *r) {
  return r->ah ? r->ah->bytes : r->blk_off + (long long)r->bpos;
}
long long el_csv_line(el_csv_reader *r) { return r->ah ? r->ah->line : r->last_line; }

void el_csv_close(el_csv_reader *r) {
  if (!r) return;
  if (r->ah) el_ahead_end(r);
  if (r->p_init) csv_free(&r->p);
  if (r->src) r->src->xClose(r->src);
  if (!r->mem) el_r_free(r, r->blk);
  el_r_free(r, r->arena);
  el_r_free(r, r->fields);
  el_r_free(r, r->q);
  el_r_free(r, r->tbuf);
  el_r_free(r, r->rawpre);
  el_r_free(r, r->cbuf);
  el_r_free(r, r);
}
