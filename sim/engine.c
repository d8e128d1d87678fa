/* engine.c — SimGrid glue: one actor per simulated device, run in a child
 * process, ledger returned through a pipe. */
#include <errno.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "device.h"
#include "engine.h"

#ifndef IMPSIM_SANITIZED
#define IMPSIM_SANITIZED 0
#endif

/* The child's simulation context: SimGrid actors take (argc, argv) only. */
static struct {
    const plan *p;
    FILE *trace;
    engine_result *r;
    int rc;
} engine_ctx;

static void engine_advance(void *ctx, tick_t now)
{
    (void)ctx;
    sg_actor_sleep_until(ticks_to_s(now));
}

static void engine_trace(void *ctx, tick_t t, const double cur[COMP__COUNT])
{
    FILE *fp = ctx;
    double total = 0;
    for (int c = 0; c < COMP__COUNT; c++)
        total += cur[c];
    fprintf(fp, "%.15g,%.9g", ticks_to_s(t), total);
    for (int c = 0; c < COMP__COUNT; c++)
        fprintf(fp, ",%.9g", cur[c]);
    fputc('\n', fp);
}

static void engine_trace_header(FILE *fp)
{
    fputs("time_s,current_A", fp);
    for (int c = 0; c < COMP__COUNT; c++)
        fprintf(fp, ",%s_A", comp_name((comp_id)c));
    fputc('\n', fp);
}

static void engine_device_actor(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    device_hooks h = {engine_advance, engine_ctx.trace ? engine_trace : NULL,
                      engine_ctx.trace};
    engine_ctx.r->L = engine_ctx.p->names;
    engine_ctx.rc = device_run(engine_ctx.p, &engine_ctx.r->L, &h);
}

/* A one-host platform: the device. Written to a temporary file because
 * SimGrid's C API loads platforms from files only. */
static int engine_platform(void)
{
    static const char xml[] =
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
        "<platform version=\"4.1\"><zone id=\"impsim\" routing=\"None\">"
        "<host id=\"device\" speed=\"1f\"/></zone></platform>\n";
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/impsim-platform-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    int ok = write(fd, xml, sizeof xml - 1) == (ssize_t)(sizeof xml - 1);
    close(fd);
    if (ok)
        simgrid_load_platform(path);
    unlink(path);
    return ok ? 0 : -1;
}

static int engine_child(const plan *p, FILE *trace, int fd)
{
    engine_result r;
    memset(&r, 0, sizeof r);
    engine_ctx.p = p;
    engine_ctx.trace = trace;
    engine_ctx.r = &r;
    /* Under the sanitizers, actors run as threads: ASan cannot follow
     * SimGrid's default stack-switching contexts. */
    char a0[] = "impsim", a1[] = "--log=root.thres:critical",
         a2[] = "--cfg=contexts/factory:thread";
    char *argv[] = {a0, a1, a2, NULL};
    int argc = getenv("IMPSIM_THREAD_CONTEXTS") || IMPSIM_SANITIZED ? 3 : 2;
    simgrid_init(&argc, argv);
    if (engine_platform())
        return 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (trace)
        engine_trace_header(trace);
    sg_actor_create("device", sg_host_by_name("device"), engine_device_actor, 0, NULL);
    simgrid_run();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r.sg_clock = simgrid_get_clock();
    r.wall_s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (trace && fflush(trace))
        return 1;
    const char *b = (const char *)&r;
    size_t left = sizeof r;
    while (left) {
        ssize_t w = write(fd, b, left);
        if (w <= 0)
            return 1;
        b += w;
        left -= (size_t)w;
    }
    return engine_ctx.rc ? 2 : 0;
}

static int engine_read(int fd, engine_result *r)
{
    char *b = (char *)r;
    size_t left = sizeof *r;
    while (left) {
        ssize_t n = read(fd, b, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        b += n;
        left -= (size_t)n;
    }
    return 0;
}

int engine_run(const plan *p, FILE *trace, engine_result *r)
{
    int fds[2];
    if (pipe(fds)) {
        perror("impsim: pipe");
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("impsim: fork");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        _exit(engine_child(p, trace, fds[1]));
    }
    close(fds[1]);
    int got = engine_read(fds[0], r);
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (got || !WIFEXITED(status) || WEXITSTATUS(status) == 1) {
        fprintf(stderr, "impsim: error: the simulation process failed (%s %d)\n",
                WIFSIGNALED(status) ? "signal" : "exit status",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        return -1;
    }
    if (WEXITSTATUS(status) == 2 || r->L.overflow) {
        fprintf(stderr, "impsim: error: a time total passed the 64-bit tick range\n");
        return -1;
    }
    return 0;
}
