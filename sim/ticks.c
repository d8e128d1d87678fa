/* ticks.c — conversions into and out of integer simulated time. */
#include <math.h>
#include "ticks.h"

double ticks_to_s(tick_t t)
{
    return (double)t / (double)TICKS_PER_S;
}

int ticks_from_s(double s, tick_t *out)
{
    if (!isfinite(s) || s < 0)
        return -1;
    double t = nearbyint(s * (double)TICKS_PER_S);
    if (t >= 9.2233720368547758e18)
        return -1;
    *out = (tick_t)t;
    return 0;
}

int ticks_from_cycles(uint64_t cycles, double hz, tick_t *out)
{
    if (!(hz > 0) || !isfinite(hz))
        return -1;
    double per = (double)TICKS_PER_S / hz;       /* ticks per cycle */
    double rper = nearbyint(per);
    if (fabs(per - rper) < 1e-9 * per && rper >= 1) {
        /* exact clock: integer arithmetic */
        unsigned __int128 t = (unsigned __int128)cycles * (uint64_t)rper;
        if (t > (unsigned __int128)TICK_MAX)
            return -1;
        *out = (tick_t)t;
        return 0;
    }
    double t = ceil((double)cycles * per);
    if (t >= 9.2233720368547758e18)
        return -1;
    *out = (tick_t)t;
    return 0;
}

int ticks_add(tick_t a, tick_t b, tick_t *out)
{
    if (a < 0 || b < 0 || a > TICK_MAX - b)
        return -1;
    *out = a + b;
    return 0;
}

int ticks_mul(tick_t a, int64_t n, tick_t *out)
{
    if (a < 0 || n < 0)
        return -1;
    if (a != 0 && n > TICK_MAX / a)
        return -1;
    *out = a * n;
    return 0;
}

tick_t ticks_lcm(tick_t a, tick_t b)
{
    tick_t r;
    if (!a || !b)
        return 0;
    return ticks_mul(a / ticks_gcd(a, b), b, &r) ? 0 : r;
}

tick_t ticks_gcd(tick_t a, tick_t b)
{
    while (b) {
        tick_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}
