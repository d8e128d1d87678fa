/* ticks.h — simulated time as a 64-bit integer count of ticks.
 *
 * One tick is 1/7 680 000 000 s. 7.68 GHz is the least common multiple of
 * 120 MHz (imp002 CPU), 96 MHz (imp004m CPU) and 32.768 kHz (RTC crystal),
 * so one cycle of each is a whole number of ticks (64, 80 and 234 375), as is
 * one cycle of the 3/6/12 MHz SPI-flash clocks. INT64_MAX ticks is 38.0
 * years, comfortably over the 10-year range the design requires. */
#ifndef IMPSIM_TICKS_H
#define IMPSIM_TICKS_H

#include <stdint.h>

typedef int64_t tick_t;

#define TICKS_PER_S   INT64_C(7680000000)
#define TICK_MAX      INT64_MAX

/* Seconds represented by t (a double: for display and for SimGrid's clock
 * only, never for accounting). */
double ticks_to_s(tick_t t);

/* Nearest tick count for s seconds. Returns 0 and stores the ticks in *out,
 * or -1 when s is negative, not finite, or beyond TICK_MAX. */
int ticks_from_s(double s, tick_t *out);

/* Ticks taken by `cycles` cycles of a clock of `hz` Hz, rounded up so that
 * work never takes less time than it needs. Returns -1 on overflow or when
 * hz <= 0. */
int ticks_from_cycles(uint64_t cycles, double hz, tick_t *out);

/* a + b with overflow detection: returns -1 (and leaves *out alone) if the
 * sum would pass TICK_MAX. Both must be non-negative. */
int ticks_add(tick_t a, tick_t b, tick_t *out);

/* a * n with overflow detection, as ticks_add. */
int ticks_mul(tick_t a, int64_t n, tick_t *out);

/* Greatest common divisor of a and b (both >= 0; gcd(a, 0) = a). */
tick_t ticks_gcd(tick_t a, tick_t b);

/* Least common multiple of a and b (both >= 0): 0 when either is 0 or the
 * result passes the tick range (a period that cannot be held is none).
 * The one lcm of the plan's hyperperiod, the device's inner levels and
 * the steady search. */
tick_t ticks_lcm(tick_t a, tick_t b);

#endif
