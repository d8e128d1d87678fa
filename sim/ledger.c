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

void ledger_acc_init(ledger_acc *a, ledger *L)
{
    memset(a, 0, sizeof *a);
    a->L = L;
    for (int i = 0; i < LEDGER_ACC_SLOTS; i++)
        a->slot[i].act = -1;
    a->last = &a->slot[0];      /* free: matches no configuration */
}

static unsigned ledger_acc_hash(const uint64_t k[LEDGER_ACC_WORDS], int act)
{
    uint64_t h = (uint64_t)act * UINT64_C(0x9e3779b97f4a7c15);
    for (int i = 0; i < LEDGER_ACC_WORDS; i++)
        h = (h ^ k[i]) * UINT64_C(0xc2b2ae3d27d4eb4f);
    return (unsigned)(h >> 56) & (LEDGER_ACC_SLOTS - 1);
}

ledger_acc_slot *ledger_acc_find(ledger_acc *a, const uint64_t k[LEDGER_ACC_WORDS], int act)
{
    unsigned i = ledger_acc_hash(k, act);
    for (;; i = (i + 1) & (LEDGER_ACC_SLOTS - 1)) {
        ledger_acc_slot *s = &a->slot[i];
        if (s->act == act && !memcmp(s->k, k, sizeof s->k))
            return s;
        if (s->act < 0)
            break;
    }
    if (a->nused >= LEDGER_ACC_SLOTS * 3 / 4) {     /* full: empty it into the ledger */
        ledger_acc_flush(a);
        for (int j = 0; j < a->nused; j++) {
            a->slot[a->used[j]].act = -1;
            a->slot[a->used[j]].next = NULL;
        }
        a->nused = 0;
        a->last->next = NULL;
        return ledger_acc_find(a, k, act);
    }
    ledger_acc_slot *s = &a->slot[i];
    memcpy(s->k, k, sizeof s->k);
    s->act = act;
    s->t = 0;
    s->next = NULL;
    a->used[a->nused++] = (short)i;
    return s;
}

void ledger_acc_flush(ledger_acc *a)
{
    ledger *L = a->L;
    for (int j = 0; j < a->nused; j++) {
        ledger_acc_slot *s = &a->slot[a->used[j]];
        if (!s->t)
            continue;
        unsigned char st[LEDGER_ACC_WORDS * 8];
        memcpy(st, s->k, sizeof st);
        for (int c = 0; c < COMP__COUNT; c++)
            ledger_add(L, (comp_id)c, st[c], s->act, s->t);
        s->t = 0;
    }
    if (a->overflow)
        L->overflow = 1;
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
