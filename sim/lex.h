/* lex.h — the tokenizer shared by every line-oriented input impsim reads
 * (scenario, model, cell and expect files).
 *
 * A line is split into tokens: numbers (with a unit glued on or not:
 * "15min", "8 uA"), words (identifiers, dotted keys, unit names), quoted
 * strings and the punctuation  : = , ( ) . '#' outside a string starts a
 * comment that runs to the end of the line. */
#ifndef IMPSIM_LEX_H
#define IMPSIM_LEX_H

#include <stddef.h>
#include <stdio.h>
#include "diag.h"
#include "units.h"

typedef enum { TOK_WORD, TOK_NUMBER, TOK_STRING, TOK_PUNCT } tok_kind;

typedef struct {
    tok_kind kind;
    char *text;     /* owned: word, string contents, number digits, punct */
    char *unit;     /* owned, TOK_NUMBER only: the glued unit or NULL */
    int col;        /* 1-based column of the first character */
} lex_tok;

typedef struct {
    lex_tok *t;
    int n, cap;
    int indent;     /* columns of leading spaces (-1: a tab in the indent, an error) */
} lex_line;

/* Tokenize line `s` of `len` bytes (no newline). Errors (unterminated
 * string, control characters) are recorded in d at `pos` with the column
 * filled in; returns 0 on success, -1 on error. ln must be zeroed or
 * cleared before; the caller frees it with lex_line_clear. */
int lex_line_split(const char *s, size_t len, diag_pos pos, lex_line *ln,
                   diag *d);
void lex_line_clear(lex_line *ln);

/* Iterate over the lines of a buffer: on each call stores the next line's
 * start and length (without '\n' or "\r\n") and returns 1, or returns 0 at
 * the end. *off is the running offset, start it at 0. A UTF-8 byte-order
 * mark at the start of buf is skipped. */
int lex_next_line(const char *buf, size_t len, size_t *off,
                  const char **line, size_t *line_len);

/* Read one line of fp into *buf (grown as needed; *buf NULL and *cap 0 to
 * start; the caller frees *buf), without its end: LF, CRLF or a lone CR.
 * For readers that stream files too large to hold (traces). Returns the
 * line's length, or -1 at end of file. A NUL byte is kept (the caller
 * checks: strlen(*buf) differs from the length). */
long lex_getline(FILE *fp, char **buf, size_t *cap);

/* Read a whole file into a NUL-terminated buffer (owned by the caller).
 * A leading UTF-8 byte-order mark is dropped. Returns NULL and records an
 * error naming path in d on failure (a NUL byte: at its line:column). Files
 * over 16 MiB are refused. Records path as an input (outfile_note_input). */
char *lex_read_file(const char *path, size_t *len, diag *d);

/* Read the quantity that starts at token *i: a number with a glued unit,
 * or a number followed by a unit word. On success stores SI value and
 * dimension, advances *i past it and returns 0. Otherwise records an error
 * at the token ("expected <want>") and returns -1. want_dim DIM__COUNT
 * accepts any dimension; otherwise the dimension must match (DIM_NONE:
 * plain number). */
int lex_quantity(const lex_line *ln, int *i, diag_pos pos, units_dim want_dim,
                 double *si, units_dim *dim, diag *d);

/* 1 when w spells a value that is not a finite number: nan, inf or
 * infinity in any case, with or without a sign. strtod reads these, so
 * every number reader refuses them by name rather than let them through as
 * a word or a number. */
int lex_not_finite_word(const char *w);

/* 1 when token i exists and is the word w (case-sensitive). */
int lex_is_word(const lex_line *ln, int i, const char *w);
/* 1 when token i exists and is the punctuation character c. */
int lex_is_punct(const lex_line *ln, int i, char c);

#endif
