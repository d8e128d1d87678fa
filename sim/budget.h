/* budget.h — the account stage: turns a ledger's integer times and the
 * plan's currents into charge, energy and shares. Report writers read a
 * budget and nothing else. */
#ifndef IMPSIM_BUDGET_H
#define IMPSIM_BUDGET_H

#include "ledger.h"

typedef struct {
    const char *name;       /* static */
    tick_t ticks;
    double time_s, current_A, charge_C;
} budget_state;

typedef struct {
    char name[32];          /* component, or a board load's own name */
    int fitted;             /* 0: a load slot the board does not use (not reported) */
    double charge_C, avg_current_A;
    tick_t ticks;           /* equals the duration */
    budget_state st[COMP_MAX_STATES];
    int nst;
} budget_comp;

typedef struct {
    char name[LEDGER_ACT_NAME];
    tick_t ticks;           /* wall-clock time spent in the activity */
    uint64_t runs;          /* runs of the task or named block (0: built-in) */
    double time_s, charge_C;
} budget_act;

/* Battery life, when the scenario names a battery (filled by pipeline_life). */
typedef struct {
    int present;
    char cell[128], title[128], model[32];
    double capacity_C, life_s, delivered_C, soc_end;
    double self_discharge_C;    /* lost to self-discharge over life_s (cell.self_discharge x
                                 * capacity x life; battery.c draws it as a constant current) */
    const char *ended_by;   /* static: battery_end_word() */
    const char *method;     /* static: "fast-forward" or "full" */
    const char *full_why;   /* static, NULL: why "full" (plan_aperiodic, --no-fast-forward,
                             * no common multiple of the periods, no repeat before the end) */
    int replayed;           /* "full" with a random schedule's inner repeats replayed */
    int depleted;           /* 0: not empty at the horizon, life_s is the horizon, no life */
    double horizon_s;       /* the simulation horizon (PIPELINE_HORIZON_S) */
    double wifi_peak_A;     /* largest module current with WiFi drawing (0: none) */
    double wifi_peak_V;     /* pack voltage under it at full charge (battery_peak_check) */
    double wifi_min_V;      /* the regulator's wifi-min, 0 = no such rule */
    int peak_fails;         /* wifi_peak_V < wifi_min_V even full: life_s is no life */
} budget_battery;

/* SPI-flash wear (filled by pipeline_run; zero on a module without flash). */
typedef struct {
    double erases;          /* sector erases in the run: erase-state time / flash.erase.time */
    double endurance;       /* rated erase cycles per sector (flash.endurance), 0 = unknown */
} budget_flash;

typedef struct {
    char scenario[256], module[32], title[128];
    tick_t duration;
    double duration_s, supply_V;
    double charge_C, energy_J, avg_current_A;
    budget_comp comp[COMP__COUNT];
    budget_act act[LEDGER_MAX_ACT];
    int nact;
    uint64_t wakes, boots, changes;
    uint64_t connects, radio_ups;   /* WiFi connections, radio power-ups (ledger) */
    budget_battery battery;
    budget_flash flash;
} budget;

/* Fill b from ledger L with currents cur[comp][state] (A) at supply
 * voltage supply_V; component c is named names[c] (copied), and a NULL
 * names[c] marks a component the board does not have (not fitted, no
 * charge). names itself may be NULL: every component, under comp_name(). scenario/module/title are copied (may be cut). */
void budget_make(budget *b, const ledger *L, const double cur[COMP__COUNT][COMP_MAX_STATES],
                 const char *const *names, double supply_V, const char *scenario,
                 const char *module, const char *title);

#endif
