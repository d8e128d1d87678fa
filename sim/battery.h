/* battery.h — battery models: how long a cell or pack lasts under a load.
 *
 * A battery is driven by a sequence of constant-current segments (current
 * drawn by the module, duration). Between module and battery sits a
 * regulator (linear or switching), so the battery current depends on the
 * battery voltage. Charge models: ideal (coulomb counting), Peukert, the
 * Kinetic Battery Model (closed form per segment) and the Rakhmatov-Vrudhula
 * diffusion model. Voltage models: constant, open-circuit-voltage curve vs
 * state of charge, or Shepherd/Tremblay (Li-ion); each with an internal
 * resistance. Life ends at the first of: the charge model's own rule, the
 * cut-off voltage, or (while WiFi draws) the WiFi minimum voltage.
 *
 * Cells are described by figure files (cells/NAME.cell; schema in
 * cells/README.md). All quantities are SI: A, s, V, C (coulomb), ohm. */
#ifndef IMPSIM_BATTERY_H
#define IMPSIM_BATTERY_H

#include "diag.h"
#include "figfile.h"

/* The horizon of every battery life impsim computes (run, compare, decide,
 * sweep, check, report and battery alone): 30 years. A battery not empty
 * by then has no life to report, only "more than 30 y" (text), a flag with
 * the bound (JSON `depleted` false, `life_more_than_s`) or an empty life
 * with `not-depleted` (CSV). Why 30 y: beyond any product's service life and
 * the cells' shelf lives (10-20 y), and inside the 38-year range of the
 * engine's 64-bit ticks (ticks.h). */
#define BATTERY_HORIZON_S (30 * 365.25 * 86400.0)

typedef struct battery_cell battery_cell;   /* a loaded cell description */
typedef struct battery battery;             /* a battery's evolving state */

/* What ended (or did not end) the battery's life. */
typedef enum {
    BATTERY_ALIVE = 0,        /* "not-depleted" */
    BATTERY_END_CAPACITY,     /* "capacity": ideal / Peukert charge used up */
    BATTERY_END_WELL,         /* "available-well": KiBaM available well empty */
    BATTERY_END_DIFFUSION,    /* "diffusion": sigma(t) reached alpha */
    BATTERY_END_CUTOFF,       /* "cutoff-voltage": loaded voltage < cut-off */
    BATTERY_END_WIFI          /* "wifi-min-voltage": < WiFi minimum while WiFi draws */
} battery_end;

/* The short word for e ("capacity", ..., "not-depleted"). Static string. */
const char *battery_end_word(battery_end e);

/* ---- cells ------------------------------------------------------------ */

/* Load a cell. `name` is a preset name ("2xAA-alkaline", read from
 * impsim_datadir()/cells/NAME.cell) or a path (it contains '/' or ends in
 * ".cell"). `over` (n_over entries, may be NULL when n_over is 0) replaces
 * or adds figures, e.g. from --set battery.KEY=VALUE; a key may carry the
 * prefix "battery." which is ignored. Entries are copied, not retained.
 * Returns a new cell (free with battery_cell_free), or NULL after recording
 * errors in d: file:line:col for file problems, the override's position
 * for bad overrides (unknown key, wrong dimension, value out of range). */
battery_cell *battery_cell_load(const char *name, const fig_entry *over,
                                int n_over, diag *d);

/* Same, from an already parsed figure file (borrowed; the cell copies what
 * it needs). `name` labels the cell in reports. */
battery_cell *battery_cell_from_fig(const char *name, const figfile *f,
                                    const fig_entry *over, int n_over,
                                    diag *d);

void battery_cell_free(battery_cell *c);

/* Descriptions of a loaded cell (borrowed strings, live as long as c). */
const char *battery_cell_name(const battery_cell *c);   /* as loaded */
const char *battery_cell_title(const battery_cell *c);  /* cell.name or name */
const char *battery_cell_model(const battery_cell *c);  /* "kibam", ... */
const char *battery_cell_vmodel(const battery_cell *c); /* "ocv", ... */
double battery_cell_capacity_C(const battery_cell *c);  /* pack, coulombs */
double battery_cell_voltage_V(const battery_cell *c);   /* pack nominal */
double battery_cell_cutoff_V(const battery_cell *c);    /* pack cut-off */
#define BATTERY_YEAR_S (365.25 * 86400.0)   /* the year of %/y figures (s) */

/* The charge (C) the pack loses to self-discharge over life_s seconds:
 * cell.self_discharge (a fraction of capacity per BATTERY_YEAR_S) x pack
 * capacity x life, the constant current battery.c draws for it. For the
 * self-discharge warning (physwarn.h). */
double battery_cell_self_discharge_C(const battery_cell *c, double life_s);

/* ---- regulator -------------------------------------------------------- */

typedef enum { BATTERY_REG_LINEAR, BATTERY_REG_SWITCHING } battery_reg_kind;

/* Between battery and module. LINEAR (an LDO, or a direct connection when
 * i_q is 0): I_bat = I_mod + i_q. SWITCHING: I_bat = I_mod*v_module /
 * (V_bat*efficiency) + i_q, solved together with V_bat = V_oc - R*I_bat.
 * wifi_min_v: battery voltage under load below which WiFi fails (0 = no
 * such rule). */
typedef struct {
    battery_reg_kind kind;
    double v_module;     /* V, module supply (used by SWITCHING) */
    double efficiency;   /* 0 < eff <= 1 (used by SWITCHING) */
    double i_q;          /* A, quiescent current drawn from the battery */
    double wifi_min_v;   /* V at the battery terminals; 0 disables */
} battery_regulator;

