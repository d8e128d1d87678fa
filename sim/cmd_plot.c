/* cmd_plot.c — `impsim plot KIND DATA.csv -o OUT.png|OUT.svg`: charts from
 * impsim's CSV outputs, drawn by gnuplot with the scripts in plots/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "chart.h"
#include "cli.h"
#include "config.h"
#include "diag.h"
#include "lex.h"
#include "num.h"
#include "outfile.h"
#include "paths.h"
#include "pipeline.h"
#include "units.h"

static const char plot_usage[] =
    "Usage: impsim plot KIND DATA.csv... -o OUT.png|OUT.svg [OPTIONS]\n"
    "Draw a chart with gnuplot from impsim's CSV output (slide size: PNG 1600x900\n"
    "px, SVG 1200x675; axes in the quantity's own unit):\n"
    "  trace    current over the whole trace (e.g. a day) with its average, from\n"
    "           `impsim run --trace DATA.csv`\n"
    "  cycle    one wake of that trace: the first after power-on that brings the\n"
    "           radio up (when wakes differ, the title says which: 1 of every k),\n"
    "           each phase shaded and named (from the trace's phase column), the\n"
    "           average over the whole cycle (all k wakes) and the peak marked\n"
    "  budget   stacked bars of average current, one per DATA.csv (`impsim run\n"
    "           --format csv`, one per variant), by activity (--by component: by\n"
    "           component), with values and shares; zero parts left out\n"
    "  overlay  one cycle measured against the model before and after the fit, from\n"
    "           `impsim calibrate --overlay DATA.csv`\n"
    "  sweep    battery life of every variant that ran against the parameter of\n"
    "           `impsim sweep` (its own unit), break-even points and --target marked\n"
    "\n"
    "  -o, --output FILE     the chart; PNG or SVG by its extension\n"
    "  --title TEXT          the title (default: the data file's name)\n"
    "  --name NAME           the legend's name for a trace (default: the file's name);\n"
    "                        for budget, one --name per DATA.csv in order\n"
    "  --by activity|component   budget split (default activity)\n"
    "  --target TIME         sweep: the battery-life target to draw (e.g. 12mo)\n"
    "\n"
    "The chart is written completely or not at all. gnuplot is the one configure\n"
    "found (" IMPSIM_GNUPLOT ") or the first on PATH; the scripts are in plots/ of\n"
    "the data directory. Exit: 0 drawn, 2 bad input, 3 gnuplot failed.\n";

#define PLOT_MAX_FILES 24

/* Every row of a trace: as many fields as the header, a finite time that
 * does not go back and a finite current, else an error at file:line:column
 * (the chart would skip the row, or draw nothing, without a word). Line
 * ends LF, CRLF or CR. Returns 0 or DIAG_EXIT_INPUT after printing why. */
