/* num.c — shortest round-trip decimal text for a double (see num.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "num.h"

/* The shortest text: "%.15g" is it whenever 15 or fewer significant
 * digits suffice (DBL_DIG = 15: such a decimal survives the trip to a
 * double and back, and %g drops the trailing zeros); otherwise the nearest
 * 16-digit decimal, else 17 digits, which always read back exactly. One or
 * two conversions per number, so traces stay fast. */
static char *num_shortest(double v, char *buf)
{
    if (v == 0) {   /* also -0: print 0 */
        buf[0] = '0';
        buf[1] = '\0';
        return buf;
    }
    for (int p = 15; p < 17; p++) {
        snprintf(buf, NUM_BUF, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return buf;
    }
    snprintf(buf, NUM_BUF, "%.17g", v);
    return buf;
}

char *num_json(double v, char *buf)
{
    if (!isfinite(v)) {
        snprintf(buf, NUM_BUF, "null");
        return buf;
    }
    return num_shortest(v, buf);
}

char *num_csv(double v, char *buf)
{
    if (!isfinite(v)) {
        buf[0] = '\0';
        return buf;
    }
    return num_shortest(v, buf);
}
