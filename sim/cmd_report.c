/* cmd_report.c — `impsim report FILE.scn -o DIR`: the design-review report.
 * Runs what `decide` runs (one code path: decide_run, mc_run_samples, the
 * sweep command itself), records each chart's data as impsim's own CSV
 * files, draws every chart (sim/chart_*.c and plots/NAME.gp) and writes
 * DIR/index.html (report_html.c).
 *
 * The folder is built as DIR.tmp-XXXXXX beside DIR and renamed into place
 * only when everything is written. An existing DIR is replaced only when it
 * is an earlier impsim report (it holds the marker file .impsim-report) or
 * an empty directory; anything else is left alone and the command fails
 * with exit 2 before it simulates anything. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "assume.h"
#include "chart.h"
#include "cli.h"
#include "config.h"
#include "decide.h"
#include "diag.h"
#include "mc.h"
#include "num.h"
#include "outfile.h"
#include "pipeline.h"
#include "report.h"
#include "report_html.h"
#include "units.h"

int cmd_sweep(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);

static const char report_usage[] =
    "Usage: impsim report FILE.scn -o DIR [OPTIONS]\n"
    "Write a design-review report: DIR/index.html, self-contained (no network),\n"
    "with the verdict of `impsim decide` and its margin first, the variant table,\n"
    "charts as SVG (beside the page) and PNG (1600x900 px): one wake cycle with its\n"
    "phases and a whole day for the deep-sleep variant and the best one without\n"
    "deep sleep and crystal, the energy budget by activity and by component, the\n"
    "battery over life, life against the wake period (or --param), and the Monte\n"
    "Carlo distribution; then the Monte Carlo summary, the warnings decide gives\n"
    "(cell cannot deliver the WiFi peak, SPI-flash wear-out, not depleted within\n"
    "the horizon, each naming its variants), the assumptions decide records\n"
    "(scenario checksum, models, cell, regulator, overrides with their sources,\n"
    "variants, seeds) with every model figure, its source and estimates flagged,\n"
    "and this command with the impsim version. Each chart's data is kept beside\n"
    "it as CSV. A chart with nothing to draw (no battery life at all) is left out\n"
    "and the page says why.\n"
    "\n"
    "  -o, --output DIR          the report folder (required). Built beside DIR and\n"
    "                            renamed into place when complete. An existing DIR\n"
    "                            is replaced only if it is an earlier impsim report\n"
    "                            (holds .impsim-report) or empty; otherwise nothing\n"
    "                            is written and the exit code is 2.\n"
    "  --target TIME             battery-life target (as for decide)\n"
    "  --min-ratio R             fraction of the deep-sleep life (as for decide; 0.9)\n"
    "  --param NAME=LOW..HIGH    the sweep chart's parameter (as for sweep; default\n"
    "                            every=PERIOD/15..PERIOD*16, logarithmic)\n"
    "  --steps N, --log          the sweep's points and spacing\n"
    "  --monte-carlo N           Monte Carlo samples (default 40)\n"
    "  --seed S                  Monte Carlo seed (default 1)\n"
    "  --set KEY=VALUE, --variant 'NAME: K=V ...', -j N   as for decide\n"
    "  --measured CAPTURE.csv    add one wake cycle measured against simulated: runs\n"
    "                            impsim calibrate on the capture (an analyzer export\n"
    "                            or a CSV whose header names its units; with --set)\n"
    "                            fitting the figures decide ranks as most sensitive;\n"
    "                            the overlay chart and calibrate's printout go on the\n"
    "                            page, the printout as DIR/calibrate.txt, the fitted\n"
    "                            figures as DIR/fitted.figures (when the fit explains\n"
    "                            the capture). The rest of the page uses the model as\n"
    "                            it is. A capture that cannot be read: exit 2\n"
    "  --fit KEY                 with --measured: a figure to fit instead (repeatable)\n"
    "\n"
    "Exit: 0 report written (whatever the verdict), 2 bad input or a DIR that is\n"
    "not a report, 3 system error (gnuplot missing, cannot write).\n";

#define REPORT_MARKER ".impsim-report"
#define REPORT_BINS 400

typedef struct {
    matrix_opts o;
    decide_result *r;
    mc_result *mc;
    variant_result *samples;
    char tmp[4096];         /* the folder being built */
    report_doc doc;
    pipeline deep;          /* loaded: the assumptions */
    int deep_loaded;
    char *warn_buf;
    size_t warn_len;
    FILE *warn;             /* collects warnings */
    char title[160];        /* the scenario's title */
    const char *param;      /* --param, or NULL */
    const char *measured;   /* --measured CAPTURE, or NULL */
    char *calib_text;       /* calibrate's printout and messages */
    int calib_refused;      /* calibrate exit 1: the fit does not explain the capture */
    char param_buf[160];    /* the sweep's parameter as run */
    char param_text[160];   /* ... as the page says it (units a reader uses) */
    int steps, log_given;   /* --steps (0: not given), --log */
} report_run;

/* ---- the output folder ---- */

/* 0: DIR may be written (absent, empty, or an earlier report; *replace set
 * when it exists); 2 after printing why not. */
static int report_dir_policy(const char *dir, int *replace)
{
    struct stat st;
    *replace = 0;
    if (lstat(dir, &st)) {
        if (errno == ENOENT)
            return 0;
        fprintf(stderr, "impsim: error: %s: %s\n", dir, strerror(errno));
        return DIAG_EXIT_INPUT;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "impsim: error: -o %s: found an existing file, expected a new folder, "
                "an empty one or an earlier impsim report; nothing written\n", dir);
        return DIAG_EXIT_INPUT;
    }
    char marker[4200];
    snprintf(marker, sizeof marker, "%s/" REPORT_MARKER, dir);
    if (access(marker, F_OK) == 0) {
        *replace = 1;
        return 0;
    }
    DIR *d = opendir(dir);
    int empty = 1;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            empty = 0;
    if (d)
        closedir(d);
    if (d && empty) {
        *replace = 1;
        return 0;
    }
    fprintf(stderr, "impsim: error: -o %s: found a folder that is not an impsim report (no "
            REPORT_MARKER "), expected a new folder, an empty one or an earlier report; "
            "nothing written\n", dir);
    return DIAG_EXIT_INPUT;
}

