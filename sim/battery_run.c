/* battery_run.c — run a load profile (prefix, then a repeated period) on a
 * fresh battery until it is empty or a horizon is reached.
 *
 * Fast-forward. The charge models are linear in the current, so one period
 * at fixed battery currents is an affine map of the core state, and n
 * periods are that map applied n times in closed form (battery_core.c).
 * What is not fixed is the battery current of a switching regulator,
 * I = P / V, which follows the pack voltage as the cell empties.
 *
 * Whole periods: predictor-corrector. After an exact period (map m0,
 * applied segment by segment: exact end detection, currents following the
 * voltage) the runner jumps n periods with m0's currents (the predictor),
 * runs the next period exactly (map m1, at the voltage the jump reached),
 * and then adds what the currents' drift took: the maps of the n jumped
 * periods are taken as the linear interpolation between m0 and m1
 * (battery_pc_correct, closed form; Heun's method over the jump); m1 is
 * the next jump's m0. n is chosen so that Heun's error stays at most
 * BATTERY_PC_TOL (5e-5) of the jump's charge (below), so that the state of
 * charge moves at most BATTERY_PC_SOC (2 %), and so that
 * at most half of each remaining margin (state of charge, cut-off voltage,
 * WiFi voltage, extrapolated from the watches of the exact periods before
 * and after the last jump) is used;
 * a jump that used more than 3/4 of a margin (after the predictor, or
 * after the correction), or whose exact period ends the run, is undone
 * and halved, its trace points dropped. Near the end the margins shrink
 * the jumps and the last periods are applied exactly, so the end instant
 * is found in an exact period.
 *
 * Error of a jump. With I ~ 1/V(soc), what the trapezoidal correction
 * leaves is second order in the jump's size D: a relative error of the
 * jump's charge of order D^2 ((V'/V)^2 + |V''/V|) / 12 (the local error
 * of Heun's method). In the periods' own terms: a jump of n periods whose
 * charge q(k) bends by c (the second derivative against the period's
 * index k) leaves about |c| (n + 1)^3 / 12, so n is held to
 * n^2 <= 12 tol q / |c| with c the second divided difference of the last
 * three exact periods' charge (battery_curve), and to twice the last
 * jump (the bend grows towards the end). Why: the bend varies by orders of
 * magnitude over a discharge, and 2 % of state of charge per jump alone
 * left up to 3e-4 of a jump's charge where a cell's OCV curve turns
 * (Li-FeS2 from 100 % to 80 %); held to 5e-5 there, the jumps shrink
 * where the curve turns (the tide gauge's life: 60 exact periods where
 * 2 % alone took 53). Why never more than 2 %: the bend is estimated from
 * the periods already run, and cannot see a knot of the OCV curve ahead
 * (Li-FeS2's every 10 %), where the bend jumps: allowed 5 %, a jump over
 * the 90 % knot left 8.6e-4 of its charge (uart-logger.scn on 2xAA-lithium
 * ended one 15-min upload late, 0.037 %), and a period of 7 % of the
 * charge (the tide gauge's variant that stays associated) bent much more
 * over the next one than over the last three.
 * m1 ran at the predicted state, a little above the
 * corrected one, so the next jump starts from currents low by the
 * correction's share of the drift: second order again. (Moving m1 along
 * the drift from m0 to first order was tried: no gain on the tests and
 * library, and 0.05 % off on bench/water-meter.scn, whose 150-h periods
 * reach the cell's knee.)
 * A linear regulator's current does not follow the voltage: m1 = m0,
 * the correction is zero and the jumps are exact up to rounding.
 * Measured against the segment-by-segment (event-by-event) run on every
 * library scenario with five cells, and on bench/: within 0.01 % (the
 * frozen-current jumps of 0.1 % this replaced: up to 0.06 %); the
 * tests' day-long periods (Peukert, diffusion, Shepherd cells) are within
 * one or two WiFi bursts of the exact end.
 *
 * Blocks. An exact period is costly when it is long (a product waking
 * every 10 s whose schedule repeats only every 150 h: 54 000 wakes; a day
 * of 6-min readings: 10 000 segments, some 60 exact days a life). Its
 * segments are cut into blocks, each a short pattern of segments repeated
 * r times in a row (the 10-s wake between two uploads; the 30-min cycle,
 * 47 a day: battery_blocks), and within a block whole repetitions are
 * jumped as whole periods are: one applied segment by segment (two for
 * a charge law with lags, whose state settles after the block's entry),
 * then n of them in closed form with the currents of the last one (n
 * bounded by 2 % of state of charge and the margins; after one exact
 * repetition there is no drift of the voltage margins to extrapolate, so
 * a jump may use up to the 3/4 of a margin that battery_ff_jump checks,
 * not half), then one exactly,
 * and the currents' drift over the n added as for whole periods
 * (battery_pc_correct: the maps interpolated between the repetitions
 * before and after the jump). The tide gauge's 30-min cycle is jumped 45
 * times in one go (at 0.1 %, the bound of frozen jumps, it was 13 at a
 * time; with two exact repetitions before each jump, 44: at the same
 * whole-period jumps its life applies 28 % fewer segments exactly with
 * one). The order of the load in time is kept (a block's repetitions are
 * contiguous in the period), so a heavier load elsewhere in the period
 * (the upload) is applied where it happens.
 *
 * Error of a block jump. Frozen, a jump's charge is low by half its
 * currents' drift: the tide gauge's 30-min cycle drifts 0.08 % over 44
 * jumped repetitions, which left its exact days 0.04 % light and its
 * lives 0.015 % long (the imp002's, without blocks before: 0.02 % long
 * with frozen ones). Corrected, the error is second order as for whole
 * periods: the imp002's life on the tide gauge is the same to four
 * digits with corrected blocks as with exact days. The tests:
 * tests/test_battery.c and test_life.c (battery.c's own pieces freeze
 * the current over 0.5 % of charge).
 *
 * Ties. Where two end rules nearly tie (the loaded voltage at a wake
 * reaching the cut-off just as the capacity runs out), a charge error of
 * 1e-4 moves the end by a whole period or upload: with jumps of a fixed
 * 2 % alone, compare's shallow-sleep variant of state-keeper.scn ended an
 * hour early (-0.13 %) and thermostat-display.scn's imp002 variant 15 min
 * early (-0.04 %); held to Heun's error, they end within 0.0004 % and
 * 1e-10 of the event-by-event run. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "battery_impl.h"

#define BATTERY_PC_SOC   0.02   /* a jump's bound (whole periods, block repetitions) */
#define BATTERY_PC_TOL   5e-5   /* Heun's error, of a jump's charge */
#define BATTERY_FF_SHARE 0.5
#define BATTERY_FF_LIMIT 0.75
#define BATTERY_BLOCK_MAX 1024  /* longest repeated pattern looked for (segments) */
#define BATTERY_BLOCK_MIN 4     /* fewer repetitions are applied one by one */

