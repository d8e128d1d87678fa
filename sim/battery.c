/* battery.c — a battery's state and how one segment of load moves it.
 *
 * A segment is cut into pieces of constant battery current: one piece for
 * a linear regulator; for a switching regulator, pieces short enough that
 * the state of charge moves at most 0.5 % in each, so the battery current
 * can follow the falling voltage. Each piece is applied exactly (closed
 * form, battery_core.c). If a piece ends life (charge model empty, loaded
 * voltage under the cut-off, or under the WiFi minimum while WiFi draws),
 * the instant is found with GSL's Brent solver inside the piece. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include "battery_impl.h"

#define BATTERY_PIECE_SOC  0.005

enum { BATTERY_F_SOC, BATTERY_F_CUT, BATTERY_F_WIFI, BATTERY_F_N };

/* What one piece needs to evaluate its conditions at time s inside it. */
typedef struct {
    const battery *b;
    double i_pack, i_model, i_lag;
    int kind;
} battery_piece;

const char *battery_end_word(battery_end e)
{
    switch (e) {
    case BATTERY_END_CAPACITY:  return "capacity";
    case BATTERY_END_WELL:      return "available-well";
    case BATTERY_END_DIFFUSION: return "diffusion";
    case BATTERY_END_CUTOFF:    return "cutoff-voltage";
    case BATTERY_END_WIFI:      return "wifi-min-voltage";
    default:                    return "not-depleted";
    }
}

void battery_regulator_default(battery_regulator *r)
{
    r->kind = BATTERY_REG_LINEAR;
    r->v_module = 3.3;
    r->efficiency = 0.9;
    r->i_q = 0.0;
    r->wifi_min_v = 2.7;
}

battery *battery_new(const battery_cell *cell, const battery_regulator *reg)
{
    battery *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    b->cell = cell;
    if (reg)
        b->reg = *reg;
    else
        battery_regulator_default(&b->reg);
    b->i_sd = cell->self_discharge * cell->capacity / BATTERY_YEAR_S;
    battery_watch_reset(b);
    return b;
}

void battery_watch_reset(battery *b)
{
    battery_watch *w = &b->watch;
    w->min_soc = w->min_v_cut = w->min_v_wifi = HUGE_VAL;
    w->i_cut = w->i_wifi = 0.0;
}

void battery_free(battery *b)
{
    free(b);
}

/* The same core state to the bit: the integrator and the law's lags (the
 * others are never read). Each 8-byte comparison is inlined; a memcmp of
 * the whole state was 5 % of a sweep. */
static int battery_core_same(const battery_law *law, const battery_core *a,
                             const battery_core *b)
{
    if (memcmp(&a->q, &b->q, sizeof a->q))
        return 0;
    for (int j = 0; j < law->nlag; j++)
        if (memcmp(&a->x[j], &b->x[j], sizeof a->x[j]))
            return 0;
    return 1;
}

static void battery_terms_of(const battery *b, const battery_core *core,
                             battery_terms *t)
{
    const battery_cell *c = b->cell;
    if (b->tc_ok && battery_core_same(&c->law, core, &b->tc_core)) {
        *t = b->tc;
        return;
    }
    t->soc = battery_core_soc(&c->law, core);
    battery_cell_vr(c, t->soc, &t->v0, &t->r);
    t->v0 *= c->series;
    t->r *= (double)c->series / c->parallel;
}

/* Battery current for module current i_mod at a core state; -1 when a
 * switching regulator asks for more power than the pack can give. */
static double battery_reg_current(const battery *b, const battery_core *core,
                                  double i_mod)
{
    const battery_regulator *g = &b->reg;
    if (g->kind == BATTERY_REG_LINEAR)
        return i_mod + g->i_q;
    double p = i_mod * g->v_module / g->efficiency;
    if (p <= 0)
        return g->i_q;
    battery_terms t;
    battery_terms_of(b, core, &t);
    /* J = I - i_q solves J*(v0 - r*(J + i_q)) = p: r J^2 - B J + p = 0 */
    double bb = t.v0 - t.r * g->i_q;
    double disc = bb * bb - 4.0 * t.r * p;
    if (bb <= 0 || disc < 0)
        return -1.0;
    return 2.0 * p / (bb + sqrt(disc)) + g->i_q;
}

