/* chart.c — gnuplot runs for charts (see chart.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "chart.h"
#include "config.h"
#include "outfile.h"
#include "paths.h"
#include "pool.h"

const char *chart_term(const char *out)
{
    size_t n = strlen(out);
    if (n > 4 && !strcmp(out + n - 4, ".png"))
        return "pngcairo";
    if (n > 4 && !strcmp(out + n - 4, ".svg"))
        return "svg";
    return NULL;
}

static int chart_gnuplot(const char *script, const char *expr)
{
    const char *gp = strcmp(IMPSIM_GNUPLOT, "no") ? IMPSIM_GNUPLOT : "gnuplot";
    fflush(NULL);
    pid_t parent = getpid(), pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        pool_child_init(parent);    /* gnuplot ends with an interrupted impsim */
        execlp(gp, gp, "-e", expr, script, (char *)NULL);
        fprintf(stderr, "impsim: error: cannot run %s: %s (install gnuplot-nox)\n", gp,
                strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Copy the drawn chart from the scratch file into out; 0, or -1 after
 * printing why. */
static int chart_copy(const char *from, const char *out)
{
    FILE *in = fopen(from, "rb");
    outfile *o = in ? outfile_open(out) : NULL;
    if (!o) {
        if (in)
            fclose(in);
        else
            fprintf(stderr, "impsim: error: cannot read %s: %s\n", from, strerror(errno));
        return -1;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, outfile_fp(o));
    int bad = ferror(in);
    fclose(in);
    if (bad) {
        outfile_abort(o);
        fprintf(stderr, "impsim: error: cannot read %s\n", from);
        return -1;
    }
    return outfile_commit(o);
}

int chart_draw(const char *name, const char *vars, const char *out)
{
    const char *term = chart_term(out);
    if (!term) {
        fprintf(stderr, "impsim: error: %s: expected a .png or .svg file\n", out);
        return -1;
    }
    size_t n = strlen(vars) + 2 * strlen(out) + 256;
    char *expr = malloc(n), script[4096], tmp[4096];
    if (!expr)
        abort();
    snprintf(script, sizeof script, "%s/plots/%s.gp", impsim_datadir(), name);
    /* gnuplot draws into a scratch file of its own, in a folder of its
     * own; the chart then goes through outfile like every output (renamed
     * into place, or written through to a device, FIFO or link; never over
     * an input). The folder, not the file, is removed if a signal ends the
     * run: gnuplot may still open its output after that, and cannot
     * recreate a file in a folder that is gone. */
    const char *tdir = getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";
    char dir[4000];     /* leaves room in tmp for "/chart.svg" */
    snprintf(dir, sizeof dir, "%s/impsim-chart-XXXXXX", tdir);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "impsim: error: cannot make a scratch folder in %s: %s\n", tdir,
                strerror(errno));
        free(expr);
        return -1;
    }
    int held = outfile_dir_hold(dir);
    snprintf(tmp, sizeof tmp, "%s/chart.%s", dir, term[0] == 'p' ? "png" : "svg");
    n += strlen(impsim_datadir());
    if (!(expr = realloc(expr, n)))
        abort();
    snprintf(expr, n, "plotsdir='%s/plots'; %s%souterfile='%s'; outfile='%s'; term='%s'",
             impsim_datadir(), vars, *vars ? "; " : "", out, tmp, term);
    struct stat st;
    int rc = strchr(out, '\'') ? -1 : chart_gnuplot(script, expr);
    if (rc == 0 && (stat(tmp, &st) || st.st_size == 0))
        rc = -1;
    if (rc) {
        fprintf(stderr, "impsim: error: gnuplot could not draw %s (plots/%s.gp)\n", out, name);
    } else {
        rc = chart_copy(tmp, out);
    }
    unlink(tmp);
    rmdir(dir);
    outfile_dir_release(held);
    free(expr);
    return rc;
}

