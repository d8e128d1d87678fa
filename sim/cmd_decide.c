/* cmd_decide.c — `impsim decide FILE.scn`: can deep sleep and the crystal go? */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "assume.h"
#include "decide.h"
#include "num.h"
#include "diag.h"
#include "mc.h"
#include "outfile.h"
#include "units.h"

static const char decide_usage[] =
    "Usage: impsim decide FILE.scn [--target TIME] [--min-ratio R] [OPTIONS]\n"
    "The verdict: on the imp004m, can this product drop deep sleep and the 32 kHz\n"
    "crystal? It runs the variants of impsim compare and answers in one sentence\n"
    "naming the variants and their battery lives.\n"
    "\n"
    "Criterion (the sentence states which is in force):\n"
    "  --target TIME only: the best variant without deep sleep and crystal (stop\n"
    "    mode, shallow sleep, associated with power-save) must last >= TIME. The\n"
    "    sentence says which variants meet it and which imp004m design is best.\n"
    "  --min-ratio R only (R = 0.9 when neither is given): it must last >= R x the\n"
    "    life of the imp004m with crystal and timed deep sleep.\n"
    "  both: both must hold.\n"
    "  Without a battery in the scenario, inverse average currents stand for lives.\n"
    "  A variant whose cell cannot deliver the WiFi peak has no life: it never\n"
    "  meets a criterion.\n"
    "The margin is how far the best variant without both is above (+) or below (-)\n"
    "the bar, relative to it: life / target - 1, or ratio / min-ratio - 1 (the\n"
    "smaller of the two with both). Also printed: the break-even wake interval\n"
    "(below it, stop mode beats deep sleep: where the two draw the same steady\n"
    "average current, by GSL Brent root finding over the scenario's wake period;\n"
    "a sweep's break_even column is where the battery lives cross, a few per cent\n"
    "away) and the model figures the answer is most sensitive to\n"
    "(+25 % each: the change of the steady average-current ratio, deep sleep over\n"
    "without both, which the battery-life ratio follows but for the cell's rate\n"
    "and voltage effects). With --monte-carlo, the uncertainty comes first:\n"
    "P10/P50/P90 of each variant's life, where the nominal run sits among the\n"
    "samples, the probability that each meets the target and that the verdict\n"
    "holds; the figures after it are labelled nominal. With --monte-carlo the\n"
    "answer is YES only when at least 50 % of the samples answer YES; a YES at\n"
    "nominal figures that fewer samples keep is answered NO (exit 1, or 4 when no\n"
    "deep-sleep variant meets the criterion either) and says so. A nominal NO\n"
    "stays NO.\n"
    "\n"
    "  --target TIME             battery-life target, with unit (12mo, 2y, 400d)\n"
    "  --min-ratio R             fraction of the deep-sleep variant's life (0.9 or 90 %)\n"
    "  --set KEY=VALUE           setting for every variant (as in impsim run)\n"
    "  --figures FILE            figure file over the model (e.g. from impsim calibrate),\n"
    "                            layered before --set; the nominal runs use its values\n"
    "  --variant 'NAME: K=V ...' add a variant to the table (not part of the verdict;\n"
    "                            values may have spaces, as for compare)\n"
    "  --format FMT              text (default) or json\n"
    "  -o, --output FILE         write to FILE\n"
    "  -j, --jobs N              parallel runs (default: all CPUs)\n"
    "  --max-events N            allow runs of more than 2e8 simulated events each\n"
    "                            (estimated before they start; above it, refused)\n"
    "  --monte-carlo N           sample the uncertain figures N times (see above)\n"
    "  --seed S                  seed for --monte-carlo (default 1): same seed, same bytes\n"
    "\n"
    "Exit codes:\n"
    "  0  YES: the best variant without deep sleep and crystal meets the criterion\n"
    "     (with --monte-carlo: and in at least 50 % of the samples)\n"
    "  1  NO: it does not (or, with --monte-carlo, in under 50 % of the samples),\n"
    "     but a deep-sleep variant does (keep deep sleep; the sentence says when the\n"
    "     crystal can go anyway: deep sleep until the wake pin)\n"
    "  4  NO VARIANT MEETS the target (or none can deliver the WiFi peak from the\n"
    "     cell; or, with --monte-carlo, only the one without deep sleep does, in\n"
    "     under 50 % of the samples): the product is off target whatever it does;\n"
    "     the sentence names the best design\n"
    "  2  bad input (nothing written)    3  system error\n";

