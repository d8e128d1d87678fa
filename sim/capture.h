/* capture.h — read a measured current capture: a power analyzer's CSV
 * export (Nordic PPK2, Joulescope, Qoitech Otii, Monsoon/PyMonsoon), impsim's
 * own `run --trace` CSV, or any time,current CSV whose header names its
 * units (or whose units are given on the command line).
 *
 * A silent misread of a measurement is the worst thing impsim can do, so
 * the reader never guesses a unit: it takes it from a recognised export,
 * from the header (`Time (ms)`, `current_uA`, `I [mA]`), or from
 * --time-unit / --current-unit, and refuses anything else, listing the
 * accepted forms. It then refuses profiles no battery-powered module draws
 * (mean > 1 A, peak > 10 A), implausible sample spacing and time that does
 * not increase, each with the numbers and the file:line:column.
 *
 * The reader streams: it holds one block of the file (1 MiB) and calls a
 * sink per sample, so memory does not grow with the capture's length. */
#ifndef IMPSIM_CAPTURE_H
#define IMPSIM_CAPTURE_H

#include <stdio.h>
#include "diag.h"

/* Which export a header was recognised as (see capture.c for each one's
 * header, units and the tool version it was checked against). */
typedef enum {
    CAPTURE_NONE = 0,     /* no header: units from the options */
    CAPTURE_GENERIC,      /* a header naming the time and current columns */
    CAPTURE_IMPSIM,       /* impsim run --trace: time_s,current_A,... */
    CAPTURE_PPK2,         /* Nordic Power Profiler app: Timestamp(ms),Current(uA) */
    CAPTURE_JOULESCOPE,   /* Joulescope UI: #time,current,voltage,... (SI) */
    CAPTURE_OTII,         /* Qoitech Otii: Timestamp (s),...,<dev> Main Current (A),... */
    CAPTURE_MONSOON       /* PyMonsoon: Time(ms),Main(mA),... (time in s) */
} capture_kind;

/* Units forced by the user; 0 = take them from the header. SI per unit:
 * time_unit 1e-3 means the time column is in ms. */
typedef struct {
    double time_unit;       /* s per unit of the time column, or 0 */
    double current_unit;    /* A per unit of the current column, or 0 */
    int checksum;           /* compute info->sha256 of the file's bytes */
} capture_opts;

/* What the reader found; filled as far as it got, also on errors. */
typedef struct {
    capture_kind kind;
    char sep;                 /* ',', ';' or '\t' */
    int time_col, cur_col;    /* 0-based columns read */
    double time_unit;         /* s per unit, as used */
    double current_unit;      /* A per unit, as used */
    char time_name[48];       /* header names (or "column 1") */
    char cur_name[48];
    long long rows;           /* samples delivered to the sink */
    double t_first, t_last;   /* s, as read (not shifted) */
    double charge_C;          /* integral: each row's current held until
                                 the next row's time */
    double peak_A;            /* highest sample */
    double min_A;             /* lowest sample (may be slightly negative) */
    long long negative;       /* samples below 0 A (analyzer noise) */
    char sha256[65];          /* of the whole file, when opts->checksum */
} capture_info;

/* Called once per sample (t_s in seconds as read, i_A in amperes; i_A may
 * be slightly negative, down to -10 uA, from analyzer noise around zero).
 * Samples come in increasing time. Return 0 to go on, non-zero to stop
 * (the reader then returns -1 without recording an error). */
typedef int (*capture_sink)(void *ctx, double t_s, double i_A);

/* The name of a kind for reports ("Nordic PPK2 (Power Profiler app)"). */
const char *capture_kind_name(capture_kind k);

/* Read the capture in fp (named `name` in messages; the name is borrowed
 * and must outlive d) and feed every sample to sink(ctx, ...). `o` may be
 * NULL (no forced units). Fills *info (never NULL). Returns 0 when the
 * whole capture was read and passed the checks; -1 after recording errors
 * in d (file:line:col of the offending field, or of the header column for
 * whole-capture checks: mean, peak, spacing). On -1 the sink may already
 * have seen samples: the caller discards what it built. Does not close fp.
 * Contract for fuzzing: any byte sequence is safe input; the reader never
 * reads outside its buffer and never writes outside *info. */
int capture_read_fp(FILE *fp, const char *name, const capture_opts *o,
                    capture_sink sink, void *ctx, capture_info *info,
                    diag *d);

/* Same, opening `path` (an open failure is an error at path, exit 3 is the
 * caller's choice; it is reported like other input errors). */
int capture_read(const char *path, const capture_opts *o, capture_sink sink,
                 void *ctx, capture_info *info, diag *d);

/* Parse a unit option value ("ms", "uA", ...) of dimension want_current
 * (1: a current unit, 0: a time unit) into SI per unit. Returns 0, or -1
 * after recording an error at `opt`. */
int capture_unit_option(const char *opt, const char *value, int want_current,
                        double *si, diag *d);

/* One line describing what was read, e.g. "Nordic PPK2 (Power Profiler
 * app), 100000 rows, time 'Timestamp(ms)' in ms, current 'Current(uA)' in
 * uA". Returns buf. */
char *capture_describe(const capture_info *info, char *buf, int len);

#endif
