/* workload.h — how much work a run is, estimated before it runs.
 *
 * A typo (`every 15 ms` for 15 min, with a trace that turns fast-forward
 * off), a Poisson pin at 1000 /s over 30 days or a long event-by-event
 * battery life would otherwise run for hours with no word. The estimate
 * counts engine events (state changes, what `run --stats` reports) from
 * the plan: task runs over the simulated time times the changes each run
 * makes. Above the bound (WORKLOAD_MAX_EVENTS, or --max-events N) the run
 * is refused, with the estimate and the flag that allows it. The estimate
 * is also the total a progress display can count against (stderr, only on
 * a terminal: the engine's progress hook belongs to issue #13). */
#ifndef IMPSIM_WORKLOAD_H
#define IMPSIM_WORKLOAD_H

#include "diag.h"
#include "plan.h"

/* The default bound: 2e8 events, a few minutes of simulation on one core. */
#define WORKLOAD_MAX_EVENTS 2e8

/* Estimated engine events to simulate plan p over seconds of simulated
 * time event by event (every task run, every step, the radio's keepalives
 * and calibration bursts while associated; DTIM beacons are no events: they
 * are booked arithmetically within each doze). An estimate (within a
 * factor of about 2 of run --stats on the scenario library), never
 * negative. */
double workload_events(const plan *p, double seconds);

/* Set the bound for this process (and the simulations it forks): n events,
 * or <= 0 for the default. The commands' --max-events option. */
void workload_set_max(double n);

/* --max-events N: N a number of events >= 1 ("5e9" accepted). Sets the
 * bound and returns 0, or returns -1 (the caller reports the usage error). */
int workload_option(const char *arg);

/* The line each command's --help shows for the option. */
#define WORKLOAD_HELP \
    "  --max-events N       allow a run of more than 2e8 simulated events (estimated\n" \
    "                       before it starts; above the bound the run is refused)\n"

/* Refuse work over the bound: the events to simulate p over seconds — when
 * fast_forward is set and the schedule repeats (plan_hyperperiod), only
 * three hyperperiods of them — are estimated; above the bound an error
 * naming `what` ("the run", "the battery life"), the estimate and
 * --max-events is recorded at the scenario (file) and -1 returned (exit
 * code 2). Returns 0 otherwise. */
int workload_check(const plan *p, double seconds, int fast_forward, const char *file,
                   const char *what, diag *d);

/* The --max-events value the latest refusal of workload_check in this
 * process suggested (0: none since the last call), and forget it. Why: a
 * variant of compare/decide refused for its size is "not evaluated", not
 * "not possible", and its row and the verdict name the flag that allows
 * it (variant_run_inline). */
double workload_take_refusal(void);

#endif
