/* decide.c — verdict, break-even wake interval (GSL Brent root finding over
 * the wake period) and sensitivity to the model's figures. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "decide.h"
#include "mc.h"
#include "pipeline.h"
#include "pool.h"
#include "progress.h"
#include "scn_param.h"

/* ---- steady average current at a wake period ---- */

static int decide_load(const char *path, char *const *sets, int nsets, const variant *v,
                       const char *extra1, const char *extra2, pipeline *pl, diag *d)
{
    char *all[160];
    int n = 0;
    for (int i = 0; i < nsets && n < 100; i++)
        all[n++] = sets[i];
    for (int i = 0; v && i < v->nsets; i++)
        all[n++] = v->sets[i];
    if (extra1)
        all[n++] = (char *)extra1;
    if (extra2)
        all[n++] = (char *)extra2;
    return pipeline_load(pl, path, all, n, d);
}

/* decide_steady_current's run: pipeline_steady's code (0, 1: no repeat
 * found, 2: the hyperperiod passes the tick range) or -1 (not loaded, or
 * the engine failed; recorded in d); *radio (may be NULL): the radio
 * stays on between wakes (associated or latched). */
static int decide_steady(const char *path, char *const *sets, int nsets, const variant *v,
                         double period_s, double *amps, int *radio, diag *d)
{
    char every[64];
    snprintf(every, sizeof every, "scenario.every=%.17g s", period_s);
    pipeline pl;
    if (decide_load(path, sets, nsets, v, period_s > 0 ? every : NULL, NULL, &pl, d))
        return -1;
    double per;
    int rc = pipeline_steady(&pl, amps, &per);
    if (radio)
        *radio = pl.p.wifi_connected || pl.p.latch;
    pipeline_free(&pl);
    return rc;
}

int decide_steady_current(const char *path, char *const *sets, int nsets, const variant *v,
                          double period_s, double *amps, diag *d)
{
    int rc = decide_steady(path, sets, nsets, v, period_s, amps, NULL, d);
    diag_pos top = {path, 1, 1};
    if (rc == 1)
        diag_error(d, top, "no steady current: the device's state did not repeat within eight "
                   "hyperperiods, or the schedule is not periodic (Poisson or non-repeating "
                   "pin events, chance blocks)");
    else if (rc == 2)
        diag_error(d, top, "no steady current: the schedule's hyperperiod is longer than half "
                   "the tick range (19 years)");
    return rc ? -1 : 0;
}

/* ---- break-even ---- */

typedef struct {
    const matrix_opts *o;
    const variant *deep, *awake;
    const double *gx, *gf;  /* the bracketing grid's points and values, once known */
    int gn;
} be_ctx;

typedef struct {
    int ok;
    int why;        /* not ok: decide_steady's code (1, 2; -1: failed) */
    int radio;      /* the variant's radio stays on between wakes */
    double amps;
} be_out;

typedef struct {
    const be_ctx *c;
    const double *xs;
} be_job_ctx;

/* Job 2i: the deep variant at period exp(xs[i]); 2i+1: the awake one. */
static void be_job(int j, void *ctx, void *out)
{
    const be_job_ctx *jc = ctx;
    be_out *r = out;
    diag *d = diag_new();
    r->why = decide_steady(jc->c->o->file, jc->c->o->sets.v, jc->c->o->sets.n,
                           j % 2 ? jc->c->awake : jc->c->deep, exp(jc->xs[j / 2]), &r->amps,
                           &r->radio, d);
    r->ok = r->why == 0;
    diag_free(d);
}

/* deep - awake steady current at periods exp(xs[0..n)) into fs: positive
 * when the awake variant draws less (below the break-even interval); NAN
 * where a point cannot be simulated (it is left out; why, when not NULL,
 * gets the code of the first variant that failed there: 1 deep, 2 awake,
 * times 10 for a hyperperiod out of the tick range, plus 100 when its
 * radio stays on; 0 ok or a crash).
 * Every simulation is independent: they run in parallel on every core
 * (-j). */
