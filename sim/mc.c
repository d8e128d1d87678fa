/* mc.c — Monte Carlo sampling of uncertain figures across the variants. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "units.h"
#include "lex.h"
#include "mc.h"
#include "num.h"
#include "pipeline.h"
#include "pool.h"

#define MC_MAX_KEYS 256
#define MC_MAX_CHOICE 8

typedef enum { MC_UNIFORM, MC_NORMAL, MC_CHOICE } mc_kind;

typedef struct {
    char key[64];
    mc_kind kind;
    double a, b;                    /* uniform lo/hi, normal mean/sd */
    double v[MC_MAX_CHOICE];
    double w[MC_MAX_CHOICE];        /* choice: the values' weights (sum 1), or none */
    int nv, weighted;
    units_dim dim;
} mc_dist;

typedef struct {
    mc_dist d[MC_MAX_KEYS];
    int n;
} mc_spec;

typedef struct {
    const matrix_opts *o;
    const char *extra;              /* a sweep point's setting, or NULL */
    mc_spec spec[VARIANT_MAX];      /* per variant (its module's figures) */
    unsigned long scn_seed;
} mc_ctx;

/* A weight after a choice's value at token *i ("90 %"): 1 and *w (0..1)
 * with *i advanced, or 0 (the token is no percentage) with nothing
 * recorded. */
static int mc_weight(const lex_line *ln, int *i, diag_pos pos, double *w)
{
    diag *probe = diag_new();
    int j = *i, ok = 0;
    units_dim got;
    if (j < ln->n && lex_quantity(ln, &j, pos, DIM_RATIO, w, &got, probe) == 0) {
        *i = j;
        ok = 1;
    }
    diag_free(probe);
    return ok;
}

/* "uniform 18 uA 50 uA" | "normal 1.2 s 0.3 s" | "choice 250 ms 1850 ms"
 * (equal odds) | "choice 250 ms 90 % 1950 ms 10 %" (weighted: every value
 * with its weight, the weights summing to 100 %) */
static int mc_parse_dist(const fig_entry *e, units_dim dim, mc_dist *out, diag *d)
{
    lex_line ln = {0};
    diag_pos pos = e->pos;
    int rc = -1, i = 1;
    static const char *const kinds[] = {"uniform", "normal", "choice"};
    memset(out, 0, sizeof *out);
    out->dim = dim;
    if (lex_line_split(e->text, strlen(e->text), pos, &ln, d) || ln.n < 2)
        goto bad;
    for (int k = 0; k < 3; k++)
        if (lex_is_word(&ln, 0, kinds[k]))
            out->kind = (mc_kind)k, rc = 0;
    int nw = 0;
    double wsum = 0;
    for (units_dim got; rc == 0 && i < ln.n && out->nv < MC_MAX_CHOICE;) {
        if (lex_quantity(&ln, &i, pos, dim, &out->v[out->nv++], &got, d))
            rc = -1;
        else if (out->kind == MC_CHOICE && mc_weight(&ln, &i, pos, &out->w[out->nv - 1])) {
            if (!(out->w[out->nv - 1] > 0 && out->w[out->nv - 1] <= 1))
                goto bad;
            wsum += out->w[out->nv - 1];
            nw++;
        }
    }
    /* weights: on every value or on none, summing to 100 % */
    if (nw && (nw != out->nv || fabs(wsum - 1) > 1e-9))
        goto bad;
    out->weighted = nw > 0;
    if (rc || i < ln.n || (out->kind != MC_CHOICE && out->nv != 2))
        goto bad;
    out->a = out->v[0];
    out->b = out->v[1];
    if (out->kind == MC_UNIFORM && out->b < out->a)
        goto bad;
    lex_line_clear(&ln);
    return 0;
bad:
    lex_line_clear(&ln);
    if (!diag_count(d))
        diag_error(d, pos, "%s: found \"%s\", expected \"uniform LO HI\", \"normal MEAN SD\", "
                   "\"choice V1 V2 ...\" (equal odds) or \"choice V1 W1 %% V2 W2 %% ...\" (weights summing to "
                   "100 %%) with values in %s", e->key, e->text,
                   units_si_name(dim)[0] ? units_si_name(dim) : "plain numbers");
    return -1;
}

/* The distributions for the model that variant v runs on. `extra` (a
 * sweep point's setting, or NULL) loads with the user's settings, so a
 * swept model figure is an override like a --set and is not drawn: the
 * sweep's point holds it fixed in every sample. */
