/* battery_profile.h — load profiles for `impsim battery --load PROFILE`.
 *
 * PROFILE is one of
 *   15mA                         a constant current
 *   pulse:80mA,2s,15min[,5uA]    current, on-time, off-time[, off current]
 *   steps:80mA/2s,5uA/898s       current/duration steps
 *   csv:FILE                     a measured capture (capture.h: an analyzer
 *                                export or a CSV whose header or options
 *                                name the units); each row's current holds
 *                                until the next row's time
 * Each profile is one period, repeated until the battery is empty.
 *
 * A capture is streamed into at most BATTERY_LOAD_MAX_SEG segments (1.5 MB
 * whatever its length; 2^16 also keeps a battery run to depletion, which
 * applies thousands of periods segment by segment, within seconds):
 * consecutive samples are merged into one segment (its current the
 * charge-weighted mean, so charge and time stay exact) while they differ from the segment's mean by at most `tol`
 * (relative, plus tol x 1 mA absolute); tol starts at 0 (only equal
 * currents merge) and doubles from 0.1 % whenever the limit is reached.
 * Peaks therefore survive to within tol, which the report states. */
#ifndef IMPSIM_BATTERY_PROFILE_H
#define IMPSIM_BATTERY_PROFILE_H

#include "battery.h"
#include "capture.h"
#include "diag.h"

#define BATTERY_LOAD_MAX_SEG (1 << 16)

typedef struct {
    battery_segment *seg;   /* owned */
    int n, cap;
    double tol;             /* merge tolerance used (0: exact) */
    int from_capture;       /* 1 when read from csv:FILE; then: */
    capture_info capture;   /* what the capture reader found */
} battery_load;

/* Parse text into out (zeroed first). Segments whose current is at least
 * wifi_above get wifi = 1 (wifi_above <= 0: none). `co` gives units a
 * csv:FILE capture lacks (may be NULL). Errors name `where` (the
 * command-line argument) or file:line:col for CSV files. Returns 0, or -1
 * after recording errors; out is then empty. Samples below 0 A (analyzer
 * noise, at most 10 uA) count as 0 A in the segments. */
int battery_load_parse(const char *text, diag_pos where, double wifi_above,
                       const capture_opts *co, battery_load *out, diag *d);

void battery_load_clear(battery_load *l);

/* Period length (s) and average current (A) of a load. */
double battery_load_period(const battery_load *l);
double battery_load_average(const battery_load *l);

#endif
