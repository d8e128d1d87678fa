/* progress.c — the progress line (see progress.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"

static struct {
    int active, tty, shown;
    pid_t pid;
    double t0, last, after;
    char what[64];
} progress_st;

static double progress_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void progress_start(const char *what)
{
    if (progress_st.active)
        return;
    const char *a = getenv("IMPSIM_PROGRESS_AFTER");
    progress_st.active = 1;
    progress_st.tty = isatty(STDERR_FILENO);
    progress_st.shown = 0;
    progress_st.pid = getpid();
    progress_st.t0 = progress_now();
    progress_st.last = 0;
    progress_st.after = a && *a ? atof(a) : 2.0;
    snprintf(progress_st.what, sizeof progress_st.what, "%s", what);
}

void progress_update(double done, const char *detail)
{
    if (!progress_st.active || !progress_st.tty)
        return;
    double t = progress_now();
    if (t - progress_st.t0 < progress_st.after || t - progress_st.last < 0.2 ||
        getpid() != progress_st.pid)
        return;
    progress_st.last = t;
    progress_st.shown = 1;
    char pct[16] = "";
    if (done >= 0)
        snprintf(pct, sizeof pct, " %3.0f %%", 100 * (done > 1 ? 1 : done));
    fprintf(stderr, "\r\033[Kimpsim: %s%s%s%s (%.0f s)", progress_st.what, pct,
            detail ? ", " : "", detail ? detail : "", t - progress_st.t0);
    fflush(stderr);
}

void progress_end(void)
{
    if (!progress_st.active || getpid() != progress_st.pid)
        return;
    if (progress_st.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    progress_st.active = 0;
}