/* Remove a folder impsim wrote (files only, one level). */
static void report_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[4600];
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Move the finished folder into place. Returns 0, or 3 after printing why
 * (DIR is then as it was). */
static int report_commit(const char *tmp, const char *dir, int replace)
{
    char old[4200] = "";
    if (replace) {
        snprintf(old, sizeof old, "%s.old-%ld", dir, (long)getpid());
        if (rename(dir, old)) {
            fprintf(stderr, "impsim: error: cannot move the earlier report %s aside: %s\n", dir,
                    strerror(errno));
            return DIAG_EXIT_SYS;
        }
    }
    if (rename(tmp, dir)) {
        fprintf(stderr, "impsim: error: cannot rename %s to %s: %s\n", tmp, dir, strerror(errno));
        if (replace)
            rename(old, dir);
        return DIAG_EXIT_SYS;
    }
    if (replace)
        report_rmdir(old);
    return 0;
}

/* ---- helpers ---- */

static void report_path(const report_run *R, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", R->tmp, name);
}

/* Settings for variant v: the user's, then the variant's, then extra. */
static int report_sets(const report_run *R, int v, const char *extra, char **all, int max)
{
    int n = 0;
    for (int i = 0; i < R->o.sets.n && n < max - 1; i++)
        all[n++] = R->o.sets.v[i];
    for (int i = 0; i < R->o.vs.v[v].nsets && n < max - 1; i++)
        all[n++] = R->o.vs.v[v].sets[i];
    if (extra)
        all[n++] = (char *)extra;
    return n;
}

static void report_add_chart(report_run *R, const char *stem, const char *title,
                             const char *caption)
{
    if (R->doc.ncharts >= REPORT_MAX_CHARTS)
        return;
    report_chart *c = &R->doc.chart[R->doc.ncharts++];
    snprintf(c->stem, sizeof c->stem, "%s", stem);
    snprintf(c->title, sizeof c->title, "%s", title);
    snprintf(c->caption, sizeof c->caption, "%s", caption);
}

/* Draw one chart as PNG and SVG via fn-specific callers: returns 0 or -1. */
typedef int (*report_draw_fn)(report_run *R, const void *arg, const char *out);

static int report_both(report_run *R, const char *stem, report_draw_fn fn, const void *arg)
{
    char out[4200];
    snprintf(out, sizeof out, "%s/%s.png", R->tmp, stem);
    if (fn(R, arg, out))
        return -1;
    snprintf(out, sizeof out, "%s/%s.svg", R->tmp, stem);
    return fn(R, arg, out);
}

/* ---- per-variant runs: budget CSV, day trace, battery curve ---- */

/* The battery curve's row writer for report_variant: binary records of
 * four doubles (time_s, voltage_V, soc, current_A), no text: a battery
 * life event by event (Poisson wakes) has hundreds of thousands of
 * segments, and formatting them as CSV and parsing them back cost more
 * than simulating them. The records only ever go to report_bin_curve, in
 * this process, on this machine. */
static void report_trace_rec(void *ctx, double t_s, double voltage_V, double soc,
                             double current_A)
{
    double rec[4] = {t_s, voltage_V, soc, current_A};
    fwrite(rec, sizeof rec, 1, ctx);
}

/* Bin the battery's raw curve (report_trace_rec records) into REPORT_BINS
 * rows time_d,soc_pct,v_loaded_V,v_rest_V over [0, life_s]. */
static int report_bin_curve(const char *raw, double life_s, int jumped, const char *out)
{
    FILE *in = fopen(raw, "rb"), *fp = in ? fopen(out, "w") : NULL;
    if (!fp) {
        if (in)
            fclose(in);
        return -1;
    }
    double vmin[REPORT_BINS], vmax[REPORT_BINS], soc[REPORT_BINS];
    double covered[REPORT_BINS] = {0};    /* s of the bin with rows close together */
    int seen[REPORT_BINS] = {0};
    double rec[512][4], width = life_s / REPORT_BINS, t_prev = NAN, typical = 0;
    int b_prev = -1;
    size_t got;
    while (life_s > 0 && (got = fread(rec, sizeof rec[0], 512, in)) > 0)
        for (size_t k = 0; k < got; k++) {
            double t = rec[k][0], v = rec[k][1], s = rec[k][2];
            if (!isfinite(t) || !isfinite(v) || !isfinite(s))
                continue;
            int b = (int)(t / life_s * REPORT_BINS);
            b = b < 0 ? 0 : b >= REPORT_BINS ? REPORT_BINS - 1 : b;
            if (!seen[b]++)
                vmin[b] = vmax[b] = v;
            vmin[b] = fmin(vmin[b], v);
            vmax[b] = fmax(vmax[b], v);
            soc[b] = s;
            /* the time since the row before, unless it spans a stretch
             * the battery runner jumped (sim/battery_run.c) */
            if (b_prev >= 0 && t > t_prev && t - t_prev < width / 4)
                covered[b_prev] += t - t_prev;
            t_prev = t;
            b_prev = b;
        }
    /* A bin that saw only a few rows at the edge of a stretch applied
     * segment by segment (the rest of the bin jumped in closed form, up to
     * 2 % of charge) has the minimum and maximum of those rows only: a
     * loaded voltage without the period's heaviest load. Such bins (rows
     * spanning under half the median bin's; only in a fast-forwarded life,
     * `jumped`: an event-by-event life's bins hold all their rows, however
     * sparse its wakes) and bins with no row are filled by linear
     * interpolation between the nearest well-covered bins on either side
     * (the curve is smooth over a jumped stretch; the ends are not
     * extrapolated: the first and last bins with rows stay, the last one
     * holding the end of the life). */
    double cov[REPORT_BINS];
    int ncov = 0, first = -1, last = -1;
    for (int b = 0; b < REPORT_BINS; b++)
        if (seen[b]) {
            cov[ncov++] = covered[b];
            first = first < 0 ? b : first;
            last = b;
        }
    if (ncov) {
        gsl_sort(cov, 1, (size_t)ncov);
        typical = gsl_stats_median_from_sorted_data(cov, 1, (size_t)ncov);
    }
    for (int b = 0; jumped && b < REPORT_BINS; b++)  /* the first and last rows stay */
        if (seen[b] && b != first && b != last && covered[b] < 0.5 * typical)
            seen[b] = 0;
    for (int b = 0, lo = -1; b < REPORT_BINS; b++) {
        if (!seen[b])
            continue;
        for (int k = lo + 1; lo >= 0 && k < b; k++) {
            double f = (double)(k - lo) / (double)(b - lo);
            vmin[k] = vmin[lo] + f * (vmin[b] - vmin[lo]);
            vmax[k] = vmax[lo] + f * (vmax[b] - vmax[lo]);
            soc[k] = soc[lo] + f * (soc[b] - soc[lo]);
            seen[k] = 1;
        }
        lo = b;
    }
    fputs("time_d,soc_pct,v_loaded_V,v_rest_V\n", fp);
    for (int b = 0; b < REPORT_BINS; b++)
        if (seen[b])
            fprintf(fp, "%s,%s,%s,%s\n", NUM_C((b + 0.5) * life_s / REPORT_BINS / 86400),
                    NUM_C(100 * soc[b]), NUM_C(vmin[b]), NUM_C(vmax[b]));
    int bad = ferror(in);
    fclose(in);
    return fclose(fp) || bad ? -1 : 0;
}

