/* pool.c — a fork-per-job worker pool with results through pipes. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pool.h"
#include "progress.h"

typedef struct {
    pid_t pid;
    int fd, job;
    size_t got;
} pool_slot;

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

static int pool_start(pool_slot *s, int job, size_t size, pool_fn fn, void *ctx)
{
    int fds[2];
    if (pipe(fds))
        return -1;
    fflush(NULL);
    pid_t parent = getpid(), pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        pool_child_init(parent);
        close(fds[0]);
        char *out = calloc(1, size);
        if (!out)
            _exit(1);
        fn(job, ctx, out);
        fflush(NULL);
        for (size_t n = 0; n < size;) {
            ssize_t w = write(fds[1], out + n, size - n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                _exit(1);
            n += (size_t)w;
        }
        _exit(0);
    }
    close(fds[1]);
    *s = (pool_slot){pid, fds[0], job, 0};
    return 0;
}

/* Read what is there; returns 1 when the child's pipe is closed. */
static int pool_drain(pool_slot *s, char *dst, size_t size)
{
    ssize_t n;
    do
        n = read(s->fd, dst + s->got, size - s->got);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        s->got += (size_t)n;
        return 0;
    }
    return 1;   /* end of file (or error): the child is done */
}

static void pool_finish(pool_slot *s, size_t size, char *dst, int *ok)
{
    int status;
    close(s->fd);
    while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
        ;
    int good = s->got == size && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!good)
        memset(dst, 0, size);
    ok[s->job] = good;
    s->pid = 0;
}

int pool_run(int njobs, int workers, size_t size, pool_fn fn, void *ctx,
             void *results, int *ok)
{
    if (workers <= 0)
        workers = pool_cpus();
    pool_slot *slot = calloc((size_t)workers, sizeof *slot);
    struct pollfd *pf = calloc((size_t)workers, sizeof *pf);
    int *idx = calloc((size_t)workers, sizeof *idx);
    if (!slot || !pf || !idx)
        abort();
    char *res = results;
    int next = 0, running = 0, rc = 0, done = 0;
    char what[48];
    snprintf(what, sizeof what, "%d simulations", njobs);
    progress_start(what);
    memset(res, 0, (size_t)njobs * size);
    memset(ok, 0, (size_t)njobs * sizeof *ok);
    while (next < njobs || running) {
        for (int i = 0; i < workers && next < njobs; i++)
            if (!slot[i].pid) {
                if (pool_start(&slot[i], next, size, fn, ctx)) {
                    rc = running ? 0 : -1;
                    next = njobs;   /* start no more; finish the running ones */
                    break;
                }
                next++;
                running++;
            }
        int n = 0;
        for (int i = 0; i < workers; i++)
            if (slot[i].pid) {
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
            if (pool_drain(s, res + (size_t)s->job * size, size)) {
                pool_finish(s, size, res + (size_t)s->job * size, ok);
                running--;
                progress_update((double)++done / njobs, NULL);
            }
        }
    }
    progress_end();
    free(slot);
    free(pf);
    free(idx);
    return rc;
}
