/*
** CSV core (no SQLite): a streaming reader on top of libcsv, the dialect and
** type sniffer, and value classification. The SQL adapters (csv_sql.c) only
** parse options, call these and hand rows to SQLite.
**
** The reader feeds libcsv one physical line (at most EL_CSV_CHUNK bytes) at a
** time from a fixed block buffer, so it knows the line and byte offset where
** each record starts, and memory stays constant: one block, one row arena,
** libcsv's field buffer (capped at max_field bytes).
**
** Bytes come from a source (el_csv_source): a regular file, or a buffer.
** Only regular files are read. Devices, FIFOs, sockets and directories are
** refused by name before any byte is read, and a file is read up to the size
** it had when it was opened, so every read ends. Every allocation goes
** through ext/common/el_alloc.h, libcsv's included.
*/
#ifndef EL_CSV_EL_CSVREADER_H
#define EL_CSV_EL_CSVREADER_H

#include <stddef.h>
#include <stdint.h>

#define EL_CSV_BLOCK (256 * 1024)     /* bytes read from the file at a time */
#define EL_CSV_CHUNK (64 * 1024)      /* at most this much is fed to libcsv at once */
#define EL_CSV_MAX_FIELD_DEFAULT (1024 * 1024)
#define EL_CSV_MAX_FIELDS 2000        /* fields kept per row (SQLite's column limit) */
#define EL_CSV_MAX_ROW (16 * 1024 * 1024) /* bytes of a row's fields (or 2 x max_field) */
#define EL_CSV_RAW_MAX 1024           /* bytes of a rejected row's raw text kept */
#define EL_CSV_STRUCT_ROWS 1000       /* rows that decide the header and the column count */
#define EL_CSV_SNIFF_BYTES (4 * 1024 * 1024) /* bytes read to choose a delimiter */

enum { EL_CSV_ENC_AUTO = 0, EL_CSV_ENC_UTF8 = 1, EL_CSV_ENC_LATIN1 = 2 };
/* Column types. EL_CSV_REAL_LOOSE is REAL whose values may also be spelled
** with trailing zeros or without the leading 0 ("42.50", ".5"). */
enum { EL_CSV_TEXT = 0, EL_CSV_INTEGER = 1, EL_CSV_REAL = 2, EL_CSV_REAL_LOOSE = 3 };
/* Dates and timestamps, kept as ISO 8601 text (4 is the adapters'
** EL_CSV_NUMERIC). */
enum { EL_CSV_DATE = 5, EL_CSV_TIMESTAMP = 6 };

/* Row problems (el_csv_row.err), in the order they are reported. */
enum {
  EL_CSV_OK = 0,
  EL_CSV_EQUOTE,    /* unterminated quoted field at end of file */
  EL_CSV_EPARSE,    /* malformed quoting (strict mode only) */
  EL_CSV_EUTF8,     /* invalid UTF-8 */
  EL_CSV_ENUL,      /* a NUL byte */
  EL_CSV_ETOOLONG,  /* a field over max_field bytes */
  EL_CSV_EMANY,     /* more fields than columns (set by the caller) */
  EL_CSV_EFEW       /* fewer fields than columns (set by the caller) */
};
const char *el_csv_errstr(int err);

/* Field flags */
#define EL_CSV_F_BINARY 2  /* invalid UTF-8 or a NUL byte: the raw bytes, as a BLOB */
#define EL_CSV_F_DROPPED 4 /* too long: the value is not kept (NULL) */

typedef struct el_csv_field {
  uint32_t off; /* into the row arena (bounded: one batch of rows, fields <= 256 MB) */
  uint32_t len;
  uint32_t flags;
} el_csv_field;

typedef struct el_csv_row {
  const char *base;           /* arena: field i is base + f[i].off, NUL-terminated */
  const el_csv_field *f;
  int n;                      /* fields kept (at most EL_CSV_MAX_FIELDS) */
  int nraw;                   /* fields seen (may exceed n) */
  long long line;             /* 1-based physical line where the row starts, */
  long long offset;           /* and its byte offset: both 0 / -1 until el_csv_locate */
  int err;                    /* first problem (EL_CSV_*), 0 if none */
  int err_col;                /* 0-based field of that problem */
} el_csv_row;

