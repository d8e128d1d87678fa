/* calib.c — fit model figures to a measured capture; the method is in
 * calib.h. */
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calib.h"
#include "pipeline.h"
#include "scn_param.h"

#define CALIB_SIM_CYCLES 3
#define CALIB_PRE        0.01      /* of a cycle, before the wake */
#define CALIB_BINS_MAX   100000
#define CALIB_THR_MIN    100e-6    /* A */
#define CALIB_FLOOR_A    0.2e-6    /* A: a PPK2-class quantisation step */
#define CALIB_SIGMA_REL  0.01      /* an analyzer's gain error */
#define CALIB_PHI_MAX    1.3862943611198906   /* ln 4: figures within 4x */
#define CALIB_FD_STEP    1e-3      /* forward-difference step in log(figure) */
#define CALIB_MAX_REL    0.5       /* wider 95 % interval: not identified */

/* ---- the simulated cycle ------------------------------------------------ */

typedef struct {
    double *t, *i;
    int n, cap;
} calib_trace;

static int calib_trace_sample(void *ctx, double t, double i)
{
    calib_trace *tr = ctx;
    if (tr->n == tr->cap) {
        tr->cap = tr->cap ? 2 * tr->cap : 256;
        tr->t = realloc(tr->t, (size_t)tr->cap * sizeof *tr->t);
        tr->i = realloc(tr->i, (size_t)tr->cap * sizeof *tr->i);
        if (!tr->t || !tr->i)
            abort();
    }
    tr->t[tr->n] = t;
    tr->i[tr->n++] = i;
    return 0;
}

/* Add current i held over [a, b) (s from the cycle's start) into n bins
 * of width w: each bin gets i times its overlap. */
static void calib_accum(double *sum, int n, double w, double a, double b, double i)
{
    double end = n * w;
    if (a < 0)
        a = 0;
    if (b > end)
        b = end;
    int k = (int)(a / w);
    while (a < b && k < n) {
        double e = fmin(b, (k + 1) * w);
        if (e > a)
            sum[k] += i * (e - a);
        a = e;
        k++;
    }
}

typedef struct {
    const calib_opts *o;
    double every_s;          /* > 0: scenario.every for the measured cycle */
    const int *fit;          /* indices into o->keys being fitted */
    int nfit;
    const double *base;      /* SI value per key (o->keys order) */
    const units_dim *dim;
    /* the cycle */
    double P, pre, w;
    double quiet;           /* s: a wake is a rise after at least this long
                               below the threshold (calib_wakes) */
    int nb;
    const double *meas;     /* measured bins */
    double *logm;           /* log(smoothed measured + floor), this level; or
                               the measured cumulative charge (C) */
    int smooth;             /* moving-average half-width (bins), this level;
                               -1: compare cumulative charge */
    double qscale;          /* C: 0.1 % of the measured cycle's charge */
    double *tmp;            /* nb scratch */
    /* cache of the last evaluation */
    double *last_x, *last_f;
    int have_last;
    int sims;
} calib_ctx;

/* The time_s,current_A columns of impsim's own trace (in fp) into tr.
 * The engine wrote it, so its form is known: a header, then change points
 * in time order. */
static void calib_read_trace(FILE *fp, calib_trace *tr)
{
    char line[1024];
    tr->n = 0;
    rewind(fp);
    if (!fgets(line, sizeof line, fp))
        return;
    while (fgets(line, sizeof line, fp)) {
        char *q;
        double t = strtod(line, &q);
        if (q == line || *q != ',')
            break;
        calib_trace_sample(tr, t, strtod(q + 1, NULL));
    }
}

/* Simulate CALIB_SIM_CYCLES cycles with the fitted keys at base x
 * exp(phi) into tr. hyper gets the cycle length (s). 0, or -1 (errors in
 * d). */
