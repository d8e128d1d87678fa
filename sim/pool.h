/* pool.h — run independent jobs in parallel in at most `workers` fork()ed
 * worker processes, each running job after job (sweeps, variants,
 * regression checks use every core). Each job fills a fixed-size result
 * that is copied back. */
#ifndef IMPSIM_POOL_H
#define IMPSIM_POOL_H

#include <stddef.h>
#include <sys/types.h>

/* Job body, run in a worker process (which may have run other jobs of the
 * same pool_run before: a job must leave no state behind that changes the
 * next one's result): fill out (size bytes, zeroed before). */
typedef void (*pool_fn)(int job, void *ctx, void *out);

/* Run jobs 0..njobs-1 with fn, at most workers at once (<= 0: the number of
 * online CPUs), size > 0. results holds njobs * size bytes; job i's result
 * lands at results + i*size. ok[i] is set to 1 when job i delivered its
 * whole result, 0 otherwise (its worker crashed or exited in it: its
 * result stays zeroed, and a new worker takes the jobs left). Returns 0,
 * or -1 when no worker could be started (fork/socketpair failure).
 * Called in a pool worker, runs the jobs in it, one after another (a job
 * that crashes there takes the worker's own job with it). */
int pool_run(int njobs, int workers, size_t size, pool_fn fn, void *ctx,
             void *results, int *ok);

/* Call first thing in every fork()ed simulation child (here and in
 * engine.c): the child is killed when its parent dies, so an interrupted
 * command (Ctrl-C, SIGTERM to impsim alone) leaves no simulation running
 * on. Linux prctl(PR_SET_PDEATHSIG). */
void pool_child_init(pid_t parent);

/* 1 in a pool worker process (which runs jobs and exits, and may keep
 * what a job started for the next: engine.c simulates there, in the
 * worker, with SimGrid started once per worker), else 0. A pool_run
 * inside a worker runs its jobs there, one after another: its workers
 * would be forks of a process holding a started SimGrid. */
int pool_in_worker(void);

/* The number of online CPUs (>= 1). */
int pool_cpus(void);

/* Read exactly n bytes from fd (EINTR and short reads retried): 0, or -1
 * on EOF or error. Shared by the pool and engine_run's forked child. */
int pool_read_all(int fd, void *buf, size_t n);

/* Write exactly n bytes to fd (EINTR and short writes retried): 0, or -1
 * on a write error. */
int pool_write_all(int fd, const void *buf, size_t n);

#endif
