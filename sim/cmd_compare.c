/* cmd_compare.c — `impsim compare FILE.scn`: the scenario as a matrix of
 * module/crystal/sleep variants, in one table. */
#include <stdlib.h>
#include "assume.h"
#include "diag.h"
#include "matrix.h"
#include "mc.h"
#include "outfile.h"

static const char compare_usage[] =
    "Usage: impsim compare FILE.scn [OPTIONS]\n"
    "Run the scenario as a matrix of variants and print one table: imp002 as the\n"
    "product is today (baseline); imp004m with the 32 kHz crystal and timed deep\n"
    "sleep; imp004m without the crystal in deep sleep until the wake pin, in stop\n"
    "mode (the WiFi radio powered down between connects), in shallow sleep, or\n"
    "associated with power-save; and any --variant. Columns: average current, charge per day,\n"
    "battery life (the scenario's battery), change against the baseline. A variant\n"
    "the scenario cannot run on (e.g. timed deep sleep without a crystal) is listed\n"
    "with the reason.\n"
    "\n"
    "  --set KEY=VALUE           setting for every variant (as in impsim run)\n"
    "  --figures FILE            figure file over the model (e.g. from impsim calibrate)\n"
    "  --variant 'NAME: K=V ...' add a variant (settings after the --set ones; a word\n"
    "                            without '=' goes on the value before it, so a value\n"
    "                            may have spaces: scenario.regulator=ldo quiescent 2 uA)\n"
    "  --format FMT              text (default), json or csv\n"
    "  -o, --output FILE         write to FILE\n"
    "  -j, --jobs N              parallel runs (default: all CPUs)\n"
    "  --max-events N            allow runs of more than 2e8 simulated events each\n"
    "                            (estimated before they start; above it, refused)\n"
    "  --monte-carlo N           also sample the uncertain figures N times, printed\n"
    "                            first: P10/P50/P90 battery life per variant, where the\n"
    "                            nominal run sits among the samples, P(meets --target)\n"
    "                            and P(the verdict of impsim decide holds) (see\n"
    "                            models/README.md, mc.*); the same code as decide's\n"
    "  --target TIME, --min-ratio R  the criterion, as for impsim decide\n"
    "  --seed S                  seed for --monte-carlo (default 1): same seed, same bytes\n"
    "  --help                    this text\n";

int cmd_compare(int argc, char **argv)
{
    matrix_opts o;
    int rc = matrix_parse(argc, argv, compare_usage, MX_MC | MX_DECIDE, &o);
    if (rc) {
        matrix_free(&o);
        return rc < 0 ? 0 : rc;
    }
    assume *a = malloc(sizeof *a);
    variant_result *res = calloc(VARIANT_MAX, sizeof *res);
    if (!res || !a)
        abort();
    assume_collect(a, o.file, o.sets.v, o.sets.n, &o.vs, o.mc, o.seed);
    o.assume = a;
    rc = DIAG_EXIT_SYS;
    if (variant_run_all(o.file, o.sets.v, o.sets.n, NULL, &o.vs, o.jobs, res) == 0) {
        rc = DIAG_EXIT_INPUT;
        for (int i = 0; i < o.vs.n; i++)
            if (res[i].ok)
                rc = 0;
        if (rc) {
            fprintf(stderr, "%s\n", res[0].err);
        } else {
            mc_result *mc = calloc(1, sizeof *mc);
            if (!mc)
                abort();
            rc = o.mc ? mc_run(&o, NULL, res, mc) : 0;
            outfile *f = rc ? NULL : outfile_open(o.output ? o.output : "-");
            if (!rc && !f)
                rc = DIAG_EXIT_SYS;
            if (f) {
                FILE *fp = outfile_fp(f);
                if (o.mc && o.fmt == REPORT_JSON) {
                    fputs("{\"monte_carlo\": ", fp);
                    mc_print(&o, mc, fp);
                    fputs(",\n \"table\": ", fp);
                } else if (o.mc && o.fmt == REPORT_TEXT) {
                    mc_print(&o, mc, fp);   /* uncertainty first */
                    fputs("\nNominal (every figure at its stated value: model, --figures, --set; not sampled):\n", fp);
                }
                matrix_table(&o, res, fp);
                if (o.mc && o.fmt == REPORT_JSON)
                    fputs("}\n", fp);
                rc = outfile_commit(f) ? DIAG_EXIT_SYS : 0;
            }
            free(mc);
        }
    }
    free(res);
    free(a);
    matrix_free(&o);
    return rc;
}