/* A stretch of the period: segments [start, start + len) repeated reps
 * times in a row (reps 1: applied as they are). */
typedef struct {
    int start, len;
    long reps;
    double len_s;           /* s, the pattern's duration */
} battery_block;

typedef struct {
    double t, v, soc, i;
} battery_point;

typedef struct {
    battery *b;
    const battery_profile *p;
    double last_i_mod;
    double periods;
    battery_block *blk;     /* the period cut into blocks, once needed */
    int nblk, blocked;
    battery_point *held;    /* trace points held (battery_trace_hold) */
    int nheld, capheld, holding;
    double last_t;          /* s, time of the last row written or held */
    double held_from;       /* last_t when the hold began */
} battery_runner;

static int battery_seg_ok(const battery_segment *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(s[i].current_A) || !isfinite(s[i].duration_s)
            || s[i].current_A < 0 || s[i].duration_s < 0)
            return 0;
    return 1;
}

static int battery_seg_eq(const battery_segment *a, const battery_segment *b)
{
    return a->current_A == b->current_A && a->duration_s == b->duration_s
           && !a->wifi == !b->wifi;
}

static int battery_segs_eq(const battery_segment *a, const battery_segment *b, int n)
{
    for (int i = 0; i < n; i++)
        if (!battery_seg_eq(&a[i], &b[i]))
            return 0;
    return 1;
}

/* Cut the period into blocks (r->blk, r->nblk): at each position the
 * pattern of at most BATTERY_BLOCK_MAX segments that repeats at least
 * BATTERY_BLOCK_MIN times in a row and covers the most segments (the
 * shortest of those), else one plain segment (plain neighbours merged).
 * Most coverage, not the shortest pattern: a sensor reading every 6 min
 * and uploading every 30 min repeats its 30-min cycle 47 times a day, and
 * jumping whole cycles skips far more than jumping the 4 readings between
 * two uploads. The equality is exact (the engine's segments are whole
 * ticks), so the blocks replay the period as it is. */
