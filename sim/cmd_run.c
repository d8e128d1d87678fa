/* cmd_run.c — `impsim run FILE.scn`: simulate and print the energy budget. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "assume.h"
#include "cli.h"
#include "outfile.h"
#include "pipeline.h"
#include "report.h"
#include "workload.h"

static const char run_usage[] =
    "Usage: impsim run FILE.scn [OPTIONS]\n"
    "Simulate the scenario and print its energy budget: total charge (C), energy (J),\n"
    "average current (A), and time and charge per component, power state and activity;\n"
    "with a `battery` in the scenario, the battery life too (time to depletion and what\n"
    "ended it). Once the device's state at a wake repeats, whole periods are skipped\n"
    "(fast-forward: the budget is exactly the event-by-event one, to the tick).\n"
    "\n"
    "  --module NAME        run on this module (imp002, imp004m, imp003, or a .model file)\n"
    "  --duration TIME      simulated time, with unit (e.g. 30d, 1y)\n"
    "  --set KEY=VALUE      override: scenario.KEY (any top-level statement: sleep,\n"
    "                       crystal, wifi-idle, supply, seed, regulator, load, ...),\n"
    "                       scenario.NAME.FIELD (a named task's period, a pin rate, a\n"
    "                       chance, regulator.wifi-min, ...: scenarios/README.md),\n"
    "                       model.KEY (any model figure, with unit, e.g.\n"
    "                       model.wifi.standby.current=10uA) or battery.KEY; repeatable\n"
    "  --figures FILE       layer a figure file (models/ format, e.g. from impsim\n"
    "                       calibrate) over the model; --set still overrides it\n"
    "  --format FMT         text (default), json or csv\n"
    "  -o, --output FILE    write the report to FILE (default: standard output)\n"
    "  --trace FILE.csv     write the current-vs-time profile (change points only):\n"
    "                       time_s,current_A,<component>_A...\n"
    "  --no-fast-forward    simulate every event (the budget and the battery life), even\n"
    "                       when the device's state repeats; the budget is the same to\n"
    "                       the tick either way\n"
    "  --stats              print statistics to stderr: events and wall time of the run's\n"
    "                       simulation, wall time of the battery-life simulation, wall\n"
    "                       and CPU time of the whole command (its child processes too)\n"
    WORKLOAD_HELP
    "  --help               this text\n"
    "\n"
    "Files are written completely or not at all. Exit: 0 ok, 2 bad input, 3 system error.\n";

typedef struct {
    const char *file, *output, *trace;
    report_fmt fmt;
    int stats, no_ff;
    double t0;          /* wall clock at the start (s), for --stats */
    cli_list sets;
    char *extra[3];     /* owned: --module / --duration / --figures as settings */
} run_opts;

/* --module / --duration as the setting "--KEY=VAL" (scn_set); given twice,
 * the last one counts. Applied after every --set (see cmd_run). */
static void run_setting(run_opts *o, int slot, const char *key, const char *val)
{
    free(o->extra[slot]);
    o->extra[slot] = cli_setting(key, val);
}

