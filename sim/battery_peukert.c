/* battery_peukert.c — ideal (coulomb counting) and Peukert charge laws.
 *
 * Ideal: the cell is empty when the charge drawn reaches its capacity C.
 *
 * Peukert: a cell rated C at current I_r (equivalently at the hour-rate
 * H = C/I_r) lasts t = H*(C/(I*H))^n at constant current I. We count
 * "effective" charge at the rate I_eff = I*(I/I_r)^(n-1): at constant I,
 * C/I_eff = (C/I)*(I_r/I)^(n-1) = H*(I_r/I)^n = H*(C/(I*H))^n, the Peukert
 * lifetime; n = 1 gives I_eff = I, the ideal model exactly.
 *
 * Below the rated current the law would promise more charge than the cell
 * holds (the capacity grows without bound as I -> 0), so there we count
 * I_eff = I: the cell never gives more than its rated capacity. The
 * closed form above therefore holds for I >= I_r. Self-discharge is added
 * linearly (it is not a load and has no rate penalty). */
#include <math.h>
#include "battery_impl.h"

void battery_ideal_law(double capacity, battery_law *law)
{
    law->nlag = 0;
    law->cap = capacity;
    law->peukert_n = 1.0;
    law->peukert_i = 1.0;
    law->end = BATTERY_END_CAPACITY;
}

void battery_peukert_law(double capacity, double n, double i_rated,
                         battery_law *law)
{
    battery_ideal_law(capacity, law);
    law->peukert_n = n;
    law->peukert_i = i_rated;
}

double battery_peukert_current(const battery_law *law, double i)
{
    if (law->peukert_n == 1.0 || i <= law->peukert_i)
        return i;
    return i * pow(i / law->peukert_i, law->peukert_n - 1.0);
}
