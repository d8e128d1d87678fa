/* cmd_battery.c — `impsim battery`: battery life under a load profile.
 *
 *   impsim battery --cell PRESET|FILE --load PROFILE [options]
 *
 * Loads the cell (with --set overrides), parses the profile, runs it until
 * the battery is empty or the horizon is reached, and prints life and
 * delivered charge as text or JSON; --trace writes a CSV of time, voltage,
 * state of charge and current. Bad arguments or files: exit 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "num.h"
#include "battery.h"
#include "battery_profile.h"
#include "outfile.h"
#include "physwarn.h"

#define BATTERY_MAX_SET 64

typedef struct {
    const char *cell, *load, *format, *trace, *tunit, *cunit;
    const char *set[BATTERY_MAX_SET];
    int n_set;
    double horizon, wifi_above;
    battery_regulator reg;
    capture_opts co;
} battery_args;

static const char battery_usage[] =
"usage: impsim battery --cell PRESET|FILE --load PROFILE [options]\n"
"\n"
"Battery life of a cell or pack under a repeating load.\n"
"\n"
"  --cell NAME|FILE     preset (2xAA-alkaline, 2xAA-lithium, 1xCR123A,\n"
"                       1xAA-LiSOCl2, 1x18650) or a .cell file\n"
"  --load PROFILE       module current, repeated until the battery is empty:\n"
"                         15mA                    constant\n"
"                         pulse:80mA,2s,15min     on current, on-time, off-time\n"
"                         pulse:80mA,2s,15min,5uA ... and off current\n"
"                         steps:80mA/2s,5uA/898s  current/duration steps\n"
"                         csv:FILE                a measured capture: an export of\n"
"                                                 the Nordic PPK2, Joulescope, Otii\n"
"                                                 or PyMonsoon (units from its\n"
"                                                 header), impsim run --trace, or a\n"
"                                                 CSV whose header names the units\n"
"                                                 (time_s,current_A; Time (ms),\n"
"                                                 Current (uA)); comma, semicolon\n"
"                                                 or tab separated\n"
"  --time-unit U        unit of a capture's time column: s, ms, us or ns (for a\n"
"                       CSV whose header does not name it; overrides the header)\n"
"  --current-unit U     unit of its current column: A, mA, uA or nA\n"
"  --set battery.KEY=VALUE  override a cell figure, e.g.\n"
"                       battery.cell.capacity=2000mAh, as in run, compare, decide\n"
"                       and sweep (repeatable; the battery. prefix may be left out)\n"
"  --regulator KIND     linear (default: battery current = module current + Iq)\n"
"                       or switching (battery power = module power / efficiency)\n"
"  --supply V           module supply voltage for a switching regulator (3.3V)\n"
"  --efficiency PCT     switching regulator efficiency (90%)\n"
"  --quiescent I        regulator quiescent current (0A)\n"
"  --wifi-min V         battery voltage under load below which WiFi fails (2.7V;\n"
"                       0V disables)\n"
"  --wifi-above I       load steps drawing at least this are WiFi activity (20mA)\n"
"  --horizon T          stop here if not empty yet (30y, as every command;\n"
"                       life is then \"more than T\")\n"
"  --format text|json   output format (text)\n"
"  --trace FILE.csv     write time_s,voltage_V,soc,current_A at each change of\n"
"                       the load, and at the start of each stretch of repeated\n"
"                       periods jumped in closed form (fast-forward) with its\n"
"                       average current: current_A integrates to the charge\n"
"                       delivered; times increase\n"
"  --help               this text\n"
"\n"
"Exit status: 0 done, 2 bad arguments or input files, 3 output failure.\n";

/* "--name VALUE" or "--name=VALUE". Returns the value or NULL. */
static const char *battery_opt(int argc, char **argv, int *i,
                               const char *name, int *matched)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return NULL;
    *matched = 1;
    if (a[n] == '=')
        return a + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int battery_arg_qty(const char *opt, const char *v, units_dim dim,
                           double *out, diag *d)
{
    char num[64];
    int n = units_split(v);
    const char *unit = v + n;
    while (*unit == ' ')
        unit++;
    units_dim got;
    if (n > 0 && n < (int)sizeof num) {
        memcpy(num, v, (size_t)n);
        num[n] = '\0';
        if (units_parse(num, unit, out, &got) == 0 && got == dim
            && *out >= 0)
            return 0;
    }
    diag_error(d, (diag_pos){ opt, 0, 0 }, "found '%s', expected %s", v,
               units_dim_word(dim));
    return -1;
}

