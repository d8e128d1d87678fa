/* battery_profile.h — load profiles for `impsim battery --load PROFILE`.
 *
 * PROFILE is one of
 *   15mA                         a constant current
 *   pulse:80mA,2s,15min[,5uA]    current, on-time, off-time[, off current]
 *   steps:80mA/2s,5uA/898s       current/duration steps
 *   csv:FILE                     time,current rows (s, A); header allowed,
 *                                extra columns ignored; each row's current
 *                                holds until the next row's time
 * Each profile is one period, repeated until the battery is empty. */
#ifndef IMPSIM_BATTERY_PROFILE_H
#define IMPSIM_BATTERY_PROFILE_H

#include "battery.h"
#include "diag.h"

typedef struct {
    battery_segment *seg;   /* owned */
    int n, cap;
} battery_load;

/* Parse text into out (zeroed first). Segments whose current is at least
 * wifi_above get wifi = 1 (wifi_above <= 0: none). Errors name `where`
 * (the command-line argument) or file:line:col for CSV files. Returns 0,
 * or -1 after recording errors; out is then empty. */
int battery_load_parse(const char *text, diag_pos where, double wifi_above,
                       battery_load *out, diag *d);

void battery_load_clear(battery_load *l);

/* Period length (s) and average current (A) of a load. */
double battery_load_period(const battery_load *l);
double battery_load_average(const battery_load *l);

#endif