#define EL_CSV_DELIM_MAX 4 /* bytes of a delimiter */

typedef struct el_csv_dialect {
  unsigned char delim;  /* ',' by default */
  /* a delimiter of 2 to EL_CSV_DELIM_MAX bytes (", ", "||", "~|~"): when
  ** mdelim_len >= 2 it replaces delim. It is matched on the file's bytes,
  ** left to right, outside quotes only. */
  unsigned char mdelim[EL_CSV_DELIM_MAX];
  int mdelim_len;
  unsigned char quote;  /* '"'; 0 = no quoting */
  unsigned char escape; /* 0 = quotes are doubled; else e.g. '\\' */
  int encoding;         /* EL_CSV_ENC_* */
  long long skip;       /* physical lines skipped before parsing */
  int strict;           /* libcsv strict quoting; the caller checks the rest */
  size_t max_field;     /* 0: EL_CSV_MAX_FIELD_DEFAULT */
  long long max_bytes;  /* > 0: read only this many bytes of the file (sniffing) */
} el_csv_dialect;

typedef struct el_csv_reader el_csv_reader;

/* Error text of an allocation failure, so that callers can tell it from
** other errors (SQLITE_NOMEM in the adapters). */
#define EL_CSV_NOMEM "out of memory"
int el_csv_is_nomem(const char *err);

/* A byte source. xRead fills buf with up to n bytes: the count, 0 at the end,
** or -1 with err set. xClose frees the source. A file is one source; gzip,
** UTF-16 transcoding or a list of files can be others stacked on it. */
typedef struct el_csv_source el_csv_source;
struct el_csv_source {
  long long (*xRead)(el_csv_source *src, unsigned char *buf, size_t n, char *err, size_t errlen);
  void (*xClose)(el_csv_source *src);
};

/* A regular file as a source: opened without blocking (a FIFO cannot hang
** the caller), checked with fstat, and read up to its size at that moment.
** Anything else is refused by name ("... is a character device"). Returns
** NULL with errbuf set. */
el_csv_source *el_csv_file_source(const char *path, char *errbuf, size_t errlen);
/* Up to n bytes from the start of path (a regular file, as above): the count,
** or -1 with errbuf set. */
long long el_csv_read_head(const char *path, unsigned char *buf, size_t n, char *errbuf,
                           size_t errlen);

/* Open path (see el_csv_file_source) with dialect d. Returns NULL with
** errbuf (errlen bytes) set. */
el_csv_reader *el_csv_open(const char *path, const el_csv_dialect *d, char *errbuf,
                           size_t errlen);
/* The same over any source, which the reader then owns (closed by
** el_csv_close, or at once when this fails). */
el_csv_reader *el_csv_open_source(el_csv_source *src, const el_csv_dialect *d, char *errbuf,
                                  size_t errlen);
/* Read over a memory buffer instead of a file (unit tests, fuzzing). The
** buffer must outlive the reader. */
el_csv_reader *el_csv_open_mem(const char *data, size_t n, const el_csv_dialect *d,
                               char *errbuf, size_t errlen);