/* A hash of a segment's value (current, duration, WiFi flag): equal
 * segments (battery_seg_eq) hash alike; -0.0 is taken as 0.0, as == does. */
static uint64_t battery_seg_hash(const battery_segment *s)
{
    double v[2] = {s->current_A + 0.0, s->duration_s + 0.0};
    uint64_t w[2], h = s->wifi ? UINT64_C(0x9e3779b97f4a7c15) : 0;
    memcpy(w, v, sizeof w);
    for (int i = 0; i < 2; i++) {
        h ^= w[i];
        h *= UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 33;
    }
    return h;
}

/* next[i]: the next position after i with a segment equal to s[i], or n.
 * Why: the pattern search below tries only the lengths p where s[i + p]
 * equals s[i]; walking those positions costs what they are, not the
 * BATTERY_BLOCK_MAX lengths at every position (a day of a radio that
 * stays on: 16 000 segments, few of them repeating). One pass from the
 * end with a table of the last position of each value (open addressing,
 * at most half full): linear in n (the sort it replaced was 5 % of a
 * sweep). */
static int *battery_next_equal(const battery_segment *s, int n)
{
    size_t size = 16;
    while (size < 2 * (size_t)n)
        size *= 2;
    int *next = malloc((size_t)(n ? n : 1) * sizeof *next);
    int *slot = malloc(size * sizeof *slot);     /* a position, or -1 */
    if (!next || !slot)
        abort();
    memset(slot, 0xff, size * sizeof *slot);
    for (int i = n - 1; i >= 0; i--) {
        size_t k = (size_t)battery_seg_hash(&s[i]) & (size - 1);
        while (slot[k] >= 0 && !battery_seg_eq(&s[slot[k]], &s[i]))
            k = (k + 1) & (size - 1);
        next[i] = slot[k] >= 0 ? slot[k] : n;
        slot[k] = i;
    }
    free(slot);
    return next;
}

static void battery_blocks(battery_runner *r)
{
    const battery_segment *s = r->p->period;
    int n = r->p->n_period, cap = 0;
    int *next = battery_next_equal(s, n);
    r->blocked = 1;
    for (int i = 0; i < n;) {
        int len = 1;
        long reps = 1, run = 0;     /* run: how far the best pattern's period holds */
        for (int j = next[i]; j < n; j = next[j]) {
            int p = j - i;
            if (p > BATTERY_BLOCK_MAX || i + (long)BATTERY_BLOCK_MIN * p > n)
                break;      /* no room for the repetitions a block needs */
            /* the repetitions a block needs start as the pattern does:
             * most candidates fail here, at three comparisons */
            int starts = 1;
            for (int m = 2; m < BATTERY_BLOCK_MIN && starts; m++)
                starts = battery_seg_eq(&s[i], &s[i + m * p]);
            if (!starts)
                continue;
            /* Fine and Wilf: where period len holds for run >= len + p
             * segments, a period p cannot hold further (both would give
             * their gcd as a period, and len's run would not end there),
             * so p covers at most run / p whole repetitions: skip it when
             * that cannot beat the best. Why: a day of 20-s wakes is one
             * pattern 4 319 times, and every multiple of it up to
             * BATTERY_BLOCK_MAX was counted through the whole day, 13 ms
             * of a 20-ms life. The choice is the same. */
            if (run >= len + p && run / p * p <= (long)len * reps)
                continue;
            long k = 1;
            while (i + (k + 1) * p <= n && battery_segs_eq(s + i, s + i + k * p, p))
                k++;
            if (k >= BATTERY_BLOCK_MIN && (long)p * k > (long)len * reps) {
                len = p;
                reps = k;
                run = k * p;    /* and the next repetition's equal start */
                while (i + run < n && run < (k + 1) * p
                       && battery_seg_eq(&s[i + run - k * p], &s[i + run]))
                    run++;
            }
        }
        battery_block *last = r->nblk ? &r->blk[r->nblk - 1] : NULL;
        if (reps == 1 && last && last->reps == 1) {
            last->len++;
        } else {
            if (r->nblk == cap) {
                cap = cap ? 2 * cap : 64;
                r->blk = realloc(r->blk, (size_t)cap * sizeof *r->blk);
                if (!r->blk)
                    abort();
            }
            r->blk[r->nblk++] = (battery_block){i, len, reps, 0};
        }
        i += (int)(len * reps);
    }
    free(next);
    int rep = 0;
    for (int k = 0; k < r->nblk; k++) {
        rep |= r->blk[k].reps >= BATTERY_BLOCK_MIN;
        for (int i = 0; i < r->blk[k].len; i++)
            r->blk[k].len_s += s[r->blk[k].start + i].duration_s;
    }
    if (!rep)
        r->nblk = 0;    /* nothing to jump inside the period */
}

