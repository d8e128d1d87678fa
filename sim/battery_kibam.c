/* battery_kibam.c — the Kinetic Battery Model (Manwell & McGowan 1993).
 *
 * Two wells: available charge y1 (fraction c of the capacity C) feeds the
 * load; bound charge y2 (fraction 1-c) flows into it through a valve.
 * Heights h1 = y1/c, h2 = y2/(1-c).
 *
 * k convention: we write the valve as in Jongerden & Haverkort ("Which
 * battery model to use?", 2009): dy1/dt = -I + k*(h2 - h1),
 * dy2/dt = -k*(h2 - h1), and use k' = k/(c*(1-c)). k' is the rate in the
 * exponentials of the closed form and equals the "k" of Manwell & McGowan's
 * own equations (dq1/dt = -I - k(1-c)q1 + k c q2). Cell files give k' as
 * kibam.k_prime, or Jongerden's k as kibam.k (converted here).
 *
 * Closed form. With delta = h2 - h1 and total y = y1 + y2:
 *     d(delta)/dt = I/c - k'*delta,      dy/dt = -I
 * so over a segment of constant I and length t
 *     delta(t) = delta0*e^{-k't} + (I/(c k'))*(1 - e^{-k't}),
 *     y(t)     = y0 - I*t,
 *     y1       = c*h1 = c*(y - (1-c)*delta).
 * The available well is empty when y - (1-c)*delta = 0. In the core's
 * terms: q = C - y, one lag x = delta with lambda = k', gain = 1/c,
 * weight = 1-c, cap = C, so soc = h1/C. From full at constant I this gives
 * k'cC = I*[(1 - e^{-k'T}) + c*(k'T - 1 + e^{-k'T})] for the lifetime T. */
#include "battery_impl.h"

void battery_kibam_law(double capacity, double c, double k_prime,
                       battery_law *law)
{
    battery_ideal_law(capacity, law);
    law->nlag = 1;
    law->lambda[0] = k_prime;
    law->gain[0] = 1.0 / c;
    law->weight[0] = 1.0 - c;
    law->end = BATTERY_END_WELL;
}