/* Budget CSV (the scenario's duration), battery curve, and with `trace` a
 * one-day trace, for variant v. Warnings of loading go to R->warn. */
static int report_variant(report_run *R, int v, int trace)
{
    const char *name = R->o.vs.v[v].name;
    char *all[VARIANT_MAX_SETS * 4];
    int n = report_sets(R, v, NULL, all, (int)(sizeof all / sizeof *all));
    diag *d = diag_new();
    pipeline pl;
    int rc = pipeline_load(&pl, R->o.file, all, n, d);
    if (rc) {
        fprintf(stderr, "%s: %s\n", name, diag_first(d));
        diag_free(d);
        return -1;
    }
    char *w = NULL;
    size_t wn = 0;
    FILE *wf = open_memstream(&w, &wn);
    if (!wf)
        abort();
    diag_print(d, wf);
    fclose(wf);
    if (wn)
        fprintf(R->warn, "%s: %s", name, w);
    free(w);
    diag_free(d);
    snprintf(R->title, sizeof R->title, "%s", pl.s->title);
    char path[4400], raw[4400];
    budget b;
    snprintf(path, sizeof path, "%s/budget-%s.csv", R->tmp, name);
    FILE *fp = fopen(path, "w");
    rc = fp ? pipeline_run(&pl, NULL, &b, NULL) : -1;
    if (!rc && pl.cell) {
        snprintf(raw, sizeof raw, "%s/.battery-raw-%s", R->tmp, name);
        pl.battery_trace = fopen(raw, "wb");
        pl.battery_trace_fn = report_trace_rec;
        rc = pl.battery_trace ? pipeline_life(&pl, !pl.event_by_event, &b, NULL) : -1;
        if (pl.battery_trace && fclose(pl.battery_trace))
            rc = -1;
        pl.battery_trace = NULL;
        char curve[4400];
        snprintf(curve, sizeof curve, "%s/battery-%s.csv", R->tmp, name);
        if (!rc)
            rc = report_bin_curve(raw, b.battery.life_s,
                                  b.battery.method && !strcmp(b.battery.method, "fast-forward"),
                                  curve);
        unlink(raw);
    }
    if (fp) {
        report_csv(&b, NULL, fp);   /* the page records the assumptions itself */
        if (fclose(fp))
            rc = -1;
    }
    pipeline_free(&pl);
    if (!rc && trace) {
        n = report_sets(R, v, "scenario.duration=1d", all, (int)(sizeof all / sizeof *all));
        d = diag_new();
        snprintf(path, sizeof path, "%s/trace-%s.csv", R->tmp, name);
        rc = pipeline_load(&pl, R->o.file, all, n, d);
        diag_free(d);
        if (!rc) {
            fp = fopen(path, "w");
            rc = fp ? pipeline_run(&pl, fp, &b, NULL) : -1;
            if (fp && fclose(fp))
                rc = -1;
            pipeline_free(&pl);
        }
    }
    if (rc)
        fprintf(stderr, "impsim: error: report: the runs of %s failed\n", name);
    return rc;
}

/* ---- the charts ---- */

static int draw_cycle(report_run *R, const void *arg, const char *out)
{
    int v = *(const int *)arg;
    char trace[4400];
    snprintf(trace, sizeof trace, "%s/trace-%s.csv", R->tmp, R->o.vs.v[v].name);
    return chart_cycle(trace, R->title, R->o.vs.v[v].name, R->o.vs.v[v].desc, chart_color(v),
                       out);
}

static int draw_day(report_run *R, const void *arg, const char *out)
{
    int v = *(const int *)arg;
    char trace[4400], title[512];
    snprintf(trace, sizeof trace, "%s/trace-%s.csv", R->tmp, R->o.vs.v[v].name);
    const char *vn = R->o.vs.v[v].name, *vd = R->o.vs.v[v].desc;
    snprintf(title, sizeof title, "One day on %s%s(%s)\n%s", vn,
             strlen(vn) + strlen(vd) + 14 > 88 ? "\n" : " ", vd, R->title);
    return chart_day(trace, title, R->o.vs.v[v].name, chart_color(v), out);
}

typedef struct {
    const int *sel;
    int n;
    const char *by;
} sel_arg;

