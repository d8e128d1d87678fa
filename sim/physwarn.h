/* physwarn.h — warnings where the physics says the design cannot work as
 * the numbers suggest, each with the figure that triggers it and the
 * remedy a hardware engineer would try:
 *   wifi-peak     the cell cannot deliver the WiFi peak even when full
 *                 (pack voltage under the peak below wifi-min): a buffer
 *                 capacitor, a hybrid-layer cell, a bigger cell;
 *   flash-wear    SPI-flash sector erases per day against the part's rated
 *                 cycles: years to wear-out before the battery is empty;
 *   not-depleted  the battery outlasted the simulation horizon: its life
 *                 is "more than H", not a number;
 *   self-discharge the cell loses a fifth or more of its charge to
 *                 self-discharge before the device has used the rest: a
 *                 chemistry that keeps its charge outlasts a bigger cell.
 * Built from budgets (impsim run) or variant results (compare, decide,
 * sweep); each kind is reported once, naming every variant it concerns. */
#ifndef IMPSIM_PHYSWARN_H
#define IMPSIM_PHYSWARN_H

#include <stdio.h>
#include "budget.h"

#define PHYSWARN_MAX 4

typedef enum { PHYSWARN_WIFI_PEAK, PHYSWARN_FLASH_WEAR, PHYSWARN_NOT_DEPLETED,
               PHYSWARN_SELF_DISCHARGE } physwarn_kind;

/* Self-discharge warns at this share of the charge the cell gives up over
 * its life (self-discharge / (self-discharge + delivered)): an estimate of
 * where a designer would change the chemistry rather than the firmware. */
#define PHYSWARN_SELF_DISCHARGE_SHARE 0.2

/* What the warnings are computed from: the part of a budget they need
 * (plain data, so it travels in a variant_result through a pipe). */
typedef struct {
    int has_battery;
    char cell[128];
    double life_s;              /* battery life, or the horizon when !depleted */
    int depleted;
    double horizon_s;
    double wifi_peak_A, wifi_peak_V, wifi_min_V;
    int peak_fails;
    double delivered_C, self_discharge_C;   /* over the life (budget_battery) */
    double capacity_C;                      /* the pack's rated capacity */
    double erases_per_day;      /* SPI-flash sector erases per day */
    double endurance;           /* rated erase cycles per sector, 0 = unknown */
} physwarn_facts;

typedef struct {
    physwarn_kind kind;
    const char *key;            /* static: "wifi-peak", "flash-wear", "not-depleted",
                                 * "self-discharge" */
    double figure;              /* the triggering figure, in `unit` */
    const char *unit;           /* static: "V", "s", "" (a fraction) */
    char text[640];             /* one sentence: the figure, what it means, the remedy */
    char variants[256];         /* the variants concerned ("" for a single run) */
    char at[48];                /* where the figures are from, if not the run's
                                 * ("at 1 min": a sweep's point), or "" */
} physwarn;

typedef struct {
    physwarn v[PHYSWARN_MAX];
    int n;
} physwarn_list;

/* The facts of one run's budget (after pipeline_life). */
void physwarn_facts_of(const budget *b, physwarn_facts *f);

/* The SPI flash's time to wear-out (s) when the same sectors are
 * rewritten (rated erase cycles / erases per day, no wear levelling);
 * HUGE_VAL without erases or a rating. */
double physwarn_wear_s(const physwarn_facts *f);

/* Add the warnings that f triggers to w, under variant name `variant`
 * (NULL or "" for a single run); a kind already in w gets the variant
 * appended to its list (once) instead of a second warning. Flash wear warns when
 * the wear-out time (rated cycles / erases per day, the same sectors
 * rewritten: no wear levelling) is shorter than the battery life, or than
 * 10 years without a battery (a product's service life, estimate). */
void physwarn_add(physwarn_list *w, const physwarn_facts *f, const char *variant);

/* Writers: text lines "warning: ..." (one per warning), a JSON array of
 * objects {kind, figure, unit, variants, text}, CSV comment lines
 * "# warning: KIND: text". Nothing (text/CSV) or "[]" (JSON) when empty. */
/* The variants a warning concerns, as its text names them: the one
 * variant, or, where several share a kind, "A's figures; also B, C" (the
 * text's figures are the first variant's: each kind is said once), with
 * p->at after the first name ("A at 1 min"). Returns buf (n bytes) or
 * p->variants. */
const char *physwarn_who(const physwarn *p, char *buf, size_t n);
void physwarn_text(const physwarn_list *w, FILE *fp);
void physwarn_json(const physwarn_list *w, FILE *fp);
void physwarn_csv(const physwarn_list *w, FILE *fp);

#endif
