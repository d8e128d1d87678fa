/* chart_overlay.c — the calibration overlay chart: one measured cycle
 * against the simulated one before and after the fit (plots/overlay.gp),
 * from the CSV `impsim calibrate --overlay` writes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chart.h"

int chart_overlay(const char *data, const char *title, const char *out)
{
    FILE *fp = fopen(data, "r");
    char line[256];
    if (!fp || !fgets(line, sizeof line, fp) || strncmp(line, "t_s,measured_A,model_A,fitted_A", 31)) {
        fprintf(stderr, "%s:1:1: error: found %s, expected the CSV of impsim calibrate "
                "--overlay (t_s,measured_A,model_A,fitted_A)\n", data, fp ? "another header"
                : "no readable file");
        if (fp)
            fclose(fp);
        return -1;
    }
    double t0 = NAN, t1 = 0, lo = INFINITY, hi = 0, e0 = 0, e1 = 0, m;
    double t, v[3];
    long n = 0;
    /* the window: the wake (measured above 10x the cycle's floor) and a
     * third of its length after it */
    double wake_end = NAN;
    while (fgets(line, sizeof line, fp) &&
           sscanf(line, "%lf,%lf,%lf,%lf", &t, &v[0], &v[1], &v[2]) == 4) {
        if (isnan(t0))
            t0 = t;
        t1 = t;
        for (int k = 0; k < 3; k++) {
            if (v[k] > 0)
                lo = fmin(lo, v[k]);
            hi = fmax(hi, v[k]);
        }
        e0 += (v[1] - v[0]) * (v[1] - v[0]);
        e1 += (v[2] - v[0]) * (v[2] - v[0]);
        n++;
    }
    rewind(fp);
    if (!fgets(line, sizeof line, fp))
        line[0] = '\0';
    while (fgets(line, sizeof line, fp) &&
           sscanf(line, "%lf,%lf,%lf,%lf", &t, &v[0], &v[1], &v[2]) == 4)
        if (v[0] >= 10 * lo && t >= 0)
            wake_end = t;
    fclose(fp);
    if (n < 2) {
        fprintf(stderr, "%s: error: found %ld rows, expected a cycle of at least two\n", data, n);
        return -1;
    }
    if (isnan(wake_end) || wake_end <= 0)
        wake_end = t1;
    double w0 = t0, w1 = fmin(t1, wake_end * 1.33);
    double ymin = pow(10, floor(log10(fmax(lo * 1e6, 0.01) * 0.7)));
    double ymax = pow(10, ceil(log10(fmax(hi * 1e6, ymin * 10) * 1.6)));
    double tscale;
    const char *tunit;
    chart_unit(DIM_TIME, fmax(fabs(w0), w1), &tscale, &tunit);
    char tt[512], r0[32], r1[32], vars[2048];
    m = sqrt(e0 / n);
    chart_fmt(m, DIM_CURRENT, r0, sizeof r0);
    chart_fmt(sqrt(e1 / n), DIM_CURRENT, r1, sizeof r1);
    snprintf(vars, sizeof vars,
             "datafile='%s'; title='%s'; w0=%.12g; w1=%.12g; tscale=%.9g; tunit='%s'; "
             "ymin=%g; ymax=%g; rms0_label='model as it was (rms difference %s)'; "
             "rms1_label='fitted model (rms difference %s)'",
             data, chart_gp_text(title, tt, sizeof tt), w0, w1, tscale, tunit, ymin, ymax, r0,
             r1);
    return chart_draw("overlay", vars, out);
}