static int mc_spec_for(const matrix_opts *o, const char *extra, const variant *v,
                       mc_spec *sp, diag *d)
{
    char *all[160];
    int n = 0;
    for (int i = 0; i < o->sets.n && n < 120; i++)
        all[n++] = o->sets.v[i];
    if (extra)
        all[n++] = (char *)extra;
    for (int i = 0; i < v->nsets; i++)
        all[n++] = v->sets[i];
    pipeline pl;
    if (pipeline_load(&pl, o->file, all, n, d))
        return 1;   /* the variant cannot run: it is reported as such */
    const figfile *f = pl.m->fig;
    double spread = model_num(pl.m, "mc.spread");
    int rc = 0;
    sp->n = 0;
    for (int i = 0; i < f->n && sp->n < MC_MAX_KEYS && !rc; i++) {
        const fig_entry *e = &f->v[i];
        if (e->kind != FIG_NUMBER || e->prov == FIG_OVERRIDE || strlen(e->key) >= 64 ||
            !strncmp(e->key, "mc.", 3))
            continue;
        char mk[80];
        snprintf(mk, sizeof mk, "mc.%s", e->key);
        const fig_entry *dist = figfile_get(f, mk);
        mc_dist *md = &sp->d[sp->n];
        /* A measured figure (a --figures file, a `figures` statement) was
         * measured on the user's own board: it is not redrawn from the
         * model's estimate range, which would undo the measurement. It
         * varies only by a range measured with it (calibrate writes the
         * fit's 95 % interval as its mc. line), else it is held fixed. */
        if (e->prov == FIG_MEASURED && (!dist || dist->prov != FIG_MEASURED))
            continue;
        if (dist) {
            rc = mc_parse_dist(dist, e->dim, md, d);
        } else if (e->prov == FIG_ESTIMATE && spread > 0 && e->value > 0) {
            memset(md, 0, sizeof *md);
            md->kind = MC_UNIFORM;
            md->a = e->value * (1 - spread);
            md->b = e->value * (1 + spread);
            md->dim = e->dim;
        } else {
            continue;
        }
        snprintf(md->key, sizeof md->key, "%s", e->key);
        sp->n++;
    }
    pipeline_free(&pl);
    return rc ? -1 : 0;
}

static double mc_draw(const mc_dist *d, gsl_rng *rng)
{
    double x;
    switch (d->kind) {
    case MC_UNIFORM: return gsl_ran_flat(rng, d->a, d->b);
    case MC_NORMAL:
        x = d->a + gsl_ran_gaussian(rng, d->b);
        return x > 0 ? x : 0;
    default:
        if (d->weighted) {
            double u = gsl_rng_uniform(rng), c = 0;
            for (int k = 0; k < d->nv - 1; k++)
                if (u < (c += d->w[k]))
                    return d->v[k];
            return d->v[d->nv - 1];
        }
        return d->v[gsl_rng_uniform_int(rng, (unsigned long)d->nv)];
    }
}

static void mc_job(int j, void *ctx, void *out)
{
    const mc_ctx *c = ctx;
    const matrix_opts *o = c->o;
    int nv = o->vs.n, vi = j % nv;
    long sample = j / nv;
    const mc_spec *sp = &c->spec[vi];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        abort();
    /* one stream per sample: the same draws for every variant (common
     * random numbers), independent of the worker that runs it */
    gsl_rng_set(rng, o->seed * 1000003UL + (unsigned long)sample);
    char **extra = calloc((size_t)sp->n + 2, sizeof *extra);
    if (!extra)
        abort();
    for (int k = 0; k < sp->n; k++) {
        if (!(extra[k] = malloc(128)))
            abort();
        char v[64];
        snprintf(extra[k], 128, "model.%s=%s", sp->d[k].key,
                 units_setting(mc_draw(&sp->d[k], rng), sp->d[k].dim, v, sizeof v));
    }
    char seed[64];
    snprintf(seed, sizeof seed, "scenario.seed=%lu", c->scn_seed + (unsigned long)sample);
    extra[sp->n] = seed;
    variant_set one = {.n = 1};
    one.v[0] = o->vs.v[vi];
    char *all[512];
    int n = 0;
    for (int i = 0; i < o->sets.n && n < 200; i++)
        all[n++] = o->sets.v[i];
    if (c->extra)
        all[n++] = (char *)c->extra;
    for (int k = 0; k <= sp->n && n < 511; k++)
        all[n++] = extra[k];
    /* run in this child, not through another pool */
    variant_run_inline(o->file, all, n, &one.v[0], 1, out);
    for (int k = 0; k < sp->n; k++)
        free(extra[k]);
    free(extra);
    gsl_rng_free(rng);
}

static double mc_figure(const variant_result *r)
{
    return !r->has_life ? r->avg_current_A : r->peak_fails ? 0 : r->life_s;
}