double battery_pack_v(const battery *b, double i_pack)
{
    battery_terms t;
    battery_terms_of(b, &b->core, &t);
    return t.v0 - t.r * i_pack;
}

double battery_current(const battery *b, double i_mod)
{
    return battery_reg_current(b, &b->core, i_mod);
}

double battery_voltage(const battery *b, double i_mod)
{
    double i = battery_reg_current(b, &b->core, i_mod);
    if (i < 0)
        return 0.0;
    return battery_pack_v(b, i);
}

double battery_wifi_peak_A(const battery *b)
{
    return b->wifi_peak;
}

int battery_peak_check(const battery_cell *cell, const battery_regulator *reg, double i_mod,
                       double *v)
{
    battery *b = battery_new(cell, reg);
    int fails = battery_current(b, i_mod) < 0;     /* the pack cannot give that power at all */
    *v = fails ? 0.0 : battery_voltage(b, i_mod);
    fails |= b->reg.wifi_min_v > 0 && *v < b->reg.wifi_min_v;
    battery_free(b);
    return fails;
}

double battery_soc(const battery *b)
{
    double s = battery_core_soc(&b->cell->law, &b->core);
    return s < 0 ? 0 : s > 1 ? 1 : s;
}

battery_end battery_ended(const battery *b) { return b->ended; }
double battery_time(const battery *b) { return b->t; }
double battery_delivered_C(const battery *b) { return b->delivered; }

/* Condition `kind` at a state (its terms t) with pack current i_pack:
 * > 0 while alive. */
static double battery_rule_f(const battery *b, const battery_terms *t,
                             int kind, double i_pack)
{
    if (kind == BATTERY_F_SOC)
        return t->soc;
    double v = t->v0 - t->r * i_pack;
    if (kind == BATTERY_F_CUT)
        return v - b->cell->cutoff * b->cell->series;
    return v - b->reg.wifi_min_v;
}

/* Condition p->kind for core state c: > 0 while alive. */
static double battery_piece_at(const battery_piece *p, const battery_core *c)
{
    battery_terms t;
    battery_terms_of(p->b, c, &t);
    return battery_rule_f(p->b, &t, p->kind, p->i_pack);
}

/* Condition kind at time s into the piece: > 0 while alive. */
static double battery_piece_f(double s, void *ctx)
{
    const battery_piece *p = ctx;
    battery_core c = p->b->core;
    if (s > 0)      /* at 0 the state is the present one (advancing by 0 changes no bit) */
        battery_core_advance(&p->b->cell->law, &c, p->i_model, p->i_lag, s);
    return battery_piece_at(p, &c);
}

/* First s in (0, dt] where condition p->kind fails, given it holds at 0
 * and fails at dt. */