static int battery_arg_one(battery_args *a, int argc, char **argv, int *i,
                           diag *d)
{
    static const struct { const char *name; units_dim dim; } qty[] = {
        {"--supply", DIM_VOLTAGE}, {"--efficiency", DIM_RATIO},
        {"--quiescent", DIM_CURRENT}, {"--wifi-min", DIM_VOLTAGE},
        {"--wifi-above", DIM_CURRENT}, {"--horizon", DIM_TIME}};
    double *dst[] = { &a->reg.v_module, &a->reg.efficiency, &a->reg.i_q,
                      &a->reg.wifi_min_v, &a->wifi_above, &a->horizon };
    const char **str[] = { &a->cell, &a->load, &a->format, &a->trace,
                           &a->tunit, &a->cunit };
    static const char *const sname[] = {
        "--cell", "--load", "--format", "--trace", "--time-unit",
        "--current-unit"};
    int m = 0;
    const char *v;
    for (int k = 0; k < 6; k++)
        if ((v = battery_opt(argc, argv, i, sname[k], &m)) || m) {
            *str[k] = v;
            return v ? 0 : -1;
        }
    for (int k = 0; k < 6; k++)
        if ((v = battery_opt(argc, argv, i, qty[k].name, &m)) || m)
            return v ? battery_arg_qty(qty[k].name, v, qty[k].dim, dst[k], d)
                     : -1;
    if ((v = battery_opt(argc, argv, i, "--set", &m)) || m) {
        if (v && a->n_set == BATTERY_MAX_SET) {
            diag_error(d, (diag_pos){ "--set", 0, 0 }, "found more than %d "
                       "--set options, expected fewer", BATTERY_MAX_SET);
            return -2;
        }
        if (v)
            a->set[a->n_set++] = v;
        return v ? 0 : -1;
    }
    if ((v = battery_opt(argc, argv, i, "--regulator", &m)) || m) {
        if (v && strcmp(v, "linear") == 0)
            a->reg.kind = BATTERY_REG_LINEAR;
        else if (v && strcmp(v, "switching") == 0)
            a->reg.kind = BATTERY_REG_SWITCHING;
        else if (v) {
            diag_error(d, (diag_pos){ "--regulator", 0, 0 }, "found '%s', "
                       "expected linear or switching", v);
            return -2;
        }
        return v ? 0 : -1;
    }
    diag_error(d, (diag_pos){ 0 }, "found argument '%s', expected an option "
               "of impsim battery (see impsim battery --help)", argv[*i]);
    return -2;
}

