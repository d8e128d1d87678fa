/* chart_trace.c — charts of a current trace (`impsim run --trace` CSV):
 * one wake cycle with its phases shaded and named, and the whole trace
 * (a day) with its average. The phases come from the trace's own phase
 * column, so a model that adds radio power-up or calibration states shows
 * them without a change here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "chart.h"
#include "units.h"

typedef struct {
    double t, i;        /* s, A: the current from t to the next row's t */
    char phase[64];
} trace_row;

typedef struct {
    trace_row *r;
    int n;
} trace_data;

/* Read an impsim trace: time_s,current_A,...,phase. The phase column is
 * optional (older traces): then every row's phase is "". */
static int trace_read(const char *path, trace_data *td)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "impsim: error: %s: cannot read the trace\n", path);
        return -1;
    }
    char line[2048];
    int cap = 0, has_phase = 0;
    td->r = NULL;
    td->n = 0;
    if (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        size_t n = strlen(line);
        has_phase = n >= 6 && !strcmp(line + n - 6, ",phase");
    }
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (td->n == cap) {
            cap = cap ? 2 * cap : 256;
            if (!(td->r = realloc(td->r, (size_t)cap * sizeof *td->r)))
                abort();
        }
        trace_row *r = &td->r[td->n];
        char *end;
        r->t = strtod(line, &end);
        if (*end != ',')
            continue;
        r->i = strtod(end + 1, &end);
        if (!isfinite(r->t) || !isfinite(r->i))
            continue;
        const char *ph = has_phase ? strrchr(line, ',') : NULL;
        snprintf(r->phase, sizeof r->phase, "%s", ph ? ph + 1 : "");
        td->n++;
    }
    fclose(fp);
    if (td->n < 2) {
        fprintf(stderr, "impsim: error: %s: found fewer than two rows, expected a trace\n", path);
        free(td->r);
        return -1;
    }
    return 0;
}

/* The resting phase: the one holding the most time (sleep between wakes). */
static const char *trace_rest(const trace_data *td)
{
    const char *best = td->r[0].phase;
    double best_t = -1;
    for (int k = 0; k + 1 < td->n; k++) {
        double sum = 0;
        int seen = 0;
        for (int j = 0; j < k && !seen; j++)
            seen = !strcmp(td->r[j].phase, td->r[k].phase);
        if (seen)
            continue;
        for (int j = k; j + 1 < td->n; j++)
            if (!strcmp(td->r[j].phase, td->r[k].phase))
                sum += td->r[j + 1].t - td->r[j].t;
        if (sum > best_t)
            best_t = sum, best = td->r[k].phase;
    }
    return best;
}

/* Average current (A) over [a, b). */
static double trace_avg(const trace_data *td, double a, double b)
{
    double q = 0;
    for (int k = 0; k + 1 < td->n; k++) {
        double lo = fmax(a, td->r[k].t), hi = fmin(b, td->r[k + 1].t);
        if (hi > lo)
            q += td->r[k].i * (hi - lo);
    }
    return b > a ? q / (b - a) : 0;
}

/* A gnuplot y range in µA: whole decades around [lo, hi] (A). */
static void trace_yrange(double lo_A, double hi_A, double *ymin, double *ymax)
{
    double lo = fmax(lo_A * 1e6, 0.01), hi = fmax(hi_A * 1e6, lo * 10);
    *ymin = 0.98 * pow(10, floor(log10(lo * 0.7)));   /* a hair below: gnuplot drops a tic on the edge */
    *ymax = pow(10, ceil(log10(hi * 1.6)));
}

static const char *const trace_shades[] = {
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69",
    "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f", "#a6cee3", "#fdbf6f",
    "#cab2d6", "#b2df8a", "#fb9a99", "#e5d8bd", "#f2f2f2", "#decbe4"};

