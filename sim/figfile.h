/* figfile.h — reader for impsim's figure files (module models, battery cells).
 *
 * A figure file is line-oriented text. '#' starts a comment. Each non-blank
 * line is one figure:
 *
 *     KEY  VALUE [UNIT]  PROVENANCE  "SOURCE"
 *
 *   KEY        dotted name, [a-z0-9_.]+ , e.g. cpu.run.current
 *   VALUE      a number ("45", "7.5", "1e-6") optionally glued to its unit
 *              ("45mA"), or a word ("yes", "integrated", "i2c"), or a
 *              double-quoted string
 *   UNIT       any unit units_parse accepts ("mA", "us", "MHz", "%/y", ...)
 *   PROVENANCE one of: datasheet documented forum measured estimate
 *   SOURCE     double-quoted text: where the figure comes from, or for an
 *              estimate, how it was reasoned
 *
 * Every figure must have a provenance and a source. The reader checks the
 * syntax only; which keys exist and which dimension each must have is the
 * caller's schema (model.c, battery_cell.c). */
#ifndef IMPSIM_FIGFILE_H
#define IMPSIM_FIGFILE_H

#include "diag.h"
#include "units.h"

typedef enum {
    FIG_DATASHEET, FIG_DOCUMENTED, FIG_FORUM, FIG_MEASURED, FIG_ESTIMATE,
    FIG_OVERRIDE   /* set by the user (--set or a scenario `set`) */
} fig_prov;

typedef enum { FIG_NUMBER, FIG_WORD, FIG_STRING } fig_kind;

typedef struct {
    char *key;          /* owned */
    fig_kind kind;
    double value;       /* SI, when kind == FIG_NUMBER */
    units_dim dim;      /* when kind == FIG_NUMBER */
    char *text;         /* owned: the word/string, or the value as written */
    fig_prov prov;
    char *source;       /* owned */
    diag_pos pos;       /* where it was defined (file borrowed from figfile) */
} fig_entry;

typedef struct {
    char *path;         /* owned; diag positions point into it */
    fig_entry *v;       /* owned array */
    int n, cap;
} figfile;

/* Read and parse path. Returns a new figfile, or NULL after recording
 * errors (file:line:col) in d. A key given twice is an error. A file this
 * process parsed before (same path, same text) is copied from that parse,
 * not parsed again (the result is the same). */
figfile *figfile_load(const char *path, diag *d);

/* Parse text held in memory, naming it `name` in diagnostics (used by the
 * fuzzers and tests). len bytes; the text need not be NUL-terminated. */
figfile *figfile_parse(const char *name, const char *text, size_t len, diag *d);

void figfile_free(figfile *f);

/* The entry for key, or NULL. Borrowed. */
const fig_entry *figfile_get(const figfile *f, const char *key);

/* Parse one override "KEY=VALUE" (as given to --set or a scenario `set`
 * statement) into *e with prov FIG_OVERRIDE and source "set by user".
 * `where` locates it for errors. Returns 0, or -1 after recording an error.
 * The caller frees e with fig_entry_clear. */
int fig_parse_override(const char *kv, diag_pos where, fig_entry *e, diag *d);
void fig_entry_clear(fig_entry *e);

/* A deep copy of e (key, text and source duplicated; pos as in e). Free it
 * with fig_entry_clear. */
fig_entry fig_entry_copy(const fig_entry *e);

/* The provenance word ("datasheet", ...). */
const char *fig_prov_name(fig_prov p);

#endif
