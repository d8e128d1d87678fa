/* engine.c — SimGrid glue: one actor per simulated device, n devices in
 * one simulation; run in a forked child (results back through a pipe), or
 * in this process when it is a pool worker (SimGrid started once there). */
#include <errno.h>
#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "num.h"
#include "pool.h"
#include "config.h"
#include "device.h"
#include "engine.h"
#include "progress.h"

#ifndef IMPSIM_SANITIZED
#define IMPSIM_SANITIZED 0
#endif

/* One device's simulation context (the actor's data). */
typedef struct {
    plan p;                 /* shallow copy, duration possibly overridden */
    double base;            /* SimGrid's clock when the device powered on (s): a
                             * process runs simulation after simulation on one clock */
    const engine_opts *o;
    engine_result *r;
    battery *bat;
    int rc;
    tick_t now;
    int halt;                       /* steady state found: end the run */
    unsigned long waits;            /* for the progress line */
    /* the open segment */
    int open, radio;
    tick_t t0;
    double i0;
    /* battery fast-forward: one period's segments */
    tick_t period_end;              /* 0 until the repeat is found */
    battery_segment *seg;
    tick_t *seg_at;                 /* each recorded segment's start */
    size_t nseg, cap;
    double seg_C;                   /* module-side charge of the recorded segments */
    int buffering;                  /* recording every segment since power-on (engine_take) */
    int taken;                      /* the period is recorded: apply nothing more */
    tick_t quasi;                   /* a quasi-repeat's period (0: an exact repeat) */
    double quasi_C;                 /* its recording ends once seg_C reaches this */
    int status;                     /* 0, 1 failed (a trace's write), 2 tick overflow */
} engine_child_ctx;

/* A quasi-repeat's recording (engine_quasi): one calibration burst and
 * one keepalive at most this share of its charge; at most this many
 * segments (a segment and its start, 32 B; the arrays grow by doubling)
 * in it, else it is not taken. The buffer of a battery run (engine_take):
 * at most this many segments before it is given up (freed) for recording
 * the next period. */
#define ENGINE_QUASI_TOL 1e-4
#define ENGINE_QUASI_SEGS (1u << 20)
#define ENGINE_BUFFER_SEGS (1u << 18)

/* This process has SimGrid started (simgrid_init and the platform): 1,
 * -1 when that failed, 0 not yet. SimGrid starts once per process. */
static int engine_sg_state;
/* This process simulates itself (the forked child of engine_run_batch). */
static int engine_is_child;

static void engine_advance(void *ctx, tick_t now)
{
    engine_child_ctx *c = ctx;
    sg_actor_sleep_until(c->base + ticks_to_s(now));
    if (!(++c->waits & 1023)) {
        char d[48];
        snprintf(d, sizeof d, "%.3g d simulated", ticks_to_s(now) / 86400);
        progress_update((double)now / (double)c->p.duration, d);
    }
}

/* A quasi-repeat's recording has reached period_end, a whole number of
 * its periods: 1 when it holds enough charge (quasi_C), else record one
 * period more (0). */
static int engine_quasi_done(engine_child_ctx *c)
{
    if (c->seg_C >= c->quasi_C)
        return 1;
    c->period_end += c->quasi;
    return 0;
}

/* Forget the segments recorded, and their memory. */
static void engine_drop(engine_child_ctx *c)
{
    free(c->seg);
    free(c->seg_at);
    c->seg = NULL;
    c->seg_at = NULL;
    c->nseg = c->cap = 0;
    c->seg_C = 0;
}

/* The device is at the wake where a repeat of `period` was found: end the
 * run here, the recording being the period just run. */
static void engine_taken(engine_child_ctx *c, tick_t now)
{
    c->period_end = now;
    c->taken = 1;
    c->halt = 1;
}

