/* battery_core.c — the linear core every charge model reduces to.
 *
 * State: an integrator q and first-order lags x_j (see battery_impl.h).
 * A constant-current piece is applied exactly (no time stepping); a block
 * of pieces composes into one affine map that can be applied n times in
 * closed form, which is how long periodic profiles are fast-forwarded. */
#include <math.h>
#include <string.h>
#include "battery_impl.h"

/* (1 - exp(-l*dt)) / l, accurate for small l*dt. */
static double battery_lag_gain(double l, double dt)
{
    return -expm1(-l * dt) / l;
}

void battery_core_advance(const battery_law *law, battery_core *c,
                          double i_model, double i_lag, double dt)
{
    c->q += i_model * dt;
    for (int j = 0; j < law->nlag; j++) {
        double l = law->lambda[j];
        c->x[j] = c->x[j] * exp(-l * dt)
                + law->gain[j] * i_lag * battery_lag_gain(l, dt);
    }
}

double battery_core_soc(const battery_law *law, const battery_core *c)
{
    double used = c->q;
    for (int j = 0; j < law->nlag; j++)
        used += law->weight[j] * c->x[j];
    return 1.0 - used / law->cap;
}

void battery_map_reset(battery_map *m)
{
    memset(m, 0, sizeof *m);
}

/* Compose one more piece after the block m: x <- e*(a*x + b) + g*i*h. */
void battery_map_add(const battery_law *law, battery_map *m,
                     double i_model, double i_lag, double dt)
{
    m->dq += i_model * dt;
    m->dt += dt;
    for (int j = 0; j < law->nlag; j++) {
        double l = law->lambda[j];
        m->b[j] = m->b[j] * exp(-l * dt)
                + law->gain[j] * i_lag * battery_lag_gain(l, dt);
        m->decay[j] += l * dt;
    }
}

/* Apply the block n times: x_n = a^n x + b (1 - a^n)/(1 - a). */
void battery_map_apply(const battery_law *law, const battery_map *m,
                       battery_core *c, double n)
{
    c->q += n * m->dq;
    for (int j = 0; j < law->nlag; j++) {
        double d = m->decay[j];
        if (d <= 0)
            continue;   /* zero-length block: b is 0 too */
        double an = exp(-n * d);
        c->x[j] = an * c->x[j] + m->b[j] * (expm1(-n * d) / expm1(-d));
    }
}
