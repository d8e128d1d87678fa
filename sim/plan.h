/* plan.h — a scenario compiled against a module model: every duration in
 * integer ticks, every current in amperes, activities numbered. The engine
 * executes a plan; it never looks at the scenario text or model file. */
#ifndef IMPSIM_PLAN_H
#define IMPSIM_PLAN_H

#include "ledger.h"
#include "model.h"
#include "scn.h"

typedef struct {
    scn_akind kind;
    int act;            /* ledger activity */
    int periph;         /* declared peripheral index, or -1 */
    int load;           /* board load index (enable/disable), or -1 */
    comp_id comp;       /* its component */
    tick_t t1, t2, t3;  /* durations (see plan.c for each kind) */
    int flag;
    int len;            /* blocks: steps in the body, which follow */
    double prob;        /* A_CHANCE: probability */
    int64_t n;          /* A_NTH_RUN: N; A_REPEAT: times */
    int counter;        /* A_NTH_RUN: index of its run counter */
} plan_step;

typedef struct {
    scn_tkind kind;
    int act;
    tick_t period, offset;
    int64_t nth;
    const tick_t *at;   /* borrowed from the scenario, or at_own */
    tick_t *at_own;     /* owned: times of day (HH:MM) made times after the start */
    int nat;
    double rate;
    tick_t repeat;      /* T_PIN_AT: the list's repeat period, 0 = once */
    scn_window win;     /* runs only inside this window */
    plan_step *step;    /* owned */
    int nstep;
} plan_task;

typedef struct {
    double cur[COMP__COUNT][COMP_MAX_STATES];   /* A */
    double supply;                  /* V */
    tick_t duration;
    scn_sleep sleep;
    int wifi_connected, powersave;
    int latch;                      /* imp.net.latchwifipower(true) at every Squirrel start */
    uint64_t seed;
    int has_stop, has_flash, crystal;
    int has_sampler, has_dac;       /* caps.sampler, caps.dac */
    int keeps_clocks[COMP__COUNT];
    int nperiph;
    comp_id periph_comp[64];
    int nload;
    char load_name[COMP_LOADS][SCN_NAME];
    int load_always[COMP_LOADS];
    tick_t wake_idle, wake_stop, wake_deep, boot, boot_flash;
    tick_t powerup;                 /* radio power-up wait (WL_REG_ON high to first access) */
    tick_t fwload;                  /* radio firmware from SPI flash at radio power-up */
    tick_t scan, join, dhcp, tls, rtt, ps_latency, disconnect;
    tick_t dtim, beacon, cal, cal_interval, ka_interval, ka_tx, ka_rx;
    tick_t flash_dpd_exit;
    int flash_rest;                 /* FLASH_DPD or FLASH_STANDBY while impOS waits */
    tick_t retry, snooze;           /* SUSPEND_ON_ERROR */
    const tick_t *ap_down;          /* borrowed: (start, length) pairs */
    int nap;
    double rc_scale;                /* timer period scale on the RC oscillator */
    int act_boot, act_wake, act_connect, act_disconnect, act_sleep, act_offline;
    plan_task *task;                /* owned */
    int ntask;
    int ncounter;                   /* `every Nth run` blocks */
    int nchance;                    /* `chance` blocks whose draw decides something
                                     * (0 % < chance < 100 %: the schedule is random) */
    int32_t start;                  /* s after Monday 00:00 at t = 0 */
    ledger names;                   /* activity table only (times all zero) */
} plan;

/* Compile s (already checked against m) into p. Returns 0, or -1 with an
 * error in d when a duration overflows the tick range or there are more
 * activities than the ledger holds. p is freed with plan_free. */
int plan_build(plan *p, const scn *s, const model *m, diag *d);
void plan_free(plan *p);

/* The largest module current (A) the plan's radio will draw at a WiFi
 * burst, from the model figures alone (the calibration burst at every radio
 * power-up, TX, the connect phases with the CPU state the engine pairs with
 * each), with the 32 kHz source, the flash at rest, the regulator and the
 * always-on loads; 0 when nothing ever turns the radio on. Why: a cell too
 * weak to reach its first burst must still be judged against the WiFi peak
 * it would have to carry (pipeline_life), not only the peaks the run saw. */
double plan_wifi_peak_A(const plan *p);

/* 1 when plans a and b make the device do exactly the same (every field
 * the engine reads is equal, byte for byte: times, schedule, steps,
 * seeds, outages), so that the ledgers of their runs without a battery
 * are equal: they may differ only in the currents and the supply voltage,
 * which such a run does not read (device.c books ticks; the currents are
 * applied afterwards, budget.c).
 * Reuse: a sensitivity run for a figure that only scales a current takes
 * the base run's ledger (decide.c). 0 when anything else differs, even
 * in padding: then simulate, never wrong. */
int plan_same_run(const plan *a, const plan *b);

/* The name component c is reported under: a board load's own name
 * (`load gps ...`), NULL for a load slot the scenario does not use, else
 * comp_name(c). Borrowed from p. */
const char *plan_comp_name(const plan *p, comp_id c);

/* The plan's hyperperiod: a time H after which the schedule repeats (lcm of
 * the `every` periods, the repeat periods of `on pin at ... every` lists
 * and the windows' days or weeks, times the lcm of the `every Nth wake` and
 * `every Nth run` counts), or 0 when the schedule is not periodic (Poisson
 * pin events, a pin list that does not repeat, `chance` blocks,
 * access-point outages: plan_aperiodic) or H does not fit in the tick
 * range. A `chance 0 %` or `chance 100 %` block keeps it periodic. */
tick_t plan_hyperperiod(const plan *p);

/* The radio's calibration and keepalive intervals as the device runs them
 * (wifi.cal.interval, wifi.keepalive.interval), each 0 where it has no
 * burst (no interval, or a burst of no length). */
void plan_radio_every(const plan *p, tick_t *cal, tick_t *ka);

/* The hyperperiod with the radio's intervals (plan_radio_every) folded in
 * (a radio that stays on between wakes repeats with them too), each only
 * where that makes it at most PLAN_RADIO_MAX times plan_hyperperiod: a
 * wake period with no small common multiple with 60 s (1.741 s; a swept
 * 2.13 min; a Monte Carlo draw of 60.16 s for the interval, 47 days with
 * a daily schedule) would make the search for it run for years. *whole
 * (may be NULL) is set to the whole common multiple (TICK_MAX past the
 * tick range): when a radio that stays on repeats (device_hooks.quasi).
 * 0 when the schedule has no period (*whole 0 too). */
#define PLAN_RADIO_MAX 64
tick_t plan_radio_period(const plan *p, tick_t *whole);

/* Why the schedule has no period (a phrase for the report: "its `chance`
 * blocks ..."), or NULL when nothing in it breaks the repetition. Static
 * strings. Why: a run or battery life that goes event by event says so,
 * rather than silently taking longer. */
const char *plan_aperiodic(const plan *p);

/* Why the schedule has no hyperperiod: plan_aperiodic's reason, or that
 * its periods have no common multiple in the tick range (a period like
 * 8.109392 s beside a daily task); NULL when it has one. Static strings.
 * Why: a battery life or a break-even search that cannot use a period
 * says which of these it met. */
const char *plan_no_period(const plan *p);

/* 1 when the schedule draws at random (`chance` blocks that decide
 * something, Poisson pin events), so that the scenario's seed changes what
 * runs; else 0. Why: Monte Carlo draws a new seed per sample and says so
 * only where it matters. */
int plan_random(const plan *p);

#endif
