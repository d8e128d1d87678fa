/* cmd_sweep.c — `impsim sweep FILE.scn --param NAME=LO..HI`: battery life of
 * every variant across a parameter's range, break-even points marked. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "num.h"
#include "pipeline.h"
#include "assume.h"
#include "diag.h"
#include "matrix.h"
#include "mc.h"
#include "outfile.h"
#include "units.h"

static const char sweep_usage[] =
    "Usage: impsim sweep FILE.scn --param NAME=LOW..HIGH [--steps N] [--log] [OPTIONS]\n"
    "Battery life (or, without a battery, average current) of every variant across\n"
    "a parameter's range, as CSV (default), JSON or a text table (--format text:\n"
    "lives in days, '-' where a variant is not possible); the break-even points\n"
    "where the best variant without deep sleep and crystal crosses the deep-sleep\n"
    "variant's battery life are marked (interpolated between steps; decide's\n"
    "break-even is where the steady average currents are equal, a few per cent\n"
    "away). Runs use every CPU.\n"
    "\n"
    "  --param NAME=LOW..HIGH    every (the wake period of the `every` tasks, scaled\n"
    "                            together), or any model.KEY, scenario.KEY,\n"
    "                            scenario.NAME.FIELD (one task's period, a pin\n"
    "                            rate, a chance block's probability, a load's\n"
    "                            current: scenarios/README.md) or battery.KEY with\n"
    "                            a number; bounds with units (every=1min..24h,\n"
    "                            scenario.upload.period=5min..1h,\n"
    "                            scenario.alarm.chance=0%..10%,\n"
    "                            model.cpu.stop.current=10uA..60uA)\n"
    "  --steps N                 points, both ends included (default 20); the points\n"
    "                            between the ends are rounded to 4 significant digits\n"
    "                            (more where needed to keep them distinct)\n"
    "  --log                     logarithmic spacing\n"
    "  --monte-carlo N           at every point, also sample the uncertain figures N\n"
    "                            times (the summary of impsim compare/decide): CSV\n"
    "                            columns VARIANT_life_p10_s/_p50_s/_p90_s, JSON\n"
    "                            \"monte_carlo\" per point, text the P50 in brackets\n"
    "  --seed S                  seed for --monte-carlo (default 1)\n"
    "  --set, --figures, --variant, --format csv|json|text, -o, -j, --max-events  as for\n"
    "                            compare\n";

typedef struct {
    char key[128];
    double lo, hi;
    units_dim dim;
} sweep_param;

static int sweep_bound(const char *text, size_t len, double *v, units_dim *dim)
{
    char buf[64], num[64];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    int n = units_split(buf);
    snprintf(num, sizeof num, "%.*s", n, buf);
    const char *unit = buf + n;
    while (*unit == ' ')
        unit++;
    return n ? units_parse(num, unit, v, dim) : -1;
}

static int sweep_parse_param(const char *arg, int log_scale, sweep_param *p)
{
    const char *eq = strchr(arg, '='), *dots = eq ? strstr(eq, "..") : NULL;
    units_dim d2;
    if (!eq || !dots || eq == arg || (size_t)(eq - arg) >= sizeof p->key ||
        sweep_bound(eq + 1, (size_t)(dots - eq - 1), &p->lo, &p->dim) ||
        sweep_bound(dots + 2, strlen(dots + 2), &p->hi, &d2) || d2 != p->dim ||
        !(p->hi > p->lo) || (log_scale && !(p->lo > 0)))
        return cli_usage_error("sweep", "--param: found '%s', expected NAME=LOW..HIGH with "
                               "LOW < HIGH in the same unit (LOW > 0 with --log)", arg);
    snprintf(p->key, sizeof p->key, "%.*s", (int)(eq - arg), arg);
    if (!strcmp(p->key, "every"))
        snprintf(p->key, sizeof p->key, "scenario.every");
    if (!strcmp(p->key, "scenario.every") && p->dim != DIM_TIME)
        return cli_usage_error("sweep", "--param every: expected times (e.g. every=1min..24h)");
    if (strncmp(p->key, "model.", 6) && strncmp(p->key, "scenario.", 9) &&
        strncmp(p->key, "battery.", 8))
        return cli_usage_error("sweep", "--param: found '%s', expected every, model.KEY, "
                               "scenario.KEY or battery.KEY", p->key);
    return 0;
}

static double sweep_value(const sweep_param *p, int i, int steps, int log_scale)
{
    double f = (double)i / (steps - 1);
    return log_scale ? p->lo * pow(p->hi / p->lo, f) : p->lo + (p->hi - p->lo) * f;
}

/* x to `digits` significant digits: the double nearest that decimal
 * (through its text: a scale by a power of ten is inexact, 1e-5 is not a
 * binary fraction, and left 185599999.99999997 for 1.856e8). */