static int draw_budget(report_run *R, const void *arg, const char *out)
{
    const sel_arg *a = arg;
    char paths[VARIANT_MAX][4400], title[512];
    const char *csv[VARIANT_MAX], *names[VARIANT_MAX];
    for (int i = 0; i < a->n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/budget-%s.csv", R->tmp, R->o.vs.v[a->sel[i]].name);
        csv[i] = paths[i];
        names[i] = R->o.vs.v[a->sel[i]].name;
    }
    snprintf(title, sizeof title, "Energy budget by %s, per variant\n%s", a->by, R->title);
    return chart_budget(csv, names, a->n, a->by, title, out);
}

/* 1 when the CSV file at path has a data row under its `header` lines (0
 * or 1): a battery curve or the Monte Carlo summary is empty when the cell
 * fails at the first WiFi peak. */
static int report_has_rows(const char *path, int header)
{
    FILE *fp = fopen(path, "r");
    char line[512];
    int rows = 0;
    while (fp && rows <= header && fgets(line, sizeof line, fp))
        rows++;
    if (fp)
        fclose(fp);
    return rows > header;
}

static int draw_battery(report_run *R, const void *arg, const char *out)
{
    const sel_arg *a = arg;
    char paths[VARIANT_MAX][4400], title[512];
    const char *curve[VARIANT_MAX], *names[VARIANT_MAX], *cols[VARIANT_MAX];
    int n = 0;
    for (int i = 0; i < a->n; i++) {
        snprintf(paths[n], sizeof paths[n], "%s/battery-%s.csv", R->tmp, R->o.vs.v[a->sel[i]].name);
        if (!report_has_rows(paths[n], 1))
            continue;
        curve[n] = paths[n];
        names[n] = R->o.vs.v[a->sel[i]].name;
        cols[n++] = chart_color(a->sel[i]);
    }
    snprintf(title, sizeof title, "The battery over its life, per variant\n%s", R->title);
    return chart_battery(curve, names, cols, n, R->doc.cutoff_V, R->doc.wifimin_V, title, out);
}

/* Whether the sweep chart draws a break-even: decide's own over the wake
 * period, or a crossing impsim sweep found between two steps (a value in
 * sweep.csv's break_even column). The caption must not name a line the
 * chart does not have. */
static int report_sweep_breaks_even(const report_run *R)
{
    if (R->r->be_status == 0 && !strncmp(R->o.param, "every=", 6))
        return 1;
    char csv[4400], line[8192];
    snprintf(csv, sizeof csv, "%s/sweep.csv", R->tmp);
    FILE *fp = fopen(csv, "r");
    int col = -1, found = 0;
    while (fp && !found && fgets(line, sizeof line, fp)) {
        if (line[0] == '#')     /* the assumptions after the data */
            continue;
        int c = 0;
        for (char *f = line, *e; f; f = e ? e + 1 : NULL, c++) {
            e = strpbrk(f, ",\r\n");
            size_t len = e ? (size_t)(e - f) : strlen(f);
            if (col < 0 && len == 10 && !strncmp(f, "break_even", 10))
                col = c;
            else if (col >= 0 && c == col && len > 0)
                found = 1;
            if (!e || *e != ',')
                break;
        }
    }
    if (fp)
        fclose(fp);
    return found;
}

static int draw_sweep(report_run *R, const void *arg, const char *out)
{
    (void)arg;
    char csv[4400], title[512];
    snprintf(csv, sizeof csv, "%s/sweep.csv", R->tmp);
    snprintf(title, sizeof title, "Battery life against the %s, per variant\n%s",
             strncmp(R->o.param, "every=", 6) ? "parameter" : "wake period", R->title);
    /* the min-ratio bar the verdict used (none when it judged by a target) */
    const decide_result *r = R->r;
    double bar = r->v.by_target ? 0 : r->v.min_ratio;
    /* over the wake period, the break-even decide found (Brent, not the
     * sweep's interpolation between steps): one number on the whole page */
    double be = r->be_status == 0 && !strncmp(R->o.param, "every=", 6) ? r->be_period_s : 0;
    /* where the product is: the scenario's own wake period */
    double here = !strncmp(R->o.param, "every=", 6) ? r->period_s : 0;
    return chart_sweep(csv, title, R->o.target_s, bar, R->o.vs.v[r->deep].name,
                       PIPELINE_HORIZON_S, be, here, out);
}

static int draw_mc(report_run *R, const void *arg, const char *out)
{
    const sel_arg *a = arg;
    char samples[4400], summary[4400], title[512];
    const char *names[VARIANT_MAX];
    for (int i = 0; i < a->n; i++)
        names[i] = R->o.vs.v[a->sel[i]].name;
    report_path(R, "mc-samples.csv", samples, sizeof samples);
    report_path(R, "mc-summary.csv", summary, sizeof summary);
    snprintf(title, sizeof title, "Battery life under uncertainty (Monte Carlo), per variant\n%s", R->title);
    return chart_mc(samples, summary, names, a->n, R->mc->n, R->o.target_s, title, out);
}

/* Monte Carlo data for the chart: every sample's life and the summary's
 * P10/P50/P90 (from mc_run_samples: not recomputed), for variants sel. */
static int report_mc_files(report_run *R, const int *sel, int n)
{
    char p[4400];
    report_path(R, "mc-samples.csv", p, sizeof p);
    FILE *s = fopen(p, "w");
    report_path(R, "mc-summary.csv", p, sizeof p);
    FILE *m = s ? fopen(p, "w") : NULL;
    if (!m) {
        if (s)
            fclose(s);
        return -1;
    }
    int nv = R->o.vs.n;
    for (int i = 0; i < n; i++) {
        int v = sel[i];
        for (long k = 0; k < R->mc->n; k++) {
            const variant_result *x = &R->samples[k * nv + v];
            if (x->ok && x->has_life && x->life_s > 0)   /* 0: the cell could not start the WiFi */
                fprintf(s, "%d,%s\n", i, NUM_C(x->life_s));
        }
        const mc_stats *st = &R->mc->v[v];
        if (st->n_ok && st->has_life && st->p10 > 0)
            fprintf(m, "%d,%s,%s,%s,P10 %.0f d    P50 %.0f d    P90 %.0f d\n", i, NUM_C(st->p10),
                    NUM_C(st->p50), NUM_C(st->p90), st->p10 / 86400, st->p50 / 86400,
                    st->p90 / 86400);
    }
    int bad = fclose(s) | fclose(m);
    return bad ? -1 : 0;
}