static int engine_stop(void *ctx, tick_t now)
{
    engine_child_ctx *c = ctx;
    c->now = now;
    return c->halt || (c->bat && battery_ended(c->bat) != BATTERY_ALIVE) ||
           (c->period_end && c->now >= c->period_end && (!c->quasi || engine_quasi_done(c)));
}

static void engine_close(engine_child_ctx *c, tick_t t);

/* Record segment s, which started at t0. */
static void engine_capture(engine_child_ctx *c, const battery_segment *s, tick_t t0)
{
    if (c->buffering && !c->period_end && c->nseg >= ENGINE_BUFFER_SEGS) {
        c->buffering = 0;       /* too long a wait for the repeat: record the next period */
        engine_drop(c);
        return;
    }
    if (c->nseg == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 1024;
        c->seg = realloc(c->seg, c->cap * sizeof *c->seg);
        c->seg_at = realloc(c->seg_at, c->cap * sizeof *c->seg_at);
        if (!c->seg || !c->seg_at)
            abort();
    }
    c->seg_at[c->nseg] = t0;
    c->seg[c->nseg++] = *s;
    c->seg_C += s->current_A * s->duration_s;
}

/* Where the period that ends now (from now - period) starts in the buffer
 * of segments since power-on: 1 with *from its first segment and *q its
 * charge (C, module side, the open segment's part up to now included), or
 * 0 when it is not there whole (the buffer was given up, or no segment
 * starts at now - period: a wake whose current is the sleep's). Changes
 * nothing. */