static int calib_simulate(const calib_ctx *c, const double *phi, calib_trace *tr,
                          double *hyper, diag *d)
{
    const calib_opts *o = c->o;
    int n = 0, cap = o->nsets + c->nfit + 4;
    char **sets = calloc((size_t)cap, sizeof *sets);
    char (*own)[160] = calloc((size_t)c->nfit + 2, sizeof *own);
    if (!sets || !own)
        abort();
    for (int k = 0; k < o->nsets; k++)
        sets[n++] = o->sets[k];
    int m = 0;
    if (c->every_s > 0) {
        snprintf(own[m], sizeof own[m], "scenario.every=%.17g s", c->every_s);
        sets[n++] = own[m++];
    }
    for (int j = 0; j < c->nfit; j++) {
        int k = c->fit[j];
        char v[64];
        snprintf(own[m], sizeof own[m], "model.%s=%s", o->keys[k],
                 units_setting(c->base[k] * exp(phi[j]), c->dim[k], v, sizeof v));
        sets[n++] = own[m++];
    }
    pipeline pl;
    int rc = -1;
    if (pipeline_load(&pl, o->scn, sets, n, d) == 0) {
        tick_t H = plan_hyperperiod(&pl.p);
        *hyper = ticks_to_s(H);
        FILE *fp = tmpfile();       /* the engine writes from a child process */
        budget *b = calloc(1, sizeof *b);
        if (!b)
            abort();
        tick_t dur;
        if (!fp) {
            diag_error(d, (diag_pos){o->scn, 0, 0}, "cannot create a temporary file for "
                       "the simulated trace");
        } else if (H <= 0 || ticks_mul(H, CALIB_SIM_CYCLES, &dur)) {
            diag_error(d, (diag_pos){o->scn, 0, 0}, "found no periodic cycle (wake-pin "
                       "tasks or outages), expected a scenario with timed wakes to "
                       "calibrate against");
        } else {
            pl.p.duration = dur;
            if (pipeline_run(&pl, fp, b, NULL) == 0 && fflush(fp) == 0)
                rc = 0;
        }
        free(b);
        pipeline_free(&pl);
        if (rc == 0)
            calib_read_trace(fp, tr);
        if (fp)
            fclose(fp);
    }
    free(sets);
    free(own);
    return rc;
}

/* The wake threshold of a simulated trace: 10x its floor, >= 100 uA. */
static double calib_threshold(const calib_trace *tr)
{
    double lo = INFINITY;
    for (int k = 0; k < tr->n; k++)
        lo = fmin(lo, tr->i[k]);
    return fmax(10 * lo, CALIB_THR_MIN);
}

/* ---- wakes --------------------------------------------------------------- */

/* A streaming wake detector, the same for the simulated trace and the
 * capture so that both are cut alike. A wake starts at a rise above thr
 * that follows at least `quiet` seconds below it (a low stretch seen from
 * its start: a capture that begins low does not count its first stretch
 * as seen whole). Shorter dips inside a wake (a `wait` in stop mode
 * between two I2C transfers) therefore do not start a new wake. Each wake
 * gets its charge from its rise to the next wake's rise (held samples);
 * the last one's is unfinished. With `lows`, every low stretch seen whole
 * is also recorded with the time of the rise that ends it. */
typedef struct {
    double thr, quiet;
    int have, high;
    double low_since;       /* start of the current low stretch, NAN if unseen */
    double t_prev, i_prev, acc;
    double *t, *q;          /* owned: wake rises (s) and charges (C) */
    int n, cap;
    int lows;               /* record low stretches */
    double *lt, *ld;        /* owned: rise ending the stretch (s), its length (s) */
    int nl, lcap;
} calib_wakes;

static void calib_push2(double **a, double **b, int *n, int *cap, double x, double y)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        *a = realloc(*a, (size_t)*cap * sizeof **a);
        *b = realloc(*b, (size_t)*cap * sizeof **b);
        if (!*a || !*b)
            abort();
    }
    (*a)[*n] = x;
    (*b)[(*n)++] = y;
}

static int calib_wake_sample(void *ctx, double t, double i)
{
    calib_wakes *w = ctx;
    int above = i >= w->thr;
    if (!w->have) {
        w->low_since = above ? NAN : t;
    } else {
        w->acc += w->i_prev * (t - w->t_prev);
        if (above && !w->high) {
            double len = t - w->low_since;     /* NAN when not seen whole */
            if (w->lows && isfinite(len))
                calib_push2(&w->lt, &w->ld, &w->nl, &w->lcap, t, len);
            if (isfinite(len) && len >= w->quiet) {
                if (w->n)
                    w->q[w->n - 1] = w->acc;
                calib_push2(&w->t, &w->q, &w->n, &w->cap, t, 0);
                w->acc = 0;
            }
        } else if (!above && w->high) {
            w->low_since = t;
        }
    }
    w->have = 1;
    w->high = above;
    w->t_prev = t;
    w->i_prev = i;
    return 0;
}

static void calib_wakes_free(calib_wakes *w)
{
    free(w->t);
    free(w->q);
    free(w->lt);
    free(w->ld);
}

static void calib_wakes_trace(calib_wakes *w, const calib_trace *tr)
{
    for (int k = 0; k < tr->n; k++)
        calib_wake_sample(w, tr->t[k], tr->i[k]);
}

/* Start (s) of the steady simulated cycle: the first wake at or after one
 * hyperperiod H, minus pre. -1 when there is none. */
static double calib_cycle_start(const calib_trace *tr, double H, double pre, double thr,
                                double quiet)
{
    calib_wakes w = {.thr = thr, .quiet = quiet};
    calib_wakes_trace(&w, tr);
    double s = -1;
    for (int k = 0; k < w.n && s < 0; k++)
        if (w.t[k] >= H - pre)
            s = w.t[k] - pre;
    calib_wakes_free(&w);
    return s;
}

