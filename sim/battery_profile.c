/* battery_profile.c — parse the load profiles of `impsim battery`
 * (constant, pulse train, steps, CSV current trace) into segments. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "battery_profile.h"
#include "num.h"
#include "units.h"

#define BATTERY_CONST_PERIOD 3600.0

/* Two currents close enough to share a segment at tolerance tol. */
static int battery_near(double a, double b, double tol)
{
    if (tol <= 0)
        return a == b;
    return fabs(a - b) <= tol * (fmax(fabs(a), fabs(b)) + 1e-3);
}

/* Merge neighbours in place at the (new, larger) tolerance. */
static void battery_load_coarsen(battery_load *l)
{
    int w = 0;
    for (int r = 0; r < l->n; r++) {
        battery_segment s = l->seg[r];
        if (w && battery_near(l->seg[w - 1].current_A, s.current_A, l->tol)) {
            battery_segment *p = &l->seg[w - 1];
            double q = p->current_A * p->duration_s + s.current_A * s.duration_s;
            p->duration_s += s.duration_s;
            p->current_A = q / p->duration_s;
        } else {
            l->seg[w++] = s;
        }
    }
    l->n = w;
}

static void battery_load_add(battery_load *l, double i, double dt)
{
    if (dt <= 0)
        return;
    if (l->n && battery_near(l->seg[l->n - 1].current_A, i, l->tol)) {
        battery_segment *p = &l->seg[l->n - 1];
        if (p->current_A != i) {
            double q = p->current_A * p->duration_s + i * dt;
            p->duration_s += dt;
            p->current_A = q / p->duration_s;
        } else {
            p->duration_s += dt;
        }
        return;
    }
    while (l->n == BATTERY_LOAD_MAX_SEG) {
        l->tol = l->tol > 0 ? 2 * l->tol : 1e-3;
        battery_load_coarsen(l);
        if (l->n < BATTERY_LOAD_MAX_SEG / 2)
            break;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->seg = realloc(l->seg, (size_t)l->cap * sizeof *l->seg);
        if (!l->seg)
            abort();
    }
    l->seg[l->n++] = (battery_segment){ i, dt, 0 };
}

void battery_load_clear(battery_load *l)
{
    free(l->seg);
    memset(l, 0, sizeof *l);
}

double battery_load_period(const battery_load *l)
{
    double t = 0;
    for (int i = 0; i < l->n; i++)
        t += l->seg[i].duration_s;
    return t;
}

double battery_load_average(const battery_load *l)
{
    double q = 0, t = battery_load_period(l);
    for (int i = 0; i < l->n; i++)
        q += l->seg[i].current_A * l->seg[i].duration_s;
    return t > 0 ? q / t : 0;
}