static double sweep_round(double x, int digits)
{
    char buf[40];
    if (!isfinite(x))
        return x;
    snprintf(buf, sizeof buf, "%.*e", digits - 1, x);
    return strtod(buf, NULL);
}

/* The points x[0..steps): the ends as given, the points between them
 * rounded to 4 significant digits, or to as many more as keep every point
 * strictly between its neighbours. Why: a user reads 124.2 s better than
 * 124.19429964770073 s, and a round period has a common multiple with the
 * radio's 60-s calibration and keepalive timers within the run, so a
 * variant that stays associated is fast-forwarded exactly instead of
 * simulated day by day (the tide gauge's 100-step sweep: its budgets at
 * 98 of the points went event by event). */
static void sweep_points(const sweep_param *p, int steps, int log_scale, double *x)
{
    for (int digits = 4; digits <= 17; digits++) {
        int ok = 1;
        for (int i = 0; i < steps; i++) {
            double v = i == 0              ? p->lo
                       : i == steps - 1 ? p->hi
                                        : sweep_value(p, i, steps, log_scale);
            x[i] = i == 0 || i == steps - 1 || digits == 17 ? v : sweep_round(v, digits);
            if (i > 0 && !(x[i] > x[i - 1]))
                ok = 0;
        }
        if (ok || digits == 17)
            return;
    }
}

/* Sign of (best awake variant - deep variant) merit at a row, 0 if unknown. */
static int sweep_sign(const matrix_opts *o, const variant_result *row)
{
    int d = variant_best(&o->vs, row, VAR_DEEP), a = variant_best(&o->vs, row, VAR_AWAKE);
    if (d < 0 || a < 0)
        return 0;
    return variant_merit(&row[a]) > variant_merit(&row[d]) ? 1 : -1;
}

/* Crossing between rows i and i+1 (interpolated on the merit difference). */
static double sweep_cross(const matrix_opts *o, const variant_result *res, const double *x,
                          int i, int log_scale)
{
    const variant_result *r0 = res + (size_t)i * o->vs.n, *r1 = r0 + o->vs.n;
    double f0 = variant_merit(&r0[variant_best(&o->vs, r0, VAR_AWAKE)]) -
                variant_merit(&r0[variant_best(&o->vs, r0, VAR_DEEP)]);
    double f1 = variant_merit(&r1[variant_best(&o->vs, r1, VAR_AWAKE)]) -
                variant_merit(&r1[variant_best(&o->vs, r1, VAR_DEEP)]);
    double t = f0 / (f0 - f1);
    return log_scale ? x[i] * pow(x[i + 1] / x[i], t) : x[i] + (x[i + 1] - x[i]) * t;
}

/* The physical warnings over every point and variant, each kind once: its
 * figures are those of the first variant and point that raised it, named
 * with the point (physwarn.at: "imp004m-deep at 1 min"). */