void chart_unit(units_dim dim, double vmax, double *scale, const char **name)
{
    double v = vmax < 0 ? -vmax : vmax;
    *scale = 1;
    *name = units_si_name(dim);
    if (dim == DIM_TIME) {
        if (v >= 3 * 86400.0)
            *scale = 1 / 86400.0, *name = "d";
        else if (v >= 3 * 3600.0)
            *scale = 1 / 3600.0, *name = "h";
        else if (v >= 120)
            *scale = 1 / 60.0, *name = "min";
        else if (v < 2)
            *scale = 1e3, *name = "ms";
        else
            *name = "s";
    } else if (dim == DIM_CURRENT) {
        if (v >= 1)
            *name = "A";
        else if (v >= 1e-3)
            *scale = 1e3, *name = "mA";
        else if (v >= 1e-6)
            *scale = 1e6, *name = "µA";
        else
            *scale = 1e9, *name = "nA";
    } else if (dim == DIM_VOLTAGE && v < 1) {
        *scale = 1e3, *name = "mV";
    } else if (dim == DIM_RATIO) {
        *scale = 100, *name = "%";
    } else if (dim == DIM_FREQ && v >= 1e6) {
        *scale = 1e-6, *name = "MHz";
    } else if (dim == DIM_FREQ && v >= 1e3) {
        *scale = 1e-3, *name = "kHz";
    }
}

char *chart_gp_text(const char *s, char *buf, size_t n)
{
    size_t k = 0;
    for (; *s && k + 4 < n; s++) {
        if (*s == '\'') {
            memcpy(buf + k, "\xe2\x80\x99", 3);   /* ’ */
            k += 3;
        } else if (*s == '\n' && k + 10 < n) {
            memcpy(buf + k, "'.\"\\n\".'", 8);    /* a line break: '...'."\n".'...' */
            k += 8;
        } else {
            buf[k++] = (unsigned char)*s < ' ' ? ' ' : *s;
        }
    }
    buf[k] = '\0';
    return buf;
}

char *chart_fmt(double v, units_dim dim, char *buf, int len)
{
    char tmp[64];
    units_format(v, dim, tmp, sizeof tmp);
    /* "158.8 uA" -> "158.8 µA": a 'u' after a space, before a unit letter */
    char *u = strstr(tmp, " u");
    if (u && u[2] && u[2] != ' ') {
        snprintf(buf, (size_t)len, "%.*s µ%s", (int)(u - tmp), tmp, u + 2);
        return buf;
    }
    snprintf(buf, (size_t)len, "%s", tmp);
    return buf;
}

char *chart_gp_word(const char *s, char *buf, size_t n)
{
    char tmp[256];
    chart_gp_text(s, tmp, sizeof tmp);
    size_t k = 0;
    for (const char *p = tmp; *p && k + 3 < n; p++) {
        if (*p == ' ') {
            buf[k++] = '\xc2';   /* a no-break space: one word for gnuplot's word() */
            buf[k++] = '\xa0';
        } else {
            buf[k++] = *p;
        }
    }
    buf[k] = '\0';
    return buf;
}

void chart_spread(const double *want, int n, double d, double lo, double hi, double *at)
{
    int *cs = malloc((size_t)(n + 1) * sizeof *cs), *cn = malloc((size_t)(n + 1) * sizeof *cn);
    double *cp = malloc((size_t)(n + 1) * sizeof *cp);   /* clusters: first, count, place */
    if (!cs || !cn || !cp)
        abort();
    int nc = 0;
    for (int i = 0; i < n; i++) {
        cs[nc] = i, cn[nc] = 1, cp[nc] = want[i], nc++;
        for (;;) {
            int k = nc - 1;
            double mean = 0;
            for (int j = 0; j < cn[k]; j++)
                mean += want[cs[k] + j] - j * d;
            mean /= cn[k];
            cp[k] = fmax(lo, fmin(mean, hi - (cn[k] - 1) * d));
            if (k == 0 || cp[k - 1] + cn[k - 1] * d <= cp[k])
                break;
            cn[k - 1] += cn[k];   /* overlaps the cluster before it: merge */
            nc--;
        }
    }
    for (int k = 0; k < nc; k++)
        for (int j = 0; j < cn[k]; j++)
            at[cs[k] + j] = cp[k] + j * d;
    free(cs), free(cn), free(cp);
}