static int plot_check_trace(const char *data)
{
    FILE *fp = fopen(data, "r");
    if (!fp)
        return 0;   /* said by the reader */
    char *buf = NULL;
    size_t cap = 0;
    long len;
    int line = 0, nf = 0, rc = 0;
    double prev = -HUGE_VAL;
    diag *d = diag_new();
    while (!rc && (len = lex_getline(fp, &buf, &cap)) >= 0) {
        line++;
        int k = 1;
        for (const char *c = buf; *c; c++)
            k += *c == ',';
        diag_pos pos = {data, line, 1};
        if ((long)strlen(buf) != len) {
            pos.col = (int)strlen(buf) + 1;
            diag_error(d, pos, "found a NUL byte, expected CSV text");
        } else if (line == 1) {
            nf = k;
            continue;
        } else if (k != nf) {
            diag_error(d, pos, "found %d fields, expected %d as in the header", k, nf);
        } else {
            char *cur = strchr(buf, ','), *tend, *iend;
            double t = strtod(buf, &tend);
            double i = strtod(cur + 1, &iend);
            if (tend != cur || !isfinite(t)) {
                diag_error(d, pos, "found '%.*s', expected a finite time in s", (int)(cur - buf), buf);
            } else if (t < prev) {
                diag_error(d, pos, "found time %s s before the %s s of the row above, expected "
                           "times that do not go back", NUM_C(t), NUM_C(prev));
            } else if ((*iend != ',' && *iend) || !isfinite(i) || iend == cur + 1) {
                pos.col = (int)(cur - buf) + 2;
                diag_error(d, pos, "found '%.*s', expected a finite current in A",
                           (int)strcspn(cur + 1, ","), cur + 1);
            }
            prev = t;
        }
        rc = diag_count(d) ? DIAG_EXIT_INPUT : 0;
    }
    if (!rc) {      /* gnuplot reads the file itself, and only LF or CRLF line ends */
        rewind(fp);
        int c, prev_cr = 0;
        line = 1;
        while ((c = getc(fp)) != EOF && !(prev_cr && c != '\n')) {
            line += c == '\n';
            prev_cr = c == '\r';
        }
        if (prev_cr && c != EOF) {
            diag_error(d, (diag_pos){data, line, 1}, "found lines ended by a lone CR (classic "
                       "Mac OS), expected LF or CRLF line ends (gnuplot reads the file: convert "
                       "it with tr '\\r' '\\n')");
            rc = DIAG_EXIT_INPUT;
        }
    }
    fclose(fp);
    free(buf);
    diag_print(d, stderr);
    diag_free(d);
    return rc;
}

/* The data file's first line must be the header impsim writes for `kind`. */
static int plot_check_header(const char *kind, const char *data)
{
    static const struct { const char *kind, *prefix, *what; } h[] = {
        {"trace", "time_s,current_A,", "impsim run --trace (time_s,current_A, a column per "
         "component, phase)"},
        {"budget", "section,name,state,", "impsim run --format csv (section,name,state,...)"},
        {"overlay", "t_s,measured_A,model_A,fitted_A", "impsim calibrate --overlay (t_s,measured_A,...)"},
        {"sweep", NULL, "impsim sweep (PARAM,VARIANT_life_s,...)"}};
    char line[512] = "";
    FILE *fp = fopen(data, "r");
    if (!fp || !fgets(line, sizeof line, fp))
        line[0] = '\0';
    if (fp)
        fclose(fp);
    line[strcspn(line, "\r\n")] = '\0';
    const char *l = strncmp(line, "\xEF\xBB\xBF", 3) ? line : line + 3;   /* a UTF-8 BOM */
    for (size_t k = 0; k < sizeof h / sizeof h[0]; k++) {
        if (strcmp(kind, h[k].kind))
            continue;
        int ok = h[k].prefix ? !strncmp(l, h[k].prefix, strlen(h[k].prefix))
                             : strstr(l, "_life_s") && strncmp(l, "time_s,", 7) &&
                                   strncmp(l, "section,", 8);
        if (ok)
            return 0;
        diag *d = diag_new();   /* diag shows control bytes as \xNN */
        diag_error(d, (diag_pos){data, 1, 1}, "found '%.60s', expected the CSV header of %s", l,
                   h[k].what);
        diag_print(d, stderr);
        diag_free(d);
        return DIAG_EXIT_INPUT;
    }
    return 0;
}

/* "dir/name.csv" -> "name" into buf. */
static const char *plot_stem(const char *path, char *buf, size_t n)
{
    const char *b = strrchr(path, '/');
    snprintf(buf, n, "%s", b ? b + 1 : path);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
    return buf;
}

