/* cmd_calibrate.c — `impsim calibrate FILE.scn --measured CAPTURE.csv`:
 * fit model figures to a measured wake cycle (sim/calib.h has the method)
 * and write them as a figure file that run, compare, decide, sweep and
 * check layer over the model (--figures FILE, or `figures FILE` in a
 * scenario). Default figures to fit: the ones decide finds the verdict
 * most sensitive to. Exit: 0 done, 1 the fit does not explain the capture (no
 * figure file written), 2 bad input, 3 an output failed. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "calib.h"
#include "chart.h"
#include "cli.h"
#include "decide.h"
#include "outfile.h"

static const char calibrate_usage[] =
    "Usage: impsim calibrate FILE.scn --measured CAPTURE.csv [--fit KEY]... [options]\n"
    "Fit the module model's figures to a measured current capture of the product\n"
    "the scenario describes: the capture's wake cycles (the scenario's hyperperiod:\n"
    "4 wakes for a product that uploads at every 4th wake) are found, lined up with\n"
    "the simulated cycle by their wakes' charges and intervals (a capture whose\n"
    "wakes do not follow the scenario's pattern is refused), averaged, and the\n"
    "chosen figures fitted by least squares (GSL). Each fitted figure is printed\n"
    "with its 95 % interval; a figure the capture cannot pin down is reported and\n"
    "left unchanged.\n"
    "\n"
    "  --measured FILE      the capture: an export of the Nordic PPK2, Joulescope,\n"
    "                       Otii or PyMonsoon, or a CSV whose header names its units\n"
    "                       (see impsim battery --help)\n"
    "  --time-unit U        units of a capture whose header does not name them\n"
    "  --current-unit U     (s/ms/us/ns, A/mA/uA/nA)\n"
    "  --fit KEY            a model figure to fit (repeatable, e.g. cpu.run.current,\n"
    "                       wifi.fwload.size); default: the figures the verdict of\n"
    "                       impsim decide is most sensitive to\n"
    "  --set KEY=VALUE      setting, as in impsim run (the product as measured)\n"
    "  --figures FILE       start from this figure file (a previous calibration)\n"
    "  -o, --output FILE    write the fitted figures as a figure file (models/ format,\n"
    "                       provenance measured, source: the capture and its SHA-256);\n"
    "                       use it with --figures FILE or 'figures FILE' in a scenario\n"
    "  --overlay FILE.csv   write one cycle, measured against simulated before and\n"
    "                       after the fit (t_s,measured_A,model_A,fitted_A)\n"
    "  --plot OUT.png|.svg  draw that overlay (as impsim plot overlay does)\n"
    "  --help               this text\n"
    "\n"
    "A fit that does not explain the capture (fitted charge per cycle more than\n"
    "10 % from the measured one, or an rms residual above half the mean current)\n"
    "is refused: no figure file is written, so a wrong cycle or a phase the\n"
    "chosen figures cannot describe never becomes a 'measured' figure.\n"
    "\n"
    "Exit: 0 done, 1 the fit does not explain the capture (nothing written),\n"
    "2 bad input (scenario, capture, option), 3 an output failed.\n";

typedef struct {
    calib_opts c;
    cli_list sets;
    char *figures;          /* owned: --figures as a setting */
    const char *out, *overlay, *plot, *tunit, *cunit;
} cal_args;