static int battery_args_parse(battery_args *a, int argc, char **argv,
                              diag *d)
{
    memset(a, 0, sizeof *a);
    battery_regulator_default(&a->reg);
    a->horizon = BATTERY_HORIZON_S;     /* the horizon of every command */
    a->wifi_above = 0.020;
    a->format = "text";
    for (int i = 1; i < argc; i++) {
        int rc = battery_arg_one(a, argc, argv, &i, d);
        if (rc == -1)
            diag_error(d, (diag_pos){ argv[i], 0, 0 }, "found no value, "
                       "expected one after %s", argv[i]);
    }
    if (!a->cell)
        diag_error(d, (diag_pos){ "--cell", 0, 0 }, "missing; expected "
                   "--cell PRESET|FILE");
    if (!a->load)
        diag_error(d, (diag_pos){ "--load", 0, 0 }, "missing; expected "
                   "--load PROFILE (e.g. pulse:80mA,2s,15min)");
    if (strcmp(a->format, "text") && strcmp(a->format, "json"))
        diag_error(d, (diag_pos){ "--format", 0, 0 }, "found '%s', expected "
                   "text or json", a->format);
    if (!(a->reg.efficiency > 0 && a->reg.efficiency <= 1))
        diag_error(d, (diag_pos){ "--efficiency", 0, 0 }, "found %g %%, "
                   "expected more than 0 %% and at most 100 %%",
                   a->reg.efficiency * 100);
    if (a->tunit)
        capture_unit_option("--time-unit", a->tunit, 0, &a->co.time_unit, d);
    if (a->cunit)
        capture_unit_option("--current-unit", a->cunit, 1,
                            &a->co.current_unit, d);
    if (!(a->horizon > 0))
        diag_error(d, (diag_pos){ "--horizon", 0, 0 }, "found 0, expected "
                   "a positive time (e.g. 20y)");
    return diag_count(d) ? -1 : 0;
}

static int battery_overrides(const battery_args *a, fig_entry *e, diag *d)
{
    int n = 0;
    for (int k = 0; k < a->n_set; k++) {
        if (!strncmp(a->set[k], "model.", 6) || !strncmp(a->set[k], "scenario.", 9)) {
            diag_error(d, diag_arg_pos("--set", a->set[k]), "found '%s', expected "
                       "battery.KEY=VALUE (battery takes cell figures only)", a->set[k]);
            continue;
        }
        if (fig_parse_override(a->set[k], diag_arg_pos("--set", a->set[k]), &e[n], d) == 0)
            n++;
    }
    return n;
}

static void battery_json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

/* The facts the physical warnings need, from this run. The WiFi peak is
 * the load's largest WiFi step, whether or not the run reached it (a cell
 * that dies before it has still failed at it), or the run's own. */
static void battery_facts(const battery_args *a, const battery_cell *c, const battery_load *l,
                          const battery_result *r, physwarn_facts *f)
{
    memset(f, 0, sizeof *f);
    f->has_battery = 1;
    snprintf(f->cell, sizeof f->cell, "%s", battery_cell_name(c));
    f->life_s = r->life_s;
    f->depleted = r->ended_by != BATTERY_ALIVE;
    f->horizon_s = a->horizon;
    f->wifi_peak_A = r->wifi_peak_A;
    for (int i = 0; i < l->n; i++)
        if (l->seg[i].wifi && l->seg[i].duration_s > 0 && l->seg[i].current_A > f->wifi_peak_A)
            f->wifi_peak_A = l->seg[i].current_A;
    f->wifi_min_V = a->reg.wifi_min_v;
    f->delivered_C = r->delivered_C;
    f->self_discharge_C = battery_cell_self_discharge_C(c, r->life_s);
    f->capacity_C = battery_cell_capacity_C(c);
    if (f->wifi_peak_A > 0)
        f->peak_fails = battery_peak_check(c, &a->reg, f->wifi_peak_A, &f->wifi_peak_V);
}

