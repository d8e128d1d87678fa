/* verdict.h — the one answer to the architect's question, computed one way
 * for the nominal run and for every Monte Carlo sample: on the imp004m, can
 * this product drop deep sleep and the 32 kHz crystal and stay on its
 * criterion (a battery-life target, or a fraction of the deep-sleep life)?
 * Pure: reads a row of variant results, runs nothing. */
#ifndef IMPSIM_VERDICT_H
#define IMPSIM_VERDICT_H

#include <stddef.h>
#include "matrix.h"

/* The answers, with the exit codes `impsim decide` returns for them. */
typedef enum {
    VERDICT_NA = -1,        /* the deep-sleep or every awake variant failed to run */
    VERDICT_YES = 0,        /* the best variant without deep sleep and crystal meets the criterion */
    VERDICT_NO = 1,         /* it does not, but a deep-sleep variant does: keep deep sleep */
    VERDICT_NONE = 4        /* no imp004m variant meets the target, or none can power its
                             * WiFi from the cell: the product is off target either way */
} verdict_answer;

typedef struct {
    verdict_answer answer;
    int deep, pin, awake;   /* best variant of each role (variant_best), -1 when none ran */
    int best;               /* the best imp004m design on the criterion (deep, pin or awake) */
    int crystal_can_go;     /* NO: the deep-sleep-until-the-wake-pin variant meets the criterion */
    int by_target;          /* the criterion includes --target */
    double min_ratio;       /* the ratio bar in force, 0 = none */
    double ratio;           /* merit(awake) / merit(deep): life ratio, else inverse current */
    double margin;          /* relative distance of the awake variant above (+) or below (-)
                             * the bar: life/target - 1, ratio/min_ratio - 1, or the smaller
                             * of the two when both are in force */
    const char *criterion;  /* static text */
    signed char meets[VARIANT_MAX];     /* --target: 1 meets, 0 misses, -1 did not run /
                                         * no target */
    int uneval[VARIANT_MAX];    /* imp004m variants the verdict weighs (deep, deep-pin,
                                 * without both) that were refused for the event limit:
                                 * not evaluated, so "best" is best of those evaluated */
    int nuneval;
    verdict_answer nominal;     /* the answer at nominal figures (= answer without Monte Carlo) */
    double p_yes;               /* with Monte Carlo: fraction of samples answering YES; -1 none */
    int mc_demoted;             /* YES at nominal figures, but in under VERDICT_MC_MAJORITY
                                 * of the samples: answered NO (or NONE) */
} verdict;

/* With --monte-carlo, YES needs at least this fraction of the samples to
 * answer YES: dropping deep sleep and the crystal is a design change that
 * should be more likely right than wrong, not a coin toss at nominal
 * figures. A nominal NO is kept whatever the samples say (keeping deep
 * sleep is the design that works today). */
#define VERDICT_MC_MAJORITY 0.5

/* The verdict for one row of results (o->vs.n entries) under o->target_s
 * and o->min_ratio (default 0.9 when there is no target), and, when p_yes
 * >= 0 (the fraction of Monte Carlo samples whose own verdict_of, with
 * p_yes < 0, is YES), the Monte Carlo rule: a nominal YES with p_yes <
 * VERDICT_MC_MAJORITY becomes NO (a deep-sleep variant meets the
 * criterion) or NONE, with v->mc_demoted set. A variant meets a
 * target when it ran, has a battery, can deliver the WiFi peak and its life
 * (or its lower bound "more than the horizon") is >= the target. A variant
 * whose cell cannot deliver the WiFi peak has merit 0: it never wins.
 * Returns v->answer. Why one function: decide's nominal verdict, the Monte
 * Carlo P(verdict holds) and compare's verdict line must not disagree. */
verdict_answer verdict_of(const matrix_opts *o, const variant_result *row, double p_yes,
                          verdict *v);

/* The one-sentence answer ("YES - ...", "NO - ...", "NO VARIANT MEETS ...")
 * naming the variants and their figures, true against v's criterion.
 * Writes at most n bytes (always terminated). */
void verdict_sentence(const matrix_opts *o, const variant_result *row, const verdict *v,
                      char *buf, size_t n);

/* "yes", "no", "none" (JSON), or "n/a". */
const char *verdict_word(verdict_answer a);

#endif