/* ---- the sweep: the sweep command itself, its CSV into the folder ---- */

static int report_sweep(report_run *R, int argc, char **argv)
{
    char *param = R->param_buf, steps[16], jobs[16], out[4400];
    size_t pn = sizeof R->param_buf;
    if (!R->param) {
        if (!(R->r->period_s > 0)) {
            R->doc.sweep_note = "no sweep: the scenario has no periodic wake (give --param)";
            return 0;
        }
        char lo[64], hi[64];
        snprintf(param, pn, "every=%s..%s",
                 units_setting(R->r->period_s / 15, DIM_TIME, lo, sizeof lo),
                 units_setting(R->r->period_s * 16, DIM_TIME, hi, sizeof hi));
        for (char *q = param; *q; q++)
            if (*q == ' ')
                memmove(q, q + 1, strlen(q));
        snprintf(R->param_text, sizeof R->param_text, "the wake period, %s to %s",
                 units_format_fig(R->r->period_s / 15, DIM_TIME, lo, sizeof lo),
                 units_format_fig(R->r->period_s * 16, DIM_TIME, hi, sizeof hi));
    } else {
        snprintf(param, pn, "%s", R->param);
        snprintf(R->param_text, sizeof R->param_text, "%s", R->param);
    }
    snprintf(steps, sizeof steps, "%d", R->steps ? R->steps : 16);
    snprintf(jobs, sizeof jobs, "%d", R->o.jobs > 0 ? R->o.jobs : 0);
    report_path(R, "sweep.csv", out, sizeof out);
    char *av[512];
    int n = 0;
    av[n++] = "sweep";
    av[n++] = (char *)R->o.file;
    av[n++] = "--param";
    av[n++] = param;
    av[n++] = "--steps";
    av[n++] = steps;
    if (R->log_given || !R->param)
        av[n++] = "--log";
    for (int i = 1; i < argc && n < 500; i++)
        if ((!strcmp(argv[i], "--set") || !strcmp(argv[i], "--variant")) && i + 1 < argc) {
            av[n++] = argv[i];
            av[n++] = argv[++i];
        } else if (!strncmp(argv[i], "--set=", 6) || !strncmp(argv[i], "--variant=", 10)) {
            av[n++] = argv[i];
        }
    if (R->o.jobs > 0) {
        av[n++] = "-j";
        av[n++] = jobs;
    }
    av[n++] = "--format";
    av[n++] = "csv";
    av[n++] = "-o";
    av[n++] = out;
    av[n] = NULL;
    R->o.param = param;
    return cmd_sweep(n, av) ? -1 : 0;
}

/* ---- --measured: impsim calibrate itself, its output into the folder ---- */

/* Read a whole small file (calibrate's printout) into a new string. */
static char *report_slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m)
        abort();
    char chunk[4096];
    size_t k;
    while (fp && (k = fread(chunk, 1, sizeof chunk, fp)) > 0)
        fwrite(chunk, 1, k, m);
    if (fp)
        fclose(fp);
    fclose(m);
    return buf;
}

static int draw_overlay(report_run *R, const void *arg, const char *out)
{
    (void)arg;
    char csv[4400], title[768];
    const char *b = strrchr(R->measured, '/') ? strrchr(R->measured, '/') + 1 : R->measured;
    report_path(R, "overlay.csv", csv, sizeof csv);
    snprintf(title, sizeof title, "One wake cycle measured (%s) against the model\n%s", b,
             R->title);
    return chart_overlay(csv, title, out);
}

/* `impsim calibrate` itself (one code path, as the sweep), with the user's
 * settings and the figures decide ranked as most sensitive (its result is
 * at hand: not run again): its printout (stdout) becomes DIR/calibrate.txt,
 * its messages (stderr) follow it on the page, its overlay DIR/overlay.csv
 * is drawn as the measured-against-simulated chart and its figure file is
 * DIR/fitted.figures. Returns 0 (also when the fit does not explain the
 * capture: the page says so), or calibrate's exit code 2 or 3 after
 * passing its messages on to stderr. */
