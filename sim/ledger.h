/* ledger.h — the power ledger: integer time per (component, power state,
 * activity).
 *
 * The engine adds ticks; nothing here knows a current. Charge and energy
 * are derived from the ledger only when reporting (budget.c), so N equal
 * periods give exactly N times one period's ticks. The struct is plain
 * data (no pointers) so a forked simulation can send it through a pipe. */
#ifndef IMPSIM_LEDGER_H
#define IMPSIM_LEDGER_H

#include <string.h>
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

/* The accumulator in front of a ledger: the engine's hot path. A device
 * moves through a few dozen distinct configurations (every component's
 * power state and the activity) over and over; each time segment adds its
 * ticks to its configuration's slot (one hash probe, one addition), and
 * ledger_acc_flush adds each slot's total to its configuration's cells,
 * one per component. Integer sums in another order, so the ledger is the
 * same to the tick as adding every segment to every component's cell; an
 * overflow of a slot is an overflow of each of its cells (all additions
 * are non-negative), reported as ledger_add would. Not plain data: one per
 * run, beside the ledger. */
#define LEDGER_ACC_SLOTS 256            /* a power of two */
#define LEDGER_ACC_WORDS ((COMP__COUNT + 7) / 8)

typedef struct ledger_acc_slot {
    uint64_t k[LEDGER_ACC_WORDS];       /* the states, one byte per component */
    int act;                            /* -1: a free slot */
    tick_t t;                           /* ticks since the last flush */
    struct ledger_acc_slot *next;       /* the slot that followed this one last
                                         * time: a device's configurations come
                                         * round in the same order */
} ledger_acc_slot;

typedef struct {
    ledger *L;
    ledger_acc_slot *last;              /* the slot of the previous segment */
    int nused, overflow;
    ledger_acc_slot slot[LEDGER_ACC_SLOTS];
    short used[LEDGER_ACC_SLOTS];       /* the taken slots, in order */
} ledger_acc;

/* An empty accumulator in front of L (L's activity table must be final:
 * the slots hold activity indexes). */
void ledger_acc_init(ledger_acc *a, ledger *L);

/* The slot of configuration (k, act), taken if new (flushing the table
 * into the ledger first when it is 3/4 full). For ledger_acc_add. */
ledger_acc_slot *ledger_acc_find(ledger_acc *a, const uint64_t k[LEDGER_ACC_WORDS], int act);

/* dt >= 0 ticks in which component c is in state st[c] (c over every
 * component) and the activity is act (0 <= act < L->nact). Not yet in the
 * ledger: see ledger_acc_flush. */
static inline void ledger_acc_add(ledger_acc *a, const unsigned char st[COMP__COUNT], int act,
                                  tick_t dt)
{
    uint64_t k[LEDGER_ACC_WORDS] = {0};
    memcpy(k, st, COMP__COUNT);
    ledger_acc_slot *s = a->last->next;    /* the usual successor */
    if (!s || s->act != act || memcmp(s->k, k, sizeof k)) {
        s = a->last;                        /* the same configuration again */
        if (s->act != act || memcmp(s->k, k, sizeof k)) {
            s = ledger_acc_find(a, k, act);
            a->last->next = s;
        }
    }
    a->last = s;
    if (__builtin_add_overflow(s->t, dt, &s->t))
        a->overflow = 1;
}

/* Add every slot's ticks to the ledger (for each component, to the cell of
 * its state in that configuration) and zero them: the ledger is then
 * complete. */
void ledger_acc_flush(ledger_acc *a);

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