/* One trace row, written or held (battery_trace_hold). Times only
 * increase: a row at the time of the last one (the end of a life found at
 * the start of a segment) is left out. */
static void battery_trace_row(battery_runner *r, battery_point pt)
{
    if (!r->p->trace || pt.t <= r->last_t)
        return;
    r->last_t = pt.t;
    if (!r->holding) {
        r->p->trace(r->p->trace_ctx, pt.t, pt.v, pt.soc, pt.i);
        return;
    }
    if (r->nheld == r->capheld) {
        r->capheld = r->capheld ? 2 * r->capheld : 256;
        r->held = realloc(r->held, (size_t)r->capheld * sizeof *r->held);
        if (!r->held)
            abort();
    }
    r->held[r->nheld++] = pt;
}

/* The row of the present state under module current i_mod (the start of
 * a segment applied exactly, or the end of the run). */
static void battery_trace(battery_runner *r, double i_mod)
{
    battery *b = r->b;
    if (!r->p->trace)
        return;
    double i = battery_current(b, i_mod);
    battery_trace_row(r, (battery_point){ b->t, battery_voltage(b, i_mod),
                                          battery_soc(b), i < 0 ? 0 : i });
}

/* The row of a jumped stretch (profile's trace_jumps), taken at its start
 * (the battery b as it was there): the average pack current of the map
 * m's repetitions, so that current_A integrates to the charge delivered,
 * and the pack voltage under it. */
static battery_point battery_jump_row(const battery *b, const battery_map *m)
{
    double i = m->dt > 0 ? m->delivered / m->dt : 0;
    return (battery_point){ b->t, battery_pack_v(b, i), battery_soc(b), i };
}

/* The row of a stretch jumped with map m0 and corrected by the exact
 * repetition m1 after it (battery_pc_correct): a repetition's charge is on
 * average half-way from m0's to m1's. */
static battery_point battery_jump_row_pc(const battery *b, const battery_map *m0,
                                         const battery_map *m1)
{
    battery_map avg = *m0;
    avg.delivered += 0.5 * (m1->delivered - m0->delivered);
    return battery_jump_row(b, &avg);
}

/* Apply seg, cut at the horizon. Returns 1 when the run is over (life
 * ended or horizon reached). */
static int battery_run_seg(battery_runner *r, const battery_segment *seg)
{
    battery *b = r->b;
    double left = r->p->horizon_s - b->t;
    if (left <= 0)
        return 1;
    battery_segment s = *seg;
    int last = s.duration_s >= left;
    if (last)
        s.duration_s = left;
    if (s.duration_s <= 0)
        return 0;
    r->last_i_mod = s.current_A;
    battery_trace(r, s.current_A);
    return battery_apply(b, &s) != 0 || last;
}

/* Whole repetitions (of the period, or of a block's pattern of length
 * `period` s) to jump after the last exact one (w) and an earlier one (wp,
 * `gap` repetitions before it); d_soc is the soc drop over the last one;
 * soc_max the state of charge one jump may move. None while the state of
 * charge rises (a KiBaM available well refilling after a heavy load): the
 * currents frozen over a jump would be those of a recovering cell. */
static double battery_ff_count(const battery_runner *r, const battery_watch *w,
                               const battery_watch *wp, double gap,
                               double d_soc, double period, double soc_max)
{
    double n = floor((r->p->horizon_s - r->b->t) / period);
    if (d_soc < 0)      /* recovering (after a heavy load): not steady yet */
        return 0;
    if (d_soc > 0) {
        n = fmin(n, BATTERY_FF_SHARE * w->min_soc / d_soc);
        n = fmin(n, soc_max / d_soc);
    }
    double dv = (wp->min_v_cut - w->min_v_cut) / gap;
    if (dv > 0)
        n = fmin(n, BATTERY_FF_SHARE * w->min_v_cut / dv);
    dv = (wp->min_v_wifi - w->min_v_wifi) / gap;
    if (dv > 0 && isfinite(w->min_v_wifi))
        n = fmin(n, BATTERY_FF_SHARE * w->min_v_wifi / dv);
    return n > 0 ? floor(n) : 0;
}