int chart_cycle(const char *trace, const char *title, const char *vname, const char *col,
                const char *out)
{
    trace_data td;
    if (trace_read(trace, &td))
        return -1;
    const char *rest = trace_rest(&td);
    /* wakes: maximal runs of rows not in the resting phase */
    int ws[3] = {-1, -1, -1}, we[3] = {-1, -1, -1}, nw = 0;
    for (int k = 0; k + 1 < td.n && nw < 3; k++) {
        int awake = strcmp(td.r[k].phase, rest) != 0;
        if (awake && (k == 0 || !strcmp(td.r[k - 1].phase, rest)))
            ws[nw] = k;
        if (awake && ws[nw] >= 0 && !strcmp(td.r[k + 1].phase, rest))
            we[nw++] = k + 1;
    }
    /* the second wake when there is one (the first is power-on) */
    int w = nw >= 2 ? 1 : 0;
    if (nw == 0 || we[w] < 0) {
        fprintf(stderr, "impsim: error: %s: found no wake (every row is '%s'), expected a "
                "trace with at least one wake\n", trace, rest);
        free(td.r);
        return -1;
    }
    double t0 = td.r[ws[w]].t, t1 = td.r[we[w]].t, len = t1 - t0;
    double w0 = t0 - 0.08 * len, w1 = t1 + 0.12 * len;
    /* the cycle: from this wake to the next one (or the trace's end) */
    double c1 = w + 1 < nw ? td.r[ws[w + 1]].t : td.r[td.n - 1].t;
    double avg = trace_avg(&td, t0, c1), peak = 0, peak_t = t0, lo = INFINITY;
    const char *peak_ph = "";
    for (int k = 0; k + 1 < td.n; k++) {
        if (td.r[k + 1].t <= w0 || td.r[k].t >= w1)
            continue;
        if (td.r[k].i > peak)
            peak = td.r[k].i, peak_t = fmax(td.r[k].t, w0), peak_ph = td.r[k].phase;
        if (td.r[k].i > 0 && td.r[k].i < lo)
            lo = td.r[k].i;
    }
    double ymin, ymax, tscale;
    trace_yrange(fmin(lo, avg), peak, &ymin, &ymax);
    const char *tunit;
    chart_unit(DIM_TIME, w1 - t0, &tscale, &tunit);
    /* the phases, as gnuplot rectangles and labels */
    const char *tmpdir = getenv("TMPDIR");
    char pfile[4096];
    snprintf(pfile, sizeof pfile, "%s/impsim-phases-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(pfile);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        fprintf(stderr, "impsim: error: cannot write a temporary file in %s\n",
                tmpdir && *tmpdir ? tmpdir : "/tmp");
        free(td.r);
        return -1;
    }
    char names[32][64];
    int nnames = 0, obj = 1, lab = 10;
    double last_label = -INFINITY, span = (w1 - w0) * tscale;
    for (int k = 0; k + 1 < td.n; k++) {
        double a = fmax(td.r[k].t, w0), b = fmin(td.r[k + 1].t, w1);
        if (b <= a)
            continue;
        int j = k;   /* merge the following rows of the same phase */
        while (j + 2 < td.n && !strcmp(td.r[j + 1].phase, td.r[k].phase))
            j++;
        b = fmin(td.r[j + 1].t, w1);
        int c = 0;
        while (c < nnames && strcmp(names[c], td.r[k].phase))
            c++;
        if (c == nnames && nnames < 32)
            snprintf(names[nnames++], 64, "%s", td.r[k].phase);
        char txt[160];
        double xa = (a - t0) * tscale, xb = (b - t0) * tscale, xm = (xa + xb) / 2;
        fprintf(fp, "set object %d rect from %.9g, graph 0 to %.9g, graph 1 behind fc rgb '%s' "
                "fs solid 0.55 noborder\n", obj++, xa, xb,
                trace_shades[c % (int)(sizeof trace_shades / sizeof *trace_shades)]);
        if (xm - last_label >= 0.028 * span) {
            fprintf(fp, "set label %d '%s' at %.9g, graph 0.985 right rotate by 90 font smallfont "
                    "tc rgb '#333333' front\n", lab++, chart_gp_text(td.r[k].phase, txt, sizeof txt),
                    xm);
            last_label = xm;
        }
        k = j;
    }
    fclose(fp);
    char a[32], p[32], d[32], tt[512], vn[128], pp[96];
    size_t vn_n = 8192;
    char *vars = malloc(vn_n);
    if (!vars)
        abort();
    snprintf(vars, vn_n,
             "datafile='%s'; phasefile='%s'; title='%s'; vname='%s'; "
             "t0=%.15g; w0=%.15g; w1=%.15g; tscale=%.9g; tunit='%s'; ymin=%g; ymax=%g; "
             "avg_uA=%.9g; avg_label='cycle average %s (wake every %s)'; peak_t=%.15g; "
             "peak_uA=%.9g; peak_label='peak %s (%s)'; col='%s'",
             trace, pfile, chart_gp_text(title, tt, sizeof tt),
             chart_gp_text(vname, vn, sizeof vn), t0, w0, w1, tscale, tunit, ymin, ymax,
             avg * 1e6, chart_fmt(avg, DIM_CURRENT, a, 32), chart_fmt(c1 - t0, DIM_TIME, d, 32),
             peak_t, peak * 1e6, chart_fmt(peak, DIM_CURRENT, p, 32),
             chart_gp_text(peak_ph, pp, sizeof pp), col);
    int rc = chart_draw("cycle", vars, out);
    unlink(pfile);
    free(vars);
    free(td.r);
    return rc;
}

int chart_day(const char *trace, const char *title, const char *vname, const char *col,
              const char *out)
{
    trace_data td;
    if (trace_read(trace, &td))
        return -1;
    double end = td.r[td.n - 1].t, avg = trace_avg(&td, 0, end), lo = INFINITY, hi = 0;
    for (int k = 0; k + 1 < td.n; k++) {
        if (td.r[k].i > 0 && td.r[k].i < lo)
            lo = td.r[k].i;
        hi = fmax(hi, td.r[k].i);
    }
    double ymin, ymax, xscale;
    const char *xunit;
    trace_yrange(fmin(lo, avg), hi, &ymin, &ymax);
    chart_unit(DIM_TIME, end, &xscale, &xunit);
    char a[32], d[32], tt[512], vn[128], vars[8192];
    snprintf(vars, sizeof vars,
             "datafile='%s'; title='%s'; vname='%s'; xscale=%.9g; xunit='%s'; "
             "xend=%.9g; ymin=%g; ymax=%g; avg_uA=%.9g; avg_label='average %s over %s'; col='%s'",
             trace, chart_gp_text(title, tt, sizeof tt),
             chart_gp_text(vname, vn, sizeof vn), xscale, xunit, end * xscale, ymin, ymax, avg * 1e6,
             chart_fmt(avg, DIM_CURRENT, a, 32), chart_fmt(end, DIM_TIME, d, 32), col);
    free(td.r);
    return chart_draw("day", vars, out);
}
