/* window.c — time-of-day windows on the simulated clock (see window.h). */
#include "window.h"

/* Position of t in the week: day 0..6 (Monday 0) and ticks after midnight. */
static void window_at(int32_t start, tick_t t, int *day, tick_t *tod)
{
    tick_t x = (t % WINDOW_WEEK) + (tick_t)start * TICKS_PER_S;
    x %= WINDOW_WEEK;
    *day = (int)(x / WINDOW_DAY);
    *tod = x % WINDOW_DAY;
}

int window_in(const scn_window *w, int32_t start, tick_t t)
{
    if (!w->on)
        return 1;
    int day;
    tick_t tod, from = (tick_t)w->from * TICKS_PER_S, to = (tick_t)w->to * TICKS_PER_S;
    window_at(start, t, &day, &tod);
    if (from < to)
        return (w->days >> day & 1) && tod >= from && tod < to;
    /* over midnight: the evening part belongs to this day, the morning
     * part to the day before */
    return ((w->days >> day & 1) && tod >= from) ||
           ((w->days >> ((day + 6) % 7) & 1) && tod < to);
}

/* Candidate opening times: each day's `from` (and midnight for stretches
 * that run over it); the next open time is the first candidate (or t) that
 * is inside. At most 8 days ahead for any window with a day. */
tick_t window_next(const scn_window *w, int32_t start, tick_t t)
{
    if (!w->on || window_in(w, start, t))
        return t;
    if (!w->days)
        return TICK_MAX;
    int day;
    tick_t tod;
    window_at(start, t, &day, &tod);
    tick_t midnight = t - tod;      /* may be negative before the first midnight */
    for (int k = 0; k <= 8; k++) {
        tick_t base = midnight + k * WINDOW_DAY;
        tick_t c[2] = {base, base + (tick_t)w->from * TICKS_PER_S};
        for (int j = 0; j < 2; j++)
            if (c[j] > t && window_in(w, start, c[j]))
                return c[j] > TICK_MAX - WINDOW_WEEK ? TICK_MAX : c[j];
    }
    return TICK_MAX;
}

tick_t window_end(const scn_window *w, int32_t start, tick_t t)
{
    if (!w->on)
        return TICK_MAX;
    int day;
    tick_t tod;
    window_at(start, t, &day, &tod);
    tick_t midnight = t - tod;
    /* the stretch ends at the first candidate closing time after t that is
     * outside (closing times: each day's `to`, and midnight) */
    for (int k = 0; k <= 8; k++) {
        tick_t base = midnight + k * WINDOW_DAY;
        tick_t c[2] = {base + (tick_t)w->to * TICKS_PER_S, base + WINDOW_DAY};
        tick_t first = c[0] < c[1] ? c[0] : c[1], second = c[0] < c[1] ? c[1] : c[0];
        if (first > t && !window_in(w, start, first))
            return first;
        if (second > t && !window_in(w, start, second))
            return second;
    }
    return TICK_MAX;    /* open all week */
}

tick_t window_open_add(const scn_window *w, int32_t start, tick_t t, tick_t open)
{
    tick_t r;
    if (!w->on)
        return ticks_add(t, open, &r) ? TICK_MAX : r;
    for (;;) {
        t = window_next(w, start, t);
        if (t == TICK_MAX)
            return TICK_MAX;
        tick_t e = window_end(w, start, t);
        if (e == TICK_MAX || e - t > open)
            return ticks_add(t, open, &r) ? TICK_MAX : r;
        open -= e - t;
        t = e;
    }
}

tick_t window_period(const scn_window *w)
{
    if (!w->on)
        return 0;
    return w->days == 0x7f ? WINDOW_DAY : WINDOW_WEEK;
}

double window_day_share(const scn_window *w)
{
    if (!w->on)
        return 1;
    int32_t len = w->to > w->from ? w->to - w->from : w->to + 86400 - w->from;
    return len / 86400.0;
}