static int calib_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The shortest low stretch that separates two wakes, from the simulated
 * trace's steady hyperperiod [H - pre, 2H - pre): the low stretches there
 * are the sleeps between wakes and the dips inside them (waits in stop or
 * idle below the threshold). Sorted, the widest ratio between neighbours
 * (at least 3x) splits dips from sleeps, and the cut is their geometric
 * mean, so a phase 30 % longer or shorter in the capture still falls on
 * its side. Without such a gap every stretch is a sleep: half the
 * shortest. */
static double calib_quiet(const calib_trace *tr, double H, double pre, double thr)
{
    calib_wakes w = {.thr = thr, .quiet = INFINITY, .lows = 1};
    calib_wakes_trace(&w, tr);
    int n = 0;
    for (int k = 0; k < w.nl; k++)
        if (w.lt[k] >= H - pre && w.lt[k] < 2 * H - pre)
            w.ld[n++] = w.ld[k];
    double quiet = 0;
    if (n > 0) {
        qsort(w.ld, (size_t)n, sizeof *w.ld, calib_cmp);
        double best = 3;
        quiet = 0.5 * w.ld[0];
        for (int k = 0; k + 1 < n; k++)
            if (w.ld[k] > 0 && w.ld[k + 1] / w.ld[k] >= best) {
                best = w.ld[k + 1] / w.ld[k];
                quiet = sqrt(w.ld[k] * w.ld[k + 1]);
            }
    }
    calib_wakes_free(&w);
    return quiet;
}

/* Bin means of the steady simulated cycle for phi into out (nb). */
static int calib_sim_bins(calib_ctx *c, const double *phi, double *out, diag *d)
{
    calib_trace tr = {0};
    double H;
    c->sims++;
    int rc = calib_simulate(c, phi, &tr, &H, d);
    if (rc == 0) {
        double s = calib_cycle_start(&tr, H, c->pre, calib_threshold(&tr), c->quiet);
        if (s < 0) {
            diag_error(d, (diag_pos){c->o->scn, 0, 0}, "found no wake in the simulated "
                       "cycle, expected one to line the capture up with");
            rc = -1;
        } else {
            memset(out, 0, (size_t)c->nb * sizeof *out);
            for (int k = 0; k + 1 < tr.n; k++)
                calib_accum(out, c->nb, c->w, tr.t[k] - s, tr.t[k + 1] - s, tr.i[k]);
            for (int b = 0; b < c->nb; b++)
                out[b] /= c->w;
        }
    }
    free(tr.t);
    free(tr.i);
    return rc;
}

/* ---- the measured cycle ------------------------------------------------- */

typedef struct {
    const double *ws;       /* window starts, increasing */
    int nw, k;
    double P, w;
    int nb;
    double *sum;
    double t_prev, i_prev;
    int any;
} calib_pass2;

static int calib_p2(void *ctx, double t, double i)
{
    calib_pass2 *p = ctx;
    if (p->any) {
        while (p->k < p->nw && p->ws[p->k] + p->P <= p->t_prev)
            p->k++;
        for (int j = p->k; j < p->nw && p->ws[j] < t; j++)
            calib_accum(p->sum, p->nb, p->w, p->t_prev - p->ws[j], t - p->ws[j], p->i_prev);
    }
    p->any = 1;
    p->t_prev = t;
    p->i_prev = i;
    return 0;
}

/* ---- the fit ------------------------------------------------------------ */

/* Moving average of in (n bins) over 2m+1 bins (fewer at the ends). */
static void calib_smooth(const double *in, double *out, int n, int m)
{
    double acc = 0;
    int lo = 0, hi = -1;
    for (int b = 0; b < n; b++) {
        while (hi < b + m && hi + 1 < n)
            acc += in[++hi];
        while (lo < b - m)
            acc -= in[lo++];
        out[b] = acc / (hi - lo + 1);
    }
}

/* The solver's unbounded x as log(figure / model's figure), kept within
 * +-ln 4 so that no trial simulates a module far from any real one. */
static double calib_phi(double x)
{
    return CALIB_PHI_MAX * tanh(x / CALIB_PHI_MAX);
}