static void battery_print_json(const battery_args *a, const battery_cell *c,
                               const battery_load *l,
                               const battery_result *r)
{
    printf("{\n  \"cell\": ");
    battery_json_str(stdout, battery_cell_name(c));
    printf(",\n  \"title\": ");
    battery_json_str(stdout, battery_cell_title(c));
    printf(",\n  \"model\": \"%s\",\n  \"voltage_model\": \"%s\",\n",
           battery_cell_model(c), battery_cell_vmodel(c));
    printf("  \"load\": ");
    battery_json_str(stdout, a->load);
    printf(",\n  \"period_s\": %s,\n  \"average_current_A\": %s,\n",
           NUM_J(battery_load_period(l)), NUM_J(battery_load_average(l)));
    if (l->from_capture) {
        char desc[256];
        printf("  \"capture\": ");
        battery_json_str(stdout, capture_describe(&l->capture, desc,
                                                  sizeof desc));
        printf(",\n  \"capture_samples\": %lld,\n  \"capture_peak_A\": %s,\n"
               "  \"segments\": %d,\n  \"merge_tolerance\": %s,\n",
               l->capture.rows, NUM_J(l->capture.peak_A), l->n, NUM_J(l->tol));
    }
    printf("  \"regulator\": \"%s\",\n", a->reg.kind == BATTERY_REG_LINEAR
           ? "linear" : "switching");
    physwarn_facts f;
    physwarn_list w = {0};
    battery_facts(a, c, l, r, &f);
    physwarn_add(&w, &f, NULL);
    if (f.depleted && !f.peak_fails)
        printf("  \"life_s\": %s,\n  \"life_days\": %s,\n", NUM_J(r->life_s), NUM_J(r->life_s / 86400.0));
    else    /* no life: a flag and the bound, not a number posing as a life */
        printf("  \"life_s\": null,\n  \"life_days\": null,\n");
    printf("  \"depleted\": %s,\n  \"peak_fails\": %s,\n", f.depleted ? "true" : "false",
           f.peak_fails ? "true" : "false");
    if (!f.depleted)
        printf("  \"life_more_than_s\": %s,\n", NUM_J(a->horizon));
    printf("  \"warnings\": ");
    physwarn_json(&w, stdout);
    printf(",\n");
    printf("  \"ended_by\": \"%s\",\n", battery_end_word(r->ended_by));
    printf("  \"delivered_C\": %s,\n  \"delivered_mAh\": %s,\n",
           NUM_J(r->delivered_C), NUM_J(r->delivered_C / 3.6));
    printf("  \"capacity_C\": %s,\n  \"soc_end\": %s,\n",
           NUM_J(battery_cell_capacity_C(c)), NUM_J(r->soc));
    printf("  \"voltage_end_V\": %s,\n  \"horizon_s\": %s\n}\n",
           NUM_J(r->voltage_V), NUM_J(a->horizon));
}

static void battery_print_text(const battery_args *a, const battery_cell *c,
                               const battery_load *l,
                               const battery_result *r)
{
    char b1[64], b2[64];
    printf("cell       %s (%s; model %s, voltage %s)\n",
           battery_cell_title(c), battery_cell_name(c),
           battery_cell_model(c), battery_cell_vmodel(c));
    printf("load       %s: period %s, average %s\n", a->load,
           units_format(battery_load_period(l), DIM_TIME, b1, sizeof b1),
           units_format(battery_load_average(l), DIM_CURRENT, b2,
                        sizeof b2));
    if (l->from_capture) {
        char desc[256];
        printf("capture    %s\n", capture_describe(&l->capture, desc,
                                                   sizeof desc));
        printf("           peak %s; %d segments (%s)\n",
               units_format(l->capture.peak_A, DIM_CURRENT, b1, sizeof b1),
               l->n, l->tol > 0 ? "samples merged within the tolerance "
               "below, charge exact" : "equal neighbours merged, exact");
        if (l->tol > 0)
            printf("           merge tolerance +-%.3g %% (+-%.3g uA)\n",
                   l->tol * 100, l->tol * 1e3);
    }
    physwarn_facts f;
    physwarn_list w = {0};
    battery_facts(a, c, l, r, &f);
    physwarn_add(&w, &f, NULL);
    if (!f.depleted)
        printf("life       more than %s (not empty at the horizon)\n",
               units_format(a->horizon, DIM_TIME, b1, sizeof b1));
    else if (f.peak_fails)
        printf("life       none: the cell cannot deliver the WiFi peak (ended by %s after %s)\n",
               battery_end_word(r->ended_by), units_format(r->life_s, DIM_TIME, b1, sizeof b1));
    else    /* four significant digits, as every computed figure in text */
        printf("life       %s, ended by %s\n", units_format_life(r->life_s, b1, sizeof b1),
               battery_end_word(r->ended_by));
    char q1[32], q2[32];
    printf("delivered  %s mAh (%s) of %.0f mAh rated\n",
           units_number_fig(r->delivered_C / 3.6, q1, sizeof q1),
           units_format_fig(r->delivered_C, DIM_CHARGE, q2, sizeof q2),
           battery_cell_capacity_C(c) / 3.6);
    printf("at end     state of charge %.1f %%, open-circuit %.3f V\n",
           r->soc * 100, r->voltage_V);
    physwarn_text(&w, stdout);
}