static void be_eval(const be_ctx *c, const double *xs, int n, double *fs, int *why)
{
    be_out *out = calloc((size_t)(2 * n), sizeof *out);
    int *ok = calloc((size_t)(2 * n), sizeof *ok);
    if (!out || !ok)
        abort();
    be_job_ctx jc = {c, xs};
    int rc = pool_run(2 * n, c->o->jobs, sizeof *out, be_job, &jc, out, ok);
    for (int i = 0; i < n; i++) {
        fs[i] = !rc && ok[2 * i] && ok[2 * i + 1] && out[2 * i].ok && out[2 * i + 1].ok
                ? out[2 * i].amps - out[2 * i + 1].amps : NAN;
        if (why) {
            int k = !rc && ok[2 * i] && !out[2 * i].ok ? 0 : 1, w = out[2 * i + k].why;
            why[i] = rc || !ok[2 * i + k] || (w != 1 && w != 2) ? 0
                     : (k + 1) * (w == 2 ? 10 : 1) + 100 * out[2 * i + k].radio;
        }
    }
    free(out);
    free(ok);
}

/* GSL's Brent starts by evaluating both ends of the bracket: grid points,
 * already simulated (the same simulation gives the same value). */
static double be_fn(double x, void *p)
{
    const be_ctx *c = p;
    for (int i = 0; i < c->gn; i++)
        if (x == c->gx[i] && !isnan(c->gf[i]))
            return c->gf[i];
    double f;
    be_eval(p, &x, 1, &f, NULL);
    return f;
}

/* Why the break-even interval could not be computed (fewer than two
 * grid points): the first variant that failed, and how, into r->be_note. */
static void be_why(const matrix_opts *o, decide_result *r, const double *xs, const double *fs,
                   const int *why, int n)
{
    int range = -1, norep = -1, nrep = 0;
    for (int i = 0; i < n; i++) {
        int w = why[i] % 100;
        if (isnan(fs[i]) && w >= 10 && range < 0)
            range = i;
        else if (isnan(fs[i]) && w > 0 && w < 10) {
            nrep++;
            if (norep < 0)
                norep = i;
        }
    }
    char a[32];
    if (norep >= 0) {
        const char *name = o->vs.v[why[norep] % 10 == 1 ? r->deep : r->best].name;
        snprintf(r->be_note, sizeof r->be_note, "could not be computed: the state of %s does "
                 "not repeat within eight hyperperiods at %d of the %d wake intervals tried%s",
                 name, nrep, n, why[norep] >= 100 ? " (its radio stays on: its own calibration "
                 "and keepalive timers run against the wake period)" : "");
    } else if (range >= 0) {
        snprintf(r->be_note, sizeof r->be_note, "could not be computed: from a wake every %s "
                 "on, the schedule's hyperperiod is longer than 19 years (half the tick range)",
                 units_format(exp(xs[range]), DIM_TIME, a, sizeof a));
    } else {
        snprintf(r->be_note, sizeof r->be_note, "could not be computed: the simulations failed");
    }
}

void decide_break_even(const matrix_opts *o, decide_result *r)
{
    be_ctx c = {o, &o->vs.v[r->deep], &o->vs.v[r->best], NULL, NULL, 0};
    r->be_status = -1;
    r->be_lo_s = 1;
    r->be_hi_s = 7 * 86400.0;
    double lo = log(r->be_lo_s), hi = log(r->be_hi_s), target = log(r->period_s);
    /* bracket on a coarse log grid; of several sign changes (very short
     * periods where the work overruns the period are meaningless), take
     * the one nearest the scenario's own period; then Brent */
    enum { GRID = 24 };
    double xs[GRID + 1], fs[GRID + 1];
    int good = 0, why[GRID + 1];
    for (int i = 0; i <= GRID; i++)
        xs[i] = lo + (hi - lo) * i / GRID;
    be_eval(&c, xs, GRID + 1, fs, why);
    for (int i = 0; i <= GRID; i++)
        good += !isnan(fs[i]);
    if (good < 2) {
        be_why(o, r, xs, fs, why, GRID + 1);
        return;
    }
    /* sign changes between neighbouring points that could be computed */
    int at = -1, at1 = -1, first = -1, last = -1;
    for (int i = 0; i <= GRID; i++) {
        if (isnan(fs[i]))
            continue;
        if (first < 0)
            first = i;
        if (last >= 0 && (fs[last] > 0) != (fs[i] > 0) &&
            (at < 0 || fabs(xs[last] - target) < fabs(xs[at] - target))) {
            at = last;
            at1 = i;
        }
        last = i;
    }
    if (at < 0) {   /* throughout the range that could be computed */
        r->be_status = fs[last] > 0 ? 2 : 1;
        r->be_lo_s = exp(xs[first]);
        r->be_hi_s = exp(xs[last]);
        return;
    }
    double x0 = xs[at], x1 = xs[at1];
    c.gx = xs;
    c.gf = fs;
    c.gn = GRID + 1;
    gsl_function F = {be_fn, &c};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_root_fsolver_set(s, &F, x0, x1);
    for (int it = 0; it < 60; it++) {
        gsl_root_fsolver_iterate(s);
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(a, b, 0, 1e-6) == GSL_SUCCESS)
            break;
    }
    r->be_period_s = exp(gsl_root_fsolver_root(s));
    r->be_status = 0;
    gsl_root_fsolver_free(s);
}

