/* workload.c — the engine events a run will take, estimated from the plan
 * (see workload.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "units.h"
#include "workload.h"

static double workload_max = WORKLOAD_MAX_EVENTS;
static double workload_refused;     /* --max-events the last refusal asked for */

double workload_take_refusal(void)
{
    double n = workload_refused;
    workload_refused = 0;
    return n;
}

int workload_option(const char *arg)
{
    char *end;
    double n = strtod(arg, &end);
    if (end == arg || *end || !(n >= 1) || !isfinite(n))
        return -1;
    workload_set_max(n);
    return 0;
}

void workload_set_max(double n)
{
    workload_max = n > 0 ? n : WORKLOAD_MAX_EVENTS;
}

/* Changes one pass over steps [from, to) makes, on average: each action
 * about two (start and end), a WiFi connect about six (power-up, scan,
 * join, DHCP, TLS); `repeat` bodies times their count, `chance` bodies
 * times their probability, `every Nth run` bodies divided by N. */
static double workload_steps(const plan_step *st, int from, int to)
{
    double sum = 0;
    for (int i = from; i < to; i++) {
        const plan_step *s = &st[i];
        if (s->len > 0) {
            double body = workload_steps(st, i + 1, i + 1 + s->len);
            sum += s->kind == A_REPEAT ? body * (double)s->n
                 : s->kind == A_CHANCE ? body * s->prob
                 : s->kind == A_NTH_RUN && s->n > 0 ? body / (double)s->n : body;
            i += s->len;
        } else {
            sum += s->kind == A_WIFI_CONNECT ? 6 : 2;
        }
    }
    return sum;
}

double workload_events(const plan *p, double seconds)
{
    double runs_per_s = 0, events = 0, wakes_per_s = 0;
    for (int i = 0; i < p->ntask; i++) {
        const plan_task *t = &p->task[i];
        double rate = 0, once = 0;
        switch (t->kind) {
        case T_EVERY:
            rate = t->period > 0 ? 1 / ticks_to_s(t->period) : 0;
            break;
        case T_PIN_POISSON:
            rate = t->rate;
            break;
        case T_PIN_AT:
            if (t->repeat > 0)
                rate = t->nat / ticks_to_s(t->repeat);
            else
                once = t->nat;
            break;
        case T_NTH:
            break;  /* added below, from the wakes */
        default:    /* boot, power-on: once */
            once = 1;
        }
        double per_run = 2 + workload_steps(t->step, 0, t->nstep);
        runs_per_s += rate;
        wakes_per_s += rate;
        events += (rate * seconds + once) * per_run;
    }
    for (int i = 0; i < p->ntask; i++)   /* every Nth wake */
        if (p->task[i].kind == T_NTH && p->task[i].nth > 0)
            events += wakes_per_s * seconds / (double)p->task[i].nth *
                      (2 + workload_steps(p->task[i].step, 0, p->task[i].nstep));
    if (p->wifi_connected) {    /* keepalives, calibration while associated */
        /* DTIM beacons are not events: book() carves their share out of
         * each doze segment arithmetically (device.c), so a power-save
         * variant's estimate has no beacon term (it had one, 2 events per
         * DTIM period, which refused such variants 10-100x too early) */
        double per_s = 0;
        if (p->ka_interval > 0)
            per_s += 4 / ticks_to_s(p->ka_interval);
        if (p->cal_interval > 0)
            per_s += 2 / ticks_to_s(p->cal_interval);
        events += per_s * seconds;
    }
    (void)runs_per_s;
    return events > 0 && isfinite(events) ? events : events > 0 ? HUGE_VAL : 0;
}

int workload_check(const plan *p, double seconds, int fast_forward, const char *file,
                   const char *what, diag *d)
{
    double span = seconds;
    tick_t h = fast_forward ? plan_hyperperiod(p) : 0;
    if (h > 0 && 3 * ticks_to_s(h) < span)
        span = 3 * ticks_to_s(h);   /* the repeat is found, then skipped */
    double n = workload_events(p, span);
    if (n <= workload_max)
        return 0;
    double per_day = workload_events(p, 86400);
    workload_refused = n * 1.5;
    char t[48];
    diag_error(d, (diag_pos){file, 0, 0},
               "%s would simulate about %.3g events (%.3g per simulated day) over %s, "
               "more than the limit of %.3g: check the periods and rates ('every 15 ms' "
               "meant as 15 min?), simulate less time, or allow it with --max-events %.2g",
               what, n, per_day, units_format(span, DIM_TIME, t, sizeof t), workload_max,
               n * 1.5);
    return -1;
}
