/* ledger.c — integer time accounting per component, state and activity. */
#include <string.h>
#include <stdio.h>
#include "ledger.h"

void ledger_init(ledger *L)
{
    memset(L, 0, sizeof *L);
}

int ledger_activity(ledger *L, const char *name)
{
    for (int i = 0; i < L->nact; i++)
        if (strncmp(L->act[i], name, LEDGER_ACT_NAME - 1) == 0)
            return i;
    if (L->nact == LEDGER_MAX_ACT)
        return -1;
    snprintf(L->act[L->nact], LEDGER_ACT_NAME, "%s", name);
    return L->nact++;
}

void ledger_add(ledger *L, comp_id c, int state, int act, tick_t dt)
{
    tick_t *cell = &L->t[c][state][act], x;
    if (__builtin_add_overflow(*cell, dt, &x))     /* inline check: the hot path */
        L->overflow = 1;
    else
        *cell = x;
}

void ledger_repeat(ledger *L, const ledger *from, int64_t k)
{
    for (int c = 0; c < COMP__COUNT; c++)
        for (int s = 0; s < COMP_MAX_STATES; s++)
            for (int a = 0; a < L->nact; a++) {
                tick_t d = L->t[c][s][a] - from->t[c][s][a], x;
                if (d && (ticks_mul(d, k, &x) || ticks_add(L->t[c][s][a], x, &L->t[c][s][a])))
                    L->overflow = 1;
            }
    L->changes += (uint64_t)k * (L->changes - from->changes);
    L->wakes += (uint64_t)k * (L->wakes - from->wakes);
    L->boots += (uint64_t)k * (L->boots - from->boots);
    L->skipped += (uint64_t)k * (L->skipped - from->skipped);
    L->connects += (uint64_t)k * (L->connects - from->connects);
    L->radio_ups += (uint64_t)k * (L->radio_ups - from->radio_ups);
    for (int a = 0; a < L->nact; a++)
        L->runs[a] += (uint64_t)k * (L->runs[a] - from->runs[a]);
}

void ledger_diff(ledger *out, const ledger *L, const ledger *from)
{
    if (out != L)
        *out = *L;
    for (int c = 0; c < COMP__COUNT; c++)
        for (int s = 0; s < COMP_MAX_STATES; s++)
            for (int a = 0; a < out->nact; a++)
                out->t[c][s][a] -= from->t[c][s][a];
    out->changes -= from->changes;
    out->wakes -= from->wakes;
    out->boots -= from->boots;
    for (int a = 0; a < out->nact; a++)
        out->runs[a] -= from->runs[a];
    out->duration -= from->duration;
}

tick_t ledger_state_ticks(const ledger *L, comp_id c, int s)
{
    tick_t sum = 0;
    for (int a = 0; a < L->nact; a++)
        sum += L->t[c][s][a];
    return sum;
}

tick_t ledger_comp_ticks(const ledger *L, comp_id c)
{
    tick_t sum = 0;
    for (int s = 0; s < comp_nstates(c); s++)
        sum += ledger_state_ticks(L, c, s);
    return sum;
}