/* Next row: 1 and *row set (valid until the next call), 0 at end of file, -1
** on an I/O, memory or strict parse error (el_csv_error tells). */
int el_csv_next(el_csv_reader *r, el_csv_row *row);
const char *el_csv_error(el_csv_reader *r);
/* Fields the caller will not read (bit i: field i; bit 63: fields 63 and
** up) are counted and checked but not copied: they read as "". */
void el_csv_set_unused(el_csv_reader *r, uint64_t mask);
/* The raw text of the last row returned (at most EL_CSV_RAW_MAX bytes,
** transcoded like its fields). */
const char *el_csv_raw(el_csv_reader *r, size_t *n);
/* Fill row->line and row->offset of the last row returned (rows read in
** bulk are located only when asked, for error messages and rejects). */
void el_csv_locate(el_csv_reader *r, el_csv_row *row);
/* The encoding in use: EL_CSV_ENC_AUTO while only ASCII has been seen. */
int el_csv_encoding(el_csv_reader *r);
int el_csv_had_bom(el_csv_reader *r);
long long el_csv_bytes_read(el_csv_reader *r);
/* The physical line the reader has reached (the last line at end of file):
** an unterminated quoted field (EL_CSV_EQUOTE) runs from its row's line to
** this one. */
long long el_csv_line(el_csv_reader *r);
void el_csv_close(el_csv_reader *r);
/* Parse ahead on a second thread: from now on a thread of the reader's own
** runs the parse (el_csv_next as it would run here) into two alternating
** batches of rows, while the caller reads the previous batch. Rows, their
** order, el_csv_locate, el_csv_raw, el_csv_line and errors (met after the
** rows before them) are the same as without it; el_csv_bytes_read,
** el_csv_encoding and el_csv_had_bom tell what the parse had reached when
** the row last read was made. Call it before the first el_csv_next, after
** el_csv_set_unused (later masks are ignored). The reader, its thread and
** the caller's calls stay on one caller thread at a time; el_csv_close stops
** and joins the thread. Memory: two batches of about EL_AHEAD_BYTES (256 KB)
** of fields, or one fill of the queue when a row is bigger. Returns 0, or -1
** with errbuf set (the reader then goes on in this thread). */
int el_csv_read_ahead(el_csv_reader *r, char *errbuf, size_t errlen);
/* 2 while a thread reads ahead, else 1. */
int el_csv_threads(el_csv_reader *r);

/* --- values ----------------------------------------------------------- */
/* Canonical integer: optional '-' (or '+'), digits without leading zeros
** (except "0"), fits int64. */
int el_csv_parse_int(const char *z, size_t n, int64_t *out);
/* Decimal: optional '-', integer part without leading zeros, optional
** fraction, optional exponent, at most 17 significant digits that the double
** gives back. Returns 1 when canonical (SQLite prints the same digits back:
** no trailing zero in the fraction except ".0", an integer part present), 2
** when only loose ("1.50", ".5"), 0 when not a decimal. *iw / *fw (may be
** NULL) get the digit counts before and after the point. */
int el_csv_parse_real(const char *z, size_t n, double *out, int *iw, int *fw);
/* Loosely numeric (any decimal or integer spelling), for header sniffing. */
int el_csv_looks_numeric(const char *z, size_t n);
/* Would SQLite's numeric affinity (an INTEGER, REAL or NUMERIC column) turn
** this text into a number? Blanks around it, a sign, leading zeros, a bare
** point or an exponent all count ("00123", " 12", "+5", "1e5", "5."). */
int el_csv_sqlite_numeric(const char *z, size_t n);

/* --- sniffing ---------------------------------------------------------- */
#define EL_CSV_DATEFMT_MAX 16 /* bytes of a dateformat= pattern */
#define EL_CSV_ISOBUF 48      /* bytes of an ISO 8601 text made by el_csv_parse_date */

typedef struct el_csv_sniff_opts {
  int delim;        /* -1 auto, else the character */
  unsigned char mdelim[EL_CSV_DELIM_MAX]; /* a delimiter of 2 or more bytes (given, never */
  int mdelim_len;   /* sniffed): mdelim_len >= 2 overrides delim */
  int quote;        /* -1 default '"' */
  int escape;       /* -1 auto, 0 none, else the character */
  int header;       /* -1 auto, 0 no, 1 yes, 2 to EL_CSV_HEADER_MAX: that many header rows,
                    ** joined into one name per column (el_csv_join_header) */
  long long skip;   /* -1 auto */
  int encoding;     /* EL_CSV_ENC_* (AUTO sniffs) */
  int types_text;   /* 1: every column TEXT */
  long long sample; /* rows for type inference; <= 0: all of them */
  int types_first;  /* 1: infer types from the first EL_CSV_STRUCT_ROWS rows only and
                    ** say whether they were all (types_complete); the caller
                    ** checks the rest as it reads (el_csv_stat_*) */
  size_t max_field;
  const char *const *nulls; /* strings read as NULL (besides the empty field when null_empty) */
  int nnull;
  int null_empty;   /* the empty field is NULL (default 1) */
  const char *const *missing; /* markers that are NULL in INTEGER and REAL columns */
  int nmissing;
  const char *const *colnames; /* the columns option: names to use (ncolnames > 0) */
  int ncolnames;
  /* how numbers are written: decimal is the decimal mark ('.' when 0, or
  ** ','; thousands "." alone implies ','), thousands a group separator of 1
  ** to 3 bytes ("." "," " " "'" or a no-break or thin space), thousands_len
  ** 0 when none (see el_csv_num_form) */
  char decimal;
  char thousands[4];
  int thousands_len;
  /* dates: 0 detects none; else the unambiguous forms (el_csv_parse_date)
  ** and, when datefmt[0], that declared form too */
  int dates;
  char datefmt[EL_CSV_DATEFMT_MAX + 1];
  const char *data; /* when set, sniff this buffer instead of path */
  size_t ndata;
  /* called now and then while reading (about every 1 MB); non-zero stops
  ** the sniff with the error "interrupted" */
  int (*xCheck)(void *);
  void *check_ctx;
} el_csv_sniff_opts;

