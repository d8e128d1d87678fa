/* device.h — the simulated imp: executes a plan as a state machine over
 * its components, applying impOS's mode rules, and books every tick into
 * the ledger. Simulated time advances only through device_hooks, which the
 * engine connects to SimGrid. */
#ifndef IMPSIM_DEVICE_H
#define IMPSIM_DEVICE_H

#include "ledger.h"
#include "plan.h"

typedef struct {
    /* Called after every wait (and at the end of the run) with the new
     * time: the engine lets SimGrid advance its clock to it. May be NULL. */
    void (*advance)(void *ctx, tick_t now);
    /* Called at each change point with the start time of a segment, the
     * mean current of every component over it (A), whether the radio is
     * on in it, the activity booked (index into the plan's activity table)
     * and every component's state; once more at the end of the run. May be
     * NULL. */
    void (*trace)(void *ctx, tick_t t, const double cur[COMP__COUNT], int radio, int act,
                  const int st[COMP__COUNT]);
    /* Polled after every advance with the new time: non-zero ends the run
     * there (a battery that is empty). May be NULL. */
    int (*stop)(void *ctx, tick_t now);
    /* Fast-forward. Called when the device's complete state at the wake at
     * `now` equals its state at the wake `period` ticks earlier; the
     * repeat holds until `until` (the next absolute-time event: a fixed
     * wake-pin time, an outage starting or ending; TICK_MAX: for ever);
     * `at` is the ledger at the earlier wake (the run's ledger is complete
     * at this call: their difference is one period's ticks, exactly).
     * Returns how many more periods the device may skip (it skips at most
     * as many as end before the run's end and `until`); 0 skips none (and
     * the device looks again only when `until` is finite). NULL: never
     * look (event by event, --no-fast-forward). */
    int64_t (*repeat)(void *ctx, tick_t now, tick_t period, tick_t until, const ledger *at);
    void *ctx;
    /* Non-zero: a change of activity or of a component's state is a change
     * point too, even at the same currents (the --trace CSV names the phase
     * of every row). Zero: change points only where a current changes, so
     * the battery sees the fewest segments. */
    int phases;
    /* Quasi-repeat. Called when the state at the wake at `now` equals the
     * state at the wake `period` ticks earlier except for the phases of
     * the radio's calibration and keepalive counters, and nothing
     * absolute-timed lies ahead, in a plan whose radio intervals do not
     * divide its schedule's hyperperiod (while the radio stays on, the
     * whole state repeats only after `exact` ticks: plan_radio_period's
     * whole multiple, TICK_MAX when that is past the tick range). From here
     * every stretch of `period` runs the same schedule; the stretches
     * differ only in where the bursts fall: one more or fewer of each kind
     * (burst_C, C module side, in all), a few cut short where they meet a
     * change of state. Returns 1 when the caller takes it (a battery run
     * records from now on and ends the run: engine.c; the device stops
     * looking for repeats), 0 when not (never offered again; the exact
     * repeat is still looked for). NULL: never offered (every exact
     * result: a ledger, a steady state, a trace). */
    int (*quasi)(void *ctx, tick_t now, tick_t period, double burst_C, tick_t exact);
} device_hooks;

/* Run plan p from power-on to p->duration, adding into L (which must hold
 * p's activity table: copy p->names first). With h->repeat, whole periods
 * are skipped once the state repeats: the ledger is then bit-identical to
 * the event-by-event run's (exact integer multiples; tested for every
 * library scenario). Returns 0, or -1 if a tick total overflowed
 * (L->overflow set). */
int device_run(const plan *p, ledger *L, const device_hooks *h);

#endif
