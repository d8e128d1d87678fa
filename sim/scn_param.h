/* scn_param.h — scenario parameters varied by sweeps and searches. */
#ifndef IMPSIM_SCN_PARAM_H
#define IMPSIM_SCN_PARAM_H

#include "scn.h"

/* 1 when a rate's text ("12 /day", "3/w", "1 /y") is per day or longer:
 * such a rate with a time-of-day window counts per day the window is open
 * (a user's "12 a day between 07:00 and 22:00"); a rate per hour, minute or
 * second holds inside the window ("4 /h during opening hours"). */
int scn_rate_daily(const char *text);

/* The period of the scenario's first `every TIME` task: 0, or -1 if none. */
int scn_every_base(const scn *s, tick_t *period);

/* `scenario.every=VALUE`: set the first `every` task's period to VALUE (a
 * time) and scale every other `every` task (period and offset) by the same
 * factor, so the schedule keeps its shape. Returns 0, or -1 with an error
 * (no such task, bad value) in d. */
int scn_set_every(scn *s, const char *value, diag *d);

/* `scenario.NAME.FIELD=VALUE` (from --set, and what `sweep --param`
 * varies): one figure of a named part of the scenario.
 *   regulator.efficiency | .quiescent | .wifi-min    the `regulator` options
 *   TASK.period | .offset    an `every TIME` task (TASK: its `as` name)
 *   TASK.rate                an `on pin poisson` task
 *   TASK.repeat              an `on pin at ... every` list's period
 *   TASK.nth                 an `every Nth wake` task
 *   BLOCK.chance | .nth | .count    a `chance`, `every Nth run` or `repeat`
 *                            block named with `as`
 *   LOAD.current             a board load
 *   PERIPH.speed             a peripheral's bus speed
 * Every task or block of that name is set. Returns 0, or -1 with an error
 * (unknown name or field, bad value) in d, located at "--set". */
int scn_set_named(scn *s, const char *name, const char *field, const char *value, diag *d);

#endif