static void sweep_warnings(const matrix_opts *o, const sweep_param *p, const double *x,
                           const variant_result *res, physwarn_list *w)
{
    int nv = o->vs.n;
    memset(w, 0, sizeof *w);
    for (int i = 0; i < o->steps; i++)
        for (int v = 0; v < nv; v++)
            if (res[(size_t)i * nv + v].ok) {
                int had = w->n;
                physwarn_add(w, &res[(size_t)i * nv + v].facts, o->vs.v[v].name);
                char a[32];
                for (int k = had; k < w->n; k++)
                    snprintf(w->v[k].at, sizeof w->v[k].at, "at %s",
                             units_format(x[i], p->dim, a, sizeof a));
            }
}

/* A Monte Carlo quantile as a CSV cell: empty when it is no life. */
static void sweep_csv_q(FILE *fp, const mc_result *m, int v, double q)
{
    if (m->v[v].n_ok && m->v[v].has_life && q > 0 && q < m->horizon_s)
        fprintf(fp, ",%s", NUM_C(q));
    else
        fputs(",", fp);
}

static void sweep_csv(const matrix_opts *o, const sweep_param *p, const double *x,
                      const variant_result *res, const double *cross, const mc_result *mc,
                      FILE *fp)
{
    int nv = o->vs.n;
    fprintf(fp, "%s_%s", p->key, units_si_name(p->dim)[0] ? units_si_name(p->dim) : "value");
    for (int v = 0; v < nv; v++)
        fprintf(fp, ",%s_life_s,%s_avg_current_A", o->vs.v[v].name, o->vs.v[v].name);
    fputs(",break_even", fp);
    for (int v = 0; v < nv; v++)
        fprintf(fp, ",%s_ended_by", o->vs.v[v].name);
    for (int v = 0; mc && v < nv; v++)
        fprintf(fp, ",%s_life_p10_s,%s_life_p50_s,%s_life_p90_s", o->vs.v[v].name,
                o->vs.v[v].name, o->vs.v[v].name);
    fputc('\n', fp);
    for (int i = 0; i < o->steps; i++) {
        fprintf(fp, "%s", NUM_C(x[i]));
        for (int v = 0; v < nv; v++) {
            const variant_result *r = &res[(size_t)i * nv + v];
            /* a life only when it is one: empty when the battery outlasted
             * the horizon or cannot deliver the WiFi peak (VARIANT_ended_by) */
            if (r->ok && r->has_life && r->depleted && !r->peak_fails)
                fprintf(fp, ",%s,%s", NUM_C(r->life_s), NUM_C(r->avg_current_A));
            else if (r->ok)
                fprintf(fp, ",,%s", NUM_C(r->avg_current_A));
            else
                fputs(",,", fp);
        }
        if (!isnan(cross[i]))
            fprintf(fp, ",%s", NUM_C(cross[i]));
        else
            fputs(",", fp);
        for (int v = 0; v < nv; v++) {
            const variant_result *r = &res[(size_t)i * nv + v];
            fprintf(fp, ",%s", !r->ok ? (r->max_events_needed > 0 ? "not-evaluated" : "")
                               : !r->has_life ? "" : r->peak_fails ? "wifi-peak" : r->ended_by);
        }
        for (int v = 0; mc && v < nv; v++) {
            sweep_csv_q(fp, &mc[i], v, mc[i].v[v].p10);
            sweep_csv_q(fp, &mc[i], v, mc[i].v[v].p50);
            sweep_csv_q(fp, &mc[i], v, mc[i].v[v].p90);
        }
        fputc('\n', fp);
    }
    physwarn_list w;
    sweep_warnings(o, p, x, res, &w);
    physwarn_csv(&w, fp);
    if (o->assume)
        assume_csv(o->assume, fp);
}

