/* physwarn.c — the physical warnings (see physwarn.h). */
#include <math.h>
#include <string.h>
#include "num.h"
#include "battery.h"
#include "physwarn.h"
#include "report.h"
#include "units.h"

#define PHYSWARN_SERVICE_S (10 * 365.25 * 86400.0)  /* estimate: a product's service life */

void physwarn_facts_of(const budget *b, physwarn_facts *f)
{
    const budget_battery *bb = &b->battery;
    memset(f, 0, sizeof *f);
    f->has_battery = bb->present;
    if (bb->present) {
        snprintf(f->cell, sizeof f->cell, "%s", bb->cell);
        f->life_s = bb->life_s;
        f->depleted = bb->depleted;
        f->horizon_s = bb->horizon_s;
        f->wifi_peak_A = bb->wifi_peak_A;
        f->wifi_peak_V = bb->wifi_peak_V;
        f->wifi_min_V = bb->wifi_min_V;
        f->peak_fails = bb->peak_fails;
        f->delivered_C = bb->delivered_C;
        f->self_discharge_C = bb->self_discharge_C;
        f->capacity_C = bb->capacity_C;
    }
    f->erases_per_day = b->duration_s > 0 ? b->flash.erases / (b->duration_s / 86400) : 0;
    f->endurance = b->flash.endurance;
}

/* Is `name` one of the comma-separated names in `list`? */
static int physwarn_listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

static physwarn *physwarn_slot(physwarn_list *w, physwarn_kind k, const char *variant, int *fresh)
{
    for (int i = 0; i < w->n; i++)
        if (w->v[i].kind == k) {
            size_t n = strlen(w->v[i].variants);
            if (variant && *variant && !physwarn_listed(w->v[i].variants, variant))
                snprintf(w->v[i].variants + n, sizeof w->v[i].variants - n, "%s%s",
                         n ? ", " : "", variant);
            *fresh = 0;
            return &w->v[i];
        }
    if (w->n == PHYSWARN_MAX)
        return NULL;
    physwarn *p = &w->v[w->n++];
    memset(p, 0, sizeof *p);
    p->kind = k;
    snprintf(p->variants, sizeof p->variants, "%s", variant ? variant : "");
    *fresh = 1;
    return p;
}

double physwarn_wear_s(const physwarn_facts *f)
{
    return f->erases_per_day > 0 && f->endurance > 0 ? f->endurance / f->erases_per_day * 86400
                                                     : HUGE_VAL;
}

