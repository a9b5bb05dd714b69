/*
** The exportlens tokenizer and sentence splitter. No SQLite here: both work on
** a byte buffer (any bytes: invalid UTF-8 and NUL are separators) and return
** byte offsets. Adapters convert to character offsets with el_charpos.
**
** One tokenizer serves tokens(), sentences(), token_count(), the FTS5
** tokenizer and every annotator, so what a user can search for is exactly what
** the extractors see.
*/
#ifndef EL_TEXT_EL_TOKENIZER_H
#define EL_TEXT_EL_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

typedef enum el_kind {
  EL_WORD = 0,
  EL_NUMBER,
  EL_PERCENT,
  EL_MONEY,
  EL_PUNCT,
  EL_SYMBOL,
  EL_URL,
  EL_EMAIL,
  EL_CODE,
  EL_REFERENCE,
  EL_KIND_COUNT
} el_kind;

/* Token flags. */
#define EL_TF_SPACE_BEFORE 0x01 /* white space (or start of text) precedes */
#define EL_TF_UPPER        0x02 /* first character is upper case */
#define EL_TF_LOWER        0x04 /* first character is lower case */
#define EL_TF_ABBREV       0x08 /* ends with an abbreviation's period */
#define EL_TF_MAY_END      0x10 /* abbreviation that can end a sentence (U.S., Inc.) */
#define EL_TF_CLITIC       0x20 /* the possessive 's split from its word */
#define EL_TF_DOTTED       0x40 /* letters with periods between them: U.S., e.g. */
#define EL_TF_PLAIN        0x80 /* ASCII lower case only: the norm is the token itself */

typedef struct el_token {
  size_t start, end;  /* byte offsets, end exclusive */
  uint8_t kind;       /* el_kind */
  uint8_t flags;      /* EL_TF_* */
  uint8_t nl_before;  /* line breaks in the gap before the token, at most 2 */
} el_token;

typedef struct el_tokenizer {
  const unsigned char *z;
  size_t n;
  size_t pos;
  size_t no_at_until;   /* no e-mail can start before this offset */
  size_t last_end;      /* end of the previous token */
  uint8_t last_kind;
  uint8_t has_last;
} el_tokenizer;

void el_tokenizer_init(el_tokenizer *t, const char *z, size_t n);
/* Next token into *tok; returns 1, or 0 at the end of the text. */
int el_tokenizer_next(el_tokenizer *t, el_token *tok);

const char *el_kind_name(int kind);

/* Normalised form of a token. EL_NORM_FOLD: case folded, curly quotes folded,
** abbreviation periods dropped ("U.S." -> "us"). EL_NORM_FTS: the same, with
** diacritics and combining marks removed. EL_NORM_KEEP_DOTS may be or-ed in.
** Writes at most cap bytes to out and
** returns the full length needed; 3 * (tok->end - tok->start) + 4 is always
** enough. */
#define EL_NORM_FOLD 0
#define EL_NORM_FTS  1
#define EL_NORM_KEEP_DOTS 2 /* or-ed in: keep abbreviation periods ("u.s.") */
size_t el_token_norm(const unsigned char *z, const el_token *tok, int mode,
                     char *out, size_t cap);
#define EL_NORM_MAX(tok) (3 * ((tok)->end - (tok)->start) + 4)

/* Sentence splitter: the tokenizer plus a small look-ahead window. */
#define EL_SEG_WINDOW 8
/* A line's length, kept for the wrap test (el_seg_wrapped), which looks at
** the lines around each line break: consecutive breaks share most of them. */
typedef struct el_line_memo {
  size_t start, end; /* the line: [start, end), end at its '\n' or the text's end */
  long chars;        /* characters, trailing white space left out; -1: too long */
} el_line_memo;
#define EL_LINE_MEMO 32

typedef struct el_segmenter {
  el_tokenizer tk;
  el_line_memo lines[EL_LINE_MEMO]; /* ring; an entry with end == 0 is empty */
  int lines_next;
  el_token win[EL_SEG_WINDOW];
  int head, count, eof;
  size_t sentence;   /* sentence of the next token returned */
  int hold;          /* tokens to return before the pending break, or -1 */
  size_t sent_pos;   /* position of the next token inside its sentence */
  int marker_left;   /* tokens left of the list marker that opened the sentence */
  int list_kind;     /* the sentence is a list item: its marker's kind (0: not an */
                     /* item) and number (see el_marker_at) */
  long list_value;
  int dot_run;       /* consecutive "." tokens up to the current one */
  int no_wrap;       /* set after init: a line break is never read as a hard
                     ** wrap (a trainer's text whose lines are gold sentences) */
} el_segmenter;

void el_segmenter_init(el_segmenter *s, const char *z, size_t n);
/* Next token and its 0-based sentence index; returns 1, or 0 at the end. */
int el_segmenter_next(el_segmenter *s, el_token *tok, size_t *sentence);

#endif