static double battery_piece_root(battery_piece *p, double dt)
{
    gsl_function f = { battery_piece_f, p };
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        abort();
    gsl_root_fsolver_set(s, &f, 0.0, dt);
    double lo = 0.0, hi = dt;
    for (int it = 0; it < 200; it++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            break;
        lo = gsl_root_fsolver_x_lower(s);
        hi = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(lo, hi, 1e-7, 1e-13) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return hi;
}

static int battery_rule_on(const battery *b, int kind, int wifi)
{
    if (kind == BATTERY_F_CUT)
        return b->cell->cutoff > 0;
    if (kind == BATTERY_F_WIFI)
        return wifi && b->reg.wifi_min_v > 0;
    return 1;
}

static battery_end battery_kind_end(const battery *b, int kind)
{
    if (kind == BATTERY_F_SOC)
        return b->cell->law.end;
    return kind == BATTERY_F_CUT ? BATTERY_END_CUTOFF : BATTERY_END_WIFI;
}

/* Threshold a voltage rule guards (higher = crossed first on the way down). */
static double battery_kind_level(const battery *b, int kind)
{
    if (kind == BATTERY_F_SOC)
        return HUGE_VAL;
    if (kind == BATTERY_F_CUT)
        return b->cell->cutoff * b->cell->series;
    return b->reg.wifi_min_v;
}

/* Advance by dt; end: the core already advanced by dt (the same
 * arithmetic), or NULL. */
static void battery_commit(battery *b, battery_piece *p, double dt, const battery_core *end)
{
    if (end)
        b->core = *end;
    else
        battery_core_advance(&b->cell->law, &b->core, p->i_model, p->i_lag, dt);
    b->t += dt;
    b->delivered += p->i_pack * dt;
    b->last_i = p->i_pack;
    if (b->rec) {
        battery_map_add(&b->cell->law, b->rec, p->i_model, p->i_lag, dt);
        b->rec->delivered += p->i_pack * dt;
    }
}

/* The watch at a segment edge: the state there (its terms t) with pack
 * current i_pack. */
static void battery_watch_note(battery *b, const battery_terms *t,
                               double i_pack, int wifi)
{
    battery_watch *w = &b->watch;
    w->min_soc = fmin(w->min_soc, battery_rule_f(b, t, BATTERY_F_SOC, i_pack));
    double f = battery_rule_f(b, t, BATTERY_F_CUT, i_pack);
    if (f < w->min_v_cut) {
        w->min_v_cut = f;
        w->i_cut = i_pack;
    }
    f = battery_rule_f(b, t, BATTERY_F_WIFI, i_pack);
    if (wifi && f < w->min_v_wifi) {
        w->min_v_wifi = f;
        w->i_wifi = i_pack;
    }
}

/* Apply dt s at pack current i_pack. Returns 1 if life ended in it. */
static int battery_piece_run(battery *b, double i_pack, double dt, int wifi)
{
    const battery_cell *c = b->cell;
    double i = i_pack / c->parallel;
    battery_piece p = { b, i_pack,
                        battery_peukert_current(&c->law, i) + b->i_sd,
                        i + b->i_sd, 0 };
    double t_end = HUGE_VAL, level = -HUGE_VAL;
    battery_end why = BATTERY_ALIVE;
    /* the states at 0 and at dt, each computed once for every rule and
     * the watch */
    battery_core end = b->core;
    battery_core_advance(&c->law, &end, p.i_model, p.i_lag, dt);
    battery_terms t0, t1;
    battery_terms_of(b, &b->core, &t0);
    battery_terms_of(b, &end, &t1);
    b->tc_core = end;       /* where the next segment starts */
    b->tc = t1;
    b->tc_ok = 1;
    for (int k = 0; k < BATTERY_F_N; k++) {
        if (!battery_rule_on(b, k, wifi))
            continue;
        p.kind = k;
        double s;
        if (battery_rule_f(b, &t0, k, i_pack) <= 0)
            s = 0.0;
        else if (battery_rule_f(b, &t1, k, i_pack) > 0)
            continue;
        else
            s = battery_piece_root(&p, dt);
        double lv = battery_kind_level(b, k);
        if (s < t_end || (s == t_end && lv > level)) {
            t_end = s;
            level = lv;
            why = battery_kind_end(b, k);
        }
    }
    if (why != BATTERY_ALIVE) {
        battery_commit(b, &p, t_end, NULL);
        b->ended = why;
        return 1;
    }
    if (b->rec)     /* the watch serves the profile runner's periods only */
        battery_watch_note(b, &t0, i_pack, wifi);
    battery_commit(b, &p, dt, &end);
    if (b->rec)
        battery_watch_note(b, &t1, i_pack, wifi);
    return 0;
}

int battery_apply(battery *b, const battery_segment *seg)
{
    double im = seg->current_A, d = seg->duration_s;
    if (!isfinite(im) || !isfinite(d) || im < 0 || d < 0)
        return -1;
    if (b->ended)
        return 1;
    if (seg->wifi && d > 0 && im > b->wifi_peak)
        b->wifi_peak = im;
    while (d > 0) {
        double i = battery_reg_current(b, &b->core, im);
        if (i < 0) {            /* the pack cannot give the power asked */
            b->ended = BATTERY_END_CUTOFF;
            return 1;
        }
        double dt = d;
        if (b->reg.kind == BATTERY_REG_SWITCHING && i > 0) {
            double lim = BATTERY_PIECE_SOC * b->cell->law.cap
                       * b->cell->parallel / i;
            if (lim < dt)
                dt = lim;
        }
        if (battery_piece_run(b, i, dt, seg->wifi))
            return 1;
        d -= dt;
    }
    return 0;
}
