/* engine.h — runs a plan as a SimGrid actor, in a child process.
 *
 * SimGrid's engine can be set up only once per process, so every simulation
 * runs in a fork()ed child: the child initialises SimGrid, starts one actor
 * per simulated device, runs, and sends its ledger back through a pipe.
 * Several simulations (variants, sweeps, regression checks) therefore run
 * independently and in parallel. */
#ifndef IMPSIM_ENGINE_H
#define IMPSIM_ENGINE_H

#include <stdio.h>
#include "ledger.h"
#include "plan.h"

typedef struct {
    ledger L;           /* the run's ledger (activity table from the plan) */
    double sg_clock;    /* SimGrid's clock at the end (s), for cross-checks */
    double wall_s;      /* wall time of the simulation itself */
} engine_result;

/* Simulate plan p from power-on for p->duration. When trace is non-NULL the
 * current-vs-time profile is written to it as CSV (header, change points
 * only; see scenarios/README.md). On success fills *r and returns 0; on
 * failure (child crashed, tick overflow) prints a message to stderr and
 * returns -1. */
int engine_run(const plan *p, FILE *trace, engine_result *r);

#endif
