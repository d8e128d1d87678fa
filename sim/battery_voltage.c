/* battery_voltage.c — a cell's voltage at a state of charge.
 *
 * Every voltage model is written V = v0(soc) - r(soc)*i for cell current
 * i: constant (nominal voltage), an open-circuit-voltage curve
 * interpolated with GSL's monotone Steffen method (linear for two points),
 * or Shepherd/Tremblay, where the extracted charge is (1 - soc)*Q so that
 * the voltage follows the charge model's apparent state of charge. */
#include "battery_impl.h"

static double battery_ocv(const battery_cell *c, double soc)
{
    double lo = c->ocv_soc[0], hi = c->ocv_soc[c->ocv_n - 1];
    if (soc <= lo)
        return c->ocv_v[0];
    if (soc >= hi)
        return c->ocv_v[c->ocv_n - 1];
    /* the accelerator remembers the last interval: consecutive pieces of
     * a discharge fall in the same one, not searched again each time */
    return gsl_interp_eval(c->ocv, c->ocv_soc, c->ocv_v, soc, c->ocv_acc);
}

void battery_cell_vr(const battery_cell *c, double soc, double *v0,
                     double *r)
{
    switch (c->vmodel) {
    case BATTERY_V_SHEPHERD:
        battery_shepherd_vr(c->sh_e0, c->sh_k, c->sh_q, c->sh_a, c->sh_b,
                            c->resistance, (1.0 - soc) * c->sh_q, v0, r);
        return;
    case BATTERY_V_OCV:
        *v0 = battery_ocv(c, soc);
        break;
    default:
        *v0 = c->v_nominal;
        break;
    }
    *r = c->resistance;
}