/* One quantity of dimension dim in s[0..len). */
static int battery_qty(const char *s, size_t len, units_dim dim, double *v,
                       diag_pos where, const char *what, diag *d)
{
    char buf[64];
    while (len && isspace((unsigned char)*s)) { s++; len--; }
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (len == 0 || len >= sizeof buf) {
        diag_error(d, where, "found '%.*s', expected %s", (int)len, s, what);
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    int n = units_split(buf);
    char num[64];
    memcpy(num, buf, (size_t)n);
    num[n] = '\0';
    const char *unit = buf + n;
    while (*unit == ' ')
        unit++;
    units_dim got;
    if (n == 0 || units_parse(num, unit, v, &got) != 0 || got != dim
        || *v < 0) {
        diag_error(d, where, "found '%s', expected %s", buf, what);
        return -1;
    }
    return 0;
}

/* Split s at commas into at most max fields. */
static int battery_fields(const char *s, const char **f, size_t *len, int max)
{
    int n = 0;
    for (;;) {
        const char *c = strchr(s, ',');
        if (n == max)
            return -1;
        f[n] = s;
        len[n++] = c ? (size_t)(c - s) : strlen(s);
        if (!c)
            return n;
        s = c + 1;
    }
}

static int battery_pulse(const char *s, diag_pos w, battery_load *l, diag *d)
{
    const char *f[4];
    size_t n[4];
    int k = battery_fields(s, f, n, 4);
    double on, t_on, t_off, off = 0;
    if (k < 3) {
        diag_error(d, w, "found 'pulse:%s', expected pulse:CURRENT,ON-TIME,"
                   "OFF-TIME[,OFF-CURRENT] (e.g. pulse:80mA,2s,15min)", s);
        return -1;
    }
    if (battery_qty(f[0], n[0], DIM_CURRENT, &on, w, "a pulse current "
                    "(e.g. 80mA)", d)
        || battery_qty(f[1], n[1], DIM_TIME, &t_on, w, "an on-time "
                       "(e.g. 2s)", d)
        || battery_qty(f[2], n[2], DIM_TIME, &t_off, w, "an off-time "
                       "(e.g. 15min)", d)
        || (k == 4 && battery_qty(f[3], n[3], DIM_CURRENT, &off, w,
                                  "an off current (e.g. 5uA)", d)))
        return -1;
    battery_load_add(l, on, t_on);
    battery_load_add(l, off, t_off);
    return 0;
}

static int battery_steps(const char *s, diag_pos w, battery_load *l, diag *d)
{
    while (*s) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);
        const char *sl = memchr(s, '/', len);
        double i, t;
        if (!sl) {
            diag_error(d, w, "found '%.*s', expected CURRENT/DURATION "
                       "(e.g. 80mA/2s)", (int)len, s);
            return -1;
        }
        if (battery_qty(s, (size_t)(sl - s), DIM_CURRENT, &i, w,
                        "a step current (e.g. 80mA)", d)
            || battery_qty(sl + 1, len - (size_t)(sl - s) - 1, DIM_TIME, &t,
                           w, "a step duration (e.g. 2s)", d))
            return -1;
        battery_load_add(l, i, t);
        s = c ? c + 1 : s + len;
    }
    return 0;
}

/* Capture sink: each sample's current (noise below 0 A as 0 A) holds
 * until the next sample's time. */
typedef struct {
    battery_load *l;
    double t_prev, i_prev;
    int any;
} battery_csv_ctx;

static int battery_csv_sample(void *ctx, double t, double i)
{
    battery_csv_ctx *c = ctx;
    if (c->any)
        battery_load_add(c->l, c->i_prev, t - c->t_prev);
    c->any = 1;
    c->t_prev = t;
    c->i_prev = i < 0 ? 0 : i;
    return 0;
}

static int battery_csv(const char *path, const capture_opts *co,
                       battery_load *l, diag *d)
{
    battery_csv_ctx c = { l, 0, 0, 0 };
    l->from_capture = 1;
    return capture_read(path, co, battery_csv_sample, &c, &l->capture, d);
}

int battery_load_parse(const char *text, diag_pos where, double wifi_above,
                       const capture_opts *co, battery_load *out, diag *d)
{
    memset(out, 0, sizeof *out);
    int rc;
    double i;
    if (strncmp(text, "pulse:", 6) == 0)
        rc = battery_pulse(text + 6, where, out, d);
    else if (strncmp(text, "steps:", 6) == 0)
        rc = battery_steps(text + 6, where, out, d);
    else if (strncmp(text, "csv:", 4) == 0)
        rc = battery_csv(text + 4, co, out, d);
    else if ((rc = battery_qty(text, strlen(text), DIM_CURRENT, &i, where,
                   "a current (15mA), pulse:..., steps:... or csv:FILE",
                   d)) == 0)
        battery_load_add(out, i, BATTERY_CONST_PERIOD);
    if (rc == 0 && battery_load_period(out) <= 0) {
        diag_error(d, where, "found '%s', expected a profile lasting more "
                   "than 0 s", text);
        rc = -1;
    }
    if (rc) {
        battery_load_clear(out);
        return -1;
    }
    for (int k = 0; k < out->n; k++)
        out->seg[k].wifi = wifi_above > 0
                        && out->seg[k].current_A >= wifi_above;
    return 0;
}

void battery_trace_csv(void *ctx, double t_s, double voltage_V, double soc, double current_A)
{
    fprintf(ctx, "%s,%s,%s,%s\n", NUM_C(t_s), NUM_C(voltage_V), NUM_C(soc), NUM_C(current_A));
}