static void sweep_json(const matrix_opts *o, const sweep_param *p, const double *x,
                       const variant_result *res, const double *cross, const mc_result *mc,
                       FILE *fp)
{
    int nv = o->vs.n;
    fputs("{\"scenario\": ", fp);
    report_json_str(fp, o->file);
    fprintf(fp, ", \"param\": \"%s\", \"unit\": \"%s\",\n \"points\": [", p->key, units_si_name(p->dim));
    for (int i = 0; i < o->steps; i++) {
        fprintf(fp, "%s\n  {\"value\": %s, \"variants\": {", i ? "," : "", NUM_J(x[i]));
        for (int v = 0; v < nv; v++) {
            const variant_result *r = &res[(size_t)i * nv + v];
            fprintf(fp, "%s\"%s\": ", v ? ", " : "", o->vs.v[v].name);
            if (!r->ok)
                fputs("null", fp);
            else if (r->has_life && r->depleted && !r->peak_fails)
                fprintf(fp, "{\"life_s\": %s, \"avg_current_A\": %s}", NUM_J(r->life_s), NUM_J(r->avg_current_A));
            else if (r->has_life)
                fprintf(fp, "{\"life_s\": null, \"depleted\": %s, \"peak_fails\": %s, "
                        "\"avg_current_A\": %s}", r->depleted ? "true" : "false",
                        r->peak_fails ? "true" : "false", NUM_J(r->avg_current_A));
            else
                fprintf(fp, "{\"avg_current_A\": %s}", NUM_J(r->avg_current_A));
        }
        fputs("}", fp);
        if (mc) {
            matrix_opts jo = *o;
            jo.fmt = REPORT_JSON;
            fputs(", \"monte_carlo\": ", fp);
            mc_print(&jo, &mc[i], fp);
        }
        fputs("}", fp);
    }
    fputs("\n ],\n \"break_even\": [", fp);
    int first = 1;
    for (int i = 0; i < o->steps; i++)
        if (!isnan(cross[i])) {
            fprintf(fp, "%s%s", first ? "" : ", ", NUM_J(cross[i]));
            first = 0;
        }
    physwarn_list w;
    sweep_warnings(o, p, x, res, &w);
    fputs("],\n \"warnings\": ", fp);
    physwarn_json(&w, fp);
    if (o->assume) {
        fputs(",\n \"assumptions\": ", fp);
        assume_json(o->assume, fp);
    }
    fputs("}\n", fp);
}

/* A text cell: the life in days ("> 1.096e+04" when not depleted, "none"
 * when the cell cannot deliver the WiFi peak), with the Monte Carlo P50. */
static const char *sweep_text_life(const variant_result *r, const mc_result *m, int v,
                                   char *buf, size_t n)
{
    char t[32];
    int k = r->peak_fails ? snprintf(buf, n, "none (peak)")
            : !r->depleted ? snprintf(buf, n, "> %s", units_format(r->facts.horizon_s, DIM_TIME, t, sizeof t))
                           : snprintf(buf, n, "%s", units_number_fig(r->life_s / 86400, t, sizeof t));
    if (m && m->v[v].n_ok && k > 0 && (size_t)k < n) {
        double q = m->v[v].p50;
        if (q <= 0)
            snprintf(buf + k, n - (size_t)k, " [none]");
        else if (q >= m->horizon_s)
            snprintf(buf + k, n - (size_t)k, " [> %.4g]", q / 86400);
        else
            snprintf(buf + k, n - (size_t)k, " [%s]", units_number_fig(q / 86400, t, sizeof t));
    }
    return buf;
}

/* Point i's label in the text table: as units_format gives it (4
 * significant digits, in the unit that reads best), or, with exact, the
 * point's value itself as the setting that ran (units_setting). */
static char *sweep_label(const sweep_param *p, double x, int exact, char *buf, int len)
{
    return exact ? units_setting(x, p->dim, buf, len) : units_format(x, p->dim, buf, len);
}

