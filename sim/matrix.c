/* matrix.c — shared options and the variant table of compare/decide. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "num.h"
#include "lex.h"
#include "assume.h"
#include "matrix.h"
#include "physwarn.h"
#include "outfile.h"
#include "workload.h"
#include "units.h"

static int matrix_quantity(const char *cmd, const char *opt, const char *arg, units_dim want,
                           double *v)
{
    char num[64];
    int n = units_split(arg);
    units_dim dim;
    snprintf(num, sizeof num, "%.*s", n, arg);
    const char *unit = arg[n] == ' ' ? arg + n + 1 : arg + n;
    int rc = n == 0 ? -1 : units_parse(num, unit, v, &dim);
    if (rc || (dim != want && !(want == DIM_NONE && dim == DIM_RATIO)) || !(*v > 0)) {
        /* an unknown unit gets the hint or the nearest known one, as in a
         * scenario ("18months": a month has no fixed length) */
        char adv[256] = "";
        if (rc == -2)
            units_unknown_advice(unit, want, adv, sizeof adv);
        return cli_usage_error(cmd, "%s: found '%s', expected %s > 0%s", opt, arg,
                               units_dim_word(want), adv);
    }
    return 0;
}

static int matrix_long(const char *cmd, const char *opt, const char *arg, long lo, long hi,
                       long *v)
{
    char *end;
    *v = strtol(arg, &end, 10);
    if (!*arg || *end || *v < lo || *v > hi)
        return cli_usage_error(cmd, "%s: found '%s', expected a whole number from %ld to %ld",
                               opt, arg, lo, hi);
    return 0;
}

static int matrix_opt(const char *cmd, int c, const char *arg, int accept, matrix_opts *o)
{
    long v;
    switch (c) {
    case 's': cli_list_push(&o->sets, (char *)arg); return 0;
    case 'E':
        return workload_option(arg) ? cli_usage_error(cmd, "--max-events: found '%s', expected "
                                                      "a number of events >= 1 (e.g. 5e9)", arg) : 0;
    case 'g':
        if (o->figures)
            return cli_usage_error(cmd, "--figures: given twice, expected one figure file");
        o->figures = cli_setting("figures", arg);
        cli_list_push(&o->sets, o->figures);
        return 0;
    case 'V': return variant_add_user(&o->vs, arg) ? 2 : 0;
    case 'f':
        return report_fmt_parse(arg, &o->fmt) ?
               cli_usage_error(cmd, "--format: found '%s', expected text, json or csv", arg) : 0;
    case 'o': o->output = arg; return 0;
    case 'j': if (matrix_long(cmd, "--jobs", arg, 1, 256, &v)) return 2; o->jobs = (int)v; return 0;
    case 't': return (accept & MX_DECIDE) ? matrix_quantity(cmd, "--target", arg, DIM_TIME, &o->target_s) : 1;
    case 'r':
        if (!(accept & MX_DECIDE))
            return 1;
        if (matrix_quantity(cmd, "--min-ratio", arg, DIM_NONE, &o->min_ratio))
            return 2;
        return o->min_ratio > 10 ? cli_usage_error(cmd, "--min-ratio: found '%s', expected a "
                                                   "fraction of the deep-sleep life above 0 "
                                                   "and at most 10 (0.9 or 90 %%)", arg) : 0;
    case 'p': if (!(accept & MX_SWEEP)) return 1; o->param = arg; return 0;
    case 'n': if (!(accept & MX_SWEEP) || matrix_long(cmd, "--steps", arg, 2, 10000, &v)) return (accept & MX_SWEEP) ? 2 : 1; o->steps = (int)v; return 0;
    case 'l': if (!(accept & MX_SWEEP)) return 1; o->log = 1; return 0;
    case 'm': if (!(accept & MX_MC) || matrix_long(cmd, "--monte-carlo", arg, 1, 1000000, &o->mc)) return (accept & MX_MC) ? 2 : 1; return 0;
    case 'S':
        if (!(accept & MX_MC) || matrix_long(cmd, "--seed", arg, 0, 2147483647, &v))
            return (accept & MX_MC) ? 2 : 1;
        o->seed = (unsigned long)v;
        return 0;
    }
    return 1;
}

