/* engine.h — runs a plan as a SimGrid actor, in a child process.
 *
 * SimGrid's engine can be set up only once per process, so every simulation
 * runs in a fork()ed child: the child initialises SimGrid, starts one actor
 * per simulated device, runs, and sends its results back through a pipe.
 * Several simulations (variants, sweeps, regression checks) therefore run
 * independently and in parallel.
 *
 * The device's current profile is a sequence of segments (change points).
 * The engine can write it as a CSV trace and apply it to a battery as it
 * goes (ending the run when the battery is empty).
 *
 * Fast-forward (opts.fast_forward): once the device's state repeats
 * (device.h, repeat.h), a run without a battery skips whole periods
 * (ledger exact); a battery run records the segments of one period and
 * hands the battery to battery_run_on, which repeats that period in closed
 * form to depletion. Memory is one period's segments, whatever the
 * duration; a trace is always written event by event. */
#ifndef IMPSIM_ENGINE_H
#define IMPSIM_ENGINE_H

#include <stdio.h>
#include "battery.h"
#include "ledger.h"
#include "plan.h"

typedef struct {
    FILE *trace;                    /* CSV profile, or NULL */
    tick_t duration;                /* 0: the plan's duration */
    const battery_cell *cell;       /* drain this battery; stop when empty */
    battery_regulator reg;          /* with cell */
    int fast_forward;               /* skip repeated periods (see above) */
    int steady;                     /* stop at the first repeat: result.one */
    FILE *battery_trace;            /* with cell: the battery's curve as CSV rows
                                     * time_s,voltage_V,soc,current_A (battery_trace_csv),
                                     * or NULL */
    battery_trace_fn battery_trace_fn;  /* writes battery_trace's rows instead of
                                     * battery_trace_csv (NULL: CSV), e.g. binary
                                     * records for a reader that only bins them */
} engine_opts;

typedef struct {
    ledger L;           /* the run's ledger (activity table from the plan) */
    double sg_clock;    /* SimGrid's clock at the end (s), for cross-checks */
    double wall_s;      /* wall time of the simulation itself */
    battery_result batt;            /* with opts.cell */
    tick_t period;                  /* the repeat found (ticks), 0 if none */
    ledger one;                     /* with opts.steady: one period's ticks, duration = period */
    int fast_forwarded;             /* periods were skipped (or the battery's repeated) */
} engine_result;

/* Simulate plan p from power-on. opts may be NULL (no trace, no battery,
 * the plan's duration, event by event). On success fills *r (free with
 * engine_result_free) and returns 0; on failure (child crashed, tick
 * overflow) prints a message to stderr and returns -1. */
int engine_run(const plan *p, const engine_opts *opts, engine_result *r);
void engine_result_free(engine_result *r);

#endif
