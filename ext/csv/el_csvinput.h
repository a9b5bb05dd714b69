/*
** CSV input layer (no SQLite): what stands between a file and the CSV
** reader. A file is recognised by its first bytes, never by its name:
**
**   gzip (1f 8b)       inflated as a stream, every member of a multi-member
**                      file in turn; memory is zlib's 32 KB window and two
**                      fixed buffers, whatever the size of the file.
**   UTF-16 with a BOM  (FF FE little-endian, FE FF big-endian: Excel's
**                      "Unicode text") transcoded to UTF-8, which the reader
**                      then sees after a UTF-8 BOM.
**
** Both stack as el_csv_source layers on the regular-file source of
** el_csvreader.c, so the file is still opened without blocking, devices are
** refused and reads end at the size the file had when it was opened.
**
** Hostile input is an error, never partial data: a truncated or corrupt gzip
** stream, trailing bytes that are not gzip, a decompression bomb (output
** over EL_CSV_GZ_MAX_RATIO times the compressed bytes read once past
** EL_CSV_GZ_RATIO_FLOOR bytes), an unpaired UTF-16 surrogate (named by line
** and character) or an odd byte at the end of UTF-16 text.
*/
#ifndef EL_CSV_EL_CSVINPUT_H
#define EL_CSV_EL_CSVINPUT_H

#include <stddef.h>

#include "el_csvreader.h"

/* Ordinary gzip'd CSV inflates 3x to 20x; even very repetitive exports stay
** well under 100x. Past 64 MB of output, more than 250x is refused as a
** decompression bomb (deflate's own limit is about 1032x). */
#define EL_CSV_GZ_MAX_RATIO 250
#define EL_CSV_GZ_RATIO_FLOOR (64LL * 1024 * 1024)
/* gzip members that inflate to nothing (a file of millions of them would
** loop without output): more than this many is refused. */
#define EL_CSV_GZ_MAX_EMPTY 10000

enum { EL_CSV_COMP_NONE = 0, EL_CSV_COMP_GZIP = 1 };
enum { EL_CSV_UTF16_NONE = 0, EL_CSV_UTF16_LE = 1, EL_CSV_UTF16_BE = 2 };

typedef struct el_csv_input_info {
  int compression; /* EL_CSV_COMP_* */
  int utf16;       /* EL_CSV_UTF16_* (the file's own encoding, before transcoding) */
} el_csv_input_info;

/* Open path as text: a regular file (el_csv_file_source), inflated and
** transcoded as its first bytes say. info (may be NULL) tells what was
** found. Returns NULL with errbuf set. */
el_csv_source *el_csv_input_open(const char *path, el_csv_input_info *info, char *errbuf,
                                 size_t errlen);
/* The same layers over any source, which is then owned by the result (and
** closed at once on failure). */
el_csv_source *el_csv_input_wrap(el_csv_source *src, el_csv_input_info *info, char *errbuf,
                                 size_t errlen);
/* What el_csv_input_open finds at the start of path (csv_sniff reports
** it): 0, or -1 with errbuf set. */
int el_csv_input_probe(const char *path, el_csv_input_info *info, char *errbuf, size_t errlen);
/* A buffer as a source (unit tests, fuzzing); the buffer must outlive it. */
el_csv_source *el_csv_mem_source(const void *data, size_t n);

/* "none" / "gzip"; "utf16le" / "utf16be" (NULL when not UTF-16). */
const char *el_csv_compression_name(int c);
const char *el_csv_utf16_name(int e);

/* --- lines (lines_file) -------------------------------------------------- */
/* A file read line by line through the same layers (gzip, UTF-16): JSONL
** corpora and other line-oriented text. A line ends at '\n' (a '\r' before
** it is dropped); a UTF-8 BOM at the start is dropped. Memory is one buffer
** as long as the longest line, at most max_line bytes. A line over max_line
** bytes, invalid UTF-8 or a NUL byte is an error naming the line and the
** byte, never a changed value. */
#define EL_LINES_MAX_DEFAULT (64 * 1024 * 1024)
typedef struct el_lines el_lines;
el_lines *el_lines_open(const char *path, size_t max_line, char *errbuf, size_t errlen);
/* Over any source, which the reader then owns (tests, fuzzing). */
el_lines *el_lines_open_source(el_csv_source *src, size_t max_line, char *errbuf, size_t errlen);
/* Next line: 1 with *z / *n set (valid until the next call; z[n] is NUL),
** *lineno (1-based) and *offset (its byte offset in the text read, after
** inflating); 0 at the end; -1 on error (el_lines_error). */
int el_lines_next(el_lines *L, const char **z, size_t *n, long long *lineno, long long *offset);
const char *el_lines_error(el_lines *L);
void el_lines_close(el_lines *L);

#endif
