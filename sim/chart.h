/* chart.h — drawing charts with gnuplot: running a script from plots/ with
 * its variables into a PNG or SVG written completely or not at all, and
 * choosing the display unit of an axis (min, h, d, uA, mA...) so that no
 * axis reads in raw SI. Used by `impsim plot` and `impsim report`. */
#ifndef IMPSIM_CHART_H
#define IMPSIM_CHART_H

#include <stddef.h>
#include "units.h"

/* Run gnuplot on plots/NAME.gp (from the data directory) with the
 * assignments `vars` ("a=1; b='x'", may be "") plus outfile and term, set
 * from `out`'s extension (.png: pngcairo, .svg: svg). The chart goes to a
 * temporary file beside `out` and is renamed into place only when gnuplot
 * succeeded and wrote something. Returns 0, or -1 after printing why (on
 * stderr, naming out). gnuplot is the one configure found or the first on
 * PATH. */
int chart_draw(const char *name, const char *vars, const char *out);

/* The term chart_draw uses for out ("pngcairo", "svg"), or NULL when out
 * ends neither in .png nor in .svg. */
const char *chart_term(const char *out);

/* A display unit for values of dimension dim whose largest magnitude is
 * vmax (SI): the unit's name ("min", "h", "d", "uA" as "µA", "mA", "V",
 * ...) and the factor that turns SI into it (value_shown = si * scale).
 * Times: s below 2 min, min below 3 h, h below 3 d, then d. Currents: nA,
 * µA, mA, A by magnitude. Other dimensions: their SI unit, scale 1. */
void chart_unit(units_dim dim, double vmax, double *scale, const char **name);

/* units_format for a reader: the micro prefix as µ ("158.8 µA"). */
char *chart_fmt(double v, units_dim dim, char *buf, int len);

/* Copy s into buf as the body of a gnuplot single-quoted string (a single
 * quote becomes a typographic one; a newline becomes a line break, as
 * '...'."\n".'...'; other control characters become spaces). Returns buf. */
char *chart_gp_text(const char *s, char *buf, size_t n);

/* chart_gp_text, with spaces as no-break spaces: one item of a
 * space-separated list that a script takes apart with word(). */
char *chart_gp_word(const char *s, char *buf, size_t n);

/* Labels along one axis, wanted at want[0..n) (in increasing order),
 * placed at at[0..n) at least d apart within [lo, hi], each as near its
 * wish as the others let it: labels that would overlap are spread evenly
 * about the mean of their wishes (the one-dimensional label layout). For
 * the phase names of the wake chart and the small parts of the budget. */
void chart_spread(const double *want, int n, double d, double lo, double hi, double *at);

/* The line colour of the variant at position i of the variant set, the
 * same in every chart. */
const char *chart_color(int i);

/* ---- the charts (chart_trace.c, chart_matrix.c) ----
 * Each reads impsim's own CSV output, writes `out` (.png or .svg) through
 * chart_draw, and returns 0 or -1 after printing why. title is the chart's
 * title (scenario, module, what is shown); vname the variant's name for
 * the legend; col its line colour ("#rrggbb"). */

/* One wake of an `impsim run --trace` CSV: current on a log axis, each
 * phase shaded and named in design-review terms (radio power-up, firmware
 * load, scan, join, DHCP, TLS, send, receive, disconnect ...: from the
 * trace's phase column, the activity and the radio's or the flash's
 * state), the average and the peak marked. The wake drawn is the
 * representative one, not the first: the first after power-on that brings
 * the radio up (else the costliest of a cycle). When the wakes repeat in a
 * cycle of k > 1 wakes (sample every wake, upload every 4th: k = 4) the
 * average is over that whole cycle and the title says which wake it is
 * (1 of every k); when they do not repeat (Poisson), over the whole trace.
 * The title is "<which wake> on <vname> (<vdesc>)" (vdesc may be NULL)
 * and then `title` on the next line. */
int chart_cycle(const char *trace, const char *title, const char *vname, const char *vdesc,
                const char *col, const char *out);

/* The whole trace (e.g. a day) on a log axis with its average line. */
int chart_day(const char *trace, const char *title, const char *vname, const char *col,
              const char *out);

/* Stacked bars, one per variant: run CSVs csv[0..n) (`impsim run --format
 * csv`), split by `by` ("activity" or "component") as average current
 * (each part's charge over the duration), with values and shares; parts
 * that are zero everywhere are left out. */
int chart_budget(const char *const *csv, const char *const *names, int n, const char *by,
                 const char *title, const char *out);

/* Battery over life: curve[i] holds rows time_d,soc_pct,v_loaded_V,v_rest_V
 * (as `impsim report` records them); the cut-off and WiFi minimum (V, 0
 * for none) are drawn. */
int chart_battery(const char *const *curve, const char *const *names, const char *const *colors,
                  int n, double cutoff_V, double wifimin_V, const char *title, const char *out);

/* Life (or average current) against the parameter of an `impsim sweep`
 * CSV, in the parameter's own unit: the variants that ran at some point,
 * the break-evens (the CSV's, interpolated between its steps; or, when
 * break_even > 0, that one, in the parameter's SI unit: decide's), the
 * target (target_s > 0) or else min_ratio x the deep-sleep variant `deep`
 * (may be NULL), the scenario's own value of the parameter (here > 0, SI:
 * where the product is), and runs not depleted within horizon_s drawn at
 * the horizon as such. */
int chart_sweep(const char *csv, const char *title, double target_s, double min_ratio,
                const char *deep, double horizon_s, double break_even, double here,
                const char *out);

/* Monte Carlo: samples rows y,life_s (y = the variant's row 0..n-1);
 * summary rows y,p10_s,p50_s,p90_s,label (from the Monte Carlo summary);
 * names[y] label the rows; the target drawn when target_s > 0. */
int chart_mc(const char *samples, const char *summary, const char *const *names, int n,
             long nsamples, double target_s, const char *title, const char *out);

/* The calibration overlay (chart_overlay.c): the CSV of `impsim calibrate
 * --overlay` (t_s,measured_A,model_A,fitted_A) as measured, model and
 * fitted current over the wake, on a log axis. */
int chart_overlay(const char *data, const char *title, const char *out);

#endif
