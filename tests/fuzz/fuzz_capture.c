/* fuzz_capture.c — libFuzzer target: a measured capture / load CSV
 * (analyzer exports: PPK2, Joulescope, Otii, Monsoon, impsim traces, any
 * separator, units in the header or not) -> capture_read_fp through a
 * memory stream. The first byte picks forced units (--time-unit and
 * --current-unit or none) and the checksum, so the headerless and
 * forced-unit paths are reached too. Samples go to a sink that checks
 * they are finite. Built by tests/fuzz/build.sh. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture.h"

static int fz_sink(void *ctx, double t_s, double i_A)
{
    if (!isfinite(t_s) || !isfinite(i_A))
        abort();    /* the reader must never pass on a number that is not one */
    ++*(long *)ctx;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char empty[1];
    FILE *fp = fmemopen(size ? (void *)data : empty, size ? size : 1, "rb");
    if (!fp)
        return 0;
    if (!size)
        fgetc(fp);  /* an empty stream: consume the placeholder byte */
    capture_opts o;
    memset(&o, 0, sizeof o);
    unsigned pick = size ? data[0] : 0;
    if (pick & 1) {
        static const double t[] = {1, 1e-3, 1e-6, 1e-9}, c[] = {1, 1e-3, 1e-6, 1e-9};
        o.time_unit = t[(pick >> 1) & 3];
        o.current_unit = c[(pick >> 3) & 3];
    }
    o.checksum = (pick >> 5) & 1;
    diag *d = diag_new();
    capture_info info;
    long n = 0;
    (void)capture_read_fp(fp, "fuzz.csv", &o, fz_sink, &n, &info, d);
    (void)diag_first(d);
    diag_free(d);
    fclose(fp);
    return 0;
}