static int report_calibrate(report_run *R, int argc, char **argv)
{
    char csv[4400], txt[4400], err[4400], fig[4400];
    report_path(R, "overlay.csv", csv, sizeof csv);
    report_path(R, "calibrate.txt", txt, sizeof txt);
    report_path(R, ".calibrate-messages", err, sizeof err);
    report_path(R, "fitted.figures", fig, sizeof fig);
    char *av[512];
    int n = 0;
    av[n++] = "calibrate";
    av[n++] = (char *)R->o.file;
    av[n++] = "--measured";
    av[n++] = (char *)R->measured;
    int fits = 0;
    for (int i = 1; i < argc && n < 480; i++)
        if ((!strcmp(argv[i], "--set") || !strcmp(argv[i], "--fit")) && i + 1 < argc) {
            fits += argv[i][2] == 'f';
            av[n++] = argv[i];
            av[n++] = argv[++i];
        } else if (!strncmp(argv[i], "--set=", 6)) {
            av[n++] = argv[i];
        }
    for (int k = 0; !fits && k < R->r->nsens && k < 6; k++) {   /* as calibrate's default */
        av[n++] = "--fit";
        av[n++] = R->r->sens[k].key;
    }
    av[n++] = "--overlay";
    av[n++] = csv;
    av[n++] = "-o";
    av[n++] = fig;
    av[n] = NULL;
    fflush(stdout);
    fflush(stderr);
    int so = dup(STDOUT_FILENO), se = dup(STDERR_FILENO);
    FILE *t = fopen(txt, "w"), *e = fopen(err, "w");
    int rc;
    if (so < 0 || se < 0 || !t || !e || dup2(fileno(t), STDOUT_FILENO) < 0 ||
        dup2(fileno(e), STDERR_FILENO) < 0) {
        rc = DIAG_EXIT_SYS;
    } else {
        rc = cmd_calibrate(n, av);
        fflush(stdout);
        fflush(stderr);
    }
    if (so >= 0)
        dup2(so, STDOUT_FILENO), close(so);
    if (se >= 0)
        dup2(se, STDERR_FILENO), close(se);
    if (t)
        fclose(t);
    if (e)
        fclose(e);
    char *out = report_slurp(txt), *msg = report_slurp(err);
    unlink(err);
    if (rc != 0 && rc != 1) {
        fputs(msg, stderr);
        if (rc == DIAG_EXIT_SYS && !*msg)
            fprintf(stderr, "impsim: error: cannot write %s\n", txt);
        free(out);
        free(msg);
        return rc;
    }
    R->calib_refused = rc == 1;
    /* its closing "wrote FILE: use it with ..." names the folder being
     * built: the page says where the figure file is instead */
    char *wrote = strstr(out, "\nwrote ");
    if (wrote)
        wrote[1] = '\0';
    size_t len = strlen(out) + strlen(msg) + 2;
    R->calib_text = malloc(len);
    if (!R->calib_text)
        abort();
    snprintf(R->calib_text, len, "%s%s%s", out, *msg && *out ? "\n" : "", msg);
    free(out);
    free(msg);
    t = fopen(txt, "w");   /* calibrate.txt: what the page shows */
    if (!t || fputs(R->calib_text, t) < 0 || fclose(t)) {
        fprintf(stderr, "impsim: error: cannot write %s\n", txt);
        return DIAG_EXIT_SYS;
    }
    return 0;
}

/* The measured-against-simulated chart of report_calibrate's overlay. */
static int report_overlay_chart(report_run *R)
{
    if (report_both(R, "overlay", draw_overlay, NULL))
        return DIAG_EXIT_SYS;
    char cap[768];
    const char *b = strrchr(R->measured, '/') ? strrchr(R->measured, '/') + 1 : R->measured;
    snprintf(cap, sizeof cap, "One wake cycle measured in %s (its whole cycles averaged, aligned "
             "at the wake; grey) against the simulated one with the model as it is (dashed) and "
             "with the figures impsim calibrate fitted (solid), the rms differences in the key; "
             "the fit itself is under Measured against simulated below.", b);
    report_add_chart(R, "overlay", "Measured against simulated", cap);
    return 0;
}

/* The command line, shell-quoted where needed. */
static void report_command(report_run *R, int argc, char **argv)
{
    char *c = R->doc.command;
    size_t n = sizeof R->doc.command, k = (size_t)snprintf(c, n, "impsim");
    for (int i = 0; i < argc && k < n; i++) {
        const char *a = argv[i];
        int plain = *a != '\0';
        for (const char *p = a; *p; p++)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+%@",
                        *p))
                plain = 0;
        if (plain) {
            k += (size_t)snprintf(c + k, n - k, " %s", a);
            continue;
        }
        k += (size_t)snprintf(c + k, n - k, " '");
        for (const char *p = a; *p && k < n; p++)
            k += (size_t)snprintf(c + k, n - k, *p == '\'' ? "'\\''" : "%c", *p);
        if (k < n)
            k += (size_t)snprintf(c + k, n - k, "'");
    }
}

/* ---- the whole report ---- */

