/* naive_peer.c — the naive SimGrid model impsim's event-by-event speed is
 * measured against (`make bench`): what a user would write in an
 * afternoon. One actor on one host; for every state change of the
 * device it calls sg_actor_sleep_for(duration) and adds current x time to
 * a charge total (doubles). The state changes are one period of impsim's
 * own current profile (a --trace CSV: time_s,current_A,...), repeated for
 * the whole duration, so both models walk the same year.
 *
 * Usage: naive_peer PLATFORM.xml TRACE.csv FROM_S PERIOD_S DURATION_S [--cfg=...]...
 * (optional SimGrid settings: `make bench` also runs it with impsim's
 * own, so the comparison can be read both ways).
 * Prints the state changes simulated, the charge (C) and the wall time of
 * the simulation (s). Exit 0, or 2 on bad input. */
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    double dur, cur;
} peer_step;

static peer_step *peer_steps;
static int peer_n;
static double peer_duration, peer_charge;
static long peer_changes;

static void peer_actor(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    double t = 0;
    for (;;)
        for (int i = 0; i < peer_n; i++) {
            double d = peer_steps[i].dur;
            if (t + d > peer_duration)
                d = peer_duration - t;
            if (d <= 0)
                return;
            sg_actor_sleep_for(d);
            peer_charge += peer_steps[i].cur * d;
            peer_changes++;
            t += d;
        }
}

static void peer_push(double dur, double cur)
{
    static int cap;
    if (peer_n == cap) {
        cap = cap ? 2 * cap : 64;
        peer_steps = realloc(peer_steps, (size_t)cap * sizeof *peer_steps);
        if (!peer_steps)
            abort();
    }
    peer_steps[peer_n++] = (peer_step){dur, cur};
}

/* The trace's rows cut to [from, from + period) as steps: row i's current
 * holds from its time to the next row's. */
static int peer_read(const char *path, double from, double period)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char line[4096];
    double pt = 0, pc = 0, end = from + period;
    int have = 0;
    while (fgets(line, sizeof line, fp)) {
        double t, c;
        if (sscanf(line, "%lf,%lf", &t, &c) != 2)
            continue;           /* the header */
        if (have) {
            double a = pt > from ? pt : from, b = t < end ? t : end;
            if (b > a)
                peer_push(b - a, pc);
        }
        pt = t;
        pc = c;
        have = 1;
    }
    fclose(fp);
    return peer_n > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 6 || argc > 16) {
        fprintf(stderr, "usage: naive_peer PLATFORM.xml TRACE.csv FROM_S PERIOD_S DURATION_S "
                "[--cfg=...]...\n");
        return 2;
    }
    if (peer_read(argv[2], atof(argv[3]), atof(argv[4]))) {
        fprintf(stderr, "naive_peer: no segments in %s from %s s\n", argv[2], argv[3]);
        return 2;
    }
    peer_duration = atof(argv[5]);
    char a0[] = "naive_peer", a1[] = "--log=root.thres:critical";
    char *sv[13] = {a0, a1};
    int sc = 2;
    for (int k = 6; k < argc; k++)
        sv[sc++] = argv[k];
    sv[sc] = NULL;
    simgrid_init(&sc, sv);
    simgrid_load_platform(argv[1]);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sg_actor_create("device", sg_host_by_name("device"), peer_actor, 0, NULL);
    simgrid_run();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%ld state changes, %.6g C, %.3f s\n", peer_changes, peer_charge,
           (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    return 0;
}
