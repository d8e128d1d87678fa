/* decide.h — the decision: can this product drop deep sleep and the 32 kHz
 * crystal on the imp004m? Verdict with margin, break-even wake interval and
 * sensitivity. */
#ifndef IMPSIM_DECIDE_H
#define IMPSIM_DECIDE_H

#include "matrix.h"
#include "verdict.h"

#define DECIDE_MAX_SENS 8

typedef struct {
    char key[64];
    double base, delta;     /* relative change of the steady average-current ratio
                             * (deep / awake: the inverse current ratio) per +25 % */
} decide_sens;

typedef struct {
    variant_result res[VARIANT_MAX];
    verdict v;                      /* the answer (verdict_of on res) */
    char sentence[1024];            /* verdict_sentence */
    int deep, best, pin;            /* v.deep, v.awake, v.pin: indices; -1 when not possible */
    int can_drop;                   /* v.answer == VERDICT_YES */
    double ratio;                   /* v.ratio: awake / deep (life, else inverse current) */
    double margin;                  /* v.margin */
    const char *criterion;          /* v.criterion: static text */
    /* break-even */
    int be_status;                  /* 0 found, 1 deep always better, 2 awake always better, -1 n/a */
    double be_period_s, be_lo_s, be_hi_s, period_s;
    int periodic;                   /* the schedule repeats (steady state exists) */
    char be_note[768];
    decide_sens sens[DECIDE_MAX_SENS];
    int nsens;
} decide_result;

/* Steady average current (A) of scenario `path` with settings sets +
 * variant v, the first `every` task's period set to period_s (<= 0: as
 * written): the charge of one repeated period of the device's state over
 * its length (pipeline_steady).
 * Returns 0, or -1 after recording an error in d. */
int decide_steady_current(const char *path, char *const *sets, int nsets, const variant *v,
                          double period_s, double *amps, diag *d);

/* The break-even wake interval between variants r->deep and r->best of
 * o->vs around the scenario's period r->period_s (> 0): fills r->be_*. */
void decide_break_even(const matrix_opts *o, decide_result *r);

/* The one-sentence answer for r (verdict_sentence, held in r), as `decide`
 * prints it after "Answer:" and the HTML report puts first. Borrowed: lives
 * as long as r. */
const char *decide_answer(const decide_result *r);

struct mc_result_s;

/* The verdict again with the Monte Carlo rule (verdict_of with mc's
 * P(can drop); see VERDICT_MC_MAJORITY): r->v, can_drop, margin and the
 * sentence follow it; r->v.nominal keeps the nominal answer. Call after
 * mc_run on r->res. */
void decide_apply_mc(const matrix_opts *o, decide_result *r, const struct mc_result_s *mc);

/* Run everything `decide` reports: the variants, the verdict (verdict_of)
 * and its sentence, the break-even interval and the sensitivity. Returns 0,
 * or 2 (bad input: error printed) or 3 (system failure). */
int decide_run(const matrix_opts *o, decide_result *r);

#endif
