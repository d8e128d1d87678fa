/* matrix.h — the command-line options shared by compare, decide and sweep
 * (one scenario run as a matrix of variants), and their table output. */
#ifndef IMPSIM_MATRIX_H
#define IMPSIM_MATRIX_H

#include "cli.h"
#include "physwarn.h"
#include "report.h"
#include "variant.h"

typedef struct {
    const char *file;           /* the scenario */
    const char *output;         /* -o, or NULL for stdout */
    report_fmt fmt;
    cli_list sets;              /* --set, borrowed strings */
    char *figures;              /* owned: --figures as a setting (also in sets) */
    variant_set vs;             /* built-in + --variant */
    int jobs;                   /* -j */
    /* decide */
    double target_s;            /* --target, 0 = none */
    double min_ratio;           /* --min-ratio, 0 = none */
    /* sweep */
    const char *param;          /* --param NAME=LO..HI */
    int steps, log;
    /* uncertainty */
    long mc;                    /* --monte-carlo N, 0 = off */
    unsigned long seed;
    const struct assume *assume;    /* written at the end of matrix_table, NULL: not */
} matrix_opts;

enum { MX_DECIDE = 1, MX_SWEEP = 2, MX_MC = 4 };

/* Parse argv (argv[0] = the command) accepting the options in `accept`.
 * Returns 0, -1 when --help was printed (exit 0), or 2 after printing a
 * usage error. */
int matrix_parse(int argc, char **argv, const char *usage, int accept, matrix_opts *o);
void matrix_free(matrix_opts *o);

/* Write the variant table (text, JSON or CSV) to fp: average current,
 * charge per day, battery life, change against the baseline, what ran,
 * notes, the physical warnings, and o->assume when set. */
void matrix_table(const matrix_opts *o, const variant_result *res, FILE *fp);

/* The physical warnings of a row of results (o->vs.n entries), each kind
 * once, naming the variants it concerns (physwarn_add). */
void matrix_warnings(const matrix_opts *o, const variant_result *res, physwarn_list *w);

#endif