static void mc_stats_of(const matrix_opts *o, const variant_result *res, long n, int vi,
                        const variant_result *nominal, mc_stats *st)
{
    int nv = o->vs.n;
    double *x = calloc((size_t)n + 1, sizeof *x);
    if (!x)
        abort();
    long k = 0, meets = 0;
    st->has_life = 1;
    for (long i = 0; i < n; i++) {
        const variant_result *r = &res[i * nv + vi];
        if (!r->ok)
            continue;
        st->has_life &= r->has_life;
        st->n_not_depleted += r->has_life && !r->depleted && !r->peak_fails;
        st->n_peak_fails += r->has_life && r->peak_fails;
        meets += o->target_s > 0 && r->has_life && !r->peak_fails && r->life_s >= o->target_s;
        x[k++] = mc_figure(r);
    }
    st->nominal_rank = -1;
    if (k && nominal && nominal[vi].ok) {
        long below = 0;
        for (long i = 0; i < k; i++)
            below += x[i] <= mc_figure(&nominal[vi]);
        st->nominal_rank = (double)below / (double)k;
    }
    st->n_ok = k;
    st->p_meets = k ? (double)meets / (double)k : 0;
    if (!k) {   /* why no sample ran: the nominal run's error, else the first sample's */
        const char *e = nominal && !nominal[vi].ok ? nominal[vi].err : n ? res[vi].err : "";
        const char *at = strstr(e, ": error: ");
        e = at ? at + strlen(": error: ") : e;
        size_t len = strcspn(e, ";");
        snprintf(st->why, sizeof st->why, "%.*s", (int)(len < sizeof st->why ? len : sizeof st->why - 1), e);
    }
    if (k) {
        gsl_sort(x, 1, (size_t)k);
        st->p10 = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)k, 0.1);
        st->p50 = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)k, 0.5);
        st->p90 = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)k, 0.9);
    }
    free(x);
}

int mc_run(const matrix_opts *o, const char *extra, const variant_result *nominal,
           mc_result *r)
{
    return mc_run_samples(o, extra, nominal, r, NULL);
}

int mc_run_samples(const matrix_opts *o, const char *extra, const variant_result *nominal,
                   mc_result *r, variant_result **samples)
{
    mc_ctx *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->o = o;
    c->extra = extra;
    diag *d = diag_new();
    int rc = 0;
    for (int v = 0; v < o->vs.n && !rc; v++)
        rc = mc_spec_for(o, extra, &o->vs.v[v], &c->spec[v], d) < 0 ? 2 : 0;
    pipeline pl;
    int random = 0;
    if (!rc && pipeline_load(&pl, o->file, o->sets.v, o->sets.n, d) == 0) {
        c->scn_seed = pl.s->seed;
        random = plan_random(&pl.p);
        pipeline_free(&pl);
    }
    if (rc) {
        diag_print(d, stderr);
        diag_free(d);
        free(c);
        return rc;
    }
    diag_free(d);
    memset(r, 0, sizeof *r);
    r->n = o->mc;
    r->horizon_s = PIPELINE_HORIZON_S;
    r->random = random;
    verdict nv0;
    r->nominal = nominal ? verdict_of(o, nominal, -1, &nv0) : VERDICT_NA;
    int nv = o->vs.n;
    variant_result *res = calloc((size_t)(r->n * nv), sizeof *res);
    int *ok = calloc((size_t)(r->n * nv), sizeof *ok);
    if (!res || !ok)
        abort();
    if (pool_run((int)(r->n * nv), o->jobs, sizeof *res, mc_job, c, res, ok))
        rc = 3;
    for (int v = 0; v < nv && !rc; v++)
        mc_stats_of(o, res, r->n, v, nominal, &r->v[v]);
    long yes = 0, holds = 0;
    for (long i = 0; i < r->n && !rc; i++) {
        verdict vs;
        verdict_answer a = verdict_of(o, &res[i * nv], -1, &vs);
        if (a != VERDICT_NA) {
            r->n_verdict++;
            yes += a == VERDICT_YES;
            holds += a == r->nominal;
        }
    }
    r->p_can_drop = r->n_verdict ? (double)yes / (double)r->n_verdict : 0;
    r->p_holds = r->n_verdict ? (double)holds / (double)r->n_verdict : 0;
    if (samples && !rc) {
        *samples = res;
        res = NULL;
    }
    free(res);
    free(ok);
    free(c);
    return rc;
}

char *mc_quantile_text(const mc_result *r, int v, double q, char *buf, int len)
{
    const mc_stats *s = &r->v[v];
    if (!s->n_ok) {
        snprintf(buf, (size_t)len, "-");
    } else if (!s->has_life) {
        units_format_fig(q, DIM_CURRENT, buf, len);
    } else if (q <= 0) {
        snprintf(buf, (size_t)len, "none");
    } else if (q >= r->horizon_s) {
        char t[32];
        snprintf(buf, (size_t)len, "> %s", units_format(r->horizon_s, DIM_TIME, t, sizeof t));
    } else {
        units_format_fig(q, DIM_TIME, buf, len);
    }
    return buf;
}