/* After a jump: did it use at most BATTERY_FF_LIMIT of every margin? */
static int battery_ff_safe(const battery *b, const battery_watch *w,
                           double soc_before)
{
    double keep = 1.0 - BATTERY_FF_LIMIT;
    double soc = battery_core_soc(&b->cell->law, &b->core);
    if (w->min_soc - (soc_before - soc) < keep * w->min_soc)
        return 0;
    double cut = b->cell->cutoff * b->cell->series;
    if (battery_pack_v(b, w->i_cut) - cut < keep * w->min_v_cut)
        return 0;
    if (isfinite(w->min_v_wifi)
        && battery_pack_v(b, w->i_wifi) - b->reg.wifi_min_v
           < keep * w->min_v_wifi)
        return 0;
    return 1;
}

/* Jump at most n repetitions of map m; returns how many were taken. */
static double battery_ff_jump(battery_runner *r, const battery_map *m,
                              const battery_watch *w, double n)
{
    battery *b = r->b;
    battery_core saved = b->core;
    double soc0 = battery_core_soc(&b->cell->law, &b->core);
    battery_point row = { 0, 0, 0, 0 };
    if (r->p->trace_jumps)
        row = battery_jump_row(b, m);
    for (; n >= 1; n = floor(n / 2)) {
        b->core = saved;
        battery_map_apply(&b->cell->law, m, &b->core, n);
        if (battery_ff_safe(b, w, soc0))
            break;
    }
    if (n < 1) {
        b->core = saved;
        return 0;
    }
    if (r->p->trace_jumps)
        battery_trace_row(r, row);
    b->t += n * m->dt;
    b->delivered += n * m->delivered;
    return n;
}

/* m followed by blk applied n times, as one map (the closed form of
 * battery_map_apply on the map's own lag terms). */
static void battery_map_chain(const battery_law *law, battery_map *m,
                              const battery_map *blk, double n)
{
    battery_core c;
    memset(&c, 0, sizeof c);
    c.q = m->dq;
    memcpy(c.x, m->b, sizeof c.x);
    battery_map_apply(law, blk, &c, n);
    m->dq = c.q;
    memcpy(m->b, c.x, sizeof m->b);
    for (int j = 0; j < law->nlag; j++)
        m->decay[j] += n * blk->decay[j];
    m->dt += n * blk->dt;
    m->delivered += n * blk->delivered;
}

static void battery_watch_merge(battery_watch *all, const battery_watch *w)
{
    all->min_soc = fmin(all->min_soc, w->min_soc);
    if (w->min_v_cut < all->min_v_cut) {
        all->min_v_cut = w->min_v_cut;
        all->i_cut = w->i_cut;
    }
    if (w->min_v_wifi < all->min_v_wifi) {
        all->min_v_wifi = w->min_v_wifi;
        all->i_wifi = w->i_wifi;
    }
}

static void battery_pc_correct(battery *b, const battery_map *m0,
                               const battery_map *m1, double n);
static void battery_trace_hold(battery_runner *r, int on);

/* battery_pc_correct for n repetitions of a block's pattern jumped with
 * map m0 and followed by the exact one m1, recorded into the enclosing
 * period's map m too (at this point of it: what follows decays it as it
 * decays the battery's state). */
static void battery_pc_correct_in(battery *b, const battery_map *m0,
                                  const battery_map *m1, double n,
                                  battery_map *m)
{
    const battery_law *law = &b->cell->law;
    battery_core c0 = b->core;
    double q0 = b->delivered;
    battery_pc_correct(b, m0, m1, n);
    m->dq += b->core.q - c0.q;
    for (int j = 0; j < law->nlag; j++)
        m->b[j] += b->core.x[j] - c0.x[j];
    m->delivered += b->delivered - q0;
}

/* A block of the period (into the period's map m and the battery's
 * watch): its pattern applied segment by segment, whole repetitions
 * jumped in closed form where the margins allow, each jump corrected for
 * the currents' drift by the exact repetition after it, as whole periods
 * are (see the top). 1 = run over. */