static int report_build(report_run *R, int argc, char **argv)
{
    const matrix_opts *o = &R->o;
    decide_result *r = R->r;
    int rc = decide_run(o, r);
    if (rc)
        return rc;
    if (r->deep < 0 || r->best < 0) {
        fprintf(stderr, "impsim: error: report: the deep-sleep variant or every variant without "
                "deep sleep failed to run; see impsim compare\n");
        return DIAG_EXIT_INPUT;
    }
    /* --measured first: a capture that cannot be read fails before the
     * Monte Carlo runs */
    if (R->measured && (rc = report_calibrate(R, argc, argv)) != 0)
        return rc;
    rc = mc_run_samples(o, NULL, r->res, R->mc, &R->samples);
    if (rc)
        return rc;
    decide_apply_mc(o, r, R->mc);   /* decide's answer, Monte Carlo rule included */
    /* the variants charted: every one that ran, except those drawing more
     * than ten times the least (they would flatten the others; the table
     * shows them) */
    int sel[VARIANT_MAX], n = 0;
    double least = INFINITY;
    for (int v = 0; v < o->vs.n; v++)
        if (r->res[v].ok)
            least = fmin(least, r->res[v].avg_current_A);
    char left[1024] = "";
    for (int v = 0; v < o->vs.n; v++) {
        if (!r->res[v].ok)
            continue;
        if (v == r->deep || v == r->best || v == r->v.best ||
            r->res[v].avg_current_A <= 10 * least) {
            sel[n++] = v;
        } else {
            char a[32];
            snprintf(left + strlen(left), sizeof left - strlen(left), "%s%s (%s)",
                     *left ? ", " : "", o->vs.v[v].name,
                     chart_fmt(r->res[v].avg_current_A, DIM_CURRENT, a, 32));
        }
    }
    for (int i = 0; i < n; i++)
        if (report_variant(R, sel[i], sel[i] == r->deep || sel[i] == r->best))
            return DIAG_EXIT_SYS;
    fflush(R->warn);
    if (report_sweep(R, argc, argv))
        return DIAG_EXIT_SYS;
    if (report_mc_files(R, sel, n))
        return DIAG_EXIT_SYS;
    /* the deep-sleep variant's pipeline, kept for the assumptions */
    char *all[VARIANT_MAX_SETS * 4];
    int ns = report_sets(R, r->deep, NULL, all, (int)(sizeof all / sizeof *all));
    diag *d = diag_new();
    if (pipeline_load(&R->deep, o->file, all, ns, d) == 0) {
        R->deep_loaded = 1;
        battery_regulator reg;
        pipeline_regulator(&R->deep, &reg);   /* as assume_collect and the battery run */
        R->doc.wifimin_V = reg.wifi_min_v;
        R->doc.cutoff_V = R->deep.cell ? battery_cell_cutoff_V(R->deep.cell) : 0;
    }
    diag_free(d);
    /* the charts */
    const char *dn = o->vs.v[r->deep].name, *bn = o->vs.v[r->best].name;
    char stem[96], title[256], cap[768];
    int pair[2] = {r->deep, r->best};
    for (int k = 0; k < 2; k++) {
        const char *vn = o->vs.v[pair[k]].name;
        snprintf(stem, sizeof stem, "cycle-%s", vn);
        if (report_both(R, stem, draw_cycle, &pair[k]))
            return DIAG_EXIT_SYS;
        snprintf(title, sizeof title, "One wake on %s", vn);
        snprintf(cap, sizeof cap, "Supply current of %s through one wake (log scale): the first "
                 "after power-on that brings the radio up (when the wakes differ, the chart's "
                 "title says which one it is), each phase shaded and named (wake or boot, the "
                 "scenario's tasks, radio power-up, firmware load from the SPI flash, "
                 "calibration, scan, join, DHCP, TLS, send, receive, disconnect, sleep); dashed: "
                 "the average over the whole cycle (this wake to the next, or every wake until "
                 "the pattern repeats); dot: the peak.", vn);
        report_add_chart(R, stem, title, cap);
    }
    for (int k = 0; k < 2; k++) {
        const char *vn = o->vs.v[pair[k]].name;
        snprintf(stem, sizeof stem, "day-%s", vn);
        if (report_both(R, stem, draw_day, &pair[k]))
            return DIAG_EXIT_SYS;
        snprintf(title, sizeof title, "One day on %s", vn);
        snprintf(cap, sizeof cap, "Supply current of %s over the first day (log scale) and its "
                 "average.", vn);
        report_add_chart(R, stem, title, cap);
    }
    static const char *const by[] = {"activity", "component"};
    for (int k = 0; k < 2; k++) {
        sel_arg a = {sel, n, by[k]};
        snprintf(stem, sizeof stem, "budget-by-%s", by[k]);
        if (report_both(R, stem, draw_budget, &a))
            return DIAG_EXIT_SYS;
        snprintf(title, sizeof title, "Energy budget by %s", by[k]);
        snprintf(cap, sizeof cap, "Average supply current of each variant, split by %s (each "
                 "part's charge over the scenario's duration), with value and share; parts that "
                 "draw nothing are left out.%s%s%s", by[k], *left ? " Not shown (over ten times "
                 "the least current; see the table): " : "", left, *left ? "." : "");
        report_add_chart(R, stem, title, cap);
    }
    sel_arg all_sel = {sel, n, NULL};
    int curves = 0;
    for (int i = 0; i < n; i++) {
        char p[4400];
        snprintf(p, sizeof p, "%s/battery-%s.csv", R->tmp, o->vs.v[sel[i]].name);
        curves += report_has_rows(p, 1);
    }
    if (R->deep_loaded && R->deep.cell && !curves)
        fputs("no battery chart: no variant's battery ran past its first moment (see the "
              "warnings below)\n", R->warn);
    if (R->deep_loaded && R->deep.cell && curves) {
        if (report_both(R, "battery", draw_battery, &all_sel))
            return DIAG_EXIT_SYS;
        snprintf(cap, sizeof cap, "Top: the lowest battery voltage under load in each stretch "
                 "of the life, with the cell's cut-off and the voltage below which the WiFi "
                 "fails; bottom: the state of charge. Life ends where the loaded voltage first "
                 "reaches either line.");
        report_add_chart(R, "battery", "The battery over its life", cap);
    }
    if (!R->doc.sweep_note) {
        if (report_both(R, "sweep", draw_sweep, NULL))
            return DIAG_EXIT_SYS;
        char be_text[160];
        if (report_sweep_breaks_even(R))
            snprintf(be_text, sizeof be_text, "the dotted line marks where %s and %s break even",
                     bn, dn);
        else
            snprintf(be_text, sizeof be_text, "%s and %s do not break even in this range", bn, dn);
        snprintf(cap, sizeof cap, "Battery life of every variant that can run, against %s; %s; "
                 "%s", R->param_text, be_text,
                 o->target_s > 0 ? "dashed: the target." : "dashed: the bar the verdict uses "
                 "(min-ratio of the deep-sleep life).");
        report_add_chart(R, "sweep", "Battery life against the sweep", cap);
    }
    char mcs[4400];
    report_path(R, "mc-summary.csv", mcs, sizeof mcs);
    if (!report_has_rows(mcs, 0)) {
        fputs("no Monte Carlo chart: no sample of any variant has a battery life (see the "
              "warnings below)\n", R->warn);
    } else {
        if (report_both(R, "mc", draw_mc, &all_sel))
            return DIAG_EXIT_SYS;
        snprintf(cap, sizeof cap, "Battery life of %ld Monte Carlo samples per variant "
                 "(estimate figures drawn within their range, mc.* distributions%s), with "
                 "P10, P50 and P90%s.", R->mc->n,
                 R->mc->random ? ", a new seed for the schedule's random events each" : "",
                 o->target_s > 0 ? " and the target" : "");
        report_add_chart(R, "mc", "Battery life under uncertainty", cap);
    }
    return R->measured ? report_overlay_chart(R) : 0;
}