static int engine_buffered(const engine_child_ctx *c, tick_t now, tick_t period, size_t *from,
                           double *q)
{
    if (!c->buffering)
        return 0;
    tick_t t = now - period;
    size_t lo = 0, hi = c->nseg;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->seg_at[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    int open = c->open && now > c->t0;
    if (!(lo < c->nseg ? c->seg_at[lo] == t : open && c->t0 == t))
        return 0;
    *from = lo;
    *q = open ? c->i0 * ticks_to_s(now - c->t0) : 0;
    for (size_t k = lo; k < c->nseg; k++)
        *q += c->seg[k].current_A * c->seg[k].duration_s;
    return 1;
}

/* Keep, of the segments buffered since power-on, those of the period that
 * ends now (engine_buffered): 1, or 0 when it is not there whole (the
 * buffer is then dropped). Either way the buffering ends, the open segment
 * closed at now. Why: the state at now - period is the state at now, so
 * that period is the next one's twin: recording it again would simulate
 * it twice. */
static int engine_take(engine_child_ctx *c, tick_t now, tick_t period)
{
    size_t lo;
    double q;
    int found = engine_buffered(c, now, period, &lo, &q);
    engine_close(c, now);
    c->t0 = now;
    if (!c->buffering)
        return 0;
    c->buffering = 0;
    if (!found) {
        engine_drop(c);
        return 0;
    }
    c->nseg -= lo;
    memmove(c->seg, c->seg + lo, c->nseg * sizeof *c->seg);
    memmove(c->seg_at, c->seg_at + lo, c->nseg * sizeof *c->seg_at);
    c->seg_C = q;           /* the period's charge, its last segment now closed */
    return 1;
}

/* Close the open segment at time t: battery and capture. */
static void engine_close(engine_child_ctx *c, tick_t t)
{
    if (!c->open || t <= c->t0 || c->taken)
        return;
    battery_segment s;
    memset(&s, 0, sizeof s);    /* padding too: the segments go through a pipe */
    s.current_A = c->i0;
    s.duration_s = ticks_to_s(t - c->t0);
    s.wifi = c->radio;
    if (c->bat && battery_ended(c->bat) == BATTERY_ALIVE) {
        battery_apply(c->bat, &s);
        if (c->o->battery_trace)   /* the voltage under this segment's load */
            (c->o->battery_trace_fn ? c->o->battery_trace_fn : battery_trace_csv)(
                c->o->battery_trace, ticks_to_s(t), battery_voltage(c->bat, s.current_A),
                battery_soc(c->bat), s.current_A);
    }
    if (c->period_end || c->buffering)
        engine_capture(c, &s, c->t0);
}

/* The device repeats with `period` from `now` until `until`: without a
 * battery skip freely; with one, when the repeat holds for ever, record
 * the next period's segments (cut at now) and stop at its end
 * (engine_stop); with a trace, never skip. */
static int64_t engine_repeat(void *ctx, tick_t now, tick_t period, tick_t until,
                             const ledger *at)
{
    engine_child_ctx *c = ctx;
    if (c->o->steady && until == TICK_MAX) {    /* the steady state: one period's ledger */
        ledger_diff(&c->r->one, &c->r->L, at);
        c->r->one.duration = period;
        c->r->period = period;
        c->halt = 1;
        return 0;
    }
    if (c->o->trace || (c->bat && until != TICK_MAX))
        return 0;
    c->r->period = period;
    if (!c->bat) {
        c->r->fast_forwarded = 1;
        return INT64_MAX;
    }
    if (!c->period_end && battery_ended(c->bat) == BATTERY_ALIVE) {
        if (engine_take(c, now, period)) {
            engine_taken(c, now);
            return 0;
        }
        c->period_end = now + period;
    }
    return 0;
}

/* The device repeats with `period` up to the phases of its radio's
 * calibration and keepalive counters (device_hooks.quasi); its whole state
 * would repeat after `exact` ticks (TICK_MAX: not in the tick range). With
 * a battery (and no trace, no steady search: those are exact), record
 * whole periods, the one just run first, until one calibration burst and
 * one keepalive (burst_C) are at most ENGINE_QUASI_TOL of the recorded
 * charge, and stop there; the battery runner repeats the recording
 * (engine_battery_result). Taken only when that recording is shorter
 * than `exact` (the exact repeat is then found later than the recording
 * ends: it would cost more and is not waited for) and holds at most
 * ENGINE_QUASI_SEGS segments, judged from the period just run (so only
 * with the buffer); else refused, and the device looks on for the exact
 * repeat. Why the recording is close: the schedule is the same in every
 * stretch; the bursts fall elsewhere, one more or fewer of each, a few
 * cut short where they meet a change of state: a bias of order burst_C
 * over the recorded charge, the less as the recording is long. And a life
 * that ends at a burst's peak ends at one of the recording's bursts, up to
 * an interval or two from the real one. Measured against the
 * event-by-event life: the tide gauge's variant that stays associated
 * (bench/tide-gauge.scn, 14 d) with the interval at 55.5, 60.16 and
 * 61.37 s: within 4e-5; a 10-min product whose life is 4.9 d
 * (test_life.c): mean current within 2e-5, the end 84 s early (one interval
 * and a half). */
static int engine_quasi(void *ctx, tick_t now, tick_t period, double burst_C, tick_t exact)
{
    engine_child_ctx *c = ctx;
    size_t lo;
    double q;
    /* the hook is given only to a buffering run (a battery, no trace, no
     * steady search: those are exact) */
    if (c->period_end || battery_ended(c->bat) != BATTERY_ALIVE || !(burst_C >= 0) ||
        !engine_buffered(c, now, period, &lo, &q) || !(q > 0))
        return 0;
    double quasi_C = burst_C / ENGINE_QUASI_TOL, k = ceil(quasi_C / q);
    double segs = k * (double)(c->nseg - lo + 1);
    if (!(k * (double)period < (double)exact) || segs > ENGINE_QUASI_SEGS)
        return 0;
    c->quasi = period;
    c->quasi_C = quasi_C;
    c->r->period = period;
    if (engine_take(c, now, period) && c->seg_C >= c->quasi_C) {
        engine_taken(c, now);
        return 1;
    }
    c->period_end = now + period;   /* on from the period taken */
    return 1;
}

/* The phase a trace row belongs to, named from the data: the activity the
 * ledger books it to, refined by a SPI-flash transfer (read, program,
 * erase: e.g. the radio's firmware load) or else by what the radio is doing
 * when it is on (powerup, cal, scan, join, dhcp, tls, tx, ...: the model's
 * WiFi state names). "connect: flash read", "connect: scan", "sleep". */
static void engine_phase(const plan *p, int act, const int st[COMP__COUNT], char *buf, size_t n)
{
    const char *a = act >= 0 && act < p->names.nact ? p->names.act[act] : "?";
    int w = st[COMP_WIFI], f = st[COMP_FLASH];
    if (f == FLASH_READ || f == FLASH_PROGRAM || f == FLASH_ERASE)
        snprintf(buf, n, "%s: flash %s", a, comp_state_name(COMP_FLASH, f));
    else if (w != WIFI_OFF && w != WIFI_STANDBY && w != WIFI_DEEPSLEEP)
        snprintf(buf, n, "%s: %s", a, comp_state_name(COMP_WIFI, w));
    else
        snprintf(buf, n, "%s", a);
}

static void engine_segment(void *ctx, tick_t t, const double cur[COMP__COUNT], int radio, int act,
                           const int st[COMP__COUNT])
{
    engine_child_ctx *c = ctx;
    double total = 0;
    for (int k = 0; k < COMP__COUNT; k++)
        total += cur[k];
    engine_close(c, t);
    c->open = 1;
    c->t0 = t;
    c->i0 = total;
    c->radio = radio;
    FILE *fp = c->o->trace;
    if (!fp)
        return;
    fprintf(fp, "%s,%s", NUM_C(ticks_to_s(t)), NUM_C(total));
    for (int k = 0; k < COMP__COUNT; k++)
        if (plan_comp_name(&c->p, (comp_id)k))
            fprintf(fp, ",%s", NUM_C(cur[k]));
    char phase[96];
    engine_phase(&c->p, act, st, phase, sizeof phase);
    fprintf(fp, ",%s\n", phase);
}

static void engine_trace_header(FILE *fp, const plan *p)
{
    fputs("time_s,current_A", fp);
    for (int c = 0; c < COMP__COUNT; c++)
        if (plan_comp_name(p, (comp_id)c))   /* not the unused load slots */
            fprintf(fp, ",%s_A", plan_comp_name(p, (comp_id)c));
    fputs(",phase\n", fp);
}

static void engine_finish(engine_child_ctx *c);

static void engine_device_actor(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    engine_child_ctx *c = sg_actor_self_get_data();
    int segs = c->o->trace || c->bat;
    /* engine_stop can end the run only with a battery or when looking for
     * the steady state: otherwise no poll at every state change */
    int stops = c->bat || c->o->steady;
    device_hooks h = {engine_advance, segs ? engine_segment : NULL, stops ? engine_stop : NULL,
                      c->o->fast_forward ? engine_repeat : NULL, c, c->o->trace != NULL,
                      c->buffering ? engine_quasi : NULL};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (c->o->trace)
        engine_trace_header(c->o->trace, &c->p);
    c->r->L = c->p.names;
    c->rc = device_run(&c->p, &c->r->L, &h);
    c->r->sg_clock = simgrid_get_clock() - c->base;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c->r->wall_s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    engine_finish(c);
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

/* Start SimGrid in this process, once: 0, or -1 when it cannot (the
 * platform file). */
static int engine_start(void)
{
    if (engine_sg_state)
        return engine_sg_state > 0 ? 0 : -1;
    /* The CPU model integrates its trace (cheaper sleeps than the default
     * lazy lmm); the network model is the constant one, since no device
     * sends anything through SimGrid (one model fewer polled at every
     * wait, ~1 %). Actors switch with SimGrid's raw contexts (its own
     * assembly context switch, the fastest factory on x86-64: a sleep 15 %
     * cheaper than the packaged default's Boost contexts in the naive
     * peer, impsim's event-by-event year 7 %; valgrind follows them).
     * Under the sanitizers, actors run as threads: ASan cannot follow
     * stack-switching contexts. */
    char a0[] = "impsim", a1[] = "--log=root.thres:critical", a2[] = "--cfg=cpu/optim:TI",
         a4[] = "--cfg=network/model:Constant", a3[] = "--cfg=contexts/factory:thread",
         a5[] = "--cfg=contexts/factory:raw";
    int threads = getenv("IMPSIM_THREAD_CONTEXTS") || IMPSIM_SANITIZED;
    char *argv[] = {a0, a1, a2, a4, threads ? a3 : a5, NULL};
    int argc = 5;
    simgrid_init(&argc, argv);
    engine_sg_state = engine_platform() ? -1 : 1;
    return engine_sg_state > 0 ? 0 : -1;
}

static void engine_battery_result(engine_child_ctx *c)
{
    battery_result *b = &c->r->batt;
    if (c->period_end && c->now >= c->period_end && battery_ended(c->bat) == BATTERY_ALIVE) {
        /* the rest of the life: the recorded period repeated in closed form */
        battery_profile prof = {NULL, 0, c->seg, (int)c->nseg, ticks_to_s(c->p.duration),
                                !c->o->battery_trace  ? NULL
                                : c->o->battery_trace_fn ? c->o->battery_trace_fn
                                                         : battery_trace_csv,
                                c->o->battery_trace, 0};
        if (battery_run_on(c->bat, &prof, b) == 0) {
            c->r->fast_forwarded = 1;
            return;
        }
        c->rc = -1;
    }
    b->ended_by = battery_ended(c->bat);
    b->life_s = b->ended_by == BATTERY_ALIVE ? ticks_to_s(c->r->L.duration) : battery_time(c->bat);
    b->delivered_C = battery_delivered_C(c->bat);
    b->soc = battery_soc(c->bat);
    b->voltage_V = battery_voltage(c->bat, 0);
    b->wifi_peak_A = battery_wifi_peak_A(c->bat);
}

/* The device's run is over (its actor ends): close the last segment,
 * finish the battery, flush the traces, free what the run held. */
static void engine_finish(engine_child_ctx *c)
{
    engine_close(c, c->r->L.duration);
    if (c->bat)
        engine_battery_result(c);
    if ((c->o->battery_trace && fflush(c->o->battery_trace)) || (c->o->trace && fflush(c->o->trace)))
        c->status = 1;
    else
        c->status = c->rc ? 2 : 0;
    engine_drop(c);
    if (c->bat)
        battery_free(c->bat);
    c->bat = NULL;
}

/* Simulate plans p[0..n) with opts o[0..n) (none NULL) as n devices, each
 * an actor, in one SimGrid run in this process: r[i] and status[i] (0,
 * 1 failed, 2 tick overflow). The devices are independent: each device's
 * result is what it gives alone (its times are relative to its own power-on,
 * SimGrid's clock only carries them). */
static void engine_batch_here(int n, const plan *const *p, const engine_opts *const *o,
                              engine_result *r, int *status)
{
    engine_child_ctx *c = calloc((size_t)n, sizeof *c);
    if (!c)
        abort();
    for (int i = 0; i < n; i++) {
        memset(&r[i], 0, sizeof r[i]);
        status[i] = 1;
    }
    if (engine_start()) {
        free(c);
        return;
    }
    double base = simgrid_get_clock();
    sg_host_t host = sg_host_by_name("device");
    progress_start("simulating");
    for (int i = 0; i < n; i++) {
        c[i].p = *p[i];
        if (o[i]->duration > 0)
            c[i].p.duration = o[i]->duration;
        c[i].base = base;
        c[i].o = o[i];
        c[i].r = &r[i];
        c[i].status = 1;
        if (o[i]->cell)
            c[i].bat = battery_new(o[i]->cell, &o[i]->reg);
        /* a schedule that never repeats needs no buffer */
        c[i].buffering = c[i].bat && o[i]->fast_forward && !o[i]->trace &&
                         !o[i]->steady && plan_hyperperiod(p[i]);
        sg_actor_t a = sg_actor_init("device", host);
        sg_actor_set_data(a, &c[i]);
        sg_actor_start(a, engine_device_actor, 0, NULL);
    }
    simgrid_run();
    progress_end();
    for (int i = 0; i < n; i++)
        status[i] = c[i].status;
    free(c);
}

/* The forked child: simulate, send every (result, status) pair, exit. */
static int engine_child(int n, const plan *const *p, const engine_opts *const *o, int fd)
{
    engine_result *r = calloc((size_t)n, sizeof *r);
    int *status = calloc((size_t)n, sizeof *status);
    if (!r || !status)
        return 1;
    engine_is_child = 1;
    engine_batch_here(n, p, o, r, status);
    int bad = 0;
    for (int i = 0; i < n && !bad; i++)
        bad = pool_write_all(fd, &r[i], sizeof r[i]) ||
              pool_write_all(fd, &status[i], sizeof status[i]);
    free(r);
    free(status);
    return bad;
}

/* Say why simulation i failed (status 1 or 2). */
static void engine_report(int status, const engine_result *r, const char *why)
{
    if (status == 2 || (status == 0 && r->L.overflow))
        fprintf(stderr, "impsim: error: a time total passed the 64-bit tick range\n");
    else
        fprintf(stderr, "impsim: error: the simulation process failed (%s)\n", why);
}

int engine_run_batch(int n, const plan *const *p, const engine_opts *const *opts,
                     engine_result *r, int *ok)
{
    static const engine_opts none;
    const engine_opts **o = calloc((size_t)n + 1, sizeof *o);
    int *status = calloc((size_t)n + 1, sizeof *status);
    if (!o || !status)
        abort();
    for (int i = 0; i < n; i++) {
        o[i] = opts && opts[i] ? opts[i] : &none;
        memset(&r[i], 0, sizeof r[i]);
        status[i] = 1;
    }
    char why[64] = "SimGrid did not start, or a trace could not be written";
    if (engine_is_child || pool_in_worker()) {
        engine_batch_here(n, p, o, r, status);
    } else {
        int fds[2];
        pid_t pid = -1;
        if (pipe(fds)) {
            perror("impsim: pipe");
        } else {
            fflush(NULL);
            pid_t parent = getpid();
            pid = fork();
            if (pid < 0) {
                perror("impsim: fork");
                close(fds[0]);
                close(fds[1]);
            }
            if (pid == 0) {
                pool_child_init(parent);
                close(fds[0]);
                int code = engine_child(n, p, o, fds[1]);
                free(o);
                free(status);
                _exit(code);
            }
        }
        if (pid > 0) {
            close(fds[1]);
            /* every pair received stands, whatever happens to the rest */
            for (int i = 0; i < n; i++)
                if (pool_read_all(fds[0], &r[i], sizeof r[i]) ||
                    pool_read_all(fds[0], &status[i], sizeof status[i])) {
                    memset(&r[i], 0, sizeof r[i]);
                    status[i] = 1;
                    break;
                }
            close(fds[0]);
            int st;
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            snprintf(why, sizeof why, "%s %d", WIFSIGNALED(st) ? "signal" : "exit status",
                     WIFSIGNALED(st) ? WTERMSIG(st) : WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        }
    }
    int bad = 0;
    for (int i = 0; i < n; i++) {
        ok[i] = status[i] == 0 && !r[i].L.overflow;
        if (!ok[i]) {
            engine_report(status[i], &r[i], why);
            memset(&r[i], 0, sizeof r[i]);
            bad++;
        }
    }
    free(o);
    free(status);
    return bad ? -1 : 0;
}

int engine_run(const plan *p, const engine_opts *opts, engine_result *r)
{
    int ok;
    return engine_run_batch(1, &p, &opts, r, &ok);
}

void engine_result_free(engine_result *r)
{
    (void)r;    /* nothing owned today; kept so callers need not change */
}
