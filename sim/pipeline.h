/* pipeline.h — parse -> validate -> plan -> simulate -> account, for one
 * scenario on one module. Every command (run, and the tests) goes through
 * here, so each stage is done one way. */
#ifndef IMPSIM_PIPELINE_H
#define IMPSIM_PIPELINE_H

#include <stdio.h>
#include "battery.h"
#include "budget.h"
#include "engine.h"
#include "model.h"
#include "plan.h"
#include "scn.h"

typedef struct {
    scn *s;         /* owned */
    model *m;       /* owned */
    battery_cell *cell;     /* owned: the scenario's battery, or NULL */
    plan p;
    int planned;
    int event_by_event;     /* pipeline_run: no fast-forward (--no-fast-forward) */
    FILE *battery_trace;    /* pipeline_life: the battery's curve goes here (borrowed; see
                             * engine_opts.battery_trace), or NULL */
    battery_trace_fn battery_trace_fn;  /* its row writer (NULL: CSV; see engine_opts) */
} pipeline;

/* Load scenario `path`, apply settings sets[0..nsets) (each
 * "scenario.K=V", "model.K=V" or "battery.K=V", in order, after the file's
 * own statements), load the module model with the scenario's parts and
 * model overrides, check the scenario against it and build the plan, and
 * refuse a run that would take more work than the bound (workload.h).
 * Returns 0, or -1 with errors in d (pl is then empty). */
int pipeline_load(pipeline *pl, const char *path, char *const *sets, int nsets, diag *d);

/* The same from text held in memory (tests, fuzzing). */
int pipeline_load_text(pipeline *pl, const char *name, const char *text,
                       char *const *sets, int nsets, diag *d);

/* Simulate and account: fills *b (and *r when not NULL; free it with
 * engine_result_free). trace may be NULL. Repeated periods are skipped
 * (exactly: the ledger is the event-by-event run's) unless
 * pl->event_by_event is set or a trace is written. Returns 0, or -1 after
 * printing why. */
int pipeline_run(pipeline *pl, FILE *trace, budget *b, engine_result *r);

/* The steady average current (A): the charge of one repeated period of
 * the device's state (found as for the fast-forward, exact integer ticks)
 * over its length, into *amps; *period_s gets the period. The run stops
 * at the first repeat. Returns 0, 1 when the state did not repeat within
 * eight hyperperiods (the radio's calibration and keepalive intervals
 * included) or the schedule has none (plan_aperiodic), 2 when its
 * hyperperiod is longer than half the tick range (19 years: no repeat
 * can be found in it), or -1 after printing why the engine failed. */
int pipeline_steady(pipeline *pl, double *amps, double *period_s);

/* pipeline_steady's run, keeping one repeated period's ledger in *one
 * (one->duration = the period). Same returns. */
int pipeline_steady_ledger(pipeline *pl, ledger *one);

/* The average current (A) of ledger L (a run of pl's plan, or of a plan
 * that runs the same: plan_same_run) under pl's currents, as
 * pipeline_run and pipeline_steady report it (budget_make). */
double pipeline_avg_current(const pipeline *pl, const ledger *L);

#define PIPELINE_HORIZON_S BATTERY_HORIZON_S     /* the one horizon (battery.h) */

/* Battery life for the scenario's `battery` (with its battery.* settings):
 * fills b->battery. With fast_forward, once the device's state repeats
 * (engine.h) one period's current profile is recorded and the battery is
 * advanced over whole periods; otherwise (or when the state never
 * repeats: wake-pin Poisson events, random actions) the device is
 * simulated event by event until the battery is empty or
 * PIPELINE_HORIZON_S. The cell was loaded (and checked) by pipeline_load.
 * Returns 0 (also when the scenario names no battery: b->battery.present
 * stays 0), -2 after printing why when an event-by-event life would take
 * more work than the bound (workload.h: bad input, exit code 2), or -1
 * after printing why the engine failed. The refusal is recorded in `why`
 * when it is not NULL (a variant's row shows it), else printed. */
int pipeline_life(pipeline *pl, int fast_forward, budget *b, diag *why);

/* The regulator between the scenario's battery and the module, as the
 * battery run uses it (kind, efficiency, quiescent current, wifi-min, the
 * module supply): one place, so the report of assumptions and the run
 * agree. */
void pipeline_regulator(const pipeline *pl, battery_regulator *reg);

void pipeline_free(pipeline *pl);

#endif
