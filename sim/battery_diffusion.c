/* battery_diffusion.c — Rakhmatov & Vrudhula's diffusion model (2001).
 *
 * For a load of currents I_k starting at t_k lasting D_k,
 *   sigma(t) = sum_k I_k [ D_k + 2 sum_{m=1}^{10}
 *              (e^{-b^2 m^2 (t - t_k - D_k)} - e^{-b^2 m^2 (t - t_k)})
 *              / (b^2 m^2) ]
 * and the cell is empty when sigma >= alpha. The first term is the charge
 * drawn (the core's q); for each m the inner sum is a first-order lag
 * u_m with lambda_m = b^2 m^2: a segment of current I and length D moves it
 * u_m <- u_m e^{-lambda_m D} + I (1 - e^{-lambda_m D}) / lambda_m,
 * which reproduces the sum term by term (a segment still running at t is a
 * segment with D_k = t - t_k). So sigma = q + 2 sum_m u_m, each segment
 * costs O(10) whatever the history, and soc = 1 - sigma/alpha.
 * alpha is a charge (C); beta is in s^-1/2 (0.273 min^-1/2 = 0.0352 s^-1/2). */
#include "battery_impl.h"

void battery_diffusion_law(double alpha, double beta, battery_law *law)
{
    battery_ideal_law(alpha, law);
    law->nlag = BATTERY_MAX_LAGS;
    for (int m = 1; m <= BATTERY_MAX_LAGS; m++) {
        law->lambda[m - 1] = beta * beta * m * m;
        law->gain[m - 1] = 1.0;
        law->weight[m - 1] = 2.0;
    }
    law->end = BATTERY_END_DIFFUSION;
}
