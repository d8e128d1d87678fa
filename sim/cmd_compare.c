/* cmd_compare.c — `impsim compare FILE.scn`: the scenario as a matrix of
 * module/crystal/sleep variants, in one table. */
#include <stdlib.h>
#include "diag.h"
#include "matrix.h"
#include "outfile.h"

static const char compare_usage[] =
    "Usage: impsim compare FILE.scn [OPTIONS]\n"
    "Run the scenario as a matrix of variants and print one table: imp002 as the\n"
    "product is today (baseline); imp004m with the 32 kHz crystal and timed deep\n"
    "sleep; imp004m without the crystal in deep sleep until the wake pin, in stop\n"
    "mode (WiFi in its ~8 uA standby), in shallow sleep, or associated with\n"
    "power-save; and any --variant. Columns: average current, charge per day,\n"
    "battery life (the scenario's battery), change against the baseline. A variant\n"
    "the scenario cannot run on (e.g. timed deep sleep without a crystal) is listed\n"
    "with the reason.\n"
    "\n"
    "  --set KEY=VALUE           setting for every variant (as in impsim run)\n"
    "  --variant 'NAME: K=V ...' add a variant (settings after the --set ones)\n"
    "  --format FMT              text (default), json or csv\n"
    "  -o, --output FILE         write to FILE\n"
    "  -j, --jobs N              parallel runs (default: all CPUs)\n"
    "  --help                    this text\n";

int cmd_compare(int argc, char **argv)
{
    matrix_opts o;
    int rc = matrix_parse(argc, argv, compare_usage, 0, &o);
    if (rc) {
        matrix_free(&o);
        return rc < 0 ? 0 : rc;
    }
    variant_result *res = calloc(VARIANT_MAX, sizeof *res);
    if (!res)
        abort();
    rc = DIAG_EXIT_SYS;
    if (variant_run_all(o.file, o.sets.v, o.sets.n, NULL, &o.vs, o.jobs, res) == 0) {
        rc = DIAG_EXIT_INPUT;
        for (int i = 0; i < o.vs.n; i++)
            if (res[i].ok)
                rc = 0;
        if (rc) {
            fprintf(stderr, "%s\n", res[0].err);
        } else {
            outfile *f = outfile_open(o.output ? o.output : "-");
            rc = DIAG_EXIT_SYS;
            if (f) {
                matrix_table(&o, res, outfile_fp(f));
                rc = outfile_commit(f) ? DIAG_EXIT_SYS : 0;
            }
        }
    }
    free(res);
    matrix_free(&o);
    return rc;
}
