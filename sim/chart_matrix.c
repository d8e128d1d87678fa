/* chart_matrix.c — charts across variants: the budget as stacked bars (by
 * activity or by component), the battery over life, life against a swept
 * parameter, and the Monte Carlo distribution. Each reads impsim's own CSV
 * output (or the files `impsim report` records), prepares what gnuplot
 * cannot (which variants ran, display units, the bars' stacking), and
 * draws with the script of the same name in plots/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "chart.h"

#define CHART_MAX_PARTS 48

/* A temporary file for gnuplot's input; path in buf. */
static FILE *chart_tmp(char *buf, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, n, "%s/impsim-chart-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(buf);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp)
        fprintf(stderr, "impsim: error: cannot write a temporary file in %s\n",
                dir && *dir ? dir : "/tmp");
    return fp;
}

/* Split a CSV line in place into at most max fields; returns the count. */
static int chart_split(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

const char *chart_color(int i)
{
    static const char *const c[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                    "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
    return c[(i < 0 ? 0 : i) % 10];
}

/* ---- budget ---- */

typedef struct {
    char name[64];
    double v[CHART_MAX_PARTS];      /* A, per variant */
} chart_part;

/* A budget part's label text: its current and its share of the total,
 * "3.025 µA (2 %)"; shares under 1 % with a decimal, under 0.1 % as
 * "<0.1 %" (not a misleading "0 %"). */
static void chart_part_value(double part_A, double total_A, char *buf, size_t n)
{
    char val[64], sh[24];
    double share = 100 * part_A / total_A;
    chart_fmt(part_A, DIM_CURRENT, val, sizeof val);
    if (share >= 1)
        snprintf(sh, sizeof sh, "%.0f %%", share);
    else if (share >= 0.1)
        snprintf(sh, sizeof sh, "%.1f %%", share);
    else
        snprintf(sh, sizeof sh, "<0.1 %%");
    snprintf(buf, n, "%s (%s)", val, sh);
}

int chart_budget(const char *const *csv, const char *const *names, int n, const char *by,
                 const char *title, const char *out)
{
    static chart_part parts[CHART_MAX_PARTS];
    int np = 0;
    double total[CHART_MAX_PARTS] = {0}, vmax = 0;
    if (n > CHART_MAX_PARTS)
        n = CHART_MAX_PARTS;
    memset(parts, 0, sizeof parts);
    for (int v = 0; v < n; v++) {
        FILE *fp = fopen(csv[v], "r");
        if (!fp) {
            fprintf(stderr, "impsim: error: %s: cannot read the budget\n", csv[v]);
            return -1;
        }
        char line[1024], *f[8];
        double dur = 0;
        int rows = 0;
        while (fgets(line, sizeof line, fp)) {
            int k = chart_split(line, f, 8);
            if (k < 7)
                continue;
            if (!strcmp(f[0], "total")) {
                dur = strtod(f[3], NULL);
                total[v] = strtod(f[4], NULL);
                rows++;
            } else if (!strcmp(f[0], by) && dur > 0) {
                /* a component's average current, or an activity's charge
                 * spread over the duration: both sum to the total */
                double a = !strcmp(by, "activity") ? strtod(f[5], NULL) / dur : strtod(f[4], NULL);
                if (!(a > 0) || !isfinite(a))
                    continue;   /* zero parts are left out */
                int p = 0;
                while (p < np && strcmp(parts[p].name, f[1]))
                    p++;
                if (p == np && np < CHART_MAX_PARTS)
                    snprintf(parts[np++].name, sizeof parts[0].name, "%s", f[1]);
                if (p < np)
                    parts[p].v[v] += a;
            }
        }
        fclose(fp);
        if (!rows) {
            fprintf(stderr, "%s:1:1: error: found no 'total' row, expected the CSV of "
                    "impsim run --format csv\n", csv[v]);
            return -1;
        }
        vmax = fmax(vmax, total[v]);
    }
    double scale;
    const char *unit;
    chart_unit(DIM_CURRENT, vmax, &scale, &unit);
    /* the axis: room above the tallest bar for its total; a label's height
     * in axis units (the small font on the plot's height) */
    double top = vmax * scale * 1.12, mag = pow(10, floor(log10(top)));
    static const double nice[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
    for (size_t k = 0; k < sizeof nice / sizeof *nice; k++)
        if (nice[k] * mag >= top) {
            top = nice[k] * mag;
            break;
        }
    double lh = 0.042 * top, hw = 0.15;
    /* a character of the labels' font, in x axis units: the plot is ~1330
     * px of the 1600 px PNG (the SVG is the same at its scale) over
     * n + 0.8 units, a character ~9.3 px */
    double cw = 9.3 * (n + 0.8) / 1330;
    char dfile[4096], tfile[4096], lfile[4096];
    FILE *d = chart_tmp(dfile, sizeof dfile);
    FILE *t = d ? chart_tmp(tfile, sizeof tfile) : NULL;
    FILE *l = t ? chart_tmp(lfile, sizeof lfile) : NULL;
    if (!l) {
        if (d)
            fclose(d), unlink(dfile);
        if (t)
            fclose(t), unlink(tfile);
        return -1;
    }
    size_t xn = 256 + (size_t)n * 160;
    char *xt = malloc(xn), buf[160], a[32];
    if (!xt)
        abort();
    snprintf(xt, xn, "set xtics (");
    for (int v = 0; v < n; v++) {
        snprintf(xt + strlen(xt), xn - strlen(xt), "%s'%s' %d", v ? ", " : "",
                 chart_gp_text(names[v], buf, sizeof buf), v);
        /* every part named with its value and share: inside its segment
         * when two lines fit, else beside the bar (a leader to it), the
         * labels beside spread so that none overlaps another */
        double base = 0, want[CHART_MAX_PARTS], at[CHART_MAX_PARTS];
        int out_p[CHART_MAX_PARTS], no = 0;
        for (int p = 0; p < np; p++) {
            double x = parts[p].v[v] * scale;
            if (!(x > 0))
                continue;
            fprintf(d, "%d,%.9g,%.9g,%d\n", v, base, base + x, p + 1);
            char vl[96];
            chart_part_value(parts[p].v[v], total[v], vl, sizeof vl);
            size_t wide = strlen(vl) > strlen(parts[p].name) ? strlen(vl) : strlen(parts[p].name);
            if (x >= 2.3 * lh && wide * cw <= 2 * hw) {
                fprintf(l, "%d,%.9g,%s,0,0,0,0\n", v, base + x / 2 + lh / 2,
                        chart_gp_word(parts[p].name, buf, sizeof buf));
                fprintf(l, "%d,%.9g,%s,0,0,0,0\n", v, base + x / 2 - lh / 2, vl);
            } else if (no < CHART_MAX_PARTS) {
                want[no] = base + x / 2;
                out_p[no++] = p;
            }
            base += x;
        }
        chart_spread(want, no, lh, lh / 2, top - lh / 2, at);
        for (int k = 0, p; k < no; k++) {
            p = out_p[k];
            char vl[96];
            chart_part_value(parts[p].v[v], total[v], vl, sizeof vl);
            /* label at (v + hw + 0.06, at); leader from the bar's edge */
            fprintf(l, "%.4f,%.9g,%s %s,1,%.4f,%.9g,%.9g\n", v + hw + 0.06, at[k],
                    chart_gp_word(parts[p].name, buf, sizeof buf), vl, v + hw, want[k],
                    at[k] - want[k]);
        }
        fprintf(t, "%d,%.9g,%s\n", v, total[v] * scale, chart_fmt(total[v], DIM_CURRENT, a, 32));
    }
    snprintf(xt + strlen(xt), xn - strlen(xt), ")");
    fclose(d);
    fclose(t);
    fclose(l);
    size_t vn = xn + 2048;
    char *vars = malloc(vn), tt[512];
    if (!vars)
        abort();
    snprintf(vars, vn, "datafile='%s'; totalfile='%s'; labelfile='%s'; title='%s'; "
             "xtics_cmd=\"%s\"; nparts=%d; nvar=%d; unit='%s'; ytop=%.9g; hw=%.3f", dfile, tfile,
             lfile, chart_gp_text(title, tt, sizeof tt), xt, np, n, unit, top, hw);
    int rc = np ? chart_draw("budget", vars, out) : -1;
    if (!np)
        fprintf(stderr, "impsim: error: no %s draws any current: nothing to chart\n", by);
    unlink(dfile);
    unlink(tfile);
    unlink(lfile);
    free(vars);
    free(xt);
    return rc;
}

/* ---- battery over life ---- */

int chart_battery(const char *const *curve, const char *const *names, const char *const *colors,
                  int n, double cutoff_V, double wifimin_V, const char *title, const char *out)
{
    size_t ln = 64 + (size_t)n * 4200;
    char *files = calloc(1, ln), *nm = calloc(1, ln), *cl = calloc(1, ln), buf[160];
    if (!files || !nm || !cl)
        abort();
    double vlo = INFINITY, vhi = 0;
    for (int i = 0; i < n; i++) {
        FILE *fp = fopen(curve[i], "r");
        char line[512], *f[6];
        while (fp && fgets(line, sizeof line, fp))
            if (chart_split(line, f, 6) >= 4 && strtod(f[2], NULL) > 0) {
                vlo = fmin(vlo, strtod(f[2], NULL));
                vhi = fmax(vhi, strtod(f[3], NULL));
            }
        if (fp)
            fclose(fp);
        snprintf(files + strlen(files), ln - strlen(files), "%s%s", i ? " " : "", curve[i]);
        snprintf(nm + strlen(nm), ln - strlen(nm), "%s%s", i ? " " : "",
                 chart_gp_word(names[i], buf, sizeof buf));
        snprintf(cl + strlen(cl), ln - strlen(cl), "%s%s", i ? " " : "", colors[i]);
    }
    if (!(vhi > 0)) {
        fprintf(stderr, "impsim: error: no battery curve to chart\n");
        free(files), free(nm), free(cl);
        return -1;
    }
    vlo = fmin(vlo, fmin(cutoff_V > 0 ? cutoff_V : vlo, wifimin_V > 0 ? wifimin_V : vlo));
    /* room below the lower limit for its name, which goes under it */
    vlo = floor((vlo - 0.1 - 0.09 * (vhi - vlo)) * 10) / 10;
    vhi = ceil((vhi + 0.05) * 10) / 10;
    /* the higher limit is named above its line, the lower below its own */
    double cut_dy = cutoff_V > 0 && wifimin_V > cutoff_V ? -0.75 : 0.75, wifi_dy = -cut_dy;
    char cut_label[96];
    snprintf(cut_label, sizeof cut_label, "%s %.2f V",
             wifimin_V > 0 && fabs(wifimin_V - cutoff_V) < 1e-9 ? "cell cut-off and WiFi minimum"
                                                                : "cell cut-off", cutoff_V);
    size_t vn = 3 * ln + 1024;
    char *vars = malloc(vn), tt[512];
    if (!vars)
        abort();
    snprintf(vars, vn, "files='%s'; names='%s'; colors='%s'; n=%d; title='%s'; cutoff=%.6g; "
             "wifimin=%.6g; cutoff_label='%s'; cutoff_dy=%g; wifimin_dy=%g; vlo=%.3g; vhi=%.3g",
             files, nm, cl, n, chart_gp_text(title, tt, sizeof tt), cutoff_V, wifimin_V, cut_label,
             cut_dy, wifi_dy, vlo, vhi);
    int rc = chart_draw("battery", vars, out);
    free(vars), free(files), free(nm), free(cl);
    return rc;
}

/* ---- sweep ---- */

/* The dimension whose SI unit name is `si` (the sweep header's suffix). */
static units_dim chart_dim_of(const char *si)
{
    for (int d = 1; d < DIM__COUNT; d++)
        if (!strcmp(units_si_name((units_dim)d), si))
            return (units_dim)d;
    return DIM_NONE;
}

#define CHART_MAX_COLS 64

int chart_sweep(const char *csv, const char *title, double target_s, double min_ratio,
                const char *deep, double horizon_s, double break_even, double here,
                const char *out)
{
    FILE *fp = fopen(csv, "r");
    if (!fp) {
        fprintf(stderr, "impsim: error: %s: cannot read the sweep\n", csv);
        return -1;
    }
    char head[8192], line[8192], *h[CHART_MAX_COLS], *f[CHART_MAX_COLS];
    if (!fgets(head, sizeof head, fp)) {
        fclose(fp);
        fprintf(stderr, "%s:1:1: error: found an empty file, expected impsim sweep CSV\n", csv);
        return -1;
    }
    int nh = chart_split(head, h, CHART_MAX_COLS), bc = 0;
    /* columns: PARAM, then per variant life_s and avg_current_A, then
     * break_even; after it impsim sweep may add VARIANT_ended_by (a life
     * column is empty when the battery outlived the horizon: ended_by
     * "not-depleted") and Monte Carlo quantiles (not drawn) */
    for (int c = 1; c < nh && !bc; c++)
        if (!strcmp(h[c], "break_even"))
            bc = c;
    int ended[CHART_MAX_COLS];      /* per life column: its VARIANT_ended_by column, or 0 */
    for (int c = 1; c + 1 < bc; c += 2) {
        char want[200];
        snprintf(want, sizeof want, "%.*s_ended_by", (int)(strlen(h[c]) > 7 ? strlen(h[c]) - 7 : 0),
                 h[c]);
        ended[c] = 0;
        for (int k = bc + 1; k < nh && !ended[c]; k++)
            if (!strcmp(h[k], want))
                ended[c] = k;
    }
    /* which variants ran (a life, else a current, in some row) */
    int has_life[CHART_MAX_COLS] = {0}, has_cur[CHART_MAX_COLS] = {0}, any_life = 0, rows = 0;
    double xmax = 0, xmin = INFINITY, ymax = 0, ymin = INFINITY, be[CHART_MAX_COLS];
    int nbe = 0, over = 0;
    while (fgets(line, sizeof line, fp)) {
        int k = chart_split(line, f, CHART_MAX_COLS);
        if (k < nh)
            continue;
        rows++;
        double x = strtod(f[0], NULL);
        xmax = fmax(xmax, x), xmin = fmin(xmin, x);
        for (int c = 1; c + 1 < bc; c += 2) {
            if (*f[c]) {
                double y = strtod(f[c], NULL);
                has_life[c] = any_life = 1;
                if (horizon_s > 0 && y >= 0.999 * horizon_s)
                    over = 1;
                else
                    ymax = fmax(ymax, y), ymin = fmin(ymin, y);
            } else if (ended[c] && ended[c] < k && !strcmp(f[ended[c]], "not-depleted")) {
                has_life[c] = any_life = over = 1;   /* drawn at the horizon, as such */
            }
            if (*f[c + 1])
                has_cur[c] = 1;
        }
        if (*f[bc] && nbe < CHART_MAX_COLS && !(break_even > 0))
            be[nbe++] = strtod(f[bc], NULL);
    }
    fclose(fp);
    if (break_even > 0)
        be[nbe++] = break_even;
    char *us = strrchr(h[0], '_');
    if (!rows || bc < 3 || !us) {
        fprintf(stderr, "%s:1:1: error: found '%.60s', expected the CSV of impsim sweep "
                "(PARAM_UNIT,VARIANT_life_s,VARIANT_avg_current_A,...,break_even)\n", csv, h[0]);
        return -1;
    }
    units_dim dim = chart_dim_of(us + 1);
    *us = '\0';
    double xscale, yscale;
    const char *xunit, *yunit;
    /* on a log axis the unit suits the middle of the range (1 min..6 h in min) */
    chart_unit(dim, xmin > 0 && xmax / xmin >= 20 ? sqrt(xmin * xmax) * 3 : xmax, &xscale, &xunit);
    if (!*xunit)
        xunit = "-";
    if (any_life) {
        /* life in days on every chart of life, so charts compare */
        yscale = 1 / 86400.0, yunit = "d";
    }
    size_t ln = 4096 + (size_t)nh * 80;
    char *cols = calloc(1, ln), *ecols = calloc(1, ln), *nm = calloc(1, ln), *cl = calloc(1, ln), *bes = calloc(1, ln),
         *bel = calloc(1, ln), buf[160], a[32];
    if (!cols || !ecols || !nm || !cl || !bes || !bel)
        abort();
    int n = 0, bar_col = 0;
    for (int c = 1; c + 1 < bc; c += 2) {
        int col = any_life ? c : c + 1;
        if (any_life ? !has_life[c] : !has_cur[c])
            continue;   /* a variant that cannot run: not drawn */
        char name[160];
        snprintf(name, sizeof name, "%s", h[c]);
        char *suf = strstr(name, "_life_s");
        if (suf)
            *suf = '\0';
        if (deep && !strcmp(name, deep))
            bar_col = c + 1;
        snprintf(cols + strlen(cols), ln - strlen(cols), "%s%d", n ? " " : "", col + 1);
        snprintf(ecols + strlen(ecols), ln - strlen(ecols), "%s%d", n ? " " : "",
                 any_life && ended[c] ? ended[c] + 1 : 0);
        snprintf(nm + strlen(nm), ln - strlen(nm), "%s%s", n ? " " : "",
                 chart_gp_word(name, buf, sizeof buf));
        snprintf(cl + strlen(cl), ln - strlen(cl), "%s%s", n ? " " : "", chart_color((c - 1) / 2));
        n++;
    }
    if (!any_life) {
        yscale = 1;
        chart_unit(DIM_CURRENT, ymax, &yscale, &yunit);
        bar_col = 0;
    }
    for (int b = 0; b < nbe; b++) {
        snprintf(bes + strlen(bes), ln - strlen(bes), "%s%.9g", b ? " " : "", be[b] * xscale);
        snprintf(bel + strlen(bel), ln - strlen(bel), "%sbreak-even\xc2\xa0%s", b ? " " : "",
                 chart_gp_word(chart_fmt(be[b], dim, a, 32), buf, sizeof buf));
    }
    char xname[160], tt[512], tl[96] = "", bl[160] = "", hl[96] = "";
    if (!strcmp(h[0], "scenario.every"))
        snprintf(xname, sizeof xname, "wake period");
    else
        chart_gp_text(h[0], xname, sizeof xname);
    if (target_s > 0)
        snprintf(tl, sizeof tl, "target %s", chart_fmt(target_s, DIM_TIME, a, 32));
    if (bar_col && min_ratio > 0 && !(target_s > 0))
        snprintf(bl, sizeof bl, "bar: %.0f %% of %s", 100 * min_ratio,
                 chart_gp_text(deep, buf, sizeof buf));
    else
        bar_col = 0;
    if (over)
        snprintf(hl, sizeof hl, "not depleted within %s (drawn at it)",
                 chart_fmt(horizon_s, DIM_TIME, a, 32));
    char hel[96] = "";
    if (here > 0)
        snprintf(hel, sizeof hel, "this scenario: %s", chart_fmt(here, dim, a, 32));
    int logx = xmin > 0 && xmax / xmin >= 20, logy = ymin > 0 && ymax / ymin >= 20;
    size_t vn = 6 * ln + 2048;
    char *vars = malloc(vn);
    if (!vars)
        abort();
    snprintf(vars, vn,
             "datafile='%s'; title='%s'; cols='%s'; ecols='%s'; names='%s'; colors='%s'; n=%d; xscale=%.9g; "
             "xunit='%s'; xname='%s'; logx=%d; yscale=%.9g; yname='%s'; yunit='%s'; logy=%d; "
             "horizon=%.9g; has_over=%d; horizon_label='%s'; nbe=%d; bes='%s'; be_labels='%s'; "
             "target=%.9g; target_label='%s'; bar_col=%d; bar_ratio=%.9g; bar_label='%s'; "
             "here=%.9g; here_label='%s'",
             csv, chart_gp_text(title, tt, sizeof tt), cols, ecols, nm, cl, n, xscale, xunit, xname,
             logx, yscale, any_life ? "battery life" : "average current", yunit, logy,
             horizon_s > 0 ? horizon_s * yscale : 0, over, hl, nbe, bes, bel,
             target_s > 0 && any_life ? target_s * yscale : 0, tl, bar_col, min_ratio, bl,
             here > 0 ? here * xscale : 0, hel);
    int rc = n ? chart_draw("sweep", vars, out) : -1;
    if (!n)
        fprintf(stderr, "impsim: error: %s: no variant ran at any point: nothing to chart\n", csv);
    free(vars), free(cols), free(ecols), free(nm), free(cl), free(bes), free(bel);
    return rc;
}

/* ---- Monte Carlo ---- */

int chart_mc(const char *samples, const char *summary, const char *const *names, int n,
             long nsamples, double target_s, const char *title, const char *out)
{
    FILE *fp = fopen(summary, "r");
    double lo = INFINITY, hi = 0;
    char line[512], *f[8];
    while (fp && fgets(line, sizeof line, fp))
        if (chart_split(line, f, 8) >= 4) {
            lo = fmin(lo, strtod(f[1], NULL));
            hi = fmax(hi, strtod(f[3], NULL));
        }
    if (fp)
        fclose(fp);
    if (!(hi > 0)) {
        fprintf(stderr, "impsim: error: %s: no Monte Carlo summary to chart\n", summary);
        return -1;
    }
    double xscale;
    const char *xunit;
    chart_unit(DIM_TIME, fmax(hi, target_s), &xscale, &xunit);
    size_t yn = 64 + (size_t)n * 180;
    char *yt = malloc(yn), buf[160], tt[512], tl[96] = "", a[32];
    if (!yt)
        abort();
    snprintf(yt, yn, "set ytics (");
    for (int i = 0; i < n; i++)
        snprintf(yt + strlen(yt), yn - strlen(yt), "%s'%s' %d", i ? ", " : "",
                 chart_gp_text(names[i], buf, sizeof buf), i);
    snprintf(yt + strlen(yt), yn - strlen(yt), ")");
    if (target_s > 0)
        snprintf(tl, sizeof tl, "target %s", chart_fmt(target_s, DIM_TIME, a, 32));
    size_t vn = yn + 2048;
    char *vars = malloc(vn);
    if (!vars)
        abort();
    snprintf(vars, vn, "datafile='%s'; pfile='%s'; title='%s'; ytics_cmd=\"%s\"; ny=%d; "
             "xscale=%.9g; xunit='%s'; logx=%d; target=%.9g; target_label='%s'; nsamples=%ld",
             samples, summary, chart_gp_text(title, tt, sizeof tt), yt, n, xscale, xunit,
             lo > 0 && hi / lo >= 20, target_s > 0 ? target_s * xscale : 0, tl, nsamples);
    int rc = chart_draw("mc", vars, out);
    free(vars);
    free(yt);
    return rc;
}