static int calib_f(const gsl_vector *x, void *params, gsl_vector *f)
{
    calib_ctx *c = params;
    double phi[CALIB_MAX_KEYS];
    for (int j = 0; j < c->nfit; j++)
        phi[j] = calib_phi(gsl_vector_get(x, (size_t)j));
    if (c->have_last && !memcmp(phi, c->last_x, (size_t)c->nfit * sizeof *phi)) {
        for (int b = 0; b < c->nb; b++)
            gsl_vector_set(f, (size_t)b, c->last_f[b]);
        return GSL_SUCCESS;
    }
    double *sim = malloc((size_t)c->nb * sizeof *sim);
    if (!sim)
        abort();
    diag *d = diag_new();
    int rc = calib_sim_bins(c, phi, sim, d);
    diag_free(d);
    if (rc) {
        free(sim);
        return GSL_EDOM;
    }
    if (c->smooth > 0) {
        calib_smooth(sim, c->tmp, c->nb, c->smooth);
        memcpy(sim, c->tmp, (size_t)c->nb * sizeof *sim);
    }
    double q = 0;
    for (int b = 0; b < c->nb; b++) {
        double r;
        if (c->smooth < 0) {        /* cumulative charge against c->logm (C) */
            q += sim[b] * c->w;
            r = (q - c->logm[b]) / c->qscale;
        } else {
            r = (log(fmax(sim[b], 0) + CALIB_FLOOR_A) - c->logm[b]) / CALIB_SIGMA_REL;
        }
        gsl_vector_set(f, (size_t)b, r);
        c->last_f[b] = r;
    }
    memcpy(c->last_x, phi, (size_t)c->nfit * sizeof *phi);
    c->have_last = 1;
    free(sim);
    return GSL_SUCCESS;
}

/* Forward differences with a fixed step in log(figure): the simulator
 * rounds to whole bytes, cycles and ticks, so GSL's default step
 * (sqrt(eps)) would see no change. */
static int calib_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
    calib_ctx *c = params;
    gsl_vector *f0 = gsl_vector_alloc((size_t)c->nb), *f1 = gsl_vector_alloc((size_t)c->nb);
    gsl_vector *xh = gsl_vector_alloc((size_t)c->nfit);
    if (!f0 || !f1 || !xh)
        abort();
    int rc = calib_f(x, params, f0);
    for (int j = 0; j < c->nfit && rc == GSL_SUCCESS; j++) {
        gsl_vector_memcpy(xh, x);
        gsl_vector_set(xh, (size_t)j, gsl_vector_get(x, (size_t)j) + CALIB_FD_STEP);
        c->have_last = 0;
        rc = calib_f(xh, params, f1);
        for (int b = 0; b < c->nb && rc == GSL_SUCCESS; b++)
            gsl_matrix_set(J, (size_t)b, (size_t)j,
                           (gsl_vector_get(f1, (size_t)b) - gsl_vector_get(f0, (size_t)b)) /
                               CALIB_FD_STEP);
    }
    c->have_last = 0;
    gsl_vector_free(f0);
    gsl_vector_free(f1);
    gsl_vector_free(xh);
    return rc;
}

/* Fit the keys c->fit[0..nfit) from phi = 0. Fills phi, sd (standard
 * errors of phi, scaled by chi2/dof) and *chi2dof. 0, or -1.
 *
 * Coarse to fine: a phase that ends at the wrong time gives a residual
 * that is flat in the error except in the few bins the edge crosses, so
 * Gauss-Newton steps would be a bin long and a 0.3 s error would take
 * thousands of them. The first level therefore compares the cumulative
 * charge of the two cycles, in which a misplaced edge shifts every later
 * bin by (step x error): linear in the error, so it is found in a few
 * steps. Then the currents themselves, smoothed over 0.1 s, 20 ms, 4 ms
 * and last not at all: at each level the edges are ramps as wide as the
 * errors left, and each level starts from the last. Intervals come from
 * the last, unsmoothed level. */