static void sweep_text(const matrix_opts *o, const sweep_param *p, const double *x,
                       const variant_result *res, const double *cross, const mc_result *mc,
                       FILE *fp)
{
    int nv = o->vs.n;
    char a[32], b[32];
    /* points closer than 4 digits tell apart (sweep_points kept more):
     * every label exact, so that no two rows read alike */
    int exact = 0;
    for (int i = 1; i < o->steps && !exact; i++)
        exact = !strcmp(sweep_label(p, x[i - 1], 0, a, sizeof a), sweep_label(p, x[i], 0, b, sizeof b));
    /* the first column is headed by the parameter (its cells carry their
     * unit); the lives are in days, said once in the title */
    const char *dot = strchr(p->key, '.');
    const char *head = dot && (!strncmp(p->key, "scenario.", 9) || !strncmp(p->key, "model.", 6))
                       ? dot + 1 : p->key;
    int width = strlen(head) > 12 ? (int)strlen(head) : 12;
    fprintf(fp, "impsim sweep: %s over %s (battery life in days, or the average current "
            "without a battery; '-' not possible%s)\n%-*s", o->file, p->key,
            mc ? "; [Monte Carlo P50]" : "", width, head);
    for (int v = 0; v < nv; v++)
        fprintf(fp, " %16.16s", o->vs.v[v].name);
    fputc('\n', fp);
    for (int i = 0; i < o->steps; i++) {
        fprintf(fp, "%-*s", width, sweep_label(p, x[i], exact, a, sizeof a));
        for (int v = 0; v < nv; v++) {
            const variant_result *r = &res[(size_t)i * nv + v];
            if (!r->ok)
                fprintf(fp, " %16s", "-");
            else if (r->has_life && mc)
                fprintf(fp, " %16s", sweep_text_life(r, &mc[i], v, a, sizeof a));
            else if (r->has_life)
                fprintf(fp, " %16s", sweep_text_life(r, NULL, v, a, sizeof a));
            else
                fprintf(fp, " %16s", units_format(r->avg_current_A, DIM_CURRENT, a, sizeof a));
        }
        fputc('\n', fp);
        if (!isnan(cross[i]))
            fprintf(fp, "  -- break-even at %s --\n", units_format(cross[i], p->dim, a, sizeof a));
    }
    physwarn_list w;
    sweep_warnings(o, p, x, res, &w);
    physwarn_text(&w, fp);
    if (o->assume)
        assume_text(o->assume, fp);
}

/* Every point of the range must be a valid setting of the scenario as it
 * is (0 or a negative value where the figure cannot be one, a period so
 * short the run is refused): loaded once each, before anything runs, so a
 * bad range is an error (exit 2) naming the point, not a row of empty
 * cells. */
static int sweep_check_points(const matrix_opts *o, const sweep_param *p, const double *x,
                              char **extra, int steps)
{
    char **all = calloc((size_t)o->sets.n + 1, sizeof *all);
    if (!all)
        abort();
    for (int k = 0; k < o->sets.n; k++)
        all[k] = o->sets.v[k];
    int rc = 0;
    for (int i = 0; i < steps && !rc; i++) {
        all[o->sets.n] = extra[i];
        diag *d = diag_new();
        pipeline pl;
        if (pipeline_load(&pl, o->file, all, o->sets.n + 1, d)) {
            char v[64];
            fprintf(stderr, "impsim: error: --param %s: the point %s (%d of %d) is not a valid "
                    "setting:\n", p->key, units_setting(x[i], p->dim, v, sizeof v), i + 1, steps);
            diag_print(d, stderr);
            rc = DIAG_EXIT_INPUT;
        } else {
            pipeline_free(&pl);
        }
        diag_free(d);
    }
    free(all);
    return rc;
}

