/* calib.h — calibrate model figures against a measured capture.
 *
 * Method (segmentation + least squares):
 *  1. Simulate the scenario (with the user's settings) for three
 *     hyperperiods (plan_hyperperiod: the lcm of the task periods times
 *     the `every Nth wake` counts, so a product that uploads at every 4th
 *     wake has a cycle of 4 wakes) and take the steady one: from just
 *     before the first wake of the second hyperperiod, one hyperperiod
 *     long. Its sleep floor sets the wake threshold (10x the floor, at
 *     least 100 uA: imp wakes draw milliamperes, sleep tens of microamperes
 *     at most). A wake is a rise above the threshold after a low stretch
 *     long enough to be a sleep, not a dip inside a wake (a `wait` in stop
 *     mode): the cut between the two is taken from the simulated cycle's
 *     own low stretches. Each simulated wake of the hyperperiod has its
 *     charge (to the next wake) and its interval to the next wake: the
 *     pattern the capture must show.
 *  2. Read the capture twice (it streams; memory does not grow with it):
 *     first find its wakes (the same rule) with their charges and
 *     intervals, and line them up with the simulated pattern: the shift
 *     whose log charge and interval ratios, less their means, are
 *     smallest (rms) marks which measured wakes start a hyperperiod (the
 *     one with the radio burst, say). A capture whose wakes match no shift
 *     within 2x rms is refused: it is not the scenario's product. The
 *     measured cycle length is the median interval between hyperperiod
 *     starts (a capture whose period differs from the scenario's is
 *     simulated at the capture's, with a warning). Then average every
 *     complete cycle, aligned at its start, into bins (exact integrals of
 *     the held samples). Averaging aligned cycles divides the analyzer's
 *     noise by the square root of their number before any fitting.
 *  3. Fit: each chosen figure is base x exp(phi); the residual of bin b is
 *     (simulated - measured) / (0.2 uA + 1 % of the measured mean), the
 *     0.2 uA being a PPK2-class quantisation step and 1 % an analyzer's
 *     gain error, so the floor and the wake weigh alike. GSL's nonlinear
 *     least squares (trust region, Levenberg-Marquardt) minimises it; the
 *     Jacobian is a forward difference with a 0.1 % step, because the
 *     simulator rounds to whole bytes, cycles and ticks. Bins integrate the
 *     piecewise-constant traces, so the residual moves continuously as a
 *     phase lengthens.
 *  4. Intervals: 95 % = phi +- 1.96 sqrt(C_jj chi2/dof), C = (J'J)^-1,
 *     mapped back through exp. A figure whose Jacobian column is zero (the
 *     cycle does not depend on it: a state the scenario never enters) or
 *     whose interval is wider than +-50 % is "not identified" and keeps its
 *     value; the others are refitted without it. */
#ifndef IMPSIM_CALIB_H
#define IMPSIM_CALIB_H

#include "capture.h"
#include "diag.h"
#include "units.h"

#define CALIB_MAX_KEYS 12

typedef struct {
    const char *scn;               /* the scenario file */
    char *const *sets;             /* the user's settings (--set ...) */
    int nsets;
    const char *capture;           /* the measured capture */
    capture_opts co;
    char keys[CALIB_MAX_KEYS][64]; /* model figures to fit (no "model.") */
    int nkeys;
} calib_opts;

typedef struct {
    char key[64];
    units_dim dim;
    double before;        /* SI, the model's (with the user's settings) */
    double after;         /* SI, fitted (== before when not identified) */
    double lo, hi;        /* SI, 95 % interval (identified only) */
    int identified;
    char why[160];        /* when not identified */
} calib_fig;

typedef struct {
    calib_fig fig[CALIB_MAX_KEYS];
    int n;
    capture_info info;    /* the capture as read (units, rows, sha256) */
    int cycles;           /* complete measured cycles averaged */
    int wakes_per_cycle;  /* wakes in the scenario's hyperperiod */
    int wakes_seen;       /* wakes found in the capture */
    double pattern_rms;   /* how far the capture's wakes (charges and
                             intervals, log, less their means) are from
                             the simulated pattern at the chosen
                             alignment; 0 with one wake per cycle */
    double pattern_second;/* the same at the next best alignment (INFINITY
                             with one wake per cycle) */
    double period_s;      /* measured cycle length (median wake interval) */
    double sim_period_s;  /* the scenario's cycle (hyperperiod) */
    double pre_s;         /* the cycle starts this long before the wake */
    double threshold_A;   /* wake threshold */
    int nbins;
    double bin_s;
    double *meas, *sim0, *sim1;   /* owned: nbins mean currents (A):
                                     measured, simulated before/after */
    double rms0, rms1;    /* A, rms of (sim - measured) before/after */
    double q_meas, q0, q1;        /* C per cycle: measured, simulated */
    double chi2_dof;      /* weighted residual per degree of freedom */
    int iterations;
} calib_result;

/* Calibrate. Returns 0 and fills *r (free with calib_result_free), or -1
 * after recording errors in d: a bad scenario, setting or capture
 * (file:line:col), a key that is not a number in the model, no wake or no
 * complete cycle in the capture, a fit that failed. */
int calib_run(const calib_opts *o, calib_result *r, diag *d);
void calib_result_free(calib_result *r);

#endif