static int calib_fit(calib_ctx *c, double *phi, double *sd, double *chi2dof, int *iters)
{
    static const double width_s[] = {-1, 0.1, 0.02, 0.004, 0};
    size_t n = (size_t)c->nb, p = (size_t)c->nfit;
    gsl_multifit_nlinear_fdf fdf = {calib_f, calib_df, NULL, n, p, c, 0, 0, 0};
    gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
    par.scale = gsl_multifit_nlinear_scale_more;
    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, n, p);
    gsl_vector *x = gsl_vector_calloc(p);
    gsl_matrix *cov = gsl_matrix_alloc(p, p);
    if (!w || !x || !cov)
        abort();
    int info, rc = -1, st = GSL_SUCCESS;
    *iters = 0;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    for (size_t lv = 0; lv < sizeof width_s / sizeof width_s[0]; lv++) {
        int m = width_s[lv] < 0 ? -1 : (int)(width_s[lv] / (2 * c->w));
        if (width_s[lv] > 0 && (m < 2 || width_s[lv] > c->P / 4))
            continue;
        c->smooth = m;
        if (m > 0)
            calib_smooth(c->meas, c->tmp, c->nb, m);
        double q = 0;
        for (int b = 0; b < c->nb; b++) {
            q += c->meas[b] * c->w;
            c->logm[b] = m < 0 ? q : log(fmax(m > 0 ? c->tmp[b] : c->meas[b], 0) + CALIB_FLOOR_A);
        }
        c->qscale = fmax(1e-3 * q, 1e-12);
        c->have_last = 0;
        if (gsl_multifit_nlinear_init(x, &fdf, w) != GSL_SUCCESS) {
            st = GSL_EDOM;
            break;
        }
        st = gsl_multifit_nlinear_driver(m > 0 ? 25 : 40, 1e-8, 1e-10, 1e-10, NULL, NULL,
                                         &info, w);
        *iters += (int)gsl_multifit_nlinear_niter(w);
        if (st != GSL_SUCCESS && st != GSL_EMAXITER && st != GSL_ENOPROG)
            break;
        gsl_vector_memcpy(x, w->x);
        /* the cumulative charge places the edges but barely sees a small
         * current (a sleep floor): one it pushed to the bound starts the
         * next level from the model's value again */
        for (size_t j = 0; m < 0 && j < p; j++)
            if (fabs(calib_phi(gsl_vector_get(x, j))) > 0.95 * CALIB_PHI_MAX)
                gsl_vector_set(x, j, 0);
    }
    if (st == GSL_SUCCESS || st == GSL_EMAXITER || st == GSL_ENOPROG) {
        gsl_vector *f = gsl_multifit_nlinear_residual(w);
        gsl_matrix *J = gsl_multifit_nlinear_jac(w);
        double chi2;
        gsl_blas_ddot(f, f, &chi2);
        *chi2dof = n > p ? chi2 / (double)(n - p) : chi2;
        gsl_multifit_nlinear_covar(J, 0.0, cov);
        for (size_t j = 0; j < p; j++) {
            double xj = gsl_vector_get(w->x, j), th = tanh(xj / CALIB_PHI_MAX);
            phi[j] = calib_phi(xj);
            double v = gsl_matrix_get(cov, j, j) * fmax(*chi2dof, 1e-300);
            sd[j] = v > 0 && isfinite(v) ? sqrt(v) * (1 - th * th) : INFINITY;
        }
        rc = 0;
    }
    gsl_set_error_handler(old);
    gsl_multifit_nlinear_free(w);
    gsl_vector_free(x);
    gsl_matrix_free(cov);
    c->smooth = 0;
    return rc;
}

/* ---- the whole calibration ---------------------------------------------- */

/* The model's value and dimension of each key (with the user's settings);
 * errors name --fit. */
static int calib_bases(const calib_opts *o, double *base, units_dim *dim, diag *d)
{
    pipeline pl;
    if (pipeline_load(&pl, o->scn, o->sets, o->nsets, d))
        return -1;
    int rc = 0;
    for (int k = 0; k < o->nkeys; k++) {
        const fig_entry *e = figfile_get(pl.m->fig, o->keys[k]);
        if (!e || e->kind != FIG_NUMBER || !(e->value > 0)) {
            diag_error(d, (diag_pos){"--fit", 0, 0}, "found '%s', expected a figure of "
                       "module %s with a positive value (impsim models %s lists them)",
                       o->keys[k], model_name(pl.m), model_name(pl.m));
            rc = -1;
            continue;
        }
        base[k] = e->value;
        dim[k] = e->dim;
    }
    pipeline_free(&pl);
    return rc;
}

/* The simulated hyperperiod's wakes: m wakes whose rise falls in the
 * steady hyperperiod [H - pre, 2H - pre), each with its charge (C, rise to
 * the next wake's rise) and its interval to the next wake (s). */
typedef struct {
    int m;
    double *q, *iv;     /* owned, m each */
} calib_pattern;

static int calib_pattern_sim(const calib_trace *tr, double H, double pre, double thr,
                             double quiet, calib_pattern *pat)
{
    calib_wakes w = {.thr = thr, .quiet = quiet};
    calib_wakes_trace(&w, tr);
    int a = 0;
    while (a < w.n && w.t[a] < H - pre)
        a++;
    int b = a;
    while (b < w.n && w.t[b] < 2 * H - pre)
        b++;
    pat->m = b - a;
    int ok = pat->m > 0 && b < w.n;     /* the next hyperperiod's first wake closes it */
    if (ok) {
        pat->q = malloc((size_t)pat->m * sizeof *pat->q);
        pat->iv = malloc((size_t)pat->m * sizeof *pat->iv);
        if (!pat->q || !pat->iv)
            abort();
        for (int j = 0; j < pat->m; j++) {
            pat->q[j] = w.q[a + j];
            pat->iv[j] = w.t[a + j + 1] - w.t[a + j];
        }
    }
    calib_wakes_free(&w);
    return ok ? 0 : -1;
}

/* How far apart the measured wakes k = 0..nc-1 (charges q, intervals iv)
 * are from the simulated pattern when measured wake k is simulated wake
 * (k + s) mod m: the rms, over the wakes, of the log ratios of charge and
 * of interval, each less its mean (a capture whose figures differ scales
 * every wake's charge, one whose period differs every interval). 0 for a
 * capture that is the pattern up to scale; a wake matched with one 20x
 * larger adds ln 20 ~ 3. */