/* Defaults: LINEAR, 3.3 V, efficiency 0.9, i_q 0, wifi_min_v 2.7 V. */
void battery_regulator_default(battery_regulator *r);

/* ---- state ------------------------------------------------------------ */

/* A segment of constant module current. */
typedef struct {
    double current_A;    /* >= 0, drawn by the module at its supply */
    double duration_s;   /* >= 0 */
    int wifi;            /* non-zero while WiFi draws current in it */
} battery_segment;

/* A full battery at time 0. `cell` is borrowed and must outlive the
 * battery; `reg` is copied (NULL = defaults). Never returns NULL (aborts
 * on out-of-memory). */
battery *battery_new(const battery_cell *cell, const battery_regulator *reg);
void battery_free(battery *b);

/* Apply one segment. Returns 0 when the battery is still alive at its
 * end, 1 when life ended inside it (or it had already ended): then
 * battery_ended() says why and battery_time() is the exact instant, found
 * by root finding within the segment. Returns -1 (state unchanged) when
 * the segment is invalid (negative or non-finite current or duration). */
int battery_apply(battery *b, const battery_segment *seg);

battery_end battery_ended(const battery *b);
double battery_time(const battery *b);          /* s since full */
double battery_delivered_C(const battery *b);   /* C out of the terminals */
/* Apparent state of charge in [0,1] per the charge model: ideal/Peukert
 * 1 - used/capacity; KiBaM available-well height / capacity; diffusion
 * 1 - sigma/alpha. Self-discharge is included. */
double battery_soc(const battery *b);
/* Pack voltage with module current i_mod flowing (0 = open circuit). */
double battery_voltage(const battery *b, double i_mod);
/* Battery current for module current i_mod at the present state, or -1
 * when the pack cannot deliver that power (switching regulator). */
double battery_current(const battery *b, double i_mod);
/* The largest module current of a segment with WiFi drawing applied so far
 * (A; 0 when none): the WiFi peak the cell has had to deliver. */
double battery_wifi_peak_A(const battery *b);

/* Can a full cell deliver the WiFi peak? *v = the pack voltage under module
 * current i_mod at full charge (0 when the pack cannot give that power at
 * all). Returns 1 when *v is below reg->wifi_min_v (or the power cannot
 * be given): the product cannot work on this cell whatever its capacity;
 * the remedies are a buffer capacitor across the cell, a hybrid-layer cell
 * (HLC: a pulse capacitor in parallel) or a bigger / lower-resistance
 * cell. Why a separate check: a life that ends within seconds at the first
 * transmission is no battery life, and must be reported as this instead. */
int battery_peak_check(const battery_cell *cell, const battery_regulator *reg, double i_mod,
                       double *v);

/* ---- profiles --------------------------------------------------------- */

/* Called at the start of every segment applied one by one (voltage under
 * that segment's load), with the profile's trace_jumps at the start of
 * every stretch of repetitions jumped in closed form (their average pack
 * current and the voltage under it), and once at the end; times only
 * increase. */
typedef void (*battery_trace_fn)(void *ctx, double t_s, double voltage_V,
                                 double soc, double current_A);

/* A battery_trace_fn writing one CSV row "time_s,voltage_V,soc,current_A"
 * to the FILE *ctx (the format of `impsim battery --trace`). */
void battery_trace_csv(void *ctx, double t_s, double voltage_V, double soc, double current_A);

typedef struct {
    const battery_segment *prefix;   /* run once first (may be NULL) */
    int n_prefix;
    const battery_segment *period;   /* then repeated (may be NULL) */
    int n_period;
    double horizon_s;                /* stop here: "not-depleted" */
    battery_trace_fn trace;          /* optional */
    void *trace_ctx;
    int trace_jumps;                 /* also a row per jumped stretch (above):
                                      * current_A then integrates to the
                                      * charge delivered; without it, rows
                                      * where segments are applied only */
} battery_profile;

typedef struct {
    double life_s;         /* end of life, or horizon / profile end */
    battery_end ended_by;
    double delivered_C;    /* out of the battery terminals */
    double soc;            /* at life_s */
    double voltage_V;      /* open-circuit, at life_s */
    double periods;        /* periods completed (may be fast-forwarded) */
    double wifi_peak_A;    /* battery_wifi_peak_A at the end */
} battery_result;

/* Run a profile on a fresh battery: prefix once, then period repeated
 * until depletion or horizon_s. With no period (or a zero-length one) the
 * battery rests at zero module current after the prefix until the
 * horizon. Periods are fast-forwarded: after two periods applied segment
 * by segment, the period's (frozen) battery currents are applied to many
 * periods at once in closed form, as many as keep the state of charge and
 * voltage margins safe; near the end every period is applied exactly, so
 * the end instant is exact. Returns 0 and fills *out, or -1 for an invalid
 * profile (bad segment, horizon <= 0 or not finite). */
int battery_run(const battery_cell *cell, const battery_regulator *reg,
                const battery_profile *p, battery_result *out);

/* The same on battery b as it is now (b->t seconds into its life, b is
 * not freed): the simulation's battery fast-forward, which applies the
 * prefix live and hands over one recorded period. horizon_s is absolute
 * (time since full). */
int battery_run_on(battery *b, const battery_profile *p, battery_result *out);

#endif