/* "imp004m-deep no, imp004m-stop yes, ..." for the variants that ran. */
static void decide_meets_list(const matrix_opts *o, const decide_result *r, FILE *fp)
{
    char t[32];
    fprintf(fp, "  meets the %s target: ", units_format(o->target_s, DIM_TIME, t, sizeof t));
    int n = 0;
    for (int i = 0; i < o->vs.n; i++)
        if (r->v.meets[i] == 1)
            fprintf(fp, "%s%s", n++ ? ", " : "", o->vs.v[i].name);
    fprintf(fp, "%s\n", n ? "" : "no variant");
}

static void decide_text(const matrix_opts *o, const decide_result *r, const mc_result *mc,
                        FILE *fp)
{
    const variant_result *deep = &r->res[r->deep], *best = &r->res[r->best];
    const variant *vd = &o->vs.v[r->deep], *vb = &o->vs.v[r->best];
    char a[32], b[96];
    fprintf(fp, "impsim decide: %s\n", o->file);
    fprintf(fp, "Question: on the imp004m, can this product drop deep sleep and the 32 kHz crystal?\n");
    fprintf(fp, "Criterion: %s", r->criterion);
    if (o->target_s > 0)
        fprintf(fp, " (target %s)", units_format(o->target_s, DIM_TIME, a, 32));
    if (r->v.min_ratio > 0)
        fprintf(fp, " (min-ratio %.0f %%)", 100 * r->v.min_ratio);
    fprintf(fp, "\nAnswer:   %s", decide_answer(r));
    /* a verdict that most samples contradict must not read as a plain one */
    if (mc && mc->n_verdict > 0 && mc->p_holds < 0.5 && !r->v.mc_demoted)
        fprintf(fp, " - at nominal figures only: it holds in just %.1f %% of %ld Monte Carlo "
                "samples; measure the uncertain figures (mc.* in models/README.md) before "
                "relying on it", 100 * mc->p_holds, mc->n_verdict);
    fputc('\n', fp);
    if (mc && r->v.mc_demoted)
        fprintf(fp, "          (at nominal figures the answer is yes; with --monte-carlo a YES "
                "needs %.0f %% of the samples, it has %.1f %% of %ld)\n\n",
                100 * VERDICT_MC_MAJORITY, 100 * mc->p_can_drop, mc->n_verdict);
    else if (mc)
        fprintf(fp, "          (nominal figures; the verdict holds in %.1f %% of %ld Monte Carlo "
                "samples)\n\n", 100 * mc->p_holds, mc->n_verdict);
    /* The answer names a design by its label; when what ran differs from
     * the label (a power-save variant whose firmware disconnects), say so
     * beside the answer, not only under the table further down. */
    char note[320];
    if (r->best >= 0 && variant_mismatch(vb, best, note, sizeof note))
        fprintf(fp, "          note: %s\n", note);
    /* the verdict weighs battery lives; a deep-sleep design whose persisted
     * state wears the SPI flash out first is worse than its life says */
    double wear_s = physwarn_wear_s(&deep->facts);
    if (deep->has_life && !deep->peak_fails && wear_s < deep->life_s)
        fprintf(fp, "          note: with deep sleep (%s) the SPI flash wears out in %s, before "
                "its battery life of %s (state persisted across deep sleep; see the warning)\n",
                vd->name, units_format(wear_s, DIM_TIME, a, 32),
                units_format(deep->life_s, DIM_TIME, b, 32));
    if (mc) {
        mc_print(o, mc, fp);
    }
    fprintf(fp, "\nNominal (every figure at its stated value: model, --figures, --set; not sampled):\n");
    fprintf(fp, "  with deep sleep:    %-16s %s", vd->name, units_format_fig(deep->avg_current_A, DIM_CURRENT, a, 32));
    if (deep->has_life)
        fprintf(fp, ", battery life %s", variant_life_text(deep, 0, b, sizeof b));
    fprintf(fp, "\n  without both:       %-16s %s", vb->name, units_format_fig(best->avg_current_A, DIM_CURRENT, a, 32));
    if (best->has_life)
        fprintf(fp, ", battery life %s", variant_life_text(best, 0, b, sizeof b));
    fputc('\n', fp);
    if (r->v.best >= 0 && r->v.best != r->deep && r->v.best != r->best)
        fprintf(fp, "  best imp004m design: %-14s %s\n", o->vs.v[r->v.best].name,
                variant_life_text(&r->res[r->v.best], 0, b, sizeof b));
    if (o->target_s > 0)
        decide_meets_list(o, r, fp);
    if (deep->peak_fails || best->peak_fails)
        fprintf(fp, "  ratio to deep sleep: n/a (no battery life to compare: the cell cannot deliver "
                "the WiFi peak)\n");
    else
        fprintf(fp, "  ratio to deep sleep %.1f %% %s; margin %+.1f %%\n", 100 * r->ratio,
                deep->has_life ? "of the battery life" : "(inverse average current)", 100 * r->margin);
    if (r->be_status == 0)
        fprintf(fp, "  break-even wake interval: %s - waking more often than that, %s beats deep sleep\n"
                "    (the scenario wakes every %s; equal steady average current: the battery\n"
                "    lives cross near it, moved a little by the cell's rate and voltage effects)\n",
                units_format(r->be_period_s, DIM_TIME, a, 32),
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
    if (r->nsens) {
        fprintf(fp, "  most sensitive to (each figure +25 %% -> change of the average-current ratio, "
                "%s / %s):\n", vd->name, vb->name);
        for (int i = 0; i < r->nsens && i < 5; i++)
            fprintf(fp, "    %-28s %+.2f %%\n", r->sens[i].key, 100 * r->sens[i].delta);
        fprintf(fp, "    (the battery-life ratio follows it but for the cell's rate and voltage "
                "effects)\n");
    }
    fputc('\n', fp);
    matrix_table(o, r->res, fp);
}

static void decide_json(const matrix_opts *o, const decide_result *r, FILE *fp,
                        const mc_result *mc)
{
    fputs("{\"scenario\": ", fp);
    report_json_str(fp, o->file);
    fprintf(fp, ",\n \"answer\": \"%s\", ", verdict_word(r->v.answer));
    if (mc && mc->n_verdict > 0)
        fprintf(fp, "\"answer_nominal\": \"%s\", ", verdict_word(r->v.nominal));
    fputs("\"sentence\": ", fp);
    report_json_str(fp, r->sentence);
    fprintf(fp, ",\n \"can_drop\": %s, \"criterion\": \"%s\"", r->can_drop ? "true" : "false",
            r->criterion);
    if (r->res[r->deep].peak_fails || r->res[r->best].peak_fails)
        fputs(", \"ratio\": null, \"margin\": null", fp);   /* no lives to compare */
    else
        fprintf(fp, ", \"ratio\": %s, \"margin\": %s", NUM_J(r->ratio), NUM_J(r->margin));
    if (o->target_s > 0)
        fprintf(fp, ", \"target_s\": %s", NUM_J(o->target_s));
    if (r->v.min_ratio > 0)
        fprintf(fp, ", \"min_ratio\": %s", NUM_J(r->v.min_ratio));
    fprintf(fp, ",\n \"deep_variant\": \"%s\", \"best_variant\": \"%s\", \"best_design\": \"%s\", "
            "\"crystal_alone_can_go\": %s",
            o->vs.v[r->deep].name, o->vs.v[r->best].name, o->vs.v[r->v.best].name,
            r->v.crystal_can_go ? "true" : "false");
    if (o->target_s > 0) {
        fputs(",\n \"meets_target\": [", fp);
        for (int i = 0, n = 0; i < o->vs.n; i++)
            if (r->v.meets[i] == 1) {
                fputs(n++ ? ", " : "", fp);
                report_json_str(fp, o->vs.v[i].name);
            }
        fputs("]", fp);
    }
    if (r->v.nuneval) {
        fputs(",\n \"not_evaluated\": [", fp);
        for (int j = 0; j < r->v.nuneval; j++) {
            const variant_result *u = &r->res[r->v.uneval[j]];
            fputs(j ? ", {\"name\": " : "{\"name\": ", fp);
            report_json_str(fp, o->vs.v[r->v.uneval[j]].name);
            fputs(", \"reason\": ", fp);
            report_json_str(fp, u->err);
            fprintf(fp, ", \"max_events_needed\": %.2g}", u->max_events_needed);
        }
        fputs("]", fp);
    }
    fprintf(fp, ",\n \"break_even\": {\"status\": \"%s\"",
            r->be_status == 0 ? "found" : r->be_status == 1 ? "deep-sleep-always-better"
            : r->be_status == 2 ? "awake-always-better" : "n/a");
    if (r->be_status == 0)
        fprintf(fp, ", \"period_s\": %s", NUM_J(r->be_period_s));
    fprintf(fp, ", \"scenario_period_s\": %s}", NUM_J(r->period_s));
    fputs(",\n \"parts_saved\": [\"32.768 kHz crystal\", \"2 crystal load capacitors\"]", fp);
    fputs(",\n \"sensitivity\": [", fp);
    for (int i = 0; i < r->nsens; i++)
        fprintf(fp, "%s{\"figure\": \"%s\", \"current_ratio_change_per_25pct\": %s}", i ? ", " : "",
                r->sens[i].key, NUM_J(r->sens[i].delta));
    fputs("]", fp);
    matrix_opts jo = *o;
    jo.fmt = REPORT_JSON;
    jo.assume = NULL;   /* once, at the top level */
    if (mc) {
        fputs(",\n \"monte_carlo\": ", fp);
        mc_print(&jo, mc, fp);
    }
    fputs(",\n \"table\": ", fp);
    matrix_table(&jo, r->res, fp);
    if (o->assume) {
        fputs(", \"assumptions\": ", fp);
        assume_json(o->assume, fp);
    }
    fputs("}\n", fp);
}

int cmd_decide(int argc, char **argv)
{
    matrix_opts o;
    int rc = matrix_parse(argc, argv, decide_usage, MX_DECIDE | MX_MC, &o);
    /* decide answers in text or JSON (its CSV would be compare's table) */
    if (!rc && o.fmt == REPORT_CSV)
        rc = cli_usage_error("decide", "--format: found 'csv', expected text or json");
    if (rc) {
        matrix_free(&o);
        return rc < 0 ? 0 : rc;
    }
    decide_result *r = calloc(1, sizeof *r);
    assume *a = malloc(sizeof *a);
    if (!r || !a)
        abort();
    assume_collect(a, o.file, o.sets.v, o.sets.n, &o.vs, o.mc, o.seed);
    o.assume = a;
    mc_result *mc = calloc(1, sizeof *mc);
    if (!mc)
        abort();
    rc = decide_run(&o, r);
    if (rc == 0 && o.mc)
        rc = mc_run(&o, NULL, r->res, mc);
    if (rc == 0 && o.mc)
        decide_apply_mc(&o, r, mc);     /* with Monte Carlo, YES needs a majority */
    if (rc == 0) {
        outfile *f = outfile_open(o.output ? o.output : "-");
        rc = DIAG_EXIT_SYS;
        if (f) {
            FILE *fp = outfile_fp(f);
            if (o.fmt == REPORT_JSON)
                decide_json(&o, r, fp, o.mc ? mc : NULL);
            else
                decide_text(&o, r, o.mc ? mc : NULL, fp);
            rc = outfile_commit(f) ? DIAG_EXIT_SYS : (int)r->v.answer;
        }
    }
    free(mc);
    free(r);
    free(a);
    matrix_free(&o);
    return rc;
}
