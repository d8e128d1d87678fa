/* progress.h — a progress line on stderr for commands that run long.
 *
 * Shown only when stderr is a terminal, only after the work has taken 2 s
 * (IMPSIM_PROGRESS_AFTER=SECONDS changes that; tests use 0), at most five
 * times a second, on one line rewritten in place and cleared at the end,
 * so scripts and pipes never see it. One progress at a time per command:
 * the first process to start one owns it; a start while one is running
 * (a forked simulation inside a sweep) is ignored, and updates from other
 * processes are dropped. Any long-running loop can report through it
 * (simulations, worker pools, runaway-work warnings). */
#ifndef IMPSIM_PROGRESS_H
#define IMPSIM_PROGRESS_H

/* Begin a progress named `what` (e.g. "simulating", copied). No-op when
 * one is already running. */
void progress_start(const char *what);

/* Report done in [0, 1] (< 0: unknown) and an optional detail (e.g.
 * "3.2 y simulated"; NULL for none). Cheap when nothing is shown: call it
 * from loops freely. */
void progress_update(double done, const char *detail);

/* End the progress started by this process: clears its line if shown. */
void progress_end(void);

#endif