#define EL_CSV_SAMPLE_ROWS 5 /* rows copied into the sniff result */
#define EL_CSV_HEADER_MAX 100 /* header rows at most (header=N) */

/* The names of a header of h rows (rows[k][i]: row k's cell i, NULL or ""
** when empty; ns[k] cells in row k), one per column up to ncols, into
** out[0..ncols) (el_malloc'd, "" when every cell is empty). Spreadsheets
** export a merged cell as its text followed by empty cells, so an empty
** cell in any row but the last takes the text on its left in the same row,
** within the span of the cell above it (a new text in the row above ends
** it). A column's name is then its cells from top to bottom, empty ones and
** a repeat of the one above left out, joined by one space: "2019" over
** "Exports" gives "2019 Exports". Returns 0 or -1 (out of memory). */
int el_csv_join_header(char *const *const *rows, const int *ns, int h, int ncols, char **out);

typedef struct el_csv_sniffed {
  el_csv_dialect d;
  int header;        /* 0, or the header rows (1 unless header=N) */
  int ncols;
  char **names;      /* ncols malloc'd names, unique (case-insensitively) */
  int *types;        /* EL_CSV_TEXT / INTEGER / REAL */
  long long rows_sampled;
  long long rejects_sampled;
  int encoding;      /* as detected (AUTO: only ASCII seen) */
  int bom;
  int nsample;       /* rows in sample (<= EL_CSV_SAMPLE_ROWS) */
  char ***sample;    /* nsample rows of ncols strings (NULL = SQL NULL) */
  int types_complete; /* the types saw every row (always, unless types_first) */
  /* a quoted field left open at the end of the file, swallowing the line
  ** breaks after it: the line of its row and its 1-based column (0: none) */
  long long unterminated_line;
  int unterminated_col;
  long long lines;   /* physical lines read (the last line reached) */
  /* per column: 0, or the number form that would make it a number column
  ** (1 | el_csv_colstat.comma_groups << 1): a suggestion only */
  int *comma;
} el_csv_sniffed;

/* Returns 0, or -1 with errbuf set (EL_CSV_NOMEM when out of memory). */
int el_csv_sniff(const char *path, const el_csv_sniff_opts *o, el_csv_sniffed *out,
                 char *errbuf, size_t errlen);
void el_csv_sniffed_free(el_csv_sniffed *s);
/* Is the field a NULL under these options? */
int el_csv_is_null(const el_csv_sniff_opts *o, const char *z, size_t n, int flags);
/* Is it a missing-value marker (NULL in INTEGER and REAL columns)? */
int el_csv_is_missing(const el_csv_sniff_opts *o, const char *z, size_t n);
/* Make names unique (case-insensitive ASCII) and non-empty, in place: an
** empty name i becomes "column<i+1>", a repeat gets "_1", "_2" ... (the
** first free suffix). Linear in the total length. Names are el_malloc'd.
** Returns 0 or -1 (out of memory; the names are then unchanged or renamed). */
int el_csv_fix_names(char **names, int n);