static double calib_pattern_rms(const calib_pattern *pat, const double *q, const double *iv,
                                int nc, int s)
{
    double sd = 0, sdd = 0, se = 0, see = 0;
    for (int k = 0; k < nc; k++) {
        int j = (k + s) % pat->m;
        double dq = log(fmax(q[k], 1e-18) / fmax(pat->q[j], 1e-18));
        double di = log(fmax(iv[k], 1e-12) / fmax(pat->iv[j], 1e-12));
        sd += dq;
        sdd += dq * dq;
        se += di;
        see += di * di;
    }
    if (nc == 0)
        return 0;
    double v = (sdd - sd * sd / nc) / nc + (see - se * se / nc) / nc;
    return sqrt(fmax(v, 0));
}

#define CALIB_PATTERN_RMS 0.69   /* ln 2: wakes matched within 2x, after scale */

/* Read the capture: its wakes, lined up with the simulated hyperperiod's
 * pattern (pat), the cycle length, and the mean measured cycle. The
 * measured wake that is the simulated hyperperiod's first is the one whose
 * shift makes the measured sequence of wake charges and intervals closest
 * to the simulated one (calib_pattern_rms): a product that connects every
 * 4th wake has one wake in four with a radio burst, and the cycle starts
 * at the same wake as the simulated one. */
static int calib_measure(const calib_opts *o, calib_ctx *c, double H_sim, double thr,
                         const calib_pattern *pat, calib_result *r, double **meas, diag *d)
{
    calib_wakes w = {.thr = thr, .quiet = c->quiet};
    capture_opts co = o->co;
    co.checksum = 1;
    if (capture_read(o->capture, &co, calib_wake_sample, &w, &r->info, d))
        return calib_wakes_free(&w), -1;
    diag_pos at = {o->capture, 0, 0};
    char b1[32], b2[32], b3[32];
    int m = pat->m, nc = w.n - 1;        /* wakes with a charge and an interval */
    if (w.n == 0 || (m > 1 && nc < 1)) {
        diag_error(d, at, "found %s above %s after at least %s below it), expected "
                   "the capture of at least one whole wake cycle of %s%s",
                   w.n ? "one wake (one rise" : "no wake (no rise",
                   units_format(thr, DIM_CURRENT, b1, sizeof b1),
                   units_format(c->quiet, DIM_TIME, b3, sizeof b3),
                   units_format(H_sim, DIM_TIME, b2, sizeof b2),
                   m > 1 ? " (the scenario's hyperperiod, several wakes)" : "");
        calib_wakes_free(&w);
        return -1;
    }
    double *iv = malloc((size_t)(nc > 0 ? nc : 1) * sizeof *iv);
    if (!iv)
        abort();
    for (int k = 0; k < nc; k++)
        iv[k] = w.t[k + 1] - w.t[k];
    int best = 0;
    double rms = 0, second = INFINITY;
    if (m > 1) {
        rms = INFINITY;
        for (int s = 0; s < m; s++) {
            double e = calib_pattern_rms(pat, w.q, iv, nc, s);
            if (e < rms) {
                second = rms;
                rms = e;
                best = s;
            } else if (e < second) {
                second = e;
            }
        }
        if (!(rms <= CALIB_PATTERN_RMS)) {
            diag_error(d, at, "found %d wakes whose charges and intervals do not repeat as "
                       "the scenario's %d wakes per hyperperiod of %s do (best alignment "
                       "still %.0f %% rms apart, expected within %.0f %%), expected a "
                       "capture of the product the scenario describes (check its tasks "
                       "and their periods)", w.n, m,
                       units_format(H_sim, DIM_TIME, b1, sizeof b1), 100 * expm1(rms),
                       100 * expm1(CALIB_PATTERN_RMS));
            free(iv);
            calib_wakes_free(&w);
            return -1;
        }
    }
    /* the hyperperiod starts: the wakes that are simulated wake 0 */
    int first = (m - best) % m;
    int ns = 0;
    double *st = malloc((size_t)w.n * sizeof *st);
    if (!st)
        abort();
    for (int k = first; k < w.n; k += m)
        st[ns++] = w.t[k];
    double P = H_sim;
    if (ns >= 2) {
        for (int k = 0; k + 1 < ns; k++)
            iv[k] = st[k + 1] - st[k];
        qsort(iv, (size_t)(ns - 1), sizeof *iv, calib_cmp);
        P = iv[(ns - 1) / 2];
    } else if (m > 1 && nc >= m) {      /* one start: its m intervals */
        P = 0;
        for (int k = first; k < first + m && k < nc; k++)
            P += w.t[k + 1] - w.t[k];
    }
    free(iv);
    double pre = CALIB_PRE * P;
    int nw = 0;
    for (int k = 0; k < ns; k++) {
        double s = st[k] - pre;
        if (s >= r->info.t_first && s + P <= r->info.t_last)
            st[nw++] = s;
    }
    double *ws = st;
    r->wakes_per_cycle = m;
    r->wakes_seen = w.n;
    r->pattern_rms = rms;
    r->pattern_second = second;
    calib_wakes_free(&w);
    if (nw == 0) {
        diag_error(d, at, "found %s of capture with no whole cycle of %s in it (from "
                   "just before a wake to the next%s), expected at least one",
                   units_format(r->info.t_last - r->info.t_first, DIM_TIME, b1, sizeof b1),
                   units_format(P, DIM_TIME, b2, sizeof b2),
                   m > 1 ? " that starts the scenario's hyperperiod" : "");
        free(ws);
        return -1;
    }
    double spacing = (r->info.t_last - r->info.t_first) / (double)(r->info.rows - 1);
    int nb = (int)fmin(CALIB_BINS_MAX, floor(P / fmax(2 * spacing, P / CALIB_BINS_MAX)));
    if (nb < 10)
        nb = 10;
    c->P = P;
    c->pre = pre;
    c->nb = nb;
    c->w = P / nb;
    double *sum = calloc((size_t)nb, sizeof *sum);
    if (!sum)
        abort();
    calib_pass2 p2 = {ws, nw, 0, P, c->w, nb, sum, 0, 0, 0};
    capture_opts co2 = o->co;
    capture_info again;
    int rc = capture_read(o->capture, &co2, calib_p2, &p2, &again, d);
    free(ws);
    if (rc) {
        free(sum);
        return -1;
    }
    for (int b = 0; b < nb; b++)
        sum[b] /= nw * c->w;
    *meas = sum;
    r->cycles = nw;
    r->period_s = P;
    r->pre_s = pre;
    r->threshold_A = thr;
    r->nbins = nb;
    r->bin_s = c->w;
    return 0;
}

