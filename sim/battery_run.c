/* battery_run.c — run a load profile (prefix, then a repeated period) on a
 * fresh battery until it is empty or a horizon is reached.
 *
 * Fast-forward. The charge models are linear in the current, so one period
 * at fixed battery currents is an affine map of the core state, and n
 * periods are that map applied n times in closed form (battery_core.c).
 * The runner applies two periods segment by segment (exact end detection,
 * currents following the voltage), then jumps n periods with the currents
 * of the last one frozen. n is chosen so that the state of charge moves at
 * most 0.1 % and so that at most half of each remaining margin (state of
 * charge, cut-off voltage, WiFi voltage, extrapolated from the last two
 * periods) is used; a jump that used more than 3/4 of a margin is undone and
 * halved. Near the end the margins are small, n falls to 0 and every
 * period is applied exactly, so the end instant is exact. */
#include <math.h>
#include "battery_impl.h"

#define BATTERY_FF_SOC   0.001
#define BATTERY_FF_SHARE 0.5
#define BATTERY_FF_LIMIT 0.75

typedef struct {
    battery *b;
    const battery_profile *p;
    double last_i_mod;
    double periods;
} battery_runner;

static int battery_seg_ok(const battery_segment *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(s[i].current_A) || !isfinite(s[i].duration_s)
            || s[i].current_A < 0 || s[i].duration_s < 0)
            return 0;
    return 1;
}

static void battery_trace(battery_runner *r, double i_mod)
{
    battery *b = r->b;
    if (!r->p->trace)
        return;
    double i = battery_current(b, i_mod);
    r->p->trace(r->p->trace_ctx, b->t, battery_voltage(b, i_mod),
                battery_soc(b), i < 0 ? 0 : i);
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

/* Periods to jump from the last exact period (w) and the one before
 * (wp); d_soc is the soc drop over the last period. None while the state
 * of charge rises (a KiBaM available well refilling after a heavy load):
 * the currents frozen over a jump would be those of a recovering cell. */
static double battery_ff_count(const battery_runner *r, const battery_watch *w,
                               const battery_watch *wp, double d_soc,
                               double period)
{
    double n = floor((r->p->horizon_s - r->b->t) / period);
    if (d_soc < 0)      /* recovering (after a heavy load): not steady yet */
        return 0;
    if (d_soc > 0) {
        n = fmin(n, BATTERY_FF_SHARE * w->min_soc / d_soc);
        n = fmin(n, BATTERY_FF_SOC / d_soc);
    }
    double dv = wp->min_v_cut - w->min_v_cut;
    if (dv > 0)
        n = fmin(n, BATTERY_FF_SHARE * w->min_v_cut / dv);
    dv = wp->min_v_wifi - w->min_v_wifi;
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

static void battery_ff_jump(battery_runner *r, const battery_map *m,
                            const battery_watch *w, double n)
{
    battery *b = r->b;
    battery_core saved = b->core;
    double soc0 = battery_core_soc(&b->cell->law, &b->core);
    for (; n >= 1; n = floor(n / 2)) {
        b->core = saved;
        battery_map_apply(&b->cell->law, m, &b->core, n);
        if (battery_ff_safe(b, w, soc0))
            break;
    }
    if (n < 1) {
        b->core = saved;
        return;
    }
    b->t += n * m->dt;
    b->delivered += n * m->delivered;
    r->periods += n;
    battery_trace(r, r->last_i_mod);
}

static double battery_period_length(const battery_profile *p)
{
    double t = 0;
    for (int i = 0; i < p->n_period; i++)
        t += p->period[i].duration_s;
    return t;
}

/* One period segment by segment, recording its map. 1 = run over. */
static int battery_run_period(battery_runner *r, battery_map *m)
{
    battery *b = r->b;
    battery_map_reset(m);
    battery_watch_reset(b);
    b->rec = m;
    int over = 0;
    for (int i = 0; i < r->p->n_period && !over; i++)
        over = battery_run_seg(r, &r->p->period[i]);
    b->rec = 0;
    if (!over)
        r->periods += 1;
    return over;
}

static void battery_run_periods(battery_runner *r, double period)
{
    battery *b = r->b;
    battery_map m;
    battery_watch prev = b->watch;
    for (int exact = 0;;) {
        double soc0 = battery_core_soc(&b->cell->law, &b->core);
        if (battery_run_period(r, &m))
            return;
        double d = soc0 - battery_core_soc(&b->cell->law, &b->core);
        if (++exact >= 2) {
            double n = battery_ff_count(r, &b->watch, &prev, d, period);
            if (n >= 1)
                battery_ff_jump(r, &m, &b->watch, n);
            exact = 0;
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
    battery_runner r = { b, p, 0.0, 0.0 };
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
