/* ledger.h — the power ledger: integer time per (component, power state,
 * activity).
 *
 * The engine adds ticks; nothing here knows a current. Charge and energy
 * are derived from the ledger only when reporting (budget.c), so N equal
 * periods give exactly N times one period's ticks. The struct is plain
 * data (no pointers) so a forked simulation can send it through a pipe. */
#ifndef IMPSIM_LEDGER_H
#define IMPSIM_LEDGER_H

#include "comp.h"
#include "ticks.h"

#define LEDGER_MAX_ACT 24
#define LEDGER_ACT_NAME 32

typedef struct {
    int nact;
    char act[LEDGER_MAX_ACT][LEDGER_ACT_NAME];
    tick_t t[COMP__COUNT][COMP_MAX_STATES][LEDGER_MAX_ACT];
    tick_t duration;        /* simulated time covered */
    uint64_t changes;       /* state-change events the engine processed */
    uint64_t wakes;         /* wakes from a wait (timer or pin) */
    uint64_t boots;         /* Squirrel starts (power-on + deep-sleep wakes) */
    uint64_t skipped;       /* runs of `every` tasks that fell due while the device was
                             * still busy (overran) and were skipped */
    int skipped_task;       /* 1 + index of the first task with a skipped run, 0: none */
    uint64_t connects;      /* WiFi connections made (scan, join, DHCP, TLS) */
    uint64_t radio_ups;     /* radio power-ups (firmware reload + calibration) */
    uint64_t runs[LEDGER_MAX_ACT];  /* runs of each task and named block (by
                             * activity), so no label hides what ran */
    int overflow;           /* set if any addition would have overflowed */
} ledger;

/* Empty ledger with no activities. */
void ledger_init(ledger *L);

/* Index of activity `name`, added if new. Returns -1 when the table is
 * full (LEDGER_MAX_ACT). Names longer than LEDGER_ACT_NAME-1 are cut. */
int ledger_activity(ledger *L, const char *name);

/* Add dt ticks to (comp, state, act). dt >= 0. On overflow sets
 * L->overflow and leaves the cell unchanged. */
void ledger_add(ledger *L, comp_id c, int state, int act, tick_t dt);

/* Fast-forward: L grew from `from` over one period; add k more such
 * periods, i.e. every tick cell and the changes/wakes/boots counters grow
 * by k x (L - from), exactly (integers). L->duration is the caller's. On
 * overflow sets L->overflow. from must hold the same activity table and no
 * cell larger than L's. */
void ledger_repeat(ledger *L, const ledger *from, int64_t k);

/* out = L - from, cell by cell and for the counters (one period's ticks
 * when from is L at the period's start); out's activity table is L's and
 * its duration L's minus from's. */
void ledger_diff(ledger *out, const ledger *L, const ledger *from);

/* Ticks of component c in state s summed over activities. */
tick_t ledger_state_ticks(const ledger *L, comp_id c, int s);

/* Ticks of component c over all states and activities: equals
 * L->duration for every component when the engine is correct. */
tick_t ledger_comp_ticks(const ledger *L, comp_id c);

#endif