/* A quantile in JSON: the life in s, or null when it is no life (the
 * horizon: "more than"; 0: the cell cannot deliver the WiFi peak). */
static void mc_json_q(FILE *fp, const mc_result *r, const mc_stats *s, double q)
{
    if (s->has_life && (q <= 0 || q >= r->horizon_s))
        fputs("null", fp);
    else
        fprintf(fp, "%s", NUM_J(q));
}

void mc_print(const matrix_opts *o, const mc_result *r, FILE *fp)
{
    char a[32], b[32], c[32];
    int verdict = r->nominal != VERDICT_NA;
    if (o->fmt == REPORT_JSON) {
        fprintf(fp, "{\"samples\": %ld, \"seed\": %lu, \"horizon_s\": %s, \"variants\": [",
                r->n, o->seed, NUM_J(r->horizon_s));
        for (int v = 0; v < o->vs.n; v++) {
            const mc_stats *s = &r->v[v];
            fputs(v ? ",\n  {\"name\": " : "\n  {\"name\": ", fp);
            report_json_str(fp, o->vs.v[v].name);
            if (!s->n_ok) {     /* no sample ran: why, not three nulls */
                fprintf(fp, ", \"ok\": 0, \"error\": ");
                report_json_str(fp, s->why[0] ? s->why : "the simulation failed");
                fputs("}", fp);
                continue;
            }
            fprintf(fp, ", \"ok\": %ld, \"%s\": [", s->n_ok,
                    s->has_life ? "life_s_p10_p50_p90" : "avg_current_A_p10_p50_p90");
            mc_json_q(fp, r, s, s->p10);
            fputs(", ", fp);
            mc_json_q(fp, r, s, s->p50);
            fputs(", ", fp);
            mc_json_q(fp, r, s, s->p90);
            fputs("]", fp);
            if (s->has_life)
                fprintf(fp, ", \"not_depleted\": %ld, \"peak_fails\": %ld", s->n_not_depleted,
                        s->n_peak_fails);
            if (o->target_s > 0)
                fprintf(fp, ", \"p_meets_target\": %s", NUM_J(s->p_meets));
            if (s->nominal_rank >= 0)
                fprintf(fp, ", \"nominal_rank\": %s", NUM_J(s->nominal_rank));
            fputs("}", fp);
        }
        fputs("\n ]", fp);
        if (verdict)
            fprintf(fp, ", \"verdict_nominal\": \"%s\", \"p_can_drop\": %s, "
                    "\"p_verdict_holds\": %s, \"samples_with_verdict\": %ld",
                    verdict_word(r->nominal), NUM_J(r->p_can_drop), NUM_J(r->p_holds), r->n_verdict);
        fputs("}", fp);
        return;
    }
    fprintf(fp, "Uncertainty (Monte Carlo: %ld samples, seed %lu; estimate figures, mc.*\n"
            "distributions%s)\n", r->n, o->seed,
            r->random ? ", the schedule's random events drawn anew" : "");
    if (o->target_s > 0)
        fprintf(fp, "  %-18s %12s %12s %12s %8s %12s\n", "variant", "P10", "P50", "P90",
                "nominal", "P(>= target)");
    else
        fprintf(fp, "  %-18s %12s %12s %12s %8s\n", "variant", "P10", "P50", "P90", "nominal");
    for (int v = 0; v < o->vs.n; v++) {
        const mc_stats *s = &r->v[v];
        if (!s->n_ok) {
            fprintf(fp, "  %-18s not possible: %s\n", o->vs.v[v].name,
                    s->why[0] ? s->why : "the simulation failed");
            continue;
        }
        fprintf(fp, "  %-18s %12s %12s %12s", o->vs.v[v].name,
                mc_quantile_text(r, v, s->p10, a, 32), mc_quantile_text(r, v, s->p50, b, 32),
                mc_quantile_text(r, v, s->p90, c, 32));
        char rank[16] = "-";
        if (s->nominal_rank >= 0)
            snprintf(rank, sizeof rank, "P%.0f", 100 * s->nominal_rank);
        fprintf(fp, " %8s", rank);
        if (o->target_s > 0 && s->n_ok && s->has_life)
            fprintf(fp, " %10.1f %%", 100 * s->p_meets);
        fputc('\n', fp);
    }
    fputs("  (nominal: the percentile of the samples at which the nominal run sits)\n", fp);
    if (verdict)
        fprintf(fp, "  probability that the verdict (%s) holds: %.1f %% of %ld samples;\n"
                "  that deep sleep and the crystal can be dropped: %.1f %%\n",
                verdict_word(r->nominal), 100 * r->p_holds, r->n_verdict, 100 * r->p_can_drop);
}
