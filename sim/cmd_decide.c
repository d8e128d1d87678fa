/* cmd_decide.c — `impsim decide FILE.scn`: can deep sleep and the crystal go? */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "decide.h"
#include "diag.h"
#include "mc.h"
#include "outfile.h"
#include "units.h"

static const char decide_usage[] =
    "Usage: impsim decide FILE.scn [--target TIME] [--min-ratio R] [OPTIONS]\n"
    "The verdict: on the imp004m, can this product drop deep sleep and the 32 kHz\n"
    "crystal? Yes when the best variant without both (stop mode, shallow sleep, or\n"
    "associated with power-save) meets the battery-life target (--target 12mo), or\n"
    "reaches the given fraction of the deep-sleep variant's life (--min-ratio 0.9;\n"
    "the default when no target is given). Prints the variants compared, the\n"
    "margin, the parts saved, the break-even wake interval (below it, staying awake\n"
    "in stop mode beats deep sleep; GSL Brent root finding over the scenario's wake\n"
    "period) and the model figures the answer is most sensitive to (+25 % each).\n"
    "The margin is how far the best variant is above (+) or below (-) the bar,\n"
    "relative to it: life / target - 1, or ratio / min-ratio - 1.\n"
    "\n"
    "  --target TIME             battery-life target, with unit (12mo, 2y, 400d)\n"
    "  --min-ratio R             fraction of the deep-sleep variant's life (0.9)\n"
    "  --set KEY=VALUE           setting for every variant (as in impsim run)\n"
    "  --variant 'NAME: K=V ...' add a variant to the table\n"
    "  --format FMT              text (default) or json\n"
    "  -o, --output FILE         write to FILE\n"
    "  -j, --jobs N              parallel runs (default: all CPUs)\n"
    "  --monte-carlo N           sample the uncertain figures N times: P10/P50/P90\n"
    "                            battery life per variant and the probability that\n"
    "                            the verdict holds\n"
    "  --seed S                  seed for --monte-carlo (default 1): same seed, same bytes\n"
    "\n"
    "Exit: 0 deep sleep and the crystal can be dropped, 1 they cannot, 2 bad input.\n";

static void decide_text(const matrix_opts *o, const decide_result *r, FILE *fp)
{
    const variant_result *deep = &r->res[r->deep], *best = &r->res[r->best];
    const variant *vd = &o->vs.v[r->deep], *vb = &o->vs.v[r->best];
    char a[32], b[48];
    fprintf(fp, "impsim decide: %s\n", o->file);
    fprintf(fp, "Question: on the imp004m, can this product drop deep sleep and the 32 kHz crystal?\n");
    int pin_ok = r->pin >= 0 && r->res[r->pin].ok;
    fprintf(fp, "Answer:   %s\n\n", decide_answer(r));
    fprintf(fp, "  with deep sleep:    %-16s %s", vd->name, units_format(deep->avg_current_A, DIM_CURRENT, a, 32));
    if (deep->has_life)
        fprintf(fp, ", battery life %s", units_format_life(deep->life_s, b, sizeof b));
    fprintf(fp, "\n  without both:       %-16s %s", vb->name, units_format(best->avg_current_A, DIM_CURRENT, a, 32));
    if (best->has_life)
        fprintf(fp, ", battery life %s", units_format_life(best->life_s, b, sizeof b));
    fprintf(fp, "\n  criterion:          %s\n", r->criterion);
    if (o->target_s > 0)
        fprintf(fp, "  target:             %s\n", units_format(o->target_s, DIM_TIME, a, 32));
    fprintf(fp, "  ratio to deep sleep %.1f %% %s; margin %+.1f %%\n", 100 * r->ratio,
            deep->has_life ? "of the battery life" : "(inverse average current)", 100 * r->margin);
    if (r->be_status == 0)
        fprintf(fp, "  break-even wake interval: %s - waking more often than that, %s beats deep sleep\n"
                "    (the scenario wakes every %s)\n", units_format(r->be_period_s, DIM_TIME, a, 32),
                vb->name, units_format(r->period_s, DIM_TIME, b, 32));
    else if (r->be_status == 1 || r->be_status == 2)
        fprintf(fp, "  break-even wake interval: none between %s and %s: %s is better throughout\n",
                units_format(r->be_lo_s, DIM_TIME, a, 32), units_format(r->be_hi_s, DIM_TIME, b, 32),
                r->be_status == 1 ? vd->name : vb->name);
    else
        fprintf(fp, "  break-even wake interval: n/a (%s)\n", r->be_note);
    fprintf(fp, "  parts saved if dropped: the 32.768 kHz crystal and its two load capacitors\n"
            "    (OSC32_IN is grounded instead); firmware keeps its state in RAM (no Squirrel\n"
            "    restart, no SPI-flash writes to persist state)\n");
    if (pin_ok && !r->can_drop)
        fprintf(fp, "  note: the crystal alone can go: deep sleep until the wake pin needs none\n"
                "    (%s: %s%s)\n", o->vs.v[r->pin].name,
                units_format(r->res[r->pin].avg_current_A, DIM_CURRENT, a, 32),
                r->res[r->pin].has_life ? ", battery life as shown below" : "");
    if (r->nsens) {
        fprintf(fp, "  most sensitive to (each figure +25 %% -> change of the ratio):\n");
        for (int i = 0; i < r->nsens && i < 5; i++)
            fprintf(fp, "    %-28s %+.2f %%\n", r->sens[i].key, 100 * r->sens[i].delta);
    }
    fputc('\n', fp);
    matrix_table(o, r->res, fp);
}

