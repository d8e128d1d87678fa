/* cmd_plot.c — `impsim plot KIND DATA.csv -o OUT.png|OUT.svg`: charts from
 * impsim's CSV outputs, drawn by gnuplot with the scripts in plots/. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "config.h"
#include "diag.h"
#include "paths.h"

static const char plot_usage[] =
    "Usage: impsim plot KIND DATA.csv -o OUT.png|OUT.svg [--title TEXT]\n"
    "Draw a chart with gnuplot from impsim's CSV output:\n"
    "  trace    current vs time, from `impsim run --trace DATA.csv`\n"
    "  sweep    battery life of each variant vs the parameter, from `impsim sweep`\n"
    "  budget   charge per component, from `impsim run --format csv`\n"
    "The format follows OUT's extension (.png or .svg). The chart is written\n"
    "completely or not at all. gnuplot is the one configure found (" IMPSIM_GNUPLOT ")\n"
    "or the first on PATH; the scripts are in plots/ of the data directory.\n";

static int plot_run(const char *script, const char *data, const char *tmp, const char *term,
                    const char *title)
{
    char expr[8192];
    snprintf(expr, sizeof expr, "datafile='%s'; outfile='%s'; term='%s'; title='%s'", data, tmp,
             term, title);
    const char *gp = strcmp(IMPSIM_GNUPLOT, "no") ? IMPSIM_GNUPLOT : "gnuplot";
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execlp(gp, gp, "-e", expr, script, (char *)NULL);
        fprintf(stderr, "impsim: error: cannot run %s: %s (install gnuplot-nox)\n", gp, strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int plot_ends(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a > b && !strcmp(s + a - b, suf);
}

/* The data file's first line must be the header impsim writes for `kind`. */
static int plot_check_header(const char *kind, const char *data)
{
    static const struct { const char *kind, *prefix, *what; } h[] = {
        {"trace", "time_s,current_A,", "impsim run --trace (time_s,current_A,...)"},
        {"budget", "section,name,state,", "impsim run --format csv (section,name,state,...)"},
        {"sweep", NULL, "impsim sweep (PARAM,VARIANT_life_s,...)"}};
    char line[512] = "";
    FILE *fp = fopen(data, "r");
    if (!fp || !fgets(line, sizeof line, fp))
        line[0] = '\0';
    if (fp)
        fclose(fp);
    line[strcspn(line, "\r\n")] = '\0';
    for (size_t k = 0; k < sizeof h / sizeof h[0]; k++) {
        if (strcmp(kind, h[k].kind))
            continue;
        int ok = h[k].prefix ? !strncmp(line, h[k].prefix, strlen(h[k].prefix))
                             : strstr(line, "_life_s") && strncmp(line, "time_s,", 7) &&
                                   strncmp(line, "section,", 8);
        if (ok)
            return 0;
        fprintf(stderr, "%s:1:1: error: found '%.60s', expected the CSV header of %s\n", data,
                line, h[k].what);
        return DIAG_EXIT_INPUT;
    }
    return 0;
}

int cmd_plot(int argc, char **argv)
{
    const char *kind = NULL, *data = NULL, *out = NULL, *title = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            fputs(plot_usage, stdout);
            return 0;
        } else if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--title") && i + 1 < argc)
            title = argv[++i];
        else if (argv[i][0] == '-')
            return cli_usage_error("plot", "unknown option '%s'", argv[i]);
        else if (!kind)
            kind = argv[i];
        else if (!data)
            data = argv[i];
        else
            return cli_usage_error("plot", "unexpected argument '%s'", argv[i]);
    }
    if (!kind || !data || !out)
        return cli_usage_error("plot", "expected KIND DATA.csv -o OUT.png|OUT.svg");
    if (strcmp(kind, "trace") && strcmp(kind, "sweep") && strcmp(kind, "budget"))
        return cli_usage_error("plot", "found kind '%s', expected trace, sweep or budget", kind);
    const char *term = plot_ends(out, ".png") ? "pngcairo" : plot_ends(out, ".svg") ? "svg" : NULL;
    if (!term)
        return cli_usage_error("plot", "-o: found '%s', expected a .png or .svg file", out);
    if (!title)
        title = data;
    if (strchr(data, '\'') || strchr(out, '\'') || strchr(title, '\''))
        return cli_usage_error("plot", "file names and titles must not contain a single quote");
    struct stat st;
    if (stat(data, &st) || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "impsim: error: %s: cannot read the data file\n", data);
        return DIAG_EXIT_INPUT;
    }
    if (plot_check_header(kind, data))
        return DIAG_EXIT_INPUT;
    char script[4096], tmp[4096];
    snprintf(script, sizeof script, "%s/plots/%s.gp", impsim_datadir(), kind);
    snprintf(tmp, sizeof tmp, "%s.tmp%ld%s", out, (long)getpid(), term[0] == 'p' ? ".png" : ".svg");
    int rc = plot_run(script, data, tmp, term, title);
    if (rc == 0 && (stat(tmp, &st) || st.st_size == 0))
        rc = -1;
    if (rc == 0 && rename(tmp, out))
        rc = -1;
    if (rc) {
        unlink(tmp);
        fprintf(stderr, "impsim: error: gnuplot could not draw %s from %s\n", out, data);
        return DIAG_EXIT_SYS;
    }
    return 0;
}
