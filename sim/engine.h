/* engine.h — runs plans as SimGrid actors, one actor per device.
 *
 * SimGrid's engine can be set up only once per process. A command's own
 * process never starts it: its simulations run in a fork()ed child, which
 * initialises SimGrid, starts one actor per simulated device (n devices of
 * engine_run_batch in one simulation), runs, and sends the results back
 * through a pipe. A pool worker (pool.h: sweeps, Monte Carlo, variants,
 * decide, check) is already a process of its own: there SimGrid starts
 * once, at the worker's first simulation, and every later simulation of
 * the worker runs in it, on the same clock (each device's times are
 * relative to its own power-on: its results are what it gives alone),
 * saving a fork and a SimGrid start per simulation.
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

/* Simulate plans p[0..n) from power-on, device i with opts[i] (opts, or
 * any opts[i], may be NULL as for engine_run), as n independent devices,
 * each an actor, in one simulation (one fork, one SimGrid start): r[i] is
 * exactly what engine_run(p[i], opts[i]) gives (tested to the bit). ok[i]
 * is 1 when device i's result is complete, else 0 with r[i] zeroed and a
 * message on stderr (its process crashed before sending it, a trace could
 * not be written, a tick total overflowed): a crash fails the devices not
 * yet received, never hands back a partial result. Returns 0 when every
 * ok[i] is 1, else -1. The plans and opts are only read; traces given in
 * opts must be distinct files. */
int engine_run_batch(int n, const plan *const *p, const engine_opts *const *opts,
                     engine_result *r, int *ok);
void engine_result_free(engine_result *r);

#endif
