/* mc.h — Monte Carlo over the uncertain figures: model figures with an
 * `mc.KEY` distribution, estimate figures (uniform +-mc.spread), and the
 * scenario's stochastic events (a new seed per sample). Same seed, same
 * bytes: each sample draws from its own GSL mt19937 stream. */
#ifndef IMPSIM_MC_H
#define IMPSIM_MC_H

#include "matrix.h"

typedef struct {
    double p10, p50, p90;   /* battery life (s), or average current (A) without a battery */
    int has_life;
    long n_ok;              /* samples that ran */
} mc_stats;

typedef struct {
    long n;
    mc_stats v[VARIANT_MAX];
    double p_can_drop;      /* fraction of samples whose verdict is "can drop" */
    long n_verdict;         /* samples with a verdict */
} mc_result;

/* Run o->mc samples of every variant with seed o->seed. Returns 0, 2 (bad
 * distribution in a model: error printed) or 3. */
int mc_run(const matrix_opts *o, mc_result *r);

/* mc_run, also handing back every sample's result: *samples (owned by the
 * caller, free()) holds r->n rows of o->vs.n results, row-major (a
 * variant that could not run has ok = 0). For charts of the distribution. */
int mc_run_samples(const matrix_opts *o, mc_result *r, variant_result **samples);

/* Print the P10/P50/P90 table (text) or a JSON object. */
void mc_print(const matrix_opts *o, const mc_result *r, int verdict, FILE *fp);

#endif