static int cal_parse(int argc, char **argv, cal_args *a, diag *d)
{
    static const struct option lo[] = {
        {"measured", required_argument, 0, 'M'}, {"fit", required_argument, 0, 'k'},
        {"set", required_argument, 0, 's'}, {"figures", required_argument, 0, 'g'},
        {"output", required_argument, 0, 'o'}, {"overlay", required_argument, 0, 'O'},
        {"plot", required_argument, 0, 'p'}, {"time-unit", required_argument, 0, 'T'},
        {"current-unit", required_argument, 0, 'C'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int ch;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":o:", lo, NULL)) != -1) {
        switch (ch) {
        case 'M': a->c.capture = optarg; break;
        case 'k':
            if (a->c.nkeys == CALIB_MAX_KEYS)
                return cli_usage_error("calibrate", "--fit: at most %d figures", CALIB_MAX_KEYS);
            snprintf(a->c.keys[a->c.nkeys++], sizeof a->c.keys[0], "%s",
                     strncmp(optarg, "model.", 6) ? optarg : optarg + 6);
            break;
        case 's': cli_list_push(&a->sets, optarg); break;
        case 'g':
            free(a->figures);
            a->figures = cli_setting("figures", optarg);
            break;
        case 'o': a->out = optarg; break;
        case 'O': a->overlay = optarg; break;
        case 'p': a->plot = optarg; break;
        case 'T': a->tunit = optarg; break;
        case 'C': a->cunit = optarg; break;
        case 'h': fputs(calibrate_usage, stdout); return -1;
        case ':': return cli_usage_error("calibrate", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_unknown_option("calibrate", argv[optind - 1], lo);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("calibrate", "expected one scenario file (FILE.scn)");
    if (!a->c.capture)
        return cli_usage_error("calibrate", "expected --measured CAPTURE.csv");
    if (a->plot && !chart_term(a->plot))
        return cli_usage_error("calibrate", "--plot: found '%s', expected a .png or .svg file",
                               a->plot);
    a->c.scn = argv[optind];
    if (a->figures)
        cli_list_push(&a->sets, a->figures);
    a->c.sets = a->sets.v;
    a->c.nsets = a->sets.n;
    if ((a->tunit && capture_unit_option("--time-unit", a->tunit, 0, &a->c.co.time_unit, d)) ||
        (a->cunit && capture_unit_option("--current-unit", a->cunit, 1, &a->c.co.current_unit, d)))
        return 2;
    return 0;
}

/* Default --fit: decide's sensitivity ranking for this scenario. */
static int cal_default_keys(cal_args *a)
{
    matrix_opts o;
    memset(&o, 0, sizeof o);
    o.file = a->c.scn;
    o.sets = a->sets;
    variant_builtin(&o.vs);
    decide_result *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    int rc = decide_run(&o, r);
    if (rc == 0)
        for (int k = 0; k < r->nsens && a->c.nkeys < CALIB_MAX_KEYS && k < 6; k++)
            snprintf(a->c.keys[a->c.nkeys++], sizeof a->c.keys[0], "%s", r->sens[k].key);
    variant_set_free(&o.vs);
    free(r);
    return rc;
}

/* A fitted value as a figure file writes it: 6 significant digits in a
 * unit a reader recognises (mA, uA, ms, us, ...); units_setting for the
 * dimensions without a prefixed unit here. */
static char *cal_value(double v, units_dim dim, char *buf, int len)
{
    static const struct { units_dim dim; double scale; const char *u; } t[] = {
        {DIM_CURRENT, 1, "A"}, {DIM_CURRENT, 1e-3, "mA"}, {DIM_CURRENT, 1e-6, "uA"},
        {DIM_CURRENT, 1e-9, "nA"}, {DIM_TIME, 1, "s"}, {DIM_TIME, 1e-3, "ms"},
        {DIM_TIME, 1e-6, "us"}, {DIM_TIME, 1e-9, "ns"}};
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
        if (t[k].dim == dim && (fabs(v) >= t[k].scale || t[k].scale <= 1e-9)) {
            snprintf(buf, (size_t)len, "%.6g %s", v / t[k].scale, t[k].u);
            return buf;
        }
    if (dim == DIM_BYTES || dim == DIM_CYCLES) {
        snprintf(buf, (size_t)len, "%.0f %s", round(v), dim == DIM_BYTES ? "B" : "cycles");
        return buf;
    }
    return units_setting(v, dim, buf, len);
}

static const char *cal_base(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static void cal_print(const cal_args *a, const calib_result *r)
{
    char b1[48], b2[48], b3[48], b4[48], desc[320];
    printf("impsim calibrate: %s against %s\n", a->c.scn, a->c.capture);
    printf("capture   %s\n", capture_describe(&r->info, desc, sizeof desc));
    printf("          sha256 %s\n", r->info.sha256);
    printf("cycles    %d whole cycles of %s averaged (the scenario's: %s), aligned at the "
           "rise above %s\n", r->cycles, units_format(r->period_s, DIM_TIME, b1, sizeof b1),
           units_format(r->sim_period_s, DIM_TIME, b2, sizeof b2),
           units_format(r->threshold_A, DIM_CURRENT, b3, sizeof b3));
    if (r->wakes_per_cycle > 1)
        printf("          %d wakes per cycle (the scenario's hyperperiod): the %d wakes found "
               "line up with the simulated ones within %.1f %% rms (charge and interval; the "
               "next best alignment: %.0f %%)\n", r->wakes_per_cycle, r->wakes_seen,
               100 * expm1(r->pattern_rms), 100 * expm1(r->pattern_second));
    printf("          %d bins of %s; the cycle starts %s before the wake\n", r->nbins,
           units_format(r->bin_s, DIM_TIME, b1, sizeof b1),
           units_format(r->pre_s, DIM_TIME, b2, sizeof b2));
    printf("\n%-28s %14s %14s %31s %9s\n", "figure", "model", "fitted", "95 % interval",
           "change");
    for (int k = 0; k < r->n; k++) {
        const calib_fig *f = &r->fig[k];
        if (f->identified)
            printf("%-28s %14s %14s %14s .. %-14s %+8.2f %%\n", f->key,
                   units_format(f->before, f->dim, b1, sizeof b1),
                   units_format(f->after, f->dim, b2, sizeof b2),
                   units_format(f->lo, f->dim, b3, sizeof b3),
                   units_format(f->hi, f->dim, b4, sizeof b4), (f->after / f->before - 1) * 100);
        else
            printf("%-28s %14s %14s   not identified, left unchanged: %s\n", f->key,
                   units_format(f->before, f->dim, b1, sizeof b1), "-", f->why);
    }
    printf("\nresidual  rms %s before the fit, %s after (mean measured current %s)\n",
           units_format(r->rms0, DIM_CURRENT, b1, sizeof b1),
           units_format(r->rms1, DIM_CURRENT, b2, sizeof b2),
           units_format(r->q_meas / r->period_s, DIM_CURRENT, b3, sizeof b3));
    printf("charge    per cycle: measured %s, model %s (%+.2f %%), fitted %s (%+.2f %%)\n",
           units_format(r->q_meas, DIM_CHARGE, b1, sizeof b1),
           units_format(r->q0, DIM_CHARGE, b2, sizeof b2), (r->q0 / r->q_meas - 1) * 100,
           units_format(r->q1, DIM_CHARGE, b3, sizeof b3), (r->q1 / r->q_meas - 1) * 100);
    printf("fit       %d iterations; weighted residual per degree of freedom %.3g\n",
           r->iterations, r->chi2_dof);
    double mean = r->q_meas / r->period_s;
    if (r->rms1 > 0.05 * mean)
        printf("warning   the fitted cycle still differs from the measured one by %s rms (%.0f %% "
               "of the mean current): the capture shows something the chosen figures cannot "
               "explain; see the overlay (--plot) and add the figures of the phases that "
               "differ (--fit KEY: their .time, .current or .size)\n",
               units_format(r->rms1, DIM_CURRENT, b1, sizeof b1), 100 * r->rms1 / mean);
}

/* The figure file: identified figures only, provenance measured. */
static int cal_write_figures(const cal_args *a, const calib_result *r)
{
    outfile *f = outfile_open(a->out);
    if (!f)
        return 3;
    FILE *fp = outfile_fp(f);
    char when[32], b1[48], b2[48], v[64];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%d", gmtime(&now));
    fprintf(fp, "# Figures fitted by impsim calibrate (%s) for %s\n", when, a->c.scn);
    fprintf(fp, "# to the capture %s (%s), sha256 %s:\n", a->c.capture,
            capture_kind_name(r->info.kind), r->info.sha256);
    fprintf(fp, "# %d cycles of %s averaged; rms residual %s before, %s after.\n", r->cycles,
            units_format(r->period_s, DIM_TIME, b1, sizeof b1),
            units_format(r->rms0, DIM_CURRENT, b2, sizeof b2),
            units_format(r->rms1, DIM_CURRENT, v, sizeof v));
    fprintf(fp, "# Use: impsim decide %s --figures THIS_FILE, or 'figures THIS_FILE' in the "
            "scenario.\n", a->c.scn);
    int n = 0;
    for (int k = 0; k < r->n; k++) {
        const calib_fig *g = &r->fig[k];
        if (!g->identified) {
            fprintf(fp, "# %s: not identified by this capture, left as the model has it "
                    "(%s)\n", g->key, g->why);
            continue;
        }
        fprintf(fp, "%-28s %-16s measured \"impsim calibrate: %s sha256 %s, 95 %% "
                "interval %s .. %s\"\n", g->key, cal_value(g->after, g->dim, v, sizeof v),
                cal_base(a->c.capture), r->info.sha256,
                units_format(g->lo, g->dim, b1, sizeof b1),
                units_format(g->hi, g->dim, b2, sizeof b2));
        /* the range --monte-carlo draws it from: the fit's 95 % interval
         * (uniform over it, a little wider than the fit's log-normal
         * spread), in place of the model's estimate range (sim/mc.c) */
        char s1[64], s2[64];
        fprintf(fp, "mc.%-25s \"uniform %s %s\" measured \"95 %% interval of the fit to "
                "%s sha256 %s\"\n", g->key, cal_value(g->lo, g->dim, s1, sizeof s1),
                cal_value(g->hi, g->dim, s2, sizeof s2), cal_base(a->c.capture),
                r->info.sha256);
        n++;
    }
    if (!n)
        fprintf(fp, "# (no figure identified)\n");
    return outfile_commit(f) ? 3 : 0;
}

static int cal_write_overlay(const char *path, const calib_result *r)
{
    outfile *f = outfile_open(path);
    if (!f)
        return 3;
    FILE *fp = outfile_fp(f);
    fprintf(fp, "t_s,measured_A,model_A,fitted_A\n");
    for (int b = 0; b < r->nbins; b++)
        fprintf(fp, "%.9g,%.6g,%.6g,%.6g\n", b * r->bin_s - r->pre_s, r->meas[b], r->sim0[b],
                r->sim1[b]);
    fprintf(fp, "%.9g,%.6g,%.6g,%.6g\n", r->nbins * r->bin_s - r->pre_s,
            r->meas[r->nbins - 1], r->sim0[r->nbins - 1], r->sim1[r->nbins - 1]);
    return outfile_commit(f) ? 3 : 0;
}

/* Whether the fit explains the capture well enough for its figures to be
 * written as 'measured'. Bars: the fitted charge per cycle within 10 % of the
 * measured one, and the rms residual after the fit at most half the mean
 * measured current. Why: a fit against the wrong cycle (a capture whose
 * repeat is a multiple of the scenario's wake period, a phase the chosen
 * figures cannot describe) still converges, with narrow intervals, to
 * figures that are wrong; a figure file marked 'measured' must never carry
 * them. The bars are generous (a good fit is within ~1 % and a few %
 * rms): they catch a cycle that does not match, not noise. Returns 1 when
 * acceptable, else 0 with a one-line reason in why. */
static int cal_fit_ok(const calib_result *r, char *why, size_t n)
{
    double mean = r->q_meas / r->period_s;
    double dq = r->q_meas > 0 ? r->q1 / r->q_meas - 1 : 1;
    if (!(fabs(dq) <= 0.10)) {
        snprintf(why, n, "the fitted charge per cycle is %+.1f %% from the measured one "
                 "(expected within 10 %%)", 100 * dq);
        return 0;
    }
    if (!(mean > 0 && r->rms1 <= 0.5 * mean)) {
        snprintf(why, n, "the rms residual after the fit is %.0f %% of the mean current "
                 "(expected at most 50 %%)", mean > 0 ? 100 * r->rms1 / mean : 100.0);
        return 0;
    }
    return 1;
}

int cmd_calibrate(int argc, char **argv)
{
    cal_args a;
    memset(&a, 0, sizeof a);
    diag *d = diag_new();
    int rc = cal_parse(argc, argv, &a, d);
    if (rc) {
        diag_print(d, stderr);
        diag_free(d);
        cli_list_free(&a.sets);
        free(a.figures);
        return rc < 0 ? 0 : rc;
    }
    if (a.c.nkeys == 0 && (rc = cal_default_keys(&a)) != 0)
        goto done;
    if (a.c.nkeys == 0) {
        fprintf(stderr, "impsim: error: %s: decide found no figure the verdict depends on; "
                "expected --fit KEY\n", a.c.scn);
        rc = 2;
        goto done;
    }
    calib_result r;
    if (calib_run(&a.c, &r, d)) {
        rc = 2;
        goto done;
    }
    diag_print(d, stderr);
    cal_print(&a, &r);
    char tmp[4096] = "";
    const char *ov = a.overlay;
    if (!ov && a.plot) {    /* the chart's data: a temporary file */
        const char *td = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/impsim-overlay-XXXXXX", td && *td ? td : "/tmp");
        int fd = mkstemp(tmp);
        if (fd < 0) {
            fprintf(stderr, "impsim: error: cannot create a temporary file in %s\n",
                    td && *td ? td : "/tmp");
            rc = 3;
        } else {
            close(fd);
            ov = tmp;
        }
    }
    char why[160];
    int fit_ok = cal_fit_ok(&r, why, sizeof why);
    if (!fit_ok)
        fprintf(stderr, "impsim: error: %s: the fit does not explain the capture %s: %s; "
                "%sexpected a capture of the product the scenario describes, with the "
                "scenario's wake cycle (check its periods with --set, and the overlay "
                "with --plot)\n", a.c.scn, a.c.capture, why,
                a.out ? "no figure file written; " : "");
    if (!rc && a.out && fit_ok)
        rc = cal_write_figures(&a, &r);
    if (!rc && ov)
        rc = cal_write_overlay(ov, &r);
    if (!rc && a.plot) {
        char title[512];
        snprintf(title, sizeof title, "%s: measured (%s) against the model, one cycle",
                 cal_base(a.c.scn), cal_base(a.c.capture));
        rc = chart_overlay(ov, title, a.plot) ? 3 : 0;
    }
    if (tmp[0])
        remove(tmp);
    if (!rc && !fit_ok)
        rc = 1;
    if (!rc && a.out)
        printf("\nwrote %s: use it with --figures %s or 'figures %s' in the scenario\n", a.out,
               a.out, a.out);
    calib_result_free(&r);
done:
    diag_print(d, stderr);
    diag_free(d);
    cli_list_free(&a.sets);
    free(a.figures);
    return rc;
}
