/* pool.c — a pool of fork()ed worker processes, each running job after job,
 * with job numbers and results through a socket pair per worker.
 *
 * A worker is forked once and runs jobs until the parent closes its end
 * (a fork costs 1-2 ms of the parent's page tables and copy-on-write
 * faults: a 100-step sweep ran 600 jobs, each in a fork of its own). A
 * job's result is complete or the job failed: a worker that dies in a job
 * (crash, exit) fails that job only, and a new worker takes the jobs left.
 * Jobs must not rely on a fresh process: each starts from the state the
 * parent had at pool_run, plus whatever earlier jobs of the same worker
 * left behind (nothing, for the jobs here: they load, run and free; the
 * engine keeps SimGrid started in a worker, pool_in_worker, and runs each
 * simulation there on SimGrid's one clock, not in a fork of its own). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pool.h"
#include "progress.h"

typedef struct {
    pid_t pid;          /* 0: no worker */
    int fd;             /* the parent's end of the socket pair */
    int job;            /* the job it runs, -1: idle */
    size_t got;         /* result bytes received */
} pool_slot;

/* This process is a pool worker (set in the worker after its fork). */
static int pool_worker_flag;

int pool_in_worker(void)
{
    return pool_worker_flag;
}

void pool_child_init(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)    /* the parent died before prctl */
        _exit(1);
}

int pool_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Read exactly n bytes from fd into buf, retrying on EINTR and short
 * reads: the one way a parent and its forked child pass results (pool
 * workers, engine_run's child). 0, or -1 on EOF or a read error. */
int pool_read_all(int fd, void *buf, size_t n)
{
    char *b = buf;
    while (n) {
        ssize_t k = read(fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Write exactly n bytes of buf to fd, retrying on EINTR and short
 * writes: the other half of pool_read_all. 0, or -1 on a write error. */
int pool_write_all(int fd, const void *buf, size_t n)
{
    const char *b = buf;
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The worker: read a job number, run it, send its result; until EOF. */
static void pool_worker(int fd, size_t size, pool_fn fn, void *ctx)
{
    char *out = malloc(size ? size : 1);
    if (!out)
        _exit(1);
    int job;
    while (pool_read_all(fd, &job, sizeof job) == 0) {
        memset(out, 0, size);
        fn(job, ctx, out);
        fflush(NULL);
        if (pool_write_all(fd, out, size))
            _exit(1);
    }
    free(out);
    _exit(0);
}

/* Start a worker in s; the others (slot[0..n)) stay the parent's: the
 * child closes its copies of their sockets, else a worker would not see
 * the end of its socket when the parent closes it. */
static int pool_spawn(pool_slot *s, const pool_slot *slot, int n, size_t size, pool_fn fn,
                      void *ctx)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
        return -1;
    fflush(NULL);
    pid_t parent = getpid(), pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        pool_child_init(parent);
        pool_worker_flag = 1;
        close(sv[0]);
        for (int i = 0; i < n; i++)
            if (slot[i].pid && &slot[i] != s)
                close(slot[i].fd);
        pool_worker(sv[1], size, fn, ctx);
    }
    close(sv[1]);
    *s = (pool_slot){pid, sv[0], -1, 0};
    return 0;
}

/* Close the worker's socket (it exits at EOF) and reap it. */
static void pool_retire(pool_slot *s)
{
    int status;
    close(s->fd);
    while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
        ;
    s->pid = 0;
    s->job = -1;
}

/* Give job j to the idle worker s. -1 when it cannot take it (dead). */
static int pool_give(pool_slot *s, int j)
{
    if (send(s->fd, &j, sizeof j, MSG_NOSIGNAL) != (ssize_t)sizeof j)
        return -1;
    s->job = j;
    s->got = 0;
    return 0;
}

int pool_run(int njobs, int workers, size_t size, pool_fn fn, void *ctx,
             void *results, int *ok)
{
    if (pool_worker_flag) {     /* no forks of a worker (pool_in_worker) */
        char *res = results;
        memset(res, 0, (size_t)(njobs > 0 ? njobs : 0) * size);
        for (int j = 0; j < njobs; j++) {
            fn(j, ctx, res + (size_t)j * size);
            ok[j] = 1;
        }
        return 0;
    }
    if (workers <= 0)
        workers = pool_cpus();
    if (workers > njobs)
        workers = njobs > 0 ? njobs : 1;
    pool_slot *slot = calloc((size_t)workers, sizeof *slot);
    struct pollfd *pf = calloc((size_t)workers, sizeof *pf);
    int *idx = calloc((size_t)workers, sizeof *idx);
    if (!slot || !pf || !idx)
        abort();
    char *res = results;
    int next = 0, rc = 0, done = 0, started = 0;
    char what[48];
    snprintf(what, sizeof what, "%d simulations", njobs);
    progress_start(what);
    memset(res, 0, (size_t)njobs * size);
    memset(ok, 0, (size_t)njobs * sizeof *ok);
    for (;;) {
        /* every idle worker (or empty slot, while jobs are left) gets a job */
        for (int i = 0; i < workers && next < njobs; i++) {
            pool_slot *s = &slot[i];
            if (s->pid && s->job >= 0)
                continue;
            if (!s->pid && pool_spawn(s, slot, workers, size, fn, ctx)) {
                if (!started)
                    rc = -1;
                next = njobs;   /* start no more; finish the running ones */
                break;
            }
            started = 1;
            if (pool_give(s, next)) {   /* it died idle: the job fails */
                pool_retire(s);
                progress_update((double)++done / njobs, NULL);
            }
            next++;
        }
        int n = 0;
        for (int i = 0; i < workers; i++)
            if (slot[i].pid && slot[i].job >= 0) {
                pf[n] = (struct pollfd){slot[i].fd, POLLIN, 0};
                idx[n++] = i;
            }
        if (!n)
            break;
        if (poll(pf, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int k = 0; k < n; k++) {
            pool_slot *s = &slot[idx[k]];
            if (!pf[k].revents)
                continue;
            char *dst = res + (size_t)s->job * size;
            ssize_t r;
            do
                r = read(s->fd, dst + s->got, size - s->got);
            while (r < 0 && errno == EINTR);
            if (r > 0)
                s->got += (size_t)r;
            if (r > 0 && s->got < size)
                continue;
            if (r > 0) {                        /* the whole result: next job */
                ok[s->job] = 1;
                s->job = -1;
            } else {                            /* died in the job: it fails */
                memset(dst, 0, size);
                pool_retire(s);
            }
            progress_update((double)++done / njobs, NULL);
        }
    }
    for (int i = 0; i < workers; i++)
        if (slot[i].pid)
            pool_retire(&slot[i]);
    progress_end();
    free(slot);
    free(pf);
    free(idx);
    return rc;
}