void physwarn_add(physwarn_list *w, const physwarn_facts *f, const char *variant)
{
    char a[32], b[32], c[32], d[48];
    int fresh;
    physwarn *p;
    if (f->has_battery && f->peak_fails && (p = physwarn_slot(w, PHYSWARN_WIFI_PEAK, variant, &fresh)) && fresh) {
        p->key = "wifi-peak";
        p->figure = f->wifi_peak_V;
        p->unit = "V";
        if (f->wifi_peak_V > 0)
            snprintf(p->text, sizeof p->text, "the cell cannot deliver the WiFi peak: %s drawn by "
                     "the module pulls %s to %s even when full, below the wifi-min of %s, so WiFi "
                     "fails at its first peak and the run's 'battery life' is no life. Fit a buffer "
                     "capacitor across the cell (sized for the transmit burst), use a hybrid-layer "
                     "cell (a bobbin cell with a pulse capacitor), or a bigger, lower-resistance cell",
                     units_format(f->wifi_peak_A, DIM_CURRENT, a, 32), f->cell,
                     units_format(f->wifi_peak_V, DIM_VOLTAGE, b, 32),
                     units_format(f->wifi_min_V, DIM_VOLTAGE, c, 32));
        else
            snprintf(p->text, sizeof p->text, "the cell cannot deliver the WiFi peak: %s drawn by "
                     "the module is more power than %s can give through the regulator even when "
                     "full, so the run's 'battery life' is no life. Fit a buffer capacitor across "
                     "the cell, use a hybrid-layer cell, or a bigger, lower-resistance cell",
                     units_format(f->wifi_peak_A, DIM_CURRENT, a, 32), f->cell);
    }
    if (f->erases_per_day > 0 && f->endurance > 0) {
        double wear_s = physwarn_wear_s(f);
        double bar = f->has_battery && !f->peak_fails ? f->life_s : PHYSWARN_SERVICE_S;
        if (wear_s < bar && (p = physwarn_slot(w, PHYSWARN_FLASH_WEAR, variant, &fresh)) && fresh) {
            p->key = "flash-wear";
            p->figure = wear_s;
            p->unit = "s";
            if (f->has_battery && !f->peak_fails)
                snprintf(d, sizeof d, "the battery life of %s", units_format(f->life_s, DIM_TIME, c, 32));
            else
                snprintf(d, sizeof d, "a 10 y service life");
            char e[32];
            snprintf(p->text, sizeof p->text, "the SPI flash wears out first: %s sector erases "
                     "a day against %.0f rated erase cycles per sector is %s to wear-out when the "
                     "same sector is rewritten, shorter than %s. Write less often, keep the state "
                     "in RAM (stop mode keeps RAM: no persist needed), or spread the writes over "
                     "many sectors (wear levelling: N sectors last N times longer)",
                     units_number_fig(f->erases_per_day, e, sizeof e), f->endurance,
                     units_format(wear_s, DIM_TIME, a, 32), d);
        }
    }
    double lost = f->self_discharge_C + f->delivered_C;
    if (f->has_battery && f->depleted && !f->peak_fails && lost > 0 &&
        f->self_discharge_C >= PHYSWARN_SELF_DISCHARGE_SHARE * lost &&
        (p = physwarn_slot(w, PHYSWARN_SELF_DISCHARGE, variant, &fresh)) && fresh) {
        p->key = "self-discharge";
        p->figure = f->self_discharge_C / lost;
        p->unit = "";
        /* the remedy depends on the rate: a leaky cell is replaced by one
         * that keeps its charge; a cell that already does (1 %/y or less)
         * is outlived by so frugal a device that its shelf life ends it */
        double per_y = f->capacity_C > 0 && f->life_s > 0
                           ? f->self_discharge_C / f->capacity_C / (f->life_s / BATTERY_YEAR_S) : 0;
        /* 1.5 %/y: an estimate between what cells/ quotes for the lithium
         * primaries (Li-SOCl2, Li-MnO2, Li-FeS2: 1 %/y or less) and for
         * alkaline (3 %/y) and Li-ion (2 %/month) */
        int leaky = per_y > 0.015;
        snprintf(p->text, sizeof p->text, "self-discharge takes %.0f %% of the charge: %s loses "
                 "%.3g %%/y of its capacity on its own, %s over the life of %s, against %s "
                 "delivered to the device. %s",
                 100 * f->self_discharge_C / lost, f->cell, 100 * per_y,
                 units_format(f->self_discharge_C, DIM_CHARGE, a, 32),
                 units_format(f->life_s, DIM_TIME, b, 32),
                 units_format(f->delivered_C, DIM_CHARGE, c, 32),
                 leaky ? "At this average current the chemistry matters more than the size: a "
                         "lithium primary cell that keeps its charge (Li-SOCl2 or Li-FeS2, about "
                         "1 %/y or less, cells/) lasts longer than a bigger cell that leaks"
                       : "The cell already keeps its charge well: over a life this long its shelf "
                         "life, not the device, ends it; check the maker's storage data at the "
                         "product's temperature (self-discharge rises steeply with it)");
    }
    if (f->has_battery && !f->depleted && !f->peak_fails &&
        (p = physwarn_slot(w, PHYSWARN_NOT_DEPLETED, variant, &fresh)) && fresh) {
        p->key = "not-depleted";
        p->figure = f->horizon_s;
        p->unit = "s";
        /* at the full horizon the shelf life ends the cell; a shorter one
         * (impsim battery --horizon) only cut the run short */
        snprintf(p->text, sizeof p->text, "the battery is not empty at the %s horizon: its life "
                 "is more than %s, a bound and not a figure to plan with (%s)",
                 units_format(f->horizon_s, DIM_TIME, a, 32), units_format(f->horizon_s, DIM_TIME, b, 32),
                 f->horizon_s >= BATTERY_HORIZON_S
                 ? "the cell's shelf life and self-discharge, not the load, will end it"
                 : "a longer --horizon finds the life");
    }
}

const char *physwarn_who(const physwarn *p, char *buf, size_t n)
{
    const char *comma = strchr(p->variants, ',');
    if (!comma && !p->at[0])
        return p->variants;
    if (!comma)
        snprintf(buf, n, "%s %s", p->variants, p->at);
    else
        snprintf(buf, n, "%.*s%s%s's figures; also%s", (int)(comma - p->variants), p->variants,
                 p->at[0] ? " " : "", p->at, comma + 1);
    return buf;
}

void physwarn_text(const physwarn_list *w, FILE *fp)
{
    char who[300];
    for (int i = 0; i < w->n; i++) {
        fprintf(fp, "warning: %s", w->v[i].text);
        if (w->v[i].variants[0])
            fprintf(fp, " (%s)", physwarn_who(&w->v[i], who, sizeof who));
        fputs("\n", fp);
    }
}

void physwarn_json(const physwarn_list *w, FILE *fp)
{
    fputc('[', fp);
    for (int i = 0; i < w->n; i++) {
        const physwarn *p = &w->v[i];
        fprintf(fp, "%s{\"kind\": \"%s\", \"figure\": %s, \"unit\": \"%s\", \"variants\": ",
                i ? ", " : "", p->key, NUM_J(p->figure), p->unit);
        report_json_str(fp, p->variants);
        fputs(", \"text\": ", fp);
        report_json_str(fp, p->text);
        fputc('}', fp);
    }
    fputc(']', fp);
}

void physwarn_csv(const physwarn_list *w, FILE *fp)
{
    char who[300];
    for (int i = 0; i < w->n; i++)
        fprintf(fp, "# warning: %s: %s%s%s%s\n", w->v[i].key, w->v[i].text,
                w->v[i].variants[0] ? " (" : "", physwarn_who(&w->v[i], who, sizeof who),
                w->v[i].variants[0] ? ")" : "");
}
