/* expect.h — expected results of a scenario (NAME.expect beside NAME.scn):
 * the figures that matter per module and a tolerance for each.
 *
 *     # comment
 *     module imp004m
 *       charge_C          311.424 C     rel 0.5 %
 *       avg_current_A     120.15 uA     rel 0.5 %
 *       battery.life_s    616.3 d       rel 1 %
 *       activity.connect.charge_C  263.5 C  abs 1 C
 *     module imp002 error "imp002 has no SPI flash"
 *
 * Figures: charge_C, energy_J, avg_current_A, duration_s, wakes, boots,
 * battery.life_s, battery.delivered_C, component.NAME.charge_C,
 * activity.NAME.charge_C. A `module M error "TEXT"` section expects the run
 * on M to fail with an error containing TEXT. */
#ifndef IMPSIM_EXPECT_H
#define IMPSIM_EXPECT_H

#include <stdio.h>
#include "budget.h"
#include "units.h"
#include "diag.h"

#define EXPECT_NAME 64

typedef struct {
    char name[EXPECT_NAME];
    double value;           /* SI */
    int relative;           /* tolerance kind */
    double tol;             /* fraction (relative) or SI (absolute) */
    int line, col;          /* where the name is in the file (0: made by --update) */
} expect_fig;

typedef struct {
    char module[64];
    char error[256];        /* non-empty: the run must fail with this */
    expect_fig *fig;        /* owned */
    int nfig;
    int line, col;          /* where the module name is (0: made by --update) */
} expect_section;

typedef struct {
    char *path;             /* owned: the file's name, for messages */
    char *head;             /* owned: the lines above the first section, verbatim
                             * (NULL for a new file) */
    expect_section *sec;    /* owned */
    int nsec;
} expect_file;

/* Parse an expect file; NULL with file:line:col errors in d. */
expect_file *expect_load(const char *path, diag *d);

/* The same from len bytes of text held in memory (need not be
 * NUL-terminated), named `path` in messages (borrowed: must outlive d).
 * Any byte sequence is safe input (fuzzed: tests/fuzz/fuzz_expect.c). */
expect_file *expect_parse(const char *path, const char *buf, size_t len, diag *d);
void expect_free(expect_file *e);

/* The value of figure `name` in b; -1 when b has no such figure. */
int expect_value(const budget *b, const char *name, double *v);

/* The dimension of a figure, for units. */
units_dim expect_dim(const char *name);

/* Record in d, at each figure's file:line:column, every figure of s that
 * b does not have (an activity or component the scenario lacks, a battery
 * figure without a battery): the expect file names a figure that is not
 * there, which is bad input (exit 2), not a regression. Returns how many. */
int expect_unknown(const expect_file *e, const expect_section *s, const budget *b, diag *d);

/* Compare section s with b. Writes one line per figure that moved outside
 * its tolerance to `why` (NUL-terminated, cut at len) and returns their
 * number. */
int expect_compare(const expect_section *s, const budget *b, char *why, size_t len);

/* Refresh s from b: every figure's value is replaced (tolerances kept);
 * with no figures yet, a default set is chosen. Writes one line per changed
 * figure to `what` and returns how many changed. */
int expect_refresh(expect_section *s, const budget *b, char *what, size_t len);

/* Write e in the format above: e->head when it is set (the comments a
 * person wrote above the first section), else (a new file) a header naming
 * scenario.
 * Comments between figures are not kept. */
void expect_write(const expect_file *e, const char *scenario, FILE *fp);

/* Format a figure value with a readable unit ("120.15 uA"). */
void expect_format(const char *name, double v, char *buf, size_t len);

#endif