static int battery_run_block(battery_runner *r, const battery_block *k,
                             battery_map *m)
{
    battery *b = r->b;
    const battery_law *law = &b->cell->law;
    const battery_segment *seg = r->p->period + k->start;
    double len = k->len_s;
    battery_watch all = b->watch, prev = b->watch;
    battery_map rep, m0;
    battery at;             /* the battery where a traced jump began */
    int over = 0, exact = 0, own_hold = 0, row = -1;
    double jumped = 0;      /* repetitions jumped with m0, not yet corrected */
    for (long left = k->reps; left > 0 && !over;) {
        double soc0 = battery_core_soc(law, &b->core);
        battery_map_reset(&rep);
        battery_watch_reset(b);
        b->rec = &rep;
        for (int i = 0; i < k->len && !over; i++)
            over = battery_run_seg(r, &seg[i]);
        b->rec = m;
        battery_map_chain(law, m, &rep, 1);
        battery_watch_merge(&all, &b->watch);
        left--;
        double d = soc0 - battery_core_soc(law, &b->core);
        if (jumped > 0 && !over) {
            battery_pc_correct_in(b, &m0, &rep, jumped, m);
            if (row >= 0 && row < r->nheld)     /* the jump row, corrected */
                r->held[row] = battery_jump_row_pc(&at, &m0, &rep);
        }
        if (own_hold)
            battery_trace_hold(r, 0);
        jumped = 0;
        own_hold = 0;
        row = -1;
        if (!over && ++exact >= (law->nlag ? 2 : 1) && left > 1) {
            /* one exact repetition is enough without lags: nothing settles
             * after the block's entry (the watch's drift is then taken as
             * none: battery_ff_jump's check of the margins still holds) */
            double n = fmin(battery_ff_count(r, &b->watch, law->nlag ? &prev : &b->watch,
                                             1, d, len, BATTERY_PC_SOC),
                            (double)(left - 1));
            if (n >= 1) {
                /* the jump's row is held until its correction is known */
                if (r->p->trace_jumps && !r->holding) {
                    battery_trace_hold(r, 1);
                    own_hold = 1;
                }
                int nh = r->nheld;
                if (r->p->trace_jumps)
                    at = *b;
                if ((n = battery_ff_jump(r, &rep, &b->watch, n)) >= 1) {
                    battery_map_chain(law, m, &rep, n);
                    left -= (long)n;
                    m0 = rep;
                    jumped = n;
                    row = r->holding && r->nheld > nh ? nh : -1;
                }
            }
            exact = 0;
        }
        prev = b->watch;
    }
    if (own_hold)
        battery_trace_hold(r, 0);
    b->watch = all;
    return over;
}

static double battery_period_length(const battery_profile *p)
{
    double t = 0;
    for (int i = 0; i < p->n_period; i++)
        t += p->period[i].duration_s;
    return t;
}

/* One period segment by segment (with blocks: jumping repetitions inside
 * it), recording its map. 1 = run over. */
static int battery_run_period(battery_runner *r, battery_map *m, int blocks)
{
    battery *b = r->b;
    battery_map_reset(m);
    battery_watch_reset(b);
    b->rec = m;
    int over = 0;
    if (!blocks) {
        for (int i = 0; i < r->p->n_period && !over; i++)
            over = battery_run_seg(r, &r->p->period[i]);
    } else {
        for (int k = 0; k < r->nblk && !over; k++) {
            const battery_block *bk = &r->blk[k];
            if (bk->reps >= BATTERY_BLOCK_MIN) {
                over = battery_run_block(r, bk, m);
                continue;
            }
            for (int i = 0; i < bk->len && !over; i++)
                over = battery_run_seg(r, &r->p->period[bk->start + i]);
        }
    }
    b->rec = 0;
    if (!over)
        r->periods += 1;
    return over;
}

/* Against the jump of n periods made with m0's currents frozen, what the
 * currents' drift adds, carried through the exact period m1 that followed
 * (see the top): the map of the jumped periods k = 1..n is interpolated
 * linearly between m0 (period 0) and m1 (period n + 1). On the
 * integrator that adds n (dq1 - dq0) / 2; on lag j it adds
 * delta_j * T_j with delta_j = (b1_j - b0_j) / (n + 1) and
 * T_j = sum_{k=1..n} k a^(n-k), a = exp(-decay_j), which is
 * (n - a (1 - a^n) / (1 - a)) / (1 - a), or n (n + 1) / 2 (1 - (n - 1) d / 3)
 * to first order in d = decay_j when n d is small (where the closed form
 * cancels); then m1's decay carries it through the exact period. */
