/* report_html.h — the design-review report: what `impsim report` gathers
 * (verdict, table, Monte Carlo, charts, warnings, assumptions) and the
 * writer of its self-contained index.html. */
#ifndef IMPSIM_REPORT_HTML_H
#define IMPSIM_REPORT_HTML_H

#include <stdio.h>
#include "decide.h"
#include "mc.h"
#include "pipeline.h"

#define REPORT_MAX_CHARTS 16

typedef struct {
    char stem[96];          /* DIR/stem.svg and DIR/stem.png */
    char title[256];        /* heading */
    char caption[768];      /* what it shows and how to read it (HTML-safe text) */
} report_chart;

typedef struct {
    const matrix_opts *o;
    const decide_result *r;
    const mc_result *mc;            /* NULL: no Monte Carlo */
    const pipeline *deep;           /* the deep-sleep variant, loaded: model figures and the
                                     * cell's capacity and voltages, or NULL */
    const struct assume *assume;    /* assume_collect's facts (owned by the caller) */
    char *table_csv;                /* matrix_table as CSV (owned by the caller) */
    char *mc_text;                  /* mc_print's text (owned by the caller), or NULL */
    char *warnings;                 /* one per line (owned by the caller) */
    report_chart chart[REPORT_MAX_CHARTS];
    int ncharts;
    char command[4096];             /* the command line, shell-quoted */
    double cutoff_V, wifimin_V;
    const char *sweep_note;         /* why there is no sweep chart, or NULL */
    char *calib_text;               /* --measured: impsim calibrate's printout and messages
                                     * (owned by the caller), or NULL */
    int calib_refused;              /* --measured: the fit did not explain the capture */
} report_doc;

/* Write the HTML page for d to fp: the one-sentence verdict and its margin
 * first, then the comparison table, the charts (SVG beside the page, PNG
 * linked), the Monte Carlo summary, warnings, assumptions (model figures
 * with provenance and source, estimates flagged, overrides, cell,
 * regulator) and the exact command and version. No scripts from elsewhere,
 * no network: everything it shows is in the folder. */
void report_html(const report_doc *d, FILE *fp);

/* s with &, <, >, " escaped for HTML text and attributes. */
void report_html_text(FILE *fp, const char *s);

#endif