int cmd_plot(int argc, char **argv)
{
    const char *kind = NULL, *data[PLOT_MAX_FILES], *names[PLOT_MAX_FILES], *out = NULL,
               *title = NULL, *by = "activity";
    int ndata = 0, nnames = 0;
    double target_s = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            fputs(plot_usage, stdout);
            return 0;
        } else if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--title") && i + 1 < argc) {
            title = argv[++i];
        } else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
            if (nnames == PLOT_MAX_FILES)
                return cli_usage_error("plot", "--name: at most %d", PLOT_MAX_FILES);
            names[nnames++] = argv[++i];
        } else if (!strcmp(argv[i], "--by") && i + 1 < argc) {
            by = argv[++i];
            if (strcmp(by, "activity") && strcmp(by, "component"))
                return cli_usage_error("plot", "--by: found '%s', expected activity or component", by);
        } else if (!strcmp(argv[i], "--target") && i + 1 < argc) {
            char num[64];
            const char *t = argv[++i];
            int k = units_split(t);
            units_dim dim;
            snprintf(num, sizeof num, "%.*s", k, t);
            if (!k || units_parse(num, t + k + strspn(t + k, " "), &target_s, &dim) ||
                dim != DIM_TIME || !(target_s > 0))
                return cli_usage_error("plot", "--target: found '%s', expected a time with its "
                                       "unit (12mo, 2y, 400d)", t);
        } else if (argv[i][0] == '-') {
            return cli_usage_error("plot", "unknown option '%s'", argv[i]);
        } else if (!kind) {
            kind = argv[i];
        } else if (ndata < PLOT_MAX_FILES) {
            data[ndata++] = argv[i];
        } else {
            return cli_usage_error("plot", "unexpected argument '%s' (at most %d data files)",
                                   argv[i], PLOT_MAX_FILES);
        }
    }
    if (!kind || !ndata || !out)
        return cli_usage_error("plot", "expected KIND DATA.csv -o OUT.png|OUT.svg");
    int is_trace = !strcmp(kind, "trace") || !strcmp(kind, "cycle");
    if (!is_trace && strcmp(kind, "sweep") && strcmp(kind, "budget") && strcmp(kind, "overlay"))
        return cli_usage_error("plot", "found kind '%s', expected trace, cycle, sweep, budget or "
                               "overlay", kind);
    if (!chart_term(out))
        return cli_usage_error("plot", "-o: found '%s', expected a .png or .svg file", out);
    if (strcmp(kind, "budget") && ndata > 1)
        return cli_usage_error("plot", "%s: found %d data files, expected one", kind, ndata);
    if (!strcmp(kind, "budget") && nnames && nnames != ndata)
        return cli_usage_error("plot", "--name: found %d, expected one per data file (%d)",
                               nnames, ndata);
    for (int k = 0; k < ndata; k++) {
        if (strchr(data[k], '\'') || strchr(data[k], '"'))
            return cli_usage_error("plot", "data file names must not contain quotes");
        struct stat st;
        if (stat(data[k], &st) || !S_ISREG(st.st_mode)) {
            fprintf(stderr, "impsim: error: %s: cannot read the data file\n", data[k]);
            return DIAG_EXIT_INPUT;
        }
        if (plot_check_header(is_trace ? "trace" : kind, data[k]) ||
            (is_trace && plot_check_trace(data[k])))
            return DIAG_EXIT_INPUT;
    }
    if (strchr(out, '\''))
        return cli_usage_error("plot", "-o: the file name must not contain a single quote");
    const char *label = "-o";
    if (outfile_check(&out, &label, 1, data, ndata))
        return DIAG_EXIT_INPUT;
    if (!title)
        title = data[0];
    char stems[PLOT_MAX_FILES][128];
    for (int k = nnames; k < ndata; k++)
        names[k] = plot_stem(data[k], stems[k], sizeof stems[k]);
    int rc;
    if (!strcmp(kind, "trace"))
        rc = chart_day(data[0], title, names[0], chart_color(0), out);
    else if (!strcmp(kind, "cycle"))
        rc = chart_cycle(data[0], title, names[0], NULL, chart_color(0), out);
    else if (!strcmp(kind, "budget"))
        rc = chart_budget(data, names, ndata, by, title, out);
    else if (!strcmp(kind, "overlay"))
        rc = chart_overlay(data[0], title, out);
    else
        rc = chart_sweep(data[0], title, target_s, 0, NULL, PIPELINE_HORIZON_S, 0, 0, out);
    return rc ? DIAG_EXIT_SYS : 0;
}
