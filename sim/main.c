/* main.c — impsim's entry point: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "config.h"
#include "diag.h"

static const char usage[] =
    "Usage: impsim COMMAND [ARGS]\n"
    "Cycle-level power and sleep-mode simulator for Electric Imp modules.\n"
    "\n"
    "Commands:\n"
    "  run FILE.scn      simulate a scenario; print its energy budget\n"
    "  models [NAME]     list module models, or print one with every figure's source\n"
    "  battery           evaluate a battery cell under a load profile\n"
    "  check [PATH...]   regression-check scenarios against their .expect files\n"
    "  compare FILE.scn  the scenario on every module/crystal/sleep variant, one table\n"
    "  decide FILE.scn   can deep sleep and the 32 kHz crystal be dropped? (exit 0 yes,\n"
    "                    1 no: keep deep sleep, 4 no variant meets the target)\n"
    "  sweep FILE.scn    battery life of every variant across a parameter's range\n"
    "  plot KIND DATA    chart (PNG or SVG, via gnuplot) of a trace, sweep or budget CSV\n"
    "  calibrate FILE.scn --measured CAPTURE.csv\n"
    "                    fit model figures to a measured wake; write a figure file\n"
    "  report FILE.scn -o DIR   design-review report: DIR/index.html with the verdict,\n"
    "                    the table, every chart, Monte Carlo, warnings, assumptions\n"
    "\n"
    "  impsim COMMAND --help   options of a command\n"
    "  --help, --version\n"
    "\n"
    "Exit codes: 0 success, 1 a check or verdict failed, 2 bad input, 3 system error,\n"
    "4 (decide) no variant meets the target.\n"
    "Data (models, cells) from $IMPSIM_DATADIR, else the build tree of an impsim\n"
    "not installed, else " IMPSIM_PKGDATADIR ".\n"
    "Reporting bugs: see " PACKAGE_BUGREPORT ".\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return DIAG_EXIT_INPUT;
    }
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(c, "--version")) {
        printf("impsim %s\n", PACKAGE_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"run", cmd_run}, {"models", cmd_models}, {"battery", cmd_battery},
                {"check", cmd_check}, {"compare", cmd_compare}, {"decide", cmd_decide},
                {"sweep", cmd_sweep}, {"plot", cmd_plot}, {"calibrate", cmd_calibrate},
                {"report", cmd_report}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(c, cmds[i].name))
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "impsim: error: unknown command '%s'; expected run, models, battery, "
            "check, compare, decide, sweep, plot, calibrate or report\nTry 'impsim --help'.\n", c);
    return DIAG_EXIT_INPUT;
}
