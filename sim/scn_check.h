/* scn_check.h — validation of a scenario against a module's capabilities. */
#ifndef IMPSIM_SCN_CHECK_H
#define IMPSIM_SCN_CHECK_H

#include "model.h"
#include "scn.h"

/* Check s against m: peripherals and buses the module has, UART rates,
 * timed deep sleep without a crystal, nv / SPI flash use, a duration.
 * Records each problem at its file:line:col in d, naming what to use
 * instead. Returns 0 when s can run on m, -1 otherwise. */
int scn_check(const scn *s, const model *m, diag *d);

#endif
