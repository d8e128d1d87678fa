/* report_text.c — the budget as a readable table with units. */
#include <string.h>
#include "assume.h"
#include "physwarn.h"
#include "report.h"
#include "units.h"

/* A computed figure: four significant digits throughout (units_format_fig). */
static const char *fmt(double v, units_dim d, char *buf)
{
    return units_format_fig(v, d, buf, 32);
}

/* An input echoed back (duration, supply, horizon): as written. */
static const char *fmt_in(double v, units_dim d, char *buf)
{
    return units_format(v, d, buf, 32);
}

static double pct(double part, double total)
{
    return total > 0 ? 100 * part / total : 0;
}

static void text_components(const budget *b, FILE *fp)
{
    char x[32], y[32], z[32];
    fprintf(fp, "\n%-22s %12s %12s %12s %7s\n", "component / state", "time", "current",
            "charge", "share");
    for (int c = 0; c < COMP__COUNT; c++) {
        const budget_comp *bc = &b->comp[c];
        if (bc->charge_C == 0)
            continue;
        fprintf(fp, "%-22s %12s %12s %12s %6.2f%%\n", bc->name, "",
                fmt(bc->avg_current_A, DIM_CURRENT, x), fmt(bc->charge_C, DIM_CHARGE, y),
                pct(bc->charge_C, b->charge_C));
        for (int s = 0; s < bc->nst; s++) {
            const budget_state *st = &bc->st[s];
            if (!st->ticks)
                continue;
            fprintf(fp, "  %-20s %12s %12s %12s %6.2f%%\n", st->name,
                    fmt(st->time_s, DIM_TIME, x), fmt(st->current_A, DIM_CURRENT, y),
                    fmt(st->charge_C, DIM_CHARGE, z), pct(st->charge_C, b->charge_C));
        }
    }
}

static void text_activities(const budget *b, FILE *fp)
{
    char x[32], y[32];
    char r[32];
    fprintf(fp, "\n%-22s %12s %12s %12s %7s\n", "activity", "time", "runs", "charge", "share");
    for (int a = 0; a < b->nact; a++) {
        if (!b->act[a].ticks && !b->act[a].runs)
            continue;
        r[0] = '\0';     /* built-in activities (connect, sleep, ...) have no runs */
        if (b->act[a].runs)
            snprintf(r, sizeof r, "%llu", (unsigned long long)b->act[a].runs);
        fprintf(fp, "%-22s %12s %12s %12s %6.2f%%\n", b->act[a].name,
                fmt(b->act[a].time_s, DIM_TIME, x), r, fmt(b->act[a].charge_C, DIM_CHARGE, y),
                pct(b->act[a].charge_C, b->charge_C));
    }
}

static void text_battery(const budget_battery *bb, FILE *fp)
{
    char x[48], y[32], z[32];
    if (!bb->present)
        return;
    if (bb->peak_fails)
        fprintf(fp, "\nbattery life: none on %s (%s, model %s): the cell cannot deliver the WiFi "
                "peak (see the warning)\n", bb->cell, bb->title, bb->model);
    else
        fprintf(fp, "\nbattery life %s%s on %s (%s, model %s)\n", bb->depleted ? "" : "more than ",
                !bb->depleted ? fmt_in(bb->horizon_s, DIM_TIME, x) : units_format_life(bb->life_s, x, sizeof x),
                bb->cell, bb->title, bb->model);
    if (!bb->depleted)
        fprintf(fp, "not empty at the simulation horizon (%s); ", fmt_in(bb->horizon_s, DIM_TIME, x));
    else if (bb->peak_fails)
        fprintf(fp, "ended by %s after %s; ", bb->ended_by, fmt(bb->life_s, DIM_TIME, x));
    else
        fprintf(fp, "ended by %s; ", bb->ended_by);
    fprintf(fp, "delivered %s of %s rated (%.1f%%); %s%s%s\n",
            fmt(bb->delivered_C, DIM_CHARGE, y), fmt(bb->capacity_C, DIM_CHARGE, z),
            bb->capacity_C > 0 ? 100 * bb->delivered_C / bb->capacity_C : 0,
            strcmp(bb->method, "full") ? "steady period fast-forwarded"
            : bb->replayed
                ? "segment by segment, no period multiplied (wakes that repeat between "
                  "the random ones are replayed exactly, not simulated again)"
                : "simulated event by event",
            bb->full_why ? ": " : "", bb->full_why ? bb->full_why : "");
}

void report_text(const budget *b, const assume *a, FILE *fp)
{
    char x[32], y[32], z[32], w[32];
    fprintf(fp, "impsim budget: %s on %s\n", b->scenario, b->module);
    if (b->title[0])
        fprintf(fp, "%s\n", b->title);
    fprintf(fp, "duration %s, supply %s, %llu wakes, %llu Squirrel starts, %llu WiFi connects, "
            "%llu radio power-ups\n", fmt_in(b->duration_s, DIM_TIME, x), fmt_in(b->supply_V, DIM_VOLTAGE, y),
            (unsigned long long)b->wakes, (unsigned long long)b->boots,
            (unsigned long long)b->connects, (unsigned long long)b->radio_ups);
    char m[32];
    fprintf(fp, "total charge %s (%s mAh), energy %s, average current %s\n",
            fmt(b->charge_C, DIM_CHARGE, z), units_number_fig(b->charge_C / 3.6, m, sizeof m),
            fmt(b->energy_J, DIM_ENERGY, w), fmt(b->avg_current_A, DIM_CURRENT, x));
    fprintf(fp, "charge per day %s (%s mAh/day)\n", fmt(b->avg_current_A * 86400, DIM_CHARGE, y),
            units_number_fig(b->avg_current_A * 86400 / 3.6, m, sizeof m));
    text_components(b, fp);
    text_activities(b, fp);
    text_battery(&b->battery, fp);
    physwarn_facts f;
    physwarn_list pw = {0};
    physwarn_facts_of(b, &f);
    physwarn_add(&pw, &f, NULL);
    if (pw.n)
        fputc('\n', fp);
    physwarn_text(&pw, fp);
    if (a)
        assume_text(a, fp);
}