/* ---- sensitivity ---- */

static int decide_all(const matrix_opts *o, decide_result *r);

/* A base run (each figure at its model value) of one of the two variants:
 * its average current, its ledger and which method measured it. */
typedef struct {
    int ok;
    int steady;         /* one repeated period (else the whole duration) */
    double amps;
    ledger L;
} sens_base;

typedef struct {
    const matrix_opts *o;
    const variant *vv[2];           /* deep, awake */
    char (*keys)[64];
    double *vals;
    units_dim *dims;
    int periodic;       /* the schedule has a hyperperiod */
    int steady[2];      /* per variant (deep, awake): its steady current exists at the
                         * model's figures, so every job takes it; else every job runs
                         * the whole duration (one method per variant: a ratio of two
                         * methods would move for no physical reason) */
    const sens_base *base;          /* [2], once the base runs are done */
    pipeline base_pl[2];            /* their pipelines (plans), loaded: base_ok */
    int base_ok[2];
} sens_ctx;

typedef struct {
    int ok;
    double deep, awake;
} sens_out;

/* The average current of variant k with settings sets, by the variant's
 * method (steady[k]: one repeated period, not the whole duration). A plan
 * that runs exactly as the base run's (plan_same_run: the figure only
 * scales a current, or is not used) takes the base's ledger instead of
 * simulating: the ledger's ticks do not depend on currents, so the result
 * is the simulation's to the bit. keep: the ledger goes there too (base
 * runs). Returns 1, or 0 when it cannot be computed. */
static int sens_amps(const sens_ctx *c, char *const *sets, int n, int k, int steady,
                     double *amps, ledger *keep, diag *d)
{
    pipeline pl;
    if (decide_load(c->o->file, sets, n, c->vv[k], NULL, NULL, &pl, d))
        return 0;
    int ok;
    if (c->base && c->base[k].ok && c->base_ok[k] && plan_same_run(&pl.p, &c->base_pl[k].p)) {
        *amps = pipeline_avg_current(&pl, &c->base[k].L);
        ok = 1;
    } else if (steady) {
        ledger *L = keep ? keep : malloc(sizeof *L);
        if (!L)
            abort();
        ok = pipeline_steady_ledger(&pl, L) == 0;
        if (ok)
            *amps = pipeline_avg_current(&pl, L);
        if (!keep)
            free(L);
    } else {
        budget *b = malloc(sizeof *b);
        engine_result *r = malloc(sizeof *r);
        if (!b || !r)
            abort();
        ok = pipeline_run(&pl, NULL, b, r) == 0;
        if (ok) {
            *amps = b->avg_current_A;
            if (keep)
                *keep = r->L;
            engine_result_free(r);
        }
        free(b);
        free(r);
    }
    pipeline_free(&pl);
    return ok;
}

/* Job k: the base run of variant k, which also settles its method: a
 * variant whose state does not repeat within the steady search (a radio
 * that stays associated: its DTIM, calibration and keepalive phases
 * drift against the wake period) is measured over the run. */
static void sens_base_job(int k, void *ctx, void *out)
{
    const sens_ctx *c = ctx;
    sens_base *r = out;
    diag *d = diag_new();
    r->steady = c->periodic
                && sens_amps(c, c->o->sets.v, c->o->sets.n, k, 1, &r->amps, &r->L, d);
    r->ok = r->steady || sens_amps(c, c->o->sets.v, c->o->sets.n, k, 0, &r->amps, &r->L, d);
    diag_free(d);
}

