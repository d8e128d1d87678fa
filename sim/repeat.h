/* repeat.h — finding the period of a deterministic simulation from its
 * state, for the exact fast-forward.
 *
 * A device whose complete state at a wake (states, activity, accumulators,
 * enabled parts, times relative to now, random-number generator) equals
 * its state at an earlier wake will repeat everything in between for ever,
 * as long as nothing it reads depends on absolute time. Then k periods add
 * exactly k times one period's integer ledger ticks. The detector follows
 * Brent's cycle-finding method: it keeps one checkpoint (a key and a copy
 * of the ledger, which the caller gives: repeat_set_ledger), compares
 * every new key with it, and moves the checkpoint
 * forward at 1, 2, 4, 8, ... wakes, so memory is one key and one ledger
 * whatever the period, and a period of P wakes after a prefix of M wakes
 * is found within about 2 max(M, P) + P wakes. With a hint H (the
 * schedule's hyperperiod, a whole number of periods once the state has
 * settled) each checkpoint after the first wake is kept for H, so a repeat
 * that holds from the first wake is found after one H; when that fails the
 * detector goes on as plain Brent. Nothing here knows what the key means:
 * the device builds it (device.c, dev_key). */
#ifndef IMPSIM_REPEAT_H
#define IMPSIM_REPEAT_H

#include <stddef.h>
#include "ledger.h"

typedef struct {
    size_t size;            /* key bytes */
    unsigned char *key;     /* owned: the checkpoint's key */
    ledger *at;             /* owned: the ledger at the checkpoint */
    tick_t t;               /* time of the checkpoint */
    int64_t wakes;          /* wake count at the checkpoint */
    tick_t bound;           /* first absolute-time boundary at or after t */
    long power, lam;
    int have, moves;
    int fresh;              /* the last repeat_offer took its key as the checkpoint */
    tick_t hint;            /* 0: plain Brent (from here until the next reset) */
    tick_t hint0;           /* the hint given: restored by repeat_reset */
} repeat;

/* A detector for keys of `size` bytes; hint: the expected period in ticks
 * (0: none). Allocates; aborts on out of memory. */
void repeat_init(repeat *r, size_t size, tick_t hint);
void repeat_free(repeat *r);

/* Forget the checkpoint (after a jump, or when a boundary was crossed);
 * the hint holds again. */
void repeat_reset(repeat *r);

/* Offer the state at a wake: key (size bytes), time now, the device's wake
 * count and the first absolute-time boundary at or after now (TICK_MAX for
 * none). Returns 1 when key equals the checkpoint's (then r->t, r->wakes,
 * r->bound and, where the caller set it, r->at describe the earlier wake:
 * the period is now - r->t),
 * else 0 (the checkpoint may have moved here: r->fresh is then set, and
 * the caller gives the ledger so far with repeat_set_ledger). */
int repeat_offer(repeat *r, const void *key, tick_t now, int64_t wakes, tick_t bound);

/* The ledger at the checkpoint just taken (r->fresh), copied into r->at.
 * Separate from repeat_offer because a device keeps its ledger behind an
 * accumulator (ledger_acc): bringing it up to date costs a flush, which
 * only a checkpoint (at 1, 2, 4, ... wakes) needs, not every wake. */
void repeat_set_ledger(repeat *r, const ledger *L);

#endif