static void decide_json(const matrix_opts *o, const decide_result *r, FILE *fp,
                        const mc_result *mc)
{
    fputs("{\"scenario\": ", fp);
    report_json_str(fp, o->file);
    fprintf(fp, ",\n \"can_drop\": %s, \"criterion\": \"%s\", \"ratio\": %.17g, \"margin\": %.17g",
            r->can_drop ? "true" : "false", r->criterion, r->ratio, r->margin);
    if (o->target_s > 0)
        fprintf(fp, ", \"target_s\": %.17g", o->target_s);
    fprintf(fp, ",\n \"deep_variant\": \"%s\", \"best_variant\": \"%s\", \"crystal_alone_can_go\": %s",
            o->vs.v[r->deep].name, o->vs.v[r->best].name,
            r->pin >= 0 && r->res[r->pin].ok ? "true" : "false");
    fprintf(fp, ",\n \"break_even\": {\"status\": \"%s\"",
            r->be_status == 0 ? "found" : r->be_status == 1 ? "deep-sleep-always-better"
            : r->be_status == 2 ? "awake-always-better" : "n/a");
    if (r->be_status == 0)
        fprintf(fp, ", \"period_s\": %.17g", r->be_period_s);
    fprintf(fp, ", \"scenario_period_s\": %.17g}", r->period_s);
    fputs(",\n \"parts_saved\": [\"32.768 kHz crystal\", \"2 crystal load capacitors\"]", fp);
    fputs(",\n \"sensitivity\": [", fp);
    for (int i = 0; i < r->nsens; i++)
        fprintf(fp, "%s{\"figure\": \"%s\", \"change_per_25pct\": %.17g}", i ? ", " : "",
                r->sens[i].key, r->sens[i].delta);
    fputs("],\n \"table\": ", fp);
    matrix_opts jo = *o;
    jo.fmt = REPORT_JSON;
    matrix_table(&jo, r->res, fp);
    if (mc) {
        fputs(", \"monte_carlo\": ", fp);
        mc_print(&jo, mc, r->can_drop, fp);
    }
    fputs("}\n", fp);
}

int cmd_decide(int argc, char **argv)
{
    matrix_opts o;
    int rc = matrix_parse(argc, argv, decide_usage, MX_DECIDE | MX_MC, &o);
    if (rc) {
        matrix_free(&o);
        return rc < 0 ? 0 : rc;
    }
    decide_result *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    mc_result *mc = calloc(1, sizeof *mc);
    if (!mc)
        abort();
    rc = decide_run(&o, r);
    if (rc == 0 && o.mc)
        rc = mc_run(&o, mc);
    if (rc == 0) {
        outfile *f = outfile_open(o.output ? o.output : "-");
        rc = DIAG_EXIT_SYS;
        if (f) {
            FILE *fp = outfile_fp(f);
            if (o.fmt == REPORT_JSON) {
                decide_json(&o, r, fp, o.mc ? mc : NULL);
            } else {
                decide_text(&o, r, fp);
                if (o.mc)
                    mc_print(&o, mc, r->can_drop, fp);
            }
            rc = outfile_commit(f) ? DIAG_EXIT_SYS : r->can_drop ? 0 : 1;
        }
    }
    free(mc);
    free(r);
    matrix_free(&o);
    return rc;
}