int cmd_report(int argc, char **argv)
{
    report_run *R = calloc(1, sizeof *R);
    if (!R)
        abort();
    /* --param, --steps and --log are the sweep chart's: taken here (the
     * rest goes to matrix_parse, as for decide) */
    char **av = calloc((size_t)argc + 1, sizeof *av);
    if (!av)
        abort();
    int ac = 0, rc = 0;
    const char *outdir = NULL;
    for (int i = 0; i < argc && !rc; i++) {
        if (i && !strcmp(argv[i], "--param") && i + 1 < argc) {
            R->param = argv[++i];
        } else if (i && !strcmp(argv[i], "--steps") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 2 || v > 1000)
                rc = cli_usage_error("report", "--steps: found '%s', expected a whole number "
                                     "from 2 to 1000", argv[i]);
            R->steps = (int)v;
        } else if (i && (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) &&
                   i + 1 < argc) {
            /* the report's -o is a folder: taken here, not checked as an
             * output file by matrix_parse (report_dir_policy judges it) */
            outdir = argv[++i];
        } else if (i && !strncmp(argv[i], "--output=", 9)) {
            outdir = argv[i] + 9;
        } else if (i && !strncmp(argv[i], "-o", 2) && argv[i][2]) {
            outdir = argv[i] + 2;
        } else if (i && !strcmp(argv[i], "--fit") && i + 1 < argc) {
            i++;   /* --measured's: report_calibrate passes it on */
        } else if (i && !strcmp(argv[i], "--measured") && i + 1 < argc) {
            R->measured = argv[++i];
        } else if (i && !strncmp(argv[i], "--measured=", 11)) {
            R->measured = argv[i] + 11;
        } else if (i && !strcmp(argv[i], "--log")) {
            R->log_given = 1;
        } else {
            av[ac++] = argv[i];
        }
    }
    if (!rc)
        rc = matrix_parse(ac, av, report_usage, MX_DECIDE | MX_MC, &R->o);
    free(av);
    if (rc) {
        matrix_free(&R->o);
        free(R);
        return rc < 0 ? 0 : rc;
    }
    const char *dir = R->o.output = outdir;
    int replace = 0, tmp_hold = -1;
    if (!dir || !dir[0])
        rc = cli_usage_error("report", "%s", dir ? "-o: found an empty folder name, expected "
                             "the report folder" : "expected -o DIR (the report folder)");
    else if (strchr(dir, '\'') || strchr(dir, '"'))
        rc = cli_usage_error("report", "-o: the folder name must not contain quotes");
    else
        rc = report_dir_policy(dir, &replace);
    if (!rc) {
        if (!R->o.mc)
            R->o.mc = 40;
        /* DIR.tmp-XXXXXX beside DIR ("out/" too: not out/.tmp-XXXXXX inside
         * it), removed if a signal ends the run (outfile_dir_hold) */
        int l = (int)strlen(dir);
        while (l > 1 && dir[l - 1] == '/')
            l--;
        snprintf(R->tmp, sizeof R->tmp, "%.*s.tmp-XXXXXX", l, dir);
        if (!mkdtemp(R->tmp)) {
            fprintf(stderr, "impsim: error: cannot create %s: %s\n", R->tmp, strerror(errno));
            rc = DIAG_EXIT_SYS;
            R->tmp[0] = 0;
        } else {
            tmp_hold = outfile_dir_hold(R->tmp);
        }
    }
    if (!rc) {
        R->r = calloc(1, sizeof *R->r);
        R->mc = calloc(1, sizeof *R->mc);
        R->warn = open_memstream(&R->warn_buf, &R->warn_len);
        if (!R->r || !R->mc || !R->warn)
            abort();
        report_command(R, argc, argv);
        rc = report_build(R, argc, argv);
        fclose(R->warn);
        R->warn = NULL;
    }
    if (!rc) {
        char *tbl = NULL, *mct = NULL;
        size_t tn = 0, mn = 0;
        FILE *t = open_memstream(&tbl, &tn), *m = open_memstream(&mct, &mn);
        matrix_opts co = R->o;
        co.fmt = REPORT_CSV;
        matrix_table(&co, R->r->res, t);
        co.fmt = REPORT_TEXT;
        mc_print(&co, R->mc, m);
        fclose(t);
        fclose(m);
        report_doc *doc = &R->doc;
        assume *as = malloc(sizeof *as);
        if (!as)
            abort();
        assume_collect(as, R->o.file, R->o.sets.v, R->o.sets.n, &R->o.vs, R->o.mc, R->o.seed);
        doc->assume = as;
        doc->o = &R->o;
        doc->r = R->r;
        doc->mc = R->mc;
        doc->deep = R->deep_loaded ? &R->deep : NULL;
        doc->table_csv = tbl;
        doc->mc_text = mct;
        doc->warnings = R->warn_buf;
        doc->calib_text = R->calib_text;
        doc->calib_refused = R->calib_refused;
        char p[4400];
        report_path(R, "index.html", p, sizeof p);
        FILE *fp = fopen(p, "w");
        if (fp)
            report_html(doc, fp);
        report_path(R, REPORT_MARKER, p, sizeof p);
        FILE *mk = fopen(p, "w");
        if (mk)
            fputs("This folder was written by impsim report; impsim report -o may replace it.\n", mk);
        if (!fp || fclose(fp) || !mk || fclose(mk)) {
            fprintf(stderr, "impsim: error: cannot write %s\n", p);
            rc = DIAG_EXIT_SYS;
        }
        free(tbl);
        free(mct);
        free(as);
        if (!rc) {     /* the earlier report moved aside and the new one in: one step */
            sigset_t ss;
            outfile_defer_signals(&ss);
            rc = report_commit(R->tmp, dir, replace);
            if (!rc) {
                outfile_dir_release(tmp_hold);
                tmp_hold = -1;
            }
            outfile_restore_signals(&ss);
        }
        if (!rc)
            printf("impsim report: %s/index.html\n", dir);
    }
    if (rc && R->tmp[0])
        report_rmdir(R->tmp);
    outfile_dir_release(tmp_hold);
    if (R->deep_loaded)
        pipeline_free(&R->deep);
    free(R->warn_buf);
    free(R->calib_text);
    free(R->samples);
    free(R->mc);
    free(R->r);
    matrix_free(&R->o);
    free(R);
    return rc;
}
