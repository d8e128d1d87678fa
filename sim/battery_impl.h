/* battery_impl.h — internals shared by the battery_*.c files (not public).
 *
 * Every charge model here is linear in the current, so one "core" serves
 * all of them: an integrator q (charge removed, coulombs per cell; for
 * Peukert the rate-weighted charge) plus up to BATTERY_MAX_LAGS first-order
 * lags x_j, each obeying dx_j/dt = g_j*i - lambda_j*x_j. Over a segment of
 * constant cell current i and length dt each lag has the exact solution
 *     x_j <- x_j*e + g_j*i*(1 - e)/lambda_j,   e = exp(-lambda_j*dt).
 * The apparent state of charge is
 *     soc = 1 - (q + sum_j w_j*x_j) / cap
 * and the model's end of life is soc <= 0. The models only choose the
 * lambdas, gains, weights and cap (battery_kibam.c, battery_diffusion.c,
 * battery_peukert.c). */
#ifndef IMPSIM_BATTERY_IMPL_H
#define IMPSIM_BATTERY_IMPL_H

#include <gsl/gsl_interp.h>
#include "battery.h"

#define BATTERY_MAX_LAGS 10

typedef enum {
    BATTERY_MODEL_IDEAL, BATTERY_MODEL_PEUKERT,
    BATTERY_MODEL_KIBAM, BATTERY_MODEL_DIFFUSION
} battery_model;

typedef enum {
    BATTERY_V_CONSTANT, BATTERY_V_OCV, BATTERY_V_SHEPHERD
} battery_vmodel;

/* The linear law a charge model reduces to. */
typedef struct {
    int nlag;
    double lambda[BATTERY_MAX_LAGS];   /* 1/s */
    double gain[BATTERY_MAX_LAGS];
    double weight[BATTERY_MAX_LAGS];
    double cap;                        /* C per cell where soc reaches 0 */
    double peukert_n;                  /* 1 = linear */
    double peukert_i;                  /* A, rated current (Peukert) */
    battery_end end;                   /* what soc <= 0 is called */
} battery_law;

/* The core state (per cell). */
typedef struct {
    double q;
    double x[BATTERY_MAX_LAGS];
} battery_core;

/* Effect of a block of time on the core, as an affine map: applying it
 * n times is closed form (battery_core_map_apply). */
typedef struct {
    double dq;                          /* added to q */
    double decay[BATTERY_MAX_LAGS];     /* sum of lambda_j*dt */
    double b[BATTERY_MAX_LAGS];         /* x_j <- a_j*x_j + b_j */
    double dt;                          /* s */
    double delivered;                   /* C out of the pack */
} battery_map;

struct battery_cell {
    char *name, *title;
    battery_model model;
    battery_vmodel vmodel;
    double capacity;        /* C per cell (nominal) */
    double v_nominal;       /* V per cell */
    double cutoff;          /* V per cell */
    double resistance;      /* ohm per cell */
    double self_discharge;  /* fraction of capacity per year */
    int series, parallel;
    battery_law law;
    /* Shepherd/Tremblay, all per cell: V in volts, Q in Ah, K in V/Ah,
     * B in 1/Ah (Tremblay's conventions) */
    double sh_e0, sh_k, sh_q, sh_a, sh_b;
    /* OCV curve: soc in [0,1] ascending, volts */
    int ocv_n;
    double *ocv_soc, *ocv_v;
    gsl_interp *ocv;
    gsl_interp_accel *ocv_acc;  /* the last interval found: a hint only (the same
                                 * interval as a search, the same value), so one
                                 * cell may serve any number of batteries */
};

/* Per-period bookkeeping the profile runner reads. */
typedef struct {
    double min_soc;         /* lowest soc at any segment edge */
    double min_v_cut;       /* lowest (V - cut-off) at any segment edge */
    double min_v_wifi;      /* lowest (V - wifi min) while WiFi drew */
    double i_cut, i_wifi;   /* A, pack current at those two minima */
} battery_watch;

/* A core state's terms for the end-of-life rules: its apparent state of
 * charge, and the pack's open-circuit voltage (V) and resistance (ohm)
 * there (the pack voltage at pack current i is v0 - r*i). */
typedef struct {
    double soc, v0, r;
} battery_terms;

struct battery {
    const battery_cell *cell;
    battery_regulator reg;
    battery_core core;
    double t;               /* s */
    double delivered;       /* C */
    double i_sd;            /* A per cell, self-discharge */
    battery_end ended;
    battery_watch watch;
    battery_map *rec;       /* when non-NULL, pieces are accumulated here */
    double last_i;          /* A, battery current of the last piece */
    double wifi_peak;       /* A, largest module current of a WiFi segment applied */
    /* the terms of the state where the last piece ended (a hint only: used
     * when the core is that state to the bit, so the same bits as
     * computing them again; the next segment starts there) */
    battery_core tc_core;
    battery_terms tc;
    int tc_ok;
};

/* battery.c: pack voltage at the present state with pack current i_pack;
 * forget the watch (start a new period). */
double battery_pack_v(const battery *b, double i_pack);
void battery_watch_reset(battery *b);

/* battery_core.c */
void battery_core_advance(const battery_law *law, battery_core *c,
                          double i_model, double i_lag, double dt);
double battery_core_soc(const battery_law *law, const battery_core *c);
void battery_map_reset(battery_map *m);
void battery_map_add(const battery_law *law, battery_map *m,
                     double i_model, double i_lag, double dt);
void battery_map_apply(const battery_law *law, const battery_map *m,
                       battery_core *c, double n);

/* battery_peukert.c */
void battery_ideal_law(double capacity, battery_law *law);
void battery_peukert_law(double capacity, double n, double i_rated,
                         battery_law *law);
double battery_peukert_current(const battery_law *law, double i);

/* battery_kibam.c */
void battery_kibam_law(double capacity, double c, double k_prime,
                       battery_law *law);

/* battery_diffusion.c */
void battery_diffusion_law(double alpha, double beta, battery_law *law);

/* battery_voltage.c: cell voltage V = v0 - r*i at state of charge soc. */
void battery_cell_vr(const battery_cell *c, double soc, double *v0,
                     double *r);

/* battery_shepherd.c: Tremblay's discharge curve without the filtered
 * current (i* = i): v0 and r for extracted charge it_ah. */
void battery_shepherd_vr(double e0, double k, double q_ah, double a,
                         double b, double r_int, double it_ah,
                         double *v0, double *r);

#endif