/* --- numbers written with a decimal comma or grouped thousands --------- */
#define EL_CSV_NUMBUF 72 /* bytes of el_csv_num_form's buffer */
/* Is a number form other than C's declared (decimal or thousands)? */
#define EL_CSV_NUM_LOCALE(o) ((o)->decimal == ',' || (o)->thousands_len > 0)
/* The value z[0..n) rewritten in C's form (a '.' decimal point, no group
** separators) into buf (EL_CSV_NUMBUF bytes): its length, or -1 when it is
** no number under o's decimal and thousands. Groups must be whole: 1 to 3
** digits, then 3 digits after each separator, and only before the decimal
** mark ("1.234.567,8" with decimal=',' and thousands='.'; "1.23,4" and
** "1.5" are not numbers there). The result still goes through the usual
** integer and decimal parsers, so a sign, leading zeros and an exponent
** follow their rules. */
int el_csv_num_form(const el_csv_sniff_opts *o, const char *z, size_t n, char *buf);

/* --- dates -------------------------------------------------------------- */
/* Is pattern a dateformat: YYYY, MM and DD once each (MM and DD take 1 or 2
** digits), with '.', '/', '-' or ' ' between them? */
int el_csv_datefmt_ok(const char *pattern);
/* A date or timestamp: EL_CSV_DATE, EL_CSV_TIMESTAMP, or 0 when z[0..n) is
** neither. Without a declared form only the unambiguous ones count: the year
** first (2024-03-05, 2024/3/5); ISO 8601 always does. A calendar date
** (leap years checked), then optionally 'T' or ' ' and a time HH:MM[:SS[.f]]
** with an optional zone (Z, +HH:MM, +HHMM, +HH): a timestamp. When iso is
** not NULL it gets the ISO 8601 text (at most EL_CSV_ISOBUF bytes) and *isn
** its length, or *isn is 0 when the value already is that text (it is then
** kept as written, 'T' or ' ' alike). */
int el_csv_parse_date(const el_csv_sniff_opts *o, const char *z, size_t n, char *iso,
                      size_t *isn);

/* --- type inference, one column at a time ------------------------------ */
/* The statistics behind a column's type. The sniffer keeps one per column;
** a caller that reads the rest of the file itself (types_first) keeps its
** own and gets the same answer as a sniff of the whole file. */
typedef struct el_csv_colstat {
  long long nonnull, n_int, n_real, n_intreal, n_other, n_loose, n_date, n_ts;
  /* values of n_other that are numbers with a decimal comma (when no
  ** number form is given), and the group separators they use (bit 1 '.',
  ** bit 2 ' '): what csv_sniff suggests, never applies */
  long long n_comma;
  int comma_groups;
  int iw_min, iw_max, fw_min, fw_max; /* digit widths of the decimals */
  int r0_seen; /* the first row's value occurs again in the data */
} el_csv_colstat;
/* A value as type inference sees it: an integer (i; d when intreal), a
** decimal (d; loose: "1.50" or ".5"; the digits before and after the
** point), or something else (EL_CSV_TEXT). Decoding and inference share
** it, so that a value is parsed once. */
typedef struct el_csv_num {
  int kind; /* EL_CSV_INTEGER, EL_CSV_REAL, EL_CSV_DATE, EL_CSV_TIMESTAMP or EL_CSV_TEXT */
  int64_t i;
  double d;
  int intreal, loose, iw, fw;
} el_csv_num;
void el_csv_classify(const char *z, size_t n, el_csv_num *c);
/* The same under o's options: decimal=, thousands= and dates (a value that
** is no number may be a date or timestamp). */
void el_csv_classify_o(const el_csv_sniff_opts *o, const char *z, size_t n, el_csv_num *c);
/* Count a classified value that is not NULL. */
void el_csv_stat_num(el_csv_colstat *s, const el_csv_num *c);
/* Add field (z, n, flags) of a data row: NULLs and missing markers are not counted. */
void el_csv_stat_field(el_csv_colstat *s, const el_csv_sniff_opts *o, const char *z, size_t n,
                       int flags);
/* The column's type (EL_CSV_TEXT / INTEGER / REAL / REAL_LOOSE / DATE /
** TIMESTAMP): DATE or TIMESTAMP when every value is one (a column of dates
** and timestamps is TIMESTAMP). */
int el_csv_stat_type(const el_csv_colstat *s);
/* 1 when no later value can change the type (TEXT because of a value that
** is not a number): such a column needs no more statistics. */
int el_csv_stat_settled(const el_csv_colstat *s);

#endif
