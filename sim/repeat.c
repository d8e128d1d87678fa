/* repeat.c — Brent's cycle detection over device-state keys. */
#include <stdlib.h>
#include <string.h>
#include "repeat.h"

void repeat_init(repeat *r, size_t size, tick_t hint)
{
    memset(r, 0, sizeof *r);
    r->size = size;
    r->hint = r->hint0 = hint;
    r->key = malloc(size ? size : 1);
    r->at = malloc(sizeof *r->at);
    if (!r->key || !r->at)
        abort();
}

void repeat_free(repeat *r)
{
    free(r->key);
    free(r->at);
    memset(r, 0, sizeof *r);
}

void repeat_reset(repeat *r)
{
    r->have = 0;
    r->moves = 0;
    r->fresh = 0;
    r->hint = r->hint0;
}

static void repeat_checkpoint(repeat *r, const void *key, tick_t now, int64_t wakes,
                              tick_t bound)
{
    memcpy(r->key, key, r->size);
    r->t = now;
    r->wakes = wakes;
    r->bound = bound;
    r->lam = 0;
    r->fresh = 1;
}

void repeat_set_ledger(repeat *r, const ledger *L)
{
    memcpy(r->at, L, sizeof *L);
}

int repeat_offer(repeat *r, const void *key, tick_t now, int64_t wakes, tick_t bound)
{
    r->fresh = 0;
    if (!r->have) {
        r->have = 1;
        r->power = 1;
        repeat_checkpoint(r, key, now, wakes, bound);
        return 0;
    }
    r->lam++;
    if (!memcmp(key, r->key, r->size))
        return 1;
    int move = r->lam == r->power;
    if (r->hint && r->moves) {      /* give this checkpoint one hint's time */
        move = now - r->t > r->hint;
        if (move)
            r->hint = 0;            /* it failed: plain Brent from here */
    }
    if (move) {
        r->power = 2 * r->lam;
        r->moves++;
        repeat_checkpoint(r, key, now, wakes, bound);
    }
    return 0;
}
