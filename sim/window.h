/* window.h — time-of-day windows (`during 09:00-18:00 weekdays`) on the
 * simulated clock: the run starts at scn.start seconds after Monday 00:00
 * (default 0: Monday midnight) and days are 86 400 s (no time zones, no
 * daylight-saving shifts: a window is in the device's local time as the
 * server sets it at each connection). */
#ifndef IMPSIM_WINDOW_H
#define IMPSIM_WINDOW_H

#include "scn.h"

#define WINDOW_DAY  (INT64_C(86400) * TICKS_PER_S)
#define WINDOW_WEEK (7 * WINDOW_DAY)

/* 1 when simulated time t (ticks since the run's start, which is `start`
 * seconds after Monday 00:00) lies inside window w (always 1 when w->on is
 * 0). */
int window_in(const scn_window *w, int32_t start, tick_t t);

/* The first time >= t inside w: t itself when inside, TICK_MAX when the
 * window is never open (no days) or the time passes the tick range. */
tick_t window_next(const scn_window *w, int32_t start, tick_t t);

/* For t inside w: the end of the open stretch holding t (TICK_MAX for a
 * window that never closes). */
tick_t window_end(const scn_window *w, int32_t start, tick_t t);

/* The time at which `open` ticks of open window time have passed after t
 * (t + open without a window): how a Poisson process whose rate holds only
 * inside the window is drawn (an exponential gap in open time). TICK_MAX
 * on overflow. */
tick_t window_open_add(const scn_window *w, int32_t start, tick_t t, tick_t open);

/* The window's own period: a day when it is open every day, a week
 * otherwise, 0 without a window. */
tick_t window_period(const scn_window *w);

/* The share of a day (0..1] the window is open on each of its days: 1
 * without a window or for days alone (`during weekends`), 15/24 for
 * 07:00-22:00. A Poisson rate of `12 /day during 07:00-22:00` means 12
 * events on each day the window is open, all inside it, so the rate inside
 * the window is the stated rate over this share (scenarios/README.md): what
 * a user means by "12 door openings a day, between 7 and 22 h". */
double window_day_share(const scn_window *w);

#endif
