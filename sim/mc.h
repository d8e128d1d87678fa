/* mc.h — Monte Carlo over the uncertain figures: model figures with an
 * `mc.KEY` distribution, estimate figures (uniform +-mc.spread), and the
 * scenario's stochastic events (a new seed per sample). Same seed, same
 * bytes: each sample draws from its own GSL mt19937 stream. */
#ifndef IMPSIM_MC_H
#define IMPSIM_MC_H

#include "matrix.h"
#include "verdict.h"

typedef struct {
    double p10, p50, p90;   /* battery life (s; 0 for a sample whose cell cannot deliver the
                             * WiFi peak), or average current (A) without a battery */
    int has_life;
    long n_ok;              /* samples that ran */
    long n_not_depleted;    /* of those, samples whose battery outlasted the horizon */
    long n_peak_fails;      /* of those, samples whose cell could not deliver the WiFi peak */
    double p_meets;         /* with --target: fraction of the samples that ran meeting it */
    double nominal_rank;    /* fraction of the samples that ran at or below the nominal
                             * figure (-1: no nominal): where the nominal run sits */
    char why[160];          /* no sample ran: why (the variant's error, its first clause) */
} mc_stats;

typedef struct mc_result_s {
    long n;
    mc_stats v[VARIANT_MAX];
    verdict_answer nominal; /* verdict_of on the nominal row (VERDICT_NA: none) */
    double p_can_drop;      /* fraction of samples whose verdict is VERDICT_YES */
    double p_holds;         /* fraction of samples whose verdict equals the nominal one */
    long n_verdict;         /* samples with a verdict */
    double horizon_s;       /* lives at or above it are "more than", not lives */
    int random;             /* the schedule draws at random: a new seed per sample */
} mc_result;

/* The one Monte Carlo summary (decide, compare and sweep all use it): run
 * o->mc samples of every variant with seed o->seed, each with the user's
 * settings, then `extra` (a sweep point's setting; NULL for none), then the
 * sample's draws; summarise P10/P50/P90 per variant, P(meets o->target_s)
 * per variant, and, by verdict_of on every sample's row against the
 * verdict of `nominal` (the row of nominal results, o->vs.n entries; NULL:
 * no verdict), P(can drop) and P(verdict holds). Same seed, same bytes.
 * Returns 0, 2 (bad distribution in a model: error printed) or 3. */
int mc_run(const matrix_opts *o, const char *extra, const variant_result *nominal,
           mc_result *r);

/* mc_run, also handing back every sample's result: *samples (owned by the
 * caller, free()) holds r->n rows of o->vs.n results, row-major (a
 * variant that could not run has ok = 0). For charts of the distribution. */
int mc_run_samples(const matrix_opts *o, const char *extra, const variant_result *nominal,
                   mc_result *r, variant_result **samples);

/* Print the summary: a text block (uncertainty first: the P10/P50/P90 table,
 * P(meets target), P(verdict holds)) or one JSON object (keys in README.md). */
void mc_print(const matrix_opts *o, const mc_result *r, FILE *fp);

/* Write the P10/P50/P90 of variant v for a text cell ("1.2 y", "> 30 y",
 * "none"), or "-" when no sample ran. Returns buf. */
char *mc_quantile_text(const mc_result *r, int v, double q, char *buf, int len);

#endif