/* Job j: both variants with figure keys[j] at +25 %. */
static void sens_job(int j, void *ctx, void *out)
{
    const sens_ctx *c = ctx;
    sens_out *r = out;
    char set[160], v[64];
    snprintf(set, sizeof set, "model.%s=%s", c->keys[j],
             units_setting(c->vals[j] * 1.25, c->dims[j], v, sizeof v));
    diag *d = diag_new();
    double amps[2];
    char *sets[128];
    int n = 0;
    for (int i = 0; i < c->o->sets.n && n < 120; i++)
        sets[n++] = c->o->sets.v[i];
    sets[n++] = set;
    r->ok = 1;
    for (int k = 0; k < 2 && r->ok; k++)
        r->ok = sens_amps(c, sets, n, k, c->steady[k], &amps[k], NULL, d);
    r->deep = amps[0];
    r->awake = amps[1];
    diag_free(d);
}

static int sens_keys(const matrix_opts *o, const variant *v, sens_ctx *c)
{
    diag *d = diag_new();
    pipeline pl;
    int n = 0;
    if (decide_load(o->file, o->sets.v, o->sets.n, v, NULL, NULL, &pl, d) == 0) {
        const figfile *f = pl.m->fig;
        c->keys = calloc((size_t)f->n + 1, sizeof *c->keys);
        c->vals = calloc((size_t)f->n + 1, sizeof *c->vals);
        c->dims = calloc((size_t)f->n + 1, sizeof *c->dims);
        if (!c->keys || !c->vals || !c->dims)
            abort();
        for (int i = 0; i < f->n; i++) {
            const fig_entry *e = &f->v[i];
            if (e->kind != FIG_NUMBER || e->value <= 0 || strlen(e->key) >= 64 ||
                (e->dim != DIM_CURRENT && e->dim != DIM_TIME && e->dim != DIM_CYCLES &&
                 e->dim != DIM_BYTES && e->dim != DIM_BITRATE))
                continue;
            snprintf(c->keys[n], 64, "%s", e->key);
            c->vals[n] = e->value;
            c->dims[n++] = e->dim;
        }
        pipeline_free(&pl);
    }
    diag_free(d);
    return n;
}

static int sens_cmp(const void *a, const void *b)
{
    double x = fabs(((const decide_sens *)a)->delta), y = fabs(((const decide_sens *)b)->delta);
    return (x < y) - (x > y);
}

/* 1 when a path can be pasted into a shell command as it is (letters,
 * digits and . _ / - + only). */