static void battery_pc_correct(battery *b, const battery_map *m0,
                               const battery_map *m1, double n)
{
    const battery_law *law = &b->cell->law;
    b->core.q += 0.5 * n * (m1->dq - m0->dq);
    b->delivered += 0.5 * n * (m1->delivered - m0->delivered);
    for (int j = 0; j < law->nlag; j++) {
        double d = m0->decay[j], t;
        if (n * d < 1e-4) {
            t = 0.5 * n * (n + 1) * (1 - (n - 1) * d / 3);
        } else {
            double u = -expm1(-d);                      /* 1 - a */
            t = (n - (1 - u) * -expm1(-n * d) / u) / u;
        }
        b->core.x[j] += exp(-m1->decay[j]) * t * (m1->b[j] - m0->b[j]) / (n + 1);
    }
}

/* Hold the trace's points (while the exact period after a jump may still
 * be undone), or let them out. */
static void battery_trace_hold(battery_runner *r, int on)
{
    r->holding = on;
    if (on)
        r->held_from = r->last_t;
    else
        for (int k = 0; k < r->nheld; k++)
            r->p->trace(r->p->trace_ctx, r->held[k].t, r->held[k].v,
                        r->held[k].soc, r->held[k].i);
    r->nheld = 0;
}

/* Drop the rows held (the jump is undone). */
static void battery_trace_drop(battery_runner *r)
{
    r->nheld = 0;
    r->last_t = r->held_from;
}

/* Jump whole periods after the exact one just run (map *m0, the battery's
 * watch): at most n of them with m0's currents, then the next period
 * exactly (map m1), then the correction for the currents' drift
 * (battery_pc_correct). A jump that used more than BATTERY_FF_LIMIT of a
 * margin, or whose exact period ends the run, is undone and halved.
 * Returns the periods jumped (0: none, the battery as it was); then *m0
 * is m1, the watch that of m1's period and *d its soc drop. */
static double battery_pc_jump(battery_runner *r, battery_map *m0, double n,
                              int blocks, double period, double *d)
{
    battery *b = r->b;
    const battery_law *law = &b->cell->law;
    battery saved = *b;
    battery_watch w0 = b->watch;
    double soc0 = battery_core_soc(law, &b->core);
    double periods = r->periods, last_i_mod = r->last_i_mod;
    n = fmin(n, floor((r->p->horizon_s - b->t) / period) - 1);
    for (; n >= 1; n = floor(n / 2)) {
        *b = saved;
        r->periods = periods;
        r->last_i_mod = last_i_mod;
        battery_map_apply(law, m0, &b->core, n);
        if (!battery_ff_safe(b, &w0, soc0))
            continue;
        b->t += n * m0->dt;
        b->delivered += n * m0->delivered;
        battery_trace_hold(r, 1);
        if (r->p->trace_jumps)  /* its current set below, once corrected */
            battery_trace_row(r, battery_jump_row(&saved, m0));
        int jump_row = r->nheld == 1;
        double s1 = battery_core_soc(law, &b->core);
        battery_map m1;
        if (battery_run_period(r, &m1, blocks)) {
            battery_trace_drop(r);      /* undone: its rows with it */
            continue;
        }
        double s2 = battery_core_soc(law, &b->core), d1 = s1 - s2;
        battery_pc_correct(b, m0, &m1, n);
        /* the corrected state must still leave its margins (the end is
         * found only inside exact periods) */
        if (!battery_ff_safe(b, &b->watch, s2)) {
            battery_trace_drop(r);
            continue;
        }
        if (jump_row)           /* the jump's average with the correction */
            r->held[0] = battery_jump_row_pc(&saved, m0, &m1);
        battery_trace_hold(r, 0);
        *d = d1;
        *m0 = m1;
        r->periods += n;
        return n;
    }
    *b = saved;
    r->periods = periods;
    r->last_i_mod = last_i_mod;
    r->holding = 0;
    return 0;
}

/* The charge of the last three exact periods against their index: how
 * fast the periods' charge bends (its second divided difference), which
 * sizes the next jump. */
typedef struct {
    double k[3], q[3];
    int n;              /* points kept (at most 3) */
    double last;        /* the last jump's periods */
} battery_curve;

static void battery_curve_add(battery_curve *cv, double k, double q)
{
    if (cv->n == 3) {
        memmove(cv->k, cv->k + 1, 2 * sizeof *cv->k);
        memmove(cv->q, cv->q + 1, 2 * sizeof *cv->q);
        cv->n = 2;
    }
    cv->k[cv->n] = k;
    cv->q[cv->n++] = q;
}