/* Run with an optional trace file; 0, or DIAG_EXIT_* on failure. */
static int battery_simulate(const battery_args *a, const battery_cell *c,
                            const battery_load *l, battery_result *r)
{
    outfile *o = NULL;
    battery_profile p = { NULL, 0, l->seg, l->n, a->horizon, NULL, NULL, 0 };
    if (a->trace) {
        if (!(o = outfile_open(a->trace)))
            return DIAG_EXIT_SYS;
        fprintf(outfile_fp(o), "time_s,voltage_V,soc,current_A\n");
        p.trace = battery_trace_csv;
        p.trace_ctx = outfile_fp(o);
        p.trace_jumps = 1;
    }
    if (battery_run(c, &a->reg, &p, r) != 0) {
        outfile_abort(o);
        fprintf(stderr, "impsim: error: the load profile is not valid\n");
        return DIAG_EXIT_INPUT;
    }
    if (o && outfile_commit(o) != 0)
        return DIAG_EXIT_SYS;
    return 0;
}

int cmd_battery(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(battery_usage, stdout);
            return 0;
        }
    diag *d = diag_new();
    battery_args a;
    fig_entry over[BATTERY_MAX_SET];
    int n_over = 0, rc = DIAG_EXIT_INPUT;
    battery_cell *c = NULL;
    battery_load l = { 0 };
    if (battery_args_parse(&a, argc, argv, d) == 0) {
        n_over = battery_overrides(&a, over, d);
        if (!diag_count(d)) {
            /* a preset name that is none (or ""): name the presets, not the
             * path impsim made from the name */
            diag *cd = diag_new();
            c = battery_cell_load(a.cell, over, n_over, cd);
            if (!c && strstr(diag_first(cd), ": error: cannot open") && !strchr(a.cell, '/'))
                diag_error(d, diag_arg_pos("--cell", a.cell), "found '%s', expected a preset "
                           "(2xAA-alkaline, 2xAA-lithium, 1xCR123A, 1xAA-LiSOCl2, 1x18650) or "
                           "a .cell file (%s)", a.cell, diag_first(cd));
            else
                diag_merge(d, cd);
            diag_free(cd);
        }
        if (c)
            battery_load_parse(a.load, (diag_pos){ "--load", 0, 0 },
                               a.wifi_above, &a.co, &l, d);
    }
    const char *outs[] = {a.trace, "-"}, *labels[] = {"--trace", "the report"};
    int clash = !diag_count(d) && a.trace && outfile_check(outs, labels, 2, NULL, 0);
    if (!diag_count(d) && !clash) {
        battery_result r;
        rc = battery_simulate(&a, c, &l, &r);
        if (rc == 0 && strcmp(a.format, "json") == 0)
            battery_print_json(&a, c, &l, &r);
        else if (rc == 0)
            battery_print_text(&a, c, &l, &r);
    }
    diag_print(d, stderr);
    diag_free(d);
    for (int k = 0; k < n_over; k++)
        fig_entry_clear(&over[k]);
    battery_load_clear(&l);
    battery_cell_free(c);
    return rc;
}
