/* budget.c — charge, energy and averages from integer ledger times. */
#include <stdio.h>
#include <string.h>
#include "budget.h"

static double charge_of(tick_t t, double amps)
{
    return (double)t * amps / (double)TICKS_PER_S;
}

static void budget_comp_make(budget_comp *bc, const ledger *L, comp_id c,
                             const double cur[COMP_MAX_STATES], const char *name)
{
    snprintf(bc->name, sizeof bc->name, "%s", name ? name : comp_name(c));
    bc->fitted = name != NULL;
    bc->nst = comp_nstates(c);
    for (int s = 0; s < bc->nst; s++) {
        budget_state *bs = &bc->st[s];
        bs->name = comp_state_name(c, s);
        bs->ticks = ledger_state_ticks(L, c, s);
        bs->time_s = ticks_to_s(bs->ticks);
        bs->current_A = cur[s];
        bs->charge_C = charge_of(bs->ticks, cur[s]);
        bc->charge_C += bs->charge_C;
        bc->ticks += bs->ticks;
    }
}

static void budget_act_make(budget *b, const ledger *L,
                            const double cur[COMP__COUNT][COMP_MAX_STATES])
{
    b->nact = L->nact;
    for (int a = 0; a < L->nact; a++) {
        budget_act *ba = &b->act[a];
        snprintf(ba->name, sizeof ba->name, "%s", L->act[a]);
        ba->runs = L->runs[a];
        for (int s = 0; s < comp_nstates(COMP_CPU); s++)
            ba->ticks += L->t[COMP_CPU][s][a];
        ba->time_s = ticks_to_s(ba->ticks);
        for (int c = 0; c < COMP__COUNT; c++)
            for (int s = 0; s < comp_nstates((comp_id)c); s++)
                ba->charge_C += charge_of(L->t[c][s][a], cur[c][s]);
    }
}

void budget_make(budget *b, const ledger *L, const double cur[COMP__COUNT][COMP_MAX_STATES],
                 const char *const *names, double supply_V, const char *scenario,
                 const char *module, const char *title)
{
    memset(b, 0, sizeof *b);
    snprintf(b->scenario, sizeof b->scenario, "%s", scenario);
    snprintf(b->module, sizeof b->module, "%s", module);
    snprintf(b->title, sizeof b->title, "%s", title);
    b->duration = L->duration;
    b->duration_s = ticks_to_s(L->duration);
    b->supply_V = supply_V;
    for (int c = 0; c < COMP__COUNT; c++) {
        budget_comp_make(&b->comp[c], L, (comp_id)c, cur[c],
                         names ? names[c] : comp_name((comp_id)c));
        b->charge_C += b->comp[c].charge_C;
        b->comp[c].avg_current_A = b->duration_s > 0 ? b->comp[c].charge_C / b->duration_s : 0;
    }
    budget_act_make(b, L, cur);
    b->energy_J = b->charge_C * supply_V;
    b->avg_current_A = b->duration_s > 0 ? b->charge_C / b->duration_s : 0;
    b->wakes = L->wakes;
    b->boots = L->boots;
    b->connects = L->connects;
    b->radio_ups = L->radio_ups;
    b->changes = L->changes;
}
