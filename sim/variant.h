/* variant.h — variants of one scenario (module, crystal, how it waits), run
 * in parallel and compared: the matrix behind `compare`, `decide` and
 * `sweep`. */
#ifndef IMPSIM_VARIANT_H
#define IMPSIM_VARIANT_H

#include "battery.h"
#include "physwarn.h"

#define VARIANT_MAX 24
#define VARIANT_MAX_SETS 24

typedef enum {
    VAR_BASELINE,       /* imp002 as the product is today */
    VAR_DEEP,           /* imp004m, crystal, timed deep sleep */
    VAR_DEEP_PIN,       /* imp004m, no crystal, deep sleep until the wake pin */
    VAR_AWAKE,          /* imp004m, no crystal, no deep sleep: the candidates */
    VAR_USER            /* --variant */
} variant_role;

typedef struct {
    char name[48];
    char desc[160];
    variant_role role;
    char *sets[VARIANT_MAX_SETS];   /* owned: settings, after the user's */
    int nsets;
} variant;

typedef struct {
    int ok;
    char err[512];
    double max_events_needed;       /* !ok because the run (or its battery life, event by
                                     * event) would exceed the event limit: the --max-events
                                     * that allows it ("not evaluated"); 0 otherwise ("not
                                     * possible") */
    char module[32];
    double avg_current_A, charge_day_C;
    int has_life;
    double life_s, delivered_C;     /* life_s: end of life, or the horizon when !depleted */
    const char *ended_by;           /* static */
    int depleted;                   /* has_life: 1 life_s is an end of life, 0 the battery
                                     * outlasted the horizon ("more than life_s") */
    int peak_fails;                 /* has_life: the cell cannot deliver the WiFi peak even
                                     * full (battery_peak_check); life_s is then no life */
    physwarn_facts facts;           /* for the physical warnings (physwarn_add) */
    /* what actually ran, so a variant's name cannot hide its behaviour */
    int crystal;                    /* 32 kHz crystal fitted (imp002: integrated, 1) */
    char sleep[8];                  /* "deep", "idle", "shallow" */
    int wifi_connected, powersave, latch;   /* wifi-idle connected, powersave, latchwifipower */
    double connects_day;            /* WiFi connections per day */
    double radio_ups_day;           /* radio power-ups per day */
    double boots_day;               /* Squirrel starts per day */
    double connects;                /* WiFi connections in the run */
    int outages;                    /* access-point outages in the scenario */
} variant_result;

typedef struct {
    variant v[VARIANT_MAX];
    int n;
} variant_set;

/* The built-in matrix: imp002 baseline; imp004m with crystal and timed deep
 * sleep; imp004m without crystal in deep sleep until the wake pin; imp004m
 * without crystal in stop mode (WiFi in standby), in shallow sleep, and
 * associated with power-save. */
void variant_builtin(variant_set *vs);

/* Check every user variant's settings before anything runs: each is
 * loaded (scenario path with sets[0..nsets) and its own settings) and an
 * error in a setting itself (an unknown key, a bad value: located at
 * "--set") is reported as "--variant NAME: ..." and returns 2 (bad input).
 * A variant the scenario cannot run on (a capability error located in the
 * scenario or model) stays a "not possible" row. Returns 0 otherwise. */
int variant_check_user(const variant_set *vs, const char *path, char *const *sets, int nsets);

/* Add a user variant from "NAME: KEY=VALUE KEY=VALUE ..." (keys as for
 * --set). Returns 0, or -1 after printing why (names the argument). */
int variant_add_user(variant_set *vs, const char *spec);

void variant_set_free(variant_set *vs);

/* Run scenario `path` under every variant, with the user's settings
 * sets[0..nsets) first, `extra` (may be NULL) last, in parallel (workers
 * <= 0: all CPUs). res has vs->n entries. Returns 0, or -1 when the runs
 * could not be started. A variant that fails (e.g. a capability it lacks)
 * has ok = 0 and err set; that is not a failure of the call. */
int variant_run_all(const char *path, char *const *sets, int nsets, const char *extra,
                    const variant_set *vs, int workers, variant_result *res);

/* Run one variant here (the engine still forks): sets first, then the
 * variant's own settings. Fills *r; a failure to run is r->ok = 0.
 * life_only: where the scenario has a battery and a periodic schedule
 * (its life is then fast-forwarded and needs no budget), only the life is
 * simulated: the life fields are set (has_life, life_s, delivered_C,
 * ended_by, depleted, peak_fails), the budget's (avg_current_A,
 * charge_day_C, connects, ...) are 0. Why: a Monte Carlo sample is judged
 * by its life alone (variant_merit), and the budget's run over the
 * scenario's duration is exact to the tick, so it goes event by event
 * wherever the whole state never repeats (a radio that stays on, with a
 * drawn calibration interval), where the life's run need not
 * (device_hooks.quasi). */
void variant_run_inline(const char *path, char *const *sets, int nsets, const variant *v,
                        int life_only, variant_result *r);

/* The same for `rows` rows, row r with the extra setting extra[r] last (a
 * sweep): res holds rows * vs->n results, row-major. */
int variant_run_rows(const char *path, char *const *sets, int nsets, char *const *extra,
                     int rows, const variant_set *vs, int workers, variant_result *res);

/* Index of the best (longest life, else lowest average current) successful
 * variant with role r, or -1. */
int variant_best(const variant_set *vs, const variant_result *res, variant_role r);

/* The figure variants are ranked by: life when both have one, else the
 * inverse of the average current (so "more is better" either way); 0 for a
 * variant whose cell cannot deliver its WiFi peak (it cannot run at all). */
double variant_merit(const variant_result *r);

/* What ran, in words: "deep sleep, crystal, 96 connects/day, radio
 * powered up 96/day" (the table's "what ran" column). Returns buf. */
char *variant_ran_text(const variant_result *r, char *buf, int len);

/* A note when the variant's name or description promises a behaviour the
 * run did not show (a variant that "stays associated" but connected again
 * and again because the firmware disconnects), else NULL. Static text or
 * buf. */
const char *variant_mismatch(const variant *v, const variant_result *r, char *buf, int len);

/* A variant's life for a sentence or a table cell: "1.348 y (492.3 d)"
 * ("1.348 y" when brief),
 * "more than 30 y" (not depleted within the horizon), "none (the cell
 * cannot deliver the WiFi peak)", or its average current without a
 * battery. Returns buf. */
char *variant_life_text(const variant_result *r, int brief, char *buf, int len);

#endif
