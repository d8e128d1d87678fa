/* diag.h — diagnostics: one error format for every input impsim reads.
 *
 * An error names where it is (file:line:column, or the command-line
 * argument), what was found and what was expected. Errors are collected, not
 * printed at once, so a caller can stop a stage cleanly before anything is
 * written; diag_print flushes them to stderr. Exit code for bad input is
 * DIAG_EXIT_INPUT (2). */
#ifndef IMPSIM_DIAG_H
#define IMPSIM_DIAG_H

#include <stdio.h>

#define DIAG_EXIT_OK     0
#define DIAG_EXIT_FAIL   1   /* a verdict or check said no */
#define DIAG_EXIT_INPUT  2   /* bad input: syntax, semantics, arguments */
#define DIAG_EXIT_SYS    3   /* I/O or system failure */

typedef struct diag diag;

/* A source position. file is borrowed (must outlive the diag); line and
 * col are 1-based; line 0 means "no position" (e.g. a CLI argument). */
typedef struct {
    const char *file;
    int line;
    int col;
} diag_pos;

/* A position naming a command-line argument: file is "OPT 'ARG'" (e.g.
 * "--set 'model.cpu.run.current=nan A'"), so an error says which of several
 * --set or --variant arguments it is about. The text lives until the
 * process ends (kept in a list, reachable; the same label is made once), so
 * the position may be stored with a figure. */
diag_pos diag_arg_pos(const char *opt, const char *arg);

/* New, empty diagnostics sink. Never returns NULL (aborts on OOM). */
diag *diag_new(void);
void diag_free(diag *d);

/* Record an error at pos, printf-style. The message should say what was
 * found and what was expected. */
void diag_error(diag *d, diag_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record a warning (does not make diag_count non-zero). */
void diag_warn(diag *d, diag_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Number of errors recorded so far. */
int diag_count(const diag *d);

/* Errors diag_print shows before it stops: past the first ones an input
 * is usually the wrong kind of file (a CSV given to run), and hundreds of
 * lines bury the first, real, error. */
#define DIAG_MAX_SHOWN 20

/* Write the recorded messages, in order, to fp as
 * "file:line:col: error: message" (or "impsim: error: message" when the
 * position has no file), and forget them. Past DIAG_MAX_SHOWN errors the
 * rest are counted, not shown: "impsim: N more errors not shown". */
void diag_print(diag *d, FILE *fp);

/* Move every message of `from` to the end of `into`; `from` is left
 * empty. */
void diag_merge(diag *into, diag *from);

/* The first recorded error as one line (no trailing newline), or "" when
 * there is none. The string is owned by d. */
const char *diag_first(const diag *d);

/* "Did you mean": the known name nearest to a misspelt word. Offer every
 * candidate to a diag_near (zeroed, or DIAG_NEAR_INIT); diag_near_best is
 * then the closest one within a small edit distance (optimal string
 * alignment: insertions, deletions, substitutions and swaps of adjacent
 * characters, at most 1 for words of up to 4 characters, 2 beyond), or
 * NULL when none is that close (a name too unlike any known
 * one gets no guess rather than a wrong one). Candidates are borrowed. */
typedef struct {
    const char *best;
    int dist;
} diag_near;
#define DIAG_NEAR_INIT {NULL, 0}
void diag_near_offer(diag_near *n, const char *word, const char *candidate);
const char *diag_near_best(const diag_near *n);

#endif
