/* num.h — the one way impsim prints a number for a machine (JSON, CSV,
 * traces, expect files): the shortest decimal text that reads back
 * (strtod) to exactly the same double, so 0.03 prints as "0.03", not
 * %.17g's "0.029999999999999999", and nothing is lost either.
 *
 * inf and nan never reach an output: num_json writes "null" for them (valid
 * JSON) and num_csv an empty field. Values that are not finite are a bug
 * upstream (every input figure is range-checked where it is read, see
 * units_check_range); these keep the output parseable anyway. */
#ifndef IMPSIM_NUM_H
#define IMPSIM_NUM_H

#include <stddef.h>

#define NUM_BUF 32      /* enough for any double in %.17g form */

/* v as the shortest round-trip text into buf (NUM_BUF bytes), or "null"
 * when v is not finite. Returns buf. */
char *num_json(double v, char *buf);

/* The same, but "" when v is not finite (an empty CSV field). */
char *num_csv(double v, char *buf);

/* Shorthands for use as printf arguments ("%s"): each use gets its own
 * buffer, alive until the end of the enclosing block. */
#define NUM_J(v) num_json((v), (char[NUM_BUF]){0})
#define NUM_C(v) num_csv((v), (char[NUM_BUF]){0})

#endif