static double calib_rms(const double *a, const double *b, int n)
{
    double s = 0;
    for (int k = 0; k < n; k++)
        s += (a[k] - b[k]) * (a[k] - b[k]);
    return sqrt(s / n);
}

static double calib_charge(const double *a, int n, double w)
{
    double q = 0;
    for (int k = 0; k < n; k++)
        q += a[k] * w;
    return q;
}

int calib_run(const calib_opts *o, calib_result *r, diag *d)
{
    memset(r, 0, sizeof *r);
    double base[CALIB_MAX_KEYS];
    units_dim dim[CALIB_MAX_KEYS];
    if (calib_bases(o, base, dim, d))
        return -1;
    int all[CALIB_MAX_KEYS];
    for (int k = 0; k < o->nkeys; k++)
        all[k] = k;
    calib_ctx c = {.o = o, .fit = all, .nfit = 0, .base = base, .dim = dim};
    /* the scenario's own cycle, for the threshold and the wake spacing */
    calib_trace tr = {0};
    double H;
    if (calib_simulate(&c, NULL, &tr, &H, d)) {
        free(tr.t);
        free(tr.i);
        return -1;
    }
    double thr = calib_threshold(&tr);
    c.quiet = calib_quiet(&tr, H, CALIB_PRE * H, thr);
    calib_pattern pat = {0};
    int prc = calib_pattern_sim(&tr, H, CALIB_PRE * H, thr, c.quiet, &pat);
    free(tr.t);
    free(tr.i);
    if (prc) {
        diag_error(d, (diag_pos){o->scn, 0, 0}, "found no wake in the simulated hyperperiod "
                   "(no rise above 10x its sleep current), expected one to line the capture "
                   "up with");
        return -1;
    }
    r->sim_period_s = H;
    double *meas = NULL;
    prc = calib_measure(o, &c, H, thr, &pat, r, &meas, d);
    free(pat.q);
    free(pat.iv);
    if (prc)
        return -1;
    /* a capture cycle that is not the scenario's: simulate at its length */
    if (fabs(r->period_s / H - 1) > 1e-3) {
        pipeline pl;
        tick_t per;
        if (pipeline_load(&pl, o->scn, o->sets, o->nsets, d)) {
            free(meas);
            return -1;
        }
        double every = scn_every_base(pl.s, &per) == 0 ? ticks_to_s(per) : 0;
        pipeline_free(&pl);
        c.every_s = every * r->period_s / H;
        diag_warn(d, (diag_pos){o->capture, 0, 0}, "the capture's cycle (median wake to "
                  "wake) is %.6g s, the scenario's %.6g s: simulated with every = %.6g s",
                  r->period_s, H, c.every_s);
    }
    double *logm = malloc((size_t)c.nb * sizeof *logm);
    c.tmp = malloc((size_t)c.nb * sizeof *c.tmp);
    c.last_f = malloc((size_t)c.nb * sizeof *c.last_f);
    c.last_x = calloc(CALIB_MAX_KEYS, sizeof *c.last_x);
    r->sim0 = malloc((size_t)c.nb * sizeof *r->sim0);
    r->sim1 = malloc((size_t)c.nb * sizeof *r->sim1);
    if (!logm || !c.tmp || !c.last_f || !c.last_x || !r->sim0 || !r->sim1)
        abort();
    r->meas = meas;
    for (int b = 0; b < c.nb; b++)
        logm[b] = log(fmax(meas[b], 0) + CALIB_FLOOR_A);
    c.meas = meas;
    c.logm = logm;
    double zero[CALIB_MAX_KEYS] = {0};
    int rc = -1;
    if (calib_sim_bins(&c, zero, r->sim0, d))
        goto out;
    r->n = o->nkeys;
    for (int k = 0; k < o->nkeys; k++) {
        calib_fig *f = &r->fig[k];
        snprintf(f->key, sizeof f->key, "%s", o->keys[k]);
        f->dim = dim[k];
        f->before = f->after = base[k];
    }
    /* identifiable at all: does the cycle depend on the figure? */
    int fit[CALIB_MAX_KEYS], nfit = 0;
    double *up = malloc((size_t)c.nb * sizeof *up);
    if (!up)
        abort();
    for (int k = 0; k < o->nkeys; k++) {
        int one[1] = {k};
        double step[1] = {CALIB_FD_STEP * 10};
        c.fit = one;
        c.nfit = 1;
        if (calib_sim_bins(&c, step, up, d)) {
            free(up);
            goto out;
        }
        double ch = 0;
        for (int b = 0; b < c.nb; b++)
            ch = fmax(ch, fabs(up[b] - r->sim0[b]) / (fabs(r->sim0[b]) + CALIB_FLOOR_A));
        if (ch < 1e-6)
            snprintf(r->fig[k].why, sizeof r->fig[k].why, "the simulated cycle does not "
                     "depend on it (the scenario never uses it as configured)");
        else
            fit[nfit++] = k;
    }
    free(up);
    /* fit; drop what the capture cannot pin down and fit again */
    double phi[CALIB_MAX_KEYS], sd[CALIB_MAX_KEYS];
    for (;;) {
        c.fit = fit;
        c.nfit = nfit;
        if (nfit == 0)
            break;
        if (calib_fit(&c, phi, sd, &r->chi2_dof, &r->iterations)) {
            diag_error(d, (diag_pos){o->capture, 0, 0}, "the least-squares fit failed "
                       "(the simulation could not be evaluated near the model's figures)");
            goto out;
        }
        int drop = -1;
        double worst = 0;
        for (int j = 0; j < nfit; j++) {
            double half = expm1(1.96 * sd[j]);
            if (!(half <= CALIB_MAX_REL) && !(half <= worst)) {
                worst = isfinite(half) ? half : 1e300;
                drop = j;
            }
        }
        if (drop < 0)
            break;
        calib_fig *f = &r->fig[fit[drop]];
        if (worst < 1e300)
            snprintf(f->why, sizeof f->why, "this capture does not pin it down (95 %% "
                     "interval +-%.0f %%): it trades off against the other figures", worst * 100);
        else
            snprintf(f->why, sizeof f->why, "this capture does not pin it down (it trades "
                     "off exactly against the other figures)");
        memmove(fit + drop, fit + drop + 1, (size_t)(nfit - drop - 1) * sizeof *fit);
        nfit--;
    }
    for (int j = 0; j < nfit; j++) {
        calib_fig *f = &r->fig[fit[j]];
        f->identified = 1;
        f->after = base[fit[j]] * exp(phi[j]);
        f->lo = base[fit[j]] * exp(phi[j] - 1.96 * sd[j]);
        f->hi = base[fit[j]] * exp(phi[j] + 1.96 * sd[j]);
    }
    c.have_last = 0;
    if (nfit ? calib_sim_bins(&c, phi, r->sim1, d) : (memcpy(r->sim1, r->sim0,
                                                             (size_t)c.nb * sizeof *r->sim1), 0))
        goto out;
    r->rms0 = calib_rms(r->sim0, meas, c.nb);
    r->rms1 = calib_rms(r->sim1, meas, c.nb);
    r->q_meas = calib_charge(meas, c.nb, c.w);
    r->q0 = calib_charge(r->sim0, c.nb, c.w);
    r->q1 = calib_charge(r->sim1, c.nb, c.w);
    rc = 0;
out:
    free(logm);
    free(c.tmp);
    free(c.last_f);
    free(c.last_x);
    return rc;
}

void calib_result_free(calib_result *r)
{
    free(r->meas);
    free(r->sim0);
    free(r->sim1);
    memset(r, 0, sizeof *r);
}
