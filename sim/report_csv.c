/* report_csv.c — the budget as CSV, one row per total, component, state and
 * activity, and the battery's life (state = what ended it, time_s = life,
 * charge_C = delivered, share = of the rated capacity):
 *   section,name,state,time_s,current_A,charge_C,share,runs
 * (runs: of a task or named block, on activity rows; empty elsewhere) */
#include "assume.h"
#include "num.h"
#include "physwarn.h"
#include "report.h"

static double share(double part, double total)
{
    return total > 0 ? part / total : 0;
}

void report_csv(const budget *b, const assume *a, FILE *fp)
{
    fputs("section,name,state,time_s,current_A,charge_C,share,runs\n", fp);
    fprintf(fp, "total,%s,,%s,%s,%s,1,\n", b->module, NUM_C(b->duration_s),
            NUM_C(b->avg_current_A), NUM_C(b->charge_C));
    for (int c = 0; c < COMP__COUNT; c++) {
        const budget_comp *bc = &b->comp[c];
        if (!bc->fitted)
            continue;
        fprintf(fp, "component,%s,,%s,%s,%s,%s,\n", bc->name, NUM_C(b->duration_s),
                NUM_C(bc->avg_current_A), NUM_C(bc->charge_C), NUM_C(share(bc->charge_C, b->charge_C)));
        for (int s = 0; s < bc->nst; s++)
            if (bc->st[s].ticks)
                fprintf(fp, "state,%s,%s,%s,%s,%s,%s,\n", bc->name,
                        bc->st[s].name, NUM_C(bc->st[s].time_s), NUM_C(bc->st[s].current_A),
                        NUM_C(bc->st[s].charge_C), NUM_C(share(bc->st[s].charge_C, b->charge_C)));
    }
    for (int a = 0; a < b->nact; a++)
    {
        fprintf(fp, "activity,%s,,%s,,%s,%s,", b->act[a].name, NUM_C(b->act[a].time_s),
                NUM_C(b->act[a].charge_C), NUM_C(share(b->act[a].charge_C, b->charge_C)));
        if (b->act[a].runs)
            fprintf(fp, "%llu", (unsigned long long)b->act[a].runs);
        fputc('\n', fp);
    }
    const budget_battery *bb = &b->battery;
    if (bb->present) {
        /* no life (not depleted, or the cell cannot deliver the WiFi peak):
         * the life cell stays empty and the state says why */
        fprintf(fp, "battery,%s,%s,", bb->cell, bb->peak_fails ? "wifi-peak" : bb->ended_by);
        if (bb->depleted && !bb->peak_fails)
            fprintf(fp, "%s", NUM_C(bb->life_s));
        fprintf(fp, ",,%s,%s,\n", NUM_C(bb->delivered_C), NUM_C(share(bb->delivered_C, bb->capacity_C)));
    }
    physwarn_facts f;
    physwarn_list w = {0};
    physwarn_facts_of(b, &f);
    physwarn_add(&w, &f, NULL);
    physwarn_csv(&w, fp);
    if (a)
        assume_csv(a, fp);
}