static int decide_plain_path(const char *p)
{
    for (; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._/-+", *p))
            return 0;
    return 1;
}

/* The base runs of both variants (in parallel), then every figure at
 * +25 % (in parallel; those that change only currents reuse the base
 * ledgers: sens_amps). */
static void decide_sensitivity(const matrix_opts *o, decide_result *r)
{
    sens_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.vv[0] = &o->vs.v[r->deep];
    c.vv[1] = &o->vs.v[r->best];
    c.periodic = r->periodic;
    int n = sens_keys(o, c.vv[1], &c);
    sens_out *out = calloc((size_t)n + 1, sizeof *out);
    int *ok = calloc((size_t)n + 1, sizeof *ok);
    decide_sens *all = calloc((size_t)n + 1, sizeof *all);
    sens_base *base = calloc(2, sizeof *base);
    int bok[2];
    if (!out || !ok || !all || !base)
        abort();
    if (n && pool_run(2, o->jobs, sizeof *base, sens_base_job, &c, base, bok) == 0) {
        for (int k = 0; k < 2; k++) {
            base[k].ok &= bok[k];
            c.steady[k] = base[k].ok && base[k].steady;
            diag *d = diag_new();
            c.base_ok[k] = decide_load(o->file, o->sets.v, o->sets.n, c.vv[k], NULL, NULL,
                                       &c.base_pl[k], d) == 0;
            diag_free(d);
        }
        c.base = base;
        out[0] = (sens_out){base[0].ok && base[1].ok, base[0].amps, base[1].amps};
        ok[0] = pool_run(n, o->jobs, sizeof *out, sens_job, &c, out + 1, ok + 1) == 0;
    }
    if (n && ok[0] && out[0].ok) {
        double q0 = out[0].deep / out[0].awake;
        int m = 0;
        for (int i = 1; i <= n; i++)
            if (ok[i] && out[i].ok) {
                double q = out[i].deep / out[i].awake;
                if (q == q0)
                    continue;
                snprintf(all[m].key, sizeof all[m].key, "%s", c.keys[i - 1]);
                all[m].base = c.vals[i - 1];
                all[m++].delta = q / q0 - 1;
            }
        qsort(all, (size_t)m, sizeof *all, sens_cmp);
        r->nsens = m < DECIDE_MAX_SENS ? m : DECIDE_MAX_SENS;
        memcpy(r->sens, all, (size_t)r->nsens * sizeof *all);
    }
    for (int k = 0; k < 2; k++)
        if (c.base_ok[k])
            pipeline_free(&c.base_pl[k]);
    free(base);
    free(out);
    free(ok);
    free(all);
    free(c.keys);
    free(c.vals);
    free(c.dims);
}

int decide_run(const matrix_opts *o, decide_result *r)
{
    progress_start("deciding");     /* the pools inside report into it */
    int rc = decide_all(o, r);
    progress_end();
    return rc;
}

static int decide_all(const matrix_opts *o, decide_result *r)
{
    memset(r, 0, sizeof *r);
    if (variant_run_all(o->file, o->sets.v, o->sets.n, NULL, &o->vs, o->jobs, r->res))
        return 3;
    verdict_of(o, r->res, -1, &r->v);
    r->deep = r->v.deep;
    r->best = r->v.awake;
    r->pin = r->v.pin;
    if (r->deep < 0 || r->best < 0) {
        fprintf(stderr, "%s\n", r->res[r->deep < 0 ? 1 : 3].err);
        return 2;
    }
    if (o->target_s > 0 && !r->res[r->best].has_life) {
        fprintf(stderr, "impsim: error: --target needs a battery: add a 'battery' statement "
                "to %s\n", o->file);
        return 2;
    }
    r->can_drop = r->v.answer == VERDICT_YES;
    r->ratio = r->v.ratio;
    r->margin = r->v.margin;
    r->criterion = r->v.criterion;
    verdict_sentence(o, r->res, &r->v, r->sentence, sizeof r->sentence);
    diag *d = diag_new();
    pipeline pl;
    tick_t per;
    const char *why = NULL;     /* static (plan_no_period) */
    if (decide_load(o->file, o->sets.v, o->sets.n, NULL, NULL, NULL, &pl, d) == 0) {
        r->period_s = scn_every_base(pl.s, &per) == 0 ? ticks_to_s(per) : 0;
        why = plan_no_period(&pl.p);
        r->periodic = !why;
        if (plan_aperiodic(&pl.p))      /* the kinds of random or one-off events, named */
            why = "Poisson or non-repeating pin events, chance blocks or outages";
        pipeline_free(&pl);
    }
    diag_free(d);
    r->be_status = -1;
    if (r->period_s > 0 && r->periodic)
        decide_break_even(o, r);
    else if (r->period_s > 0)   /* the path quoted for the shell where it needs it */
        snprintf(r->be_note, sizeof r->be_note, "the schedule is not periodic (%s); where "
                 "the lives cross over the wake period: impsim sweep %s%.200s%s --param "
                 "every=LOW..HIGH", why ? why : "?",
                 decide_plain_path(o->file) ? "" : "'", o->file,
                 decide_plain_path(o->file) ? "" : "'");
    else
        snprintf(r->be_note, sizeof r->be_note, "the scenario has no timed wake (wake pin only)");
    decide_sensitivity(o, r);
    return 0;
}

void decide_apply_mc(const matrix_opts *o, decide_result *r, const mc_result *mc)
{
    if (!mc || mc->n_verdict <= 0 || r->deep < 0 || r->best < 0)
        return;
    verdict_of(o, r->res, mc->p_can_drop, &r->v);
    r->can_drop = r->v.answer == VERDICT_YES;
    verdict_sentence(o, r->res, &r->v, r->sentence, sizeof r->sentence);
}

const char *decide_answer(const decide_result *r)
{
    return r->sentence;
}