static int sweep_run(matrix_opts *o, const sweep_param *p)
{
    int steps = o->steps, nv = o->vs.n;
    double *x = calloc((size_t)steps, sizeof *x), *cross = calloc((size_t)steps, sizeof *cross);
    char **extra = calloc((size_t)steps, sizeof *extra);
    variant_result *res = calloc((size_t)steps * nv, sizeof *res);
    if (!x || !cross || !extra || !res)
        abort();
    sweep_points(p, steps, o->log, x);
    for (int i = 0; i < steps; i++) {
        if (!(extra[i] = malloc(192)))
            abort();
        char v[64];
        snprintf(extra[i], 192, "%s=%s", p->key, units_setting(x[i], p->dim, v, sizeof v));
    }
    int rc = sweep_check_points(o, p, x, extra, steps);
    if (!rc)
        rc = variant_run_rows(o->file, o->sets.v, o->sets.n, extra, steps, &o->vs, o->jobs, res)
             ? DIAG_EXIT_SYS : 0;
    int any = 0;
    for (int i = 0; i < steps * nv; i++)
        any |= res[i].ok;
    if (!rc && !any) {
        fprintf(stderr, "%s\n", res[0].err);
        rc = DIAG_EXIT_INPUT;
    }
    /* A variant refused at some points (over the event limit, say) leaves
     * those points empty in every format: say so once per variant, with
     * the first refusal's reason, rather than let a chart or a break-even
     * rest silently on the points that ran. */
    for (int v = 0; !rc && v < nv; v++) {
        int nbad = 0, first = -1;
        for (int i = 0; i < steps; i++)
            if (!res[(size_t)i * nv + v].ok && res[(size_t)i * nv + v].max_events_needed > 0 &&
                !nbad++)
                first = i;
        char at[32];
        if (nbad)
            fprintf(stderr, "impsim sweep: warning: %s not evaluated at %d of %d points (its "
                    "cells are empty, its ended_by not-evaluated), e.g. at %s = %s: %s\n",
                    o->vs.v[v].name, nbad, steps, p->key,
                    units_format_fig(x[first], p->dim, at, sizeof at),
                    res[(size_t)first * nv + v].err);
    }
    mc_result *mc = NULL;
    if (!rc && o->mc) {
        if (!(mc = calloc((size_t)steps, sizeof *mc)))
            abort();
        for (int i = 0; i < steps && !rc; i++)
            rc = mc_run(o, extra[i], res + (size_t)i * nv, &mc[i]);
    }
    for (int i = 0; i < steps; i++) {
        int s0 = sweep_sign(o, res + (size_t)i * nv), s1 = i + 1 < steps ? sweep_sign(o, res + (size_t)(i + 1) * nv) : 0;
        cross[i] = s0 && s1 && s0 != s1 ? sweep_cross(o, res, x, i, o->log) : NAN;
    }
    if (!rc) {
        outfile *f = outfile_open(o->output ? o->output : "-");
        rc = DIAG_EXIT_SYS;
        if (f) {
            if (o->fmt == REPORT_JSON)
                sweep_json(o, p, x, res, cross, mc, outfile_fp(f));
            else if (o->fmt == REPORT_TEXT)
                sweep_text(o, p, x, res, cross, mc, outfile_fp(f));
            else
                sweep_csv(o, p, x, res, cross, mc, outfile_fp(f));
            rc = outfile_commit(f) ? DIAG_EXIT_SYS : 0;
        }
    }
    for (int i = 0; i < steps; i++)
        free(extra[i]);
    free(extra);
    free(mc);
    free(x);
    free(cross);
    free(res);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    matrix_opts o;
    sweep_param p;
    int rc = matrix_parse(argc, argv, sweep_usage, MX_SWEEP | MX_MC, &o);
    int explicit_text = 0;
    for (int i = 1; i < argc; i++)
        explicit_text |= !strcmp(argv[i], "text") && i > 1 && !strcmp(argv[i - 1], "--format");
    if (!rc && o.fmt == REPORT_TEXT && !explicit_text)
        o.fmt = REPORT_CSV;
    if (!rc)
        rc = sweep_parse_param(o.param, o.log, &p);
    assume *a = malloc(sizeof *a);
    if (!a)
        abort();
    if (!rc) {
        assume_collect(a, o.file, o.sets.v, o.sets.n, &o.vs, o.mc, o.seed);
        o.assume = a;
        rc = sweep_run(&o, &p);
    }
    free(a);
    matrix_free(&o);
    return rc < 0 ? 0 : rc;
}
