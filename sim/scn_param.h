/* scn_param.h — scenario parameters varied by sweeps and searches. */
#ifndef IMPSIM_SCN_PARAM_H
#define IMPSIM_SCN_PARAM_H

#include "scn.h"

/* The period of the scenario's first `every TIME` task: 0, or -1 if none. */
int scn_every_base(const scn *s, tick_t *period);

/* `scenario.every=VALUE`: set the first `every` task's period to VALUE (a
 * time) and scale every other `every` task (period and offset) by the same
 * factor, so the schedule keeps its shape. Returns 0, or -1 with an error
 * (no such task, bad value) in d. */
int scn_set_every(scn *s, const char *value, diag *d);

#endif
