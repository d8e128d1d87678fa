/* report_json.c — the budget as one JSON object (keys in
 * scenarios/README.md: scenario, module, duration_s, charge_C, energy_J,
 * avg_current_A, components[], activities[]). */
#include <math.h>
#include "assume.h"
#include "num.h"
#include "physwarn.h"
#include "report.h"

static void json_comp(const budget_comp *c, FILE *fp)
{
    fputs("{\"name\": ", fp);
    report_json_str(fp, c->name);
    fprintf(fp, ", \"charge_C\": %s, \"avg_current_A\": %s, \"states\": [",
            NUM_J(c->charge_C), NUM_J(c->avg_current_A));
    int first = 1;
    for (int s = 0; s < c->nst; s++) {
        const budget_state *st = &c->st[s];
        if (!st->ticks)
            continue;
        fprintf(fp, "%s\n      {\"name\": ", first ? "" : ",");
        report_json_str(fp, st->name);
        fprintf(fp, ", \"time_s\": %s, \"current_A\": %s, \"charge_C\": %s}",
                NUM_J(st->time_s), NUM_J(st->current_A), NUM_J(st->charge_C));
        first = 0;
    }
    fputs("]}", fp);
}

void report_json(const budget *b, const assume *a, FILE *fp)
{
    fputs("{\n  \"scenario\": ", fp);
    report_json_str(fp, b->scenario);
    fputs(",\n  \"title\": ", fp);
    report_json_str(fp, b->title);
    fputs(",\n  \"module\": ", fp);
    report_json_str(fp, b->module);
    fprintf(fp, ",\n  \"duration_s\": %s,\n  \"supply_V\": %s,\n  \"charge_C\": %s,\n"
            "  \"energy_J\": %s,\n  \"avg_current_A\": %s,\n  \"wakes\": %llu,\n"
            "  \"boots\": %llu,\n  \"connects\": %llu,\n  \"radio_ups\": %llu,\n  \"components\": [",
            NUM_J(b->duration_s), NUM_J(b->supply_V), NUM_J(b->charge_C), NUM_J(b->energy_J), NUM_J(b->avg_current_A),
            (unsigned long long)b->wakes, (unsigned long long)b->boots,
            (unsigned long long)b->connects, (unsigned long long)b->radio_ups);
    for (int c = 0, n = 0; c < COMP__COUNT; c++) {
        if (!b->comp[c].fitted)
            continue;
        fputs(n++ ? ",\n    " : "\n    ", fp);
        json_comp(&b->comp[c], fp);
    }
    fputs("\n  ],\n  \"activities\": [", fp);
    for (int a = 0; a < b->nact; a++) {
        fputs(a ? ",\n    {\"name\": " : "\n    {\"name\": ", fp);
        report_json_str(fp, b->act[a].name);
        fprintf(fp, ", \"time_s\": %s, \"charge_C\": %s, \"runs\": %llu}",
                NUM_J(b->act[a].time_s), NUM_J(b->act[a].charge_C),
                (unsigned long long)b->act[a].runs);
    }
    fputs("\n  ]", fp);
    const budget_battery *bb = &b->battery;
    if (bb->present) {
        fputs(",\n  \"battery\": {\"cell\": ", fp);
        report_json_str(fp, bb->cell);
        fputs(", \"model\": ", fp);
        report_json_str(fp, bb->model);
        fprintf(fp, ", \"capacity_C\": %s", NUM_J(bb->capacity_C));
        if (bb->depleted && !bb->peak_fails)
            fprintf(fp, ", \"life_s\": %s, \"life_days\": %s", NUM_J(bb->life_s), NUM_J(bb->life_s / 86400));
        else    /* no life to report: a flag and the bound, not a number posing as a life */
            fputs(", \"life_s\": null, \"life_days\": null", fp);
        fprintf(fp, ", \"depleted\": %s", bb->depleted ? "true" : "false");
        if (!bb->depleted)
            fprintf(fp, ", \"life_more_than_s\": %s", NUM_J(bb->horizon_s));
        fprintf(fp, ", \"peak_fails\": %s", bb->peak_fails ? "true" : "false");
        if (bb->peak_fails)
            fprintf(fp, ", \"ended_after_s\": %s", NUM_J(bb->life_s));
        if (bb->wifi_peak_A > 0)
            /* null where the pack cannot give the peak's power at all
             * (battery_peak_check: no voltage under it, not 0 V) */
            fprintf(fp, ", \"wifi_peak_A\": %s, \"wifi_peak_V_full\": %s", NUM_J(bb->wifi_peak_A),
                    NUM_J(bb->wifi_peak_V > 0 ? bb->wifi_peak_V : NAN));
        fprintf(fp, ", \"wifi_min_V\": %s, \"ended_by\": \"%s\", \"delivered_C\": %s, "
                "\"method\": \"%s\"", NUM_J(bb->wifi_min_V), bb->ended_by, NUM_J(bb->delivered_C), bb->method);
        if (bb->full_why) {     /* why event by event */
            fputs(", \"method_why\": ", fp);
            report_json_str(fp, bb->full_why);
        }
        fputc('}', fp);
    }
    if (b->flash.erases > 0)
        fprintf(fp, ",\n  \"flash\": {\"sector_erases\": %s, \"erases_per_day\": %s, "
                "\"endurance_cycles\": %s}", NUM_J(b->flash.erases),
                NUM_J(b->duration_s > 0 ? b->flash.erases / (b->duration_s / 86400) : 0), NUM_J(b->flash.endurance));
    physwarn_facts f;
    physwarn_list w = {0};
    physwarn_facts_of(b, &f);
    physwarn_add(&w, &f, NULL);
    fputs(",\n  \"warnings\": ", fp);
    physwarn_json(&w, fp);
    if (a) {
        fputs(",\n  \"assumptions\": ", fp);
        assume_json(a, fp);
    }
    fputs("\n}\n", fp);
}