static int run_parse(int argc, char **argv, run_opts *o)
{
    static const struct option lo[] = {
        {"module", required_argument, 0, 'm'}, {"duration", required_argument, 0, 'd'},
        {"figures", required_argument, 0, 'g'},
        {"set", required_argument, 0, 's'}, {"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'}, {"trace", required_argument, 0, 't'},
        {"stats", no_argument, 0, 'S'}, {"no-fast-forward", no_argument, 0, 'F'}, {"max-events", required_argument, 0, 'M'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:", lo, NULL)) != -1) {
        switch (c) {
        case 'm': run_setting(o, 0, "module", optarg); break;
        case 'd': run_setting(o, 1, "duration", optarg); break;
        case 'g': run_setting(o, 2, "figures", optarg); break;
        case 's': cli_list_push(&o->sets, optarg); break;
        case 'f':
            if (report_fmt_parse(optarg, &o->fmt))
                return cli_usage_error("run", "--format: found '%s', expected text, json or csv", optarg);
            break;
        case 'o': o->output = optarg; break;
        case 't': o->trace = optarg; break;
        case 'S': o->stats = 1; break;
        case 'F': o->no_ff = 1; break;
        case 'M':
            if (workload_option(optarg))
                return cli_usage_error("run", "--max-events: found '%s', expected a number of "
                                       "events >= 1 (e.g. 5e9)", optarg);
            break;
        case 'h': fputs(run_usage, stdout); return -1;
        case ':': return cli_usage_error("run", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_unknown_option("run", argv[optind - 1], lo);
        }
    }
    for (int i = 0; i < 3; i++)
        if (o->extra[i])
            cli_list_push(&o->sets, o->extra[i]);
    if (optind != argc - 1)
        return cli_usage_error("run", optind >= argc ? "expected a scenario file (FILE.scn)"
                               : "expected one scenario file, found '%s' too", argv[argc - 1]);
    o->file = argv[optind];
    return 0;
}

static double run_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU seconds (user + system) of this process and its waited-for
 * children: the simulations run in forked children. */
static double run_cpu(void)
{
    double s = 0;
    struct rusage u;
    int who[2] = {RUSAGE_SELF, RUSAGE_CHILDREN};
    for (int i = 0; i < 2; i++)
        if (getrusage(who[i], &u) == 0)
            s += (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
                 + 1e-6 * (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
    return s;
}

static int run_outputs(pipeline *pl, const run_opts *o)
{
    outfile *tr = NULL, *out = NULL;
    budget *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    int rc = 3;
    if (o->trace && !(tr = outfile_open(o->trace)))
        goto done;
    engine_result *r = malloc(sizeof *r);
    if (!r)
        abort();
    int failed = pipeline_run(pl, tr ? outfile_fp(tr) : NULL, b, r);
    if (!failed && o->stats && r->fast_forwarded)
        /* the changes of the periods added whole were not simulated: no
         * rate (it would read as hundreds of millions of events a second) */
        fprintf(stderr, "impsim: the run: %llu events, most in whole repeated periods added "
                "without simulating them (fast-forward), in %.3f s of wall time; covering "
                "%.0f s\n", (unsigned long long)r->L.changes, r->wall_s, r->sg_clock);
    else if (!failed && o->stats)
        fprintf(stderr, "impsim: the run: %llu events in %.3f s of wall time: %.0f events/s; "
                "simulated %.0f s\n", (unsigned long long)r->L.changes, r->wall_s,
                r->wall_s > 0 ? (double)r->L.changes / r->wall_s : 0.0, r->sg_clock);
    if (!failed && r->L.skipped && r->L.skipped_task > 0 && r->L.skipped_task <= pl->s->ntask) {
        const scn_task *t = &pl->s->task[r->L.skipped_task - 1];
        diag *w = diag_new();
        diag_warn(w, t->pos, "%llu timed run%s fell due while the device was still busy and "
                  "%s skipped (the first of '%s'): a task longer than its period, or "
                  "work or connection retries in the way", (unsigned long long)r->L.skipped,
                  r->L.skipped == 1 ? "" : "s", r->L.skipped == 1 ? "was" : "were", t->name);
        diag_print(w, stderr);
        diag_free(w);
    }
    engine_result_free(r);
    free(r);
    if (failed)
        goto done;
    double t_life = run_clock();
    int life = pipeline_life(pl, !o->no_ff, b, NULL);
    if (o->stats && !life && b->battery.present)
        fprintf(stderr, "impsim: the battery life: %.3f s of wall time (%s)\n", run_clock() - t_life,
                strcmp(b->battery.method, "full") ? "simulated until the device repeats, then "
                "the battery runner over whole periods" : "segment by segment to depletion");
    if (life) {
        rc = life == -2 ? 2 : 3;
        goto done;
    }
    if (!(out = outfile_open(o->output ? o->output : "-")))
        goto done;
    assume a;
    assume_collect(&a, o->file, o->sets.v, o->sets.n, NULL, 0, 0);
    if (report_write(b, o->fmt, &a, outfile_fp(out)))
        goto done;
    rc = 0;
    if (o->stats)   /* everything: loading, both simulations, the report */
        fprintf(stderr, "impsim: in all %.3f s of wall time, %.3f s of CPU\n",
                run_clock() - o->t0, run_cpu());
done:
    if (rc == 0 && tr && outfile_commit(tr))
        rc = 3;
    else if (rc && tr)
        outfile_abort(tr);
    if (out && (rc ? (outfile_abort(out), 0) : outfile_commit(out)))
        rc = 3;
    free(b);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    run_opts o = {.fmt = REPORT_TEXT};
    o.t0 = run_clock();
    int rc = run_parse(argc, argv, &o);
    if (rc == 0) {
        diag *d = diag_new();
        pipeline pl;
        if (pipeline_load(&pl, o.file, o.sets.v, o.sets.n, d)) {
            rc = 2;
        } else {
            diag_print(d, stderr);  /* warnings */
            pl.event_by_event = o.no_ff;
            const char *outs[] = {o.output ? o.output : "-", o.trace};
            const char *labels[] = {"--output", "--trace"};
            rc = outfile_check(outs, labels, 2, &o.file, 1) ? 2 : 0;
            /* a trace or --no-fast-forward simulates every event */
            if (!rc && (o.trace || o.no_ff) &&
                workload_check(&pl.p, ticks_to_s(pl.p.duration), 0, o.file,
                               "the run (event by event: --trace or --no-fast-forward)", d))
                rc = 2;
            if (!rc)
                rc = run_outputs(&pl, &o);
            pipeline_free(&pl);
        }
        diag_print(d, stderr);
        diag_free(d);
    } else if (rc < 0) {
        rc = 0;
    }
    for (int i = 0; i < 3; i++)
        free(o.extra[i]);
    cli_list_free(&o.sets);
    return rc;
}