/* Whether the command (accept: MX_* bits) takes option val (its short
 * code in matrix_parse's table). */
static int matrix_takes(int val, int accept)
{
    switch (val) {
    case 'p': case 'n': case 'l': return (accept & MX_SWEEP) != 0;
    case 't': case 'r': return (accept & MX_DECIDE) != 0;
    case 'm': case 'S': return (accept & MX_MC) != 0;
    default: return 1;
    }
}

int matrix_parse(int argc, char **argv, const char *usage, int accept, matrix_opts *o)
{
    static const struct option lo[] = {
        {"set", required_argument, 0, 's'}, {"variant", required_argument, 0, 'V'},
        {"figures", required_argument, 0, 'g'},
        {"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},
        {"jobs", required_argument, 0, 'j'}, {"target", required_argument, 0, 't'},
        {"min-ratio", required_argument, 0, 'r'}, {"param", required_argument, 0, 'p'},
        {"steps", required_argument, 0, 'n'}, {"log", no_argument, 0, 'l'},
        {"monte-carlo", required_argument, 0, 'm'}, {"seed", required_argument, 0, 'S'},
        {"max-events", required_argument, 0, 'E'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->steps = 20;
    o->seed = 1;
    variant_builtin(&o->vs);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":o:j:", lo, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return -1;
        }
        if (c == ':')
            return cli_usage_error(argv[0], "option '%s' needs a value", argv[optind - 1]);
        if (c != '?' && !matrix_takes(c, accept))   /* another command's (and its value) */
            for (const struct option *e = lo; e->name; e++)
                if (e->val == c)
                    return cli_usage_error(argv[0], "option '--%s' does not apply to this "
                                           "command (see --help)", e->name);
        int rc = c == '?' ? 1 : matrix_opt(argv[0], c, optarg, accept, o);
        if (rc == 1) {      /* a guess only among this command's options */
            struct option mine[sizeof lo / sizeof lo[0]];
            int k = 0;
            for (const struct option *e = lo; e->name; e++)
                if (matrix_takes(e->val, accept))
                    mine[k++] = *e;
            mine[k] = lo[sizeof lo / sizeof lo[0] - 1];
            return cli_unknown_option(argv[0], argv[optind - 1], mine);
        }
        if (rc)
            return rc;
    }
    if (optind != argc - 1)
        return cli_usage_error(argv[0], "expected one scenario file (FILE.scn)");
    o->file = argv[optind];
    if ((accept & MX_SWEEP) && !o->param)
        return cli_usage_error(argv[0], "expected --param NAME=LOW..HIGH");
    const char *label = "--output";
    if (o->output && outfile_check(&o->output, &label, 1, &o->file, 1))
        return 2;
    if (variant_check_user(&o->vs, o->file, o->sets.v, o->sets.n))
        return 2;
    return 0;
}

void matrix_free(matrix_opts *o)
{
    cli_list_free(&o->sets);
    free(o->figures);
    o->figures = NULL;
    variant_set_free(&o->vs);
}

static double matrix_change(const variant_result *r, const variant_result *base)
{
    if (!r->ok || !base->ok)
        return NAN;
    if (r->has_life && base->has_life && (r->peak_fails || base->peak_fails || !r->depleted ||
                                          !base->depleted))
        return NAN;     /* a bound or no life: no ratio of lives */
    if (r->has_life && base->has_life)
        return r->life_s / base->life_s - 1;
    return base->avg_current_A / r->avg_current_A - 1;
}

/* A life for a table cell: days, "> 30 y" (not depleted), "none (peak)"
 * (the cell cannot deliver the WiFi peak), "(no battery)". */
static const char *table_life(const variant_result *r, char *buf, size_t n)
{
    char t[32];
    if (!r->has_life)
        snprintf(buf, n, "(no battery)");
    else if (r->peak_fails)
        snprintf(buf, n, "none (peak)");
    else if (!r->depleted)
        snprintf(buf, n, "> %s", units_format(r->facts.horizon_s, DIM_TIME, t, sizeof t));
    else
        snprintf(buf, n, "%s d", units_number_fig(r->life_s / 86400, t, sizeof t));
    return buf;
}

void matrix_warnings(const matrix_opts *o, const variant_result *res, physwarn_list *w)
{
    memset(w, 0, sizeof *w);
    for (int i = 0; i < o->vs.n; i++)
        if (res[i].ok)
            physwarn_add(w, &res[i].facts, o->vs.v[i].name);
}

static void table_text(const matrix_opts *o, const variant_result *res, FILE *fp)
{
    char a[32], b[32], c[32], ran[160], note[320];
    fprintf(fp, "impsim compare: %s\n\n%-18s %12s %12s %14s %10s  %s\n", o->file, "variant",
            "avg current", "charge/day", "battery life", "vs imp002", "what it is / what ran");
    for (int i = 0; i < o->vs.n; i++) {
        const variant_result *r = &res[i];
        if (!r->ok) {
            fprintf(fp, "%-18s %12s %12s %14s %10s  %s\n      %s: %s\n", o->vs.v[i].name,
                    "-", "-", "-", "-", o->vs.v[i].desc,
                    r->max_events_needed > 0 ? "not evaluated" : "not possible", r->err);
            continue;
        }
        double ch = matrix_change(r, &res[0]);
        table_life(r, c, sizeof c);
        char d[32];
        if (i == 0)
            snprintf(d, sizeof d, "baseline");
        else if (isnan(ch))
            snprintf(d, sizeof d, "-");
        else
            snprintf(d, sizeof d, "%+.1f %%", 100 * ch);
        fprintf(fp, "%-18s %12s %12s %14s %10s  %s\n%70s  ran: %s\n", o->vs.v[i].name,
                units_format_fig(r->avg_current_A, DIM_CURRENT, a, sizeof a),
                units_format_fig(r->charge_day_C, DIM_CHARGE, b, sizeof b), c, d, o->vs.v[i].desc,
                "", variant_ran_text(r, ran, sizeof ran));
    }
    int first = 1;
    for (int i = 0; i < o->vs.n; i++)
        if (variant_mismatch(&o->vs.v[i], &res[i], note, sizeof note)) {
            fprintf(fp, "%snote: %s\n", first ? "\n" : "", note);
            first = 0;
        }
    physwarn_list w;
    matrix_warnings(o, res, &w);
    if (w.n)
        fputc('\n', fp);
    physwarn_text(&w, fp);
    if (o->assume)
        assume_text(o->assume, fp);
}

static void table_json(const matrix_opts *o, const variant_result *res, FILE *fp)
{
    char note[320];
    fputs("{\"scenario\": ", fp);
    report_json_str(fp, o->file);
    fputs(", \"baseline\": \"imp002\", \"variants\": [", fp);
    for (int i = 0; i < o->vs.n; i++) {
        const variant_result *r = &res[i];
        fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", fp);
        report_json_str(fp, o->vs.v[i].name);
        fputs(", \"description\": ", fp);
        report_json_str(fp, o->vs.v[i].desc);
        fprintf(fp, ", \"ok\": %s", r->ok ? "true" : "false");
        if (!r->ok) {
            fputs(", \"error\": ", fp);
            report_json_str(fp, r->err);
            if (r->max_events_needed > 0)
                fprintf(fp, ", \"max_events_needed\": %.2g", r->max_events_needed);
            fputs("}", fp);
            continue;
        }
        fprintf(fp, ", \"module\": \"%s\", \"avg_current_A\": %s, \"charge_per_day_C\": %s",
                r->module, NUM_J(r->avg_current_A), NUM_J(r->charge_day_C));
        if (r->has_life) {
            /* no life (not depleted, or the cell cannot deliver the WiFi
             * peak): null and a flag, not a number posing as a life */
            if (r->depleted && !r->peak_fails)
                fprintf(fp, ", \"life_s\": %s", NUM_J(r->life_s));
            else
                fputs(", \"life_s\": null", fp);
            fprintf(fp, ", \"depleted\": %s, \"peak_fails\": %s", r->depleted ? "true" : "false",
                    r->peak_fails ? "true" : "false");
            if (!r->depleted)
                fprintf(fp, ", \"life_more_than_s\": %s", NUM_J(r->facts.horizon_s));
            fprintf(fp, ", \"ended_by\": \"%s\"", r->ended_by);
        }
        double ch = matrix_change(r, &res[0]);
        if (!isnan(ch))
            fprintf(fp, ", \"change_vs_baseline\": %s", NUM_J(ch));
        fprintf(fp, ",\n   \"ran\": {\"sleep\": \"%s\", \"crystal\": %s, \"wifi_connected\": %s, "
                "\"powersave\": %s, \"latch\": %s, \"connects_per_day\": %s, "
                "\"radio_ups_per_day\": %s, \"boots_per_day\": %s}", r->sleep,
                r->crystal ? "true" : "false", r->wifi_connected ? "true" : "false",
                r->powersave ? "true" : "false", r->latch ? "true" : "false", NUM_J(r->connects_day),
                NUM_J(r->radio_ups_day), NUM_J(r->boots_day));
        if (variant_mismatch(&o->vs.v[i], r, note, sizeof note)) {
            fputs(", \"note\": ", fp);
            report_json_str(fp, note);
        }
        fputs("}", fp);
    }
    physwarn_list w;
    matrix_warnings(o, res, &w);
    fputs("\n ],\n \"warnings\": ", fp);
    physwarn_json(&w, fp);
    if (o->assume) {
        fputs(",\n \"assumptions\": ", fp);
        assume_json(o->assume, fp);
    }
    fputs("}\n", fp);
}

static void table_csv(const matrix_opts *o, const variant_result *res, FILE *fp)
{
    char note[320];
    fputs("variant,module,ok,avg_current_A,charge_per_day_C,life_s,ended_by,change_vs_baseline,"
          "error,sleep,crystal,connects_per_day,radio_ups_per_day\n", fp);
    for (int i = 0; i < o->vs.n; i++) {
        const variant_result *r = &res[i];
        double ch = matrix_change(r, &res[0]);
        fprintf(fp, "%s,%s,%d,", o->vs.v[i].name, r->module, r->ok);
        if (r->ok)
            fprintf(fp, "%s,%s,", NUM_C(r->avg_current_A), NUM_C(r->charge_day_C));
        else
            fputs(",,", fp);
        /* life_s empty when it is no life; ended_by says why */
        if (r->ok && r->has_life && r->depleted && !r->peak_fails)
            fprintf(fp, "%s,%s,", NUM_C(r->life_s), r->ended_by);
        else if (r->ok && r->has_life)
            fprintf(fp, ",%s,", r->peak_fails ? "wifi-peak" : r->ended_by);
        else
            fputs(",,", fp);
        if (!isnan(ch))
            fprintf(fp, "%s", NUM_C(ch));
        fputs(",\"", fp);
        for (const char *p = r->ok ? "" : r->err; *p; p++)
            fputs(*p == '"' ? "\"\"" : (char[]){*p, 0}, fp);
        fputs("\"", fp);
        if (r->ok)
            fprintf(fp, ",%s,%s,%s,%s\n", r->sleep, r->crystal ? "yes" : "no",
                    NUM_C(r->connects_day), NUM_C(r->radio_ups_day));
        else
            fputs(",,,,\n", fp);
    }
    for (int i = 0; i < o->vs.n; i++)
        if (variant_mismatch(&o->vs.v[i], &res[i], note, sizeof note))
            fprintf(fp, "# note: %s\n", note);
    physwarn_list w;
    matrix_warnings(o, res, &w);
    physwarn_csv(&w, fp);
    if (o->assume)
        assume_csv(o->assume, fp);
}

void matrix_table(const matrix_opts *o, const variant_result *res, FILE *fp)
{
    if (o->fmt == REPORT_JSON)
        table_json(o, res, fp);
    else if (o->fmt == REPORT_CSV)
        table_csv(o, res, fp);
    else
        table_text(o, res, fp);
}