/* The most periods the next jump may take (HUGE_VAL: no bound from the
 * curve). Heun's method over a jump of n periods leaves about
 * |c| (n + 1)^3 / 12 of charge (c: the second derivative of a period's
 * charge against its index), kept at most BATTERY_PC_TOL of the jump's
 * charge n q: n^2 <= 12 tol q / |c|; and at most twice the last jump. */
static double battery_curve_jump(const battery_curve *cv)
{
    if (cv->n < 3)
        return HUGE_VAL;
    const double *k = cv->k, *q = cv->q;
    double c = 2 * ((q[2] - q[1]) / (k[2] - k[1]) - (q[1] - q[0]) / (k[1] - k[0])) / (k[2] - k[0]);
    double n = c != 0 ? floor(sqrt(12 * BATTERY_PC_TOL * fabs(q[2]) / fabs(c))) : HUGE_VAL;
    return cv->last > 0 ? fmin(n, 2 * cv->last) : n;
}

/* The periods: the first ones exactly, then jumps (battery_pc_jump).
 * Blocks are found after the first period and used in every exact period
 * after it when the period has a repeated pattern: they make its exact
 * runs cheaper. */
static void battery_run_periods(battery_runner *r, double period)
{
    battery *b = r->b;
    battery_map m;
    battery_watch prev = b->watch;
    battery_curve cv = { {0}, {0}, 0, 0 };
    for (int exact = 0, blocks = 0;;) {
        double soc0 = battery_core_soc(&b->cell->law, &b->core);
        if (battery_run_period(r, &m, blocks))
            return;
        battery_curve_add(&cv, r->periods, m.delivered);
        double d = soc0 - battery_core_soc(&b->cell->law, &b->core);
        if (!r->blocked)
            battery_blocks(r);
        blocks = r->nblk > 0;
        if (++exact >= 2) {
            double gap = 1, n;
            for (;;) {
                /* The soc drop of one period can be small while the
                 * lags relax (after an outage): the integrator's share,
                 * the drop once they have settled, bounds it too. */
                double dn = d < 0 ? d : fmax(d, m.dq / b->cell->law.cap);
                battery_watch w0 = b->watch;
                n = battery_ff_count(r, &b->watch, &prev, gap, dn, period,
                                     BATTERY_PC_SOC);
                n = fmin(n, battery_curve_jump(&cv));
                if (n < 1 || (n = battery_pc_jump(r, &m, n, blocks, period, &d)) < 1)
                    break;
                battery_curve_add(&cv, r->periods, m.delivered);
                cv.last = n;
                prev = w0;
                gap = n + 1;
            }
        }
        prev = b->watch;
    }
}

int battery_run_on(battery *b, const battery_profile *p, battery_result *out)
{
    if (!(p->horizon_s > 0) || !isfinite(p->horizon_s) || p->n_prefix < 0
        || p->n_period < 0 || !battery_seg_ok(p->prefix, p->n_prefix)
        || !battery_seg_ok(p->period, p->n_period))
        return -1;
    battery_runner r = { b, p, 0.0, 0.0, NULL, 0, 0, NULL, 0, 0, 0, -HUGE_VAL, -HUGE_VAL };
    int over = b->ended != BATTERY_ALIVE;
    for (int i = 0; i < p->n_prefix && !over; i++)
        over = battery_run_seg(&r, &p->prefix[i]);
    double period = battery_period_length(p);
    if (!over && period > 0) {
        battery_run_periods(&r, period);
    } else if (!over) {
        battery_segment rest = { 0.0, p->horizon_s, 0 };
        battery_run_seg(&r, &rest);
    }
    battery_trace(&r, r.last_i_mod);
    out->ended_by = b->ended;
    out->life_s = b->ended ? b->t : p->horizon_s;
    out->delivered_C = b->delivered;
    out->soc = battery_soc(b);
    out->voltage_V = battery_pack_v(b, 0.0);
    out->periods = r.periods;
    out->wifi_peak_A = battery_wifi_peak_A(b);
    free(r.blk);
    free(r.held);
    return 0;
}

int battery_run(const battery_cell *cell, const battery_regulator *reg,
                const battery_profile *p, battery_result *out)
{
    battery *b = battery_new(cell, reg);
    int rc = battery_run_on(b, p, out);
    battery_free(b);
    return rc;
}
