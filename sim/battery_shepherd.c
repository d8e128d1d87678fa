/* battery_shepherd.c — Shepherd/Tremblay Li-ion discharge voltage.
 *
 * Tremblay, Dessaint & Dekkiche, "A Generic Battery Model for the Dynamic
 * Simulation of Hybrid Electric Vehicles" (IEEE VPPC 2007), discharge:
 *     V = E0 - R*i - K*Q/(Q - it)*(it + i*) + A*exp(-B*it)
 * with it the extracted charge (Ah), Q the maximum capacity (Ah), K the
 * polarisation constant (V/Ah, also acting as a resistance on i*), A the
 * exponential-zone amplitude (V), B its inverse charge (1/Ah). We take the
 * filtered current i* equal to i (segments are long against the filter's
 * ~30 s time constant), so V = v0 - r*i with
 *     v0 = E0 - K*Q/(Q - it)*it + A*exp(-B*it),   r = R + K*Q/(Q - it).
 * it is kept below Q so the result stays finite (and very negative). */
#include <math.h>
#include "battery_impl.h"

void battery_shepherd_vr(double e0, double k, double q_ah, double a,
                         double b, double r_int, double it_ah,
                         double *v0, double *r)
{
    double lim = q_ah * (1.0 - 1e-9);
    if (it_ah > lim)
        it_ah = lim;
    if (it_ah < 0)
        it_ah = 0;
    double pol = k * q_ah / (q_ah - it_ah);
    *v0 = e0 - pol * it_ah + a * exp(-b * it_ah);
    *r = r_int + pol;
}
