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
#include "lex.h"
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
    char *line = NULL;          /* any length; LF, CRLF or CR line ends */
    size_t lcap = 0;
    int cap = 0, has_phase = 0;
    td->r = NULL;
    td->n = 0;
    if (lex_getline(fp, &line, &lcap) >= 0) {
        size_t n = strlen(line);
        has_phase = n >= 6 && !strcmp(line + n - 6, ",phase");
    }
    while (lex_getline(fp, &line, &lcap) >= 0) {
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
    free(line);
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

/* The name a reader knows a phase by, from the engine's "activity: state"
 * (sim/engine.c engine_phase): the radio's bring-up in the design-review
 * terms (radio power-up, firmware load, radio calibration, scan, join,
 * DHCP, TLS), a transfer as send / receive / receive reply (the radio
 * listening for the server's reply after a send), the disconnect as one
 * phase; other phases keep their activity's name. */
static void trace_label(const char *phase, char *buf, size_t n)
{
    static const char *const radio[][2] = {
        {"", "radio power-up"}, {"powerup", "radio power-up"}, {"flash read", "firmware load"},
        {"cal", "radio calibration"}, {"scan", "scan"}, {"join", "join"}, {"dhcp", "DHCP"},
        {"tls", "TLS"}};
    static const char *const xfer[][2] = {{"tx", "send"}, {"rx", "receive"},
                                           {"assoc", "receive reply"}};
    const char *colon = strstr(phase, ": ");
    size_t al = colon ? (size_t)(colon - phase) : strlen(phase);
    const char *st = colon ? colon + 2 : "";
    if (al == 7 && !strncmp(phase, "connect", 7)) {
        for (size_t k = 0; k < sizeof radio / sizeof *radio; k++)
            if (!strcmp(st, radio[k][0])) {
                snprintf(buf, n, "%s", radio[k][1]);
                return;
            }
    } else if ((al == 10 && !strncmp(phase, "disconnect", 10)) ||
               (al == 4 && !strncmp(phase, "boot", 4))) {
        snprintf(buf, n, "%.*s", (int)al, phase);   /* boot's settings read is boot */
        return;
    } else if (colon) {
        for (size_t k = 0; k < sizeof xfer / sizeof *xfer; k++)
            if (!strcmp(st, xfer[k][0])) {
                snprintf(buf, n, "%.*s: %s", (int)al, phase, xfer[k][1]);
                return;
            }
    }
    snprintf(buf, n, "%s", phase);
}

/* A wake: rows [s, e), e the first resting row after it. */
typedef struct {
    int s, e;
} trace_wake;

/* The wakes of td: maximal runs of rows not in the resting phase. Returns
 * their number; *out (malloc'd, the caller frees) holds them. */
static int trace_wakes(const trace_data *td, const char *rest, trace_wake **out)
{
    int n = 0, cap = 0;
    trace_wake *w = NULL;
    for (int k = 0; k + 1 < td->n; k++) {
        if (!strcmp(td->r[k].phase, rest) || (k && strcmp(td->r[k - 1].phase, rest)))
            continue;
        int e = k + 1;
        while (e + 1 < td->n && strcmp(td->r[e].phase, rest))
            e++;
        if (n == cap && !(w = realloc(w, (size_t)(cap = cap ? 2 * cap : 64) * sizeof *w)))
            abort();
        w[n].s = k;
        w[n++].e = e;
        k = e - 1;
    }
    *out = w;
    return n;
}

/* What makes two wakes alike: their phases, each phase's length (to 0.1 µs)
 * and current (to 1 nA), and the time to the next wake (FNV-1a hash). */
static unsigned long long trace_sig(const trace_data *td, const trace_wake *w, double next_t)
{
    unsigned long long h = 1469598103934665603ULL;
    for (int k = w->s; k < w->e; k++) {
        long long v[2] = {llround((td->r[k + 1].t - td->r[k].t) * 1e7), llround(td->r[k].i * 1e9)};
        for (const char *c = td->r[k].phase; *c; c++)
            h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        for (size_t b = 0; b < sizeof v; b++)
            h = (h ^ ((const unsigned char *)v)[b]) * 1099511628211ULL;
    }
    long long gap = llround((next_t - td->r[w->s].t) * 1e7);
    for (size_t b = 0; b < sizeof gap; b++)
        h = (h ^ ((const unsigned char *)&gap)[b]) * 1099511628211ULL;
    return h;
}

/* 1 when the wake brings the radio up (a phase of the connect activity). */
static int trace_connects(const trace_data *td, const trace_wake *w)
{
    for (int k = w->s; k < w->e; k++)
        if (!strncmp(td->r[k].phase, "connect", 7))
            return 1;
    return 0;
}

/* A shaded phase in the window (display units) and its label's place. */
typedef struct {
    double xa, xb, c, p;    /* band, its centre, where its label goes */
    int shade, labelled;
    char name[64];
} trace_band;

int chart_cycle(const char *trace, const char *title, const char *vname, const char *vdesc,
                const char *col, const char *out)
{
    trace_data td;
    if (trace_read(trace, &td))
        return -1;
    const char *rest = trace_rest(&td);
    trace_wake *wk;
    int nw = trace_wakes(&td, rest, &wk);
    if (nw == 0) {
        fprintf(stderr, "impsim: error: %s: found no wake (every row is '%s'), expected a "
                "trace with at least one wake\n", trace, rest);
        free(wk);
        free(td.r);
        return -1;
    }
#define WAKE_T(j) ((j) < nw ? td.r[wk[j].s].t : td.r[td.n - 1].t)
    /* the first wake is power-on (a boot even without deep sleep): the
     * cycle starts at the second. Wakes 1..nw-2 have a next wake; the
     * smallest k for which they repeat every k wakes is the cycle (its
     * hyperperiod: e.g. sample every wake, upload every 4th: k = 4);
     * k = 0: they do not repeat within the trace (Poisson, windows). */
    int first = nw >= 2 ? 1 : 0, m = nw - 2, k = m >= 2 ? 0 : 1;
    unsigned long long *sig = malloc((size_t)nw * sizeof *sig);
    if (!sig)
        abort();
    for (int j = first; j + 1 < nw; j++)
        sig[j] = trace_sig(&td, &wk[j], WAKE_T(j + 1));
    for (int kk = 1; !k && kk <= m / 2; kk++) {
        int same = 1;
        for (int j = 1; same && j + kk <= nw - 2; j++)
            same = sig[j] == sig[j + kk];
        if (same)
            k = kk;
    }
    free(sig);
    /* the wake drawn: the first that brings the radio up (the one that
     * costs, and the one the review is about), else the costliest of a
     * cycle; whole wakes (with a next one) preferred */
    int last = nw >= 3 ? nw - 2 : nw - 1, w = -1, nconn = 0;
    for (int j = first; j <= last && w < 0; j++)
        if (trace_connects(&td, &wk[j]))
            w = j;
    if (w < 0) {
        double best = -1;
        for (int j = first; j <= last && (k == 0 || j < first + k); j++) {
            double q = trace_avg(&td, td.r[wk[j].s].t, td.r[wk[j].e].t) *
                       (td.r[wk[j].e].t - td.r[wk[j].s].t);
            if (q > best)
                best = q, w = j;
        }
    }
    int conn = trace_connects(&td, &wk[w]);
    double t0 = td.r[wk[w].s].t, t1 = td.r[wk[w].e].t, len = t1 - t0;
    double w0 = t0 - 0.08 * len, w1 = t1 + 0.12 * len;
    /* the average: over one whole cycle (this wake to the next; or k
     * wakes), else over the whole trace */
    double a0 = td.r[0].t, a1 = td.r[td.n - 1].t;
    if (k == 1) {
        a0 = t0, a1 = WAKE_T(w + 1);
    } else if (k > 1 && first + k < nw) {
        a0 = WAKE_T(first), a1 = WAKE_T(first + k);
        for (int j = first; j < first + k; j++)
            nconn += trace_connects(&td, &wk[j]);
    } else if (k > 1) {
        k = 0;
    }
    double avg = trace_avg(&td, a0, a1), peak = 0, peak_t = t0, lo = INFINITY;
    const char *peak_ph = "";
    for (int j = 0; j + 1 < td.n; j++) {
        if (td.r[j + 1].t <= w0 || td.r[j].t >= w1)
            continue;
        if (td.r[j].i > peak)
            peak = td.r[j].i, peak_t = fmax(td.r[j].t, w0), peak_ph = td.r[j].phase;
        if (td.r[j].i > 0 && td.r[j].i < lo)
            lo = td.r[j].i;
    }
    char what[160], avg_label[256], a[32], d[32];
    chart_fmt(avg, DIM_CURRENT, a, 32);
    chart_fmt(a1 - a0, DIM_TIME, d, 32);
    if (k == 1) {
        snprintf(what, sizeof what, "One wake cycle");
        snprintf(avg_label, sizeof avg_label, "cycle average %s (wake every %s)", a, d);
    } else if (k > 1) {
        if (conn)
            snprintf(what, sizeof what, "The wake that connects (%d of every %d wakes)", nconn, k);
        else
            snprintf(what, sizeof what, "The costliest wake of a %d-wake cycle", k);
        snprintf(avg_label, sizeof avg_label, "average %s over the whole cycle: %d wakes in %s",
                 a, k, d);
    } else {
        snprintf(what, sizeof what, "The first wake %s(the wakes differ)",
                 conn ? "that connects " : "after power-on ");
        snprintf(avg_label, sizeof avg_label, "average %s over the whole trace (%s)", a, d);
    }
#undef WAKE_T
    free(wk);
    double ymin, ymax, tscale;
    trace_yrange(fmin(lo, avg), peak, &ymin, &ymax);
    const char *tunit;
    chart_unit(DIM_TIME, w1 - t0, &tscale, &tunit);
    /* the phases, merged by the name shown, as gnuplot rectangles */
    int nb = 0, cap = 64;
    trace_band *bd = malloc((size_t)cap * sizeof *bd);
    char names[32][64];
    int nnames = 0;
    if (!bd)
        abort();
    for (int j = 0; j + 1 < td.n; j++) {
        double ta = fmax(td.r[j].t, w0), tb = fmin(td.r[j + 1].t, w1);
        if (tb <= ta)
            continue;
        char lab[64];
        trace_label(td.r[j].phase, lab, sizeof lab);
        double xa = (ta - t0) * tscale, xb = (tb - t0) * tscale;
        if (nb && !strcmp(bd[nb - 1].name, lab)) {
            bd[nb - 1].xb = xb;
            continue;
        }
        if (nb == cap && !(bd = realloc(bd, (size_t)(cap *= 2) * sizeof *bd)))
            abort();
        int c = 0;
        while (c < nnames && strcmp(names[c], lab))
            c++;
        if (c == nnames && nnames < 32)
            snprintf(names[nnames++], 64, "%s", lab);
        bd[nb] = (trace_band){xa, xb, 0, 0, c, 0, ""};
        snprintf(bd[nb++].name, sizeof bd->name, "%s", lab);
    }
    /* every name labelled once (on its widest band), wide bands each */
    double span = (w1 - w0) * tscale, lo_x = (w0 - t0) * tscale;
    trace_band *lb[256];
    int nl = 0;
    for (int i = 0; i < nb; i++) {
        int widest = 1;
        for (int j = 0; j < nb && widest; j++)
            if (j != i && !strcmp(bd[j].name, bd[i].name) &&
                (bd[j].xb - bd[j].xa > bd[i].xb - bd[i].xa ||
                 (bd[j].xb - bd[j].xa == bd[i].xb - bd[i].xa && j < i)))
                widest = 0;
        bd[i].labelled = widest || bd[i].xb - bd[i].xa >= 0.06 * span;
        bd[i].c = (bd[i].xa + bd[i].xb) / 2;
        bd[i].p = bd[i].xb - bd[i].xa < 0.026 * span ? bd[i].xb + 0.013 * span : bd[i].c;
        if (bd[i].labelled && nl < 256)
            lb[nl++] = &bd[i];
    }
    double gap = 0.026 * span;
    /* a band narrower than a label has its label beside it (a leader
     * joins them), off the current's edges at the band */
    double want[256], at[256];
    for (int i = 0; i < nl; i++)
        want[i] = lb[i]->p;
    chart_spread(want, nl, gap, lo_x + 0.6 * gap, lo_x + span - 0.6 * gap, at);
    for (int i = 0; i < nl; i++)
        lb[i]->p = at[i];
    const char *tmpdir = getenv("TMPDIR");
    char pfile[4096];
    snprintf(pfile, sizeof pfile, "%s/impsim-phases-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(pfile);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        fprintf(stderr, "impsim: error: cannot write a temporary file in %s\n",
                tmpdir && *tmpdir ? tmpdir : "/tmp");
        free(bd);
        free(td.r);
        return -1;
    }
    int obj = 1, lab = 10, arrow = 10;
    for (int i = 0; i < nb; i++)
        fprintf(fp, "set object %d rect from %.9g, graph 0 to %.9g, graph 1 behind fc rgb '%s' "
                "fs solid 0.55 noborder\n", obj++, bd[i].xa, bd[i].xb,
                trace_shades[bd[i].shade % (int)(sizeof trace_shades / sizeof *trace_shades)]);
    for (int i = 0; i < nl; i++) {
        char txt[160];
        int moved = fabs(lb[i]->p - lb[i]->c) > 0.2 * gap || lb[i]->xb - lb[i]->xa < gap;
        fprintf(fp, "set label %d '%s' at %.9g, graph %s right rotate by 90 font smallfont "
                "tc rgb '#222222' boxed back\n", lab++, chart_gp_text(lb[i]->name, txt, sizeof txt),
                lb[i]->p, moved ? "0.935" : "0.985");
        if (moved)   /* a leader from the band's top to its label */
            fprintf(fp, "set arrow %d from %.9g, graph 1 to %.9g, graph 0.945 nohead lw 1 "
                    "lc rgb '#555555' front\n", arrow++, lb[i]->c, lb[i]->p);
    }
    fclose(fp);
    free(bd);
    char p[32], tt[768], vn[128], pp[96], al[384], full[640];
    char ph[64];
    trace_label(peak_ph, ph, sizeof ph);
    /* the variant's description on the first line when it fits the
     * chart's width at the title's size (~88 characters), else its own */
    int own = vdesc && strlen(what) + strlen(vname) + strlen(vdesc) + 7 > 88;
    snprintf(full, sizeof full, "%s on %s%s%s%s\n%s", what, vname,
             vdesc ? own ? "\n(" : " (" : "", vdesc ? vdesc : "", vdesc ? ")" : "", title);
    size_t vn_n = 8192;
    char *vars = malloc(vn_n);
    if (!vars)
        abort();
    snprintf(vars, vn_n,
             "datafile='%s'; phasefile='%s'; title='%s'; vname='%s'; "
             "t0=%.15g; w0=%.15g; w1=%.15g; tscale=%.9g; tunit='%s'; ymin=%g; ymax=%g; "
             "avg_uA=%.9g; avg_label='%s'; peak_t=%.15g; "
             "peak_uA=%.9g; peak_label='peak %s (%s)'; col='%s'",
             trace, pfile, chart_gp_text(full, tt, sizeof tt),
             chart_gp_text(vname, vn, sizeof vn), t0, w0, w1, tscale, tunit, ymin, ymax,
             avg * 1e6, chart_gp_text(avg_label, al, sizeof al), peak_t, peak * 1e6,
             chart_fmt(peak, DIM_CURRENT, p, 32), chart_gp_text(ph, pp, sizeof pp), col);
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
