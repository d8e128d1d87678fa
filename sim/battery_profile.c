/* battery_profile.c — parse the load profiles of `impsim battery`
 * (constant, pulse train, steps, CSV current trace) into segments. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "battery_profile.h"
#include "units.h"

#define BATTERY_LINE_MAX 4096
#define BATTERY_CONST_PERIOD 3600.0

static void battery_load_add(battery_load *l, double i, double dt)
{
    if (dt <= 0)
        return;
    if (l->n && l->seg[l->n - 1].current_A == i) {
        l->seg[l->n - 1].duration_s += dt;
        return;
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

/* Parse "number" at p as a plain double; returns chars used or 0. */
static int battery_csv_num(const char *p, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(p, &end);
    if (end == p || errno == ERANGE || !isfinite(*v))
        return 0;
    const char *q = end;
    while (*q == ' ' || *q == '\t')
        q++;
    if (*q && *q != ',' && *q != ';' && *q != '\r' && *q != '\n')
        return 0;
    return (int)(end - p);
}

/* One CSV row: time and current. 0 ok, 1 header/blank, -1 error. */
static int battery_csv_row(char *ln, diag_pos pos, int first, double *t,
                           double *i, diag *d)
{
    char *p = ln;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p || *p == '\n' || *p == '\r' || *p == '#')
        return 1;
    int n = battery_csv_num(p, t);
    if (!n && first && isalpha((unsigned char)*p))
        return 1;                         /* header line */
    pos.col = (int)(p - ln) + 1;
    if (!n) {
        diag_error(d, pos, "found '%.20s', expected a time in seconds", p);
        return -1;
    }
    char *c = p + strcspn(p, ",;");
    if (!*c) {
        diag_error(d, pos, "found one column, expected time,current");
        return -1;
    }
    p = c + 1;
    while (*p == ' ' || *p == '\t')
        p++;
    pos.col = (int)(p - ln) + 1;
    if (!battery_csv_num(p, i) || *i < 0) {
        diag_error(d, pos, "found '%.20s', expected a current in amperes "
                   "(0 or more)", p);
        return -1;
    }
    return 0;
}

static int battery_csv(const char *path, battery_load *l, diag *d)
{
    diag_pos pos = { path, 0, 1 };
    FILE *fp = fopen(path, "r");
    if (!fp) {
        diag_error(d, pos, "cannot open: %s", strerror(errno));
        return -1;
    }
    char ln[BATTERY_LINE_MAX];
    double t_prev = 0, i_prev = 0;
    int rows = 0, rc = 0;
    while (fgets(ln, sizeof ln, fp)) {
        pos.line++;
        double t, i;
        int r = battery_csv_row(ln, pos, rows == 0, &t, &i, d);
        if (r < 0 || (r == 0 && rows && t < t_prev)) {
            if (r == 0)
                diag_error(d, pos, "found time %g s after %g s, expected "
                           "times that never decrease", t, t_prev);
            rc = -1;
            break;
        }
        if (r == 1)
            continue;
        if (rows++)
            battery_load_add(l, i_prev, t - t_prev);
        t_prev = t;
        i_prev = i;
    }
    if (!rc && ferror(fp)) {
        diag_error(d, pos, "read error: %s", strerror(errno));
        rc = -1;
    }
    fclose(fp);
    if (!rc && battery_load_period(l) <= 0) {
        pos.line = 0;
        diag_error(d, pos, "found no time span, expected at least two "
                   "time,current rows at different times");
        rc = -1;
    }
    return rc;
}

int battery_load_parse(const char *text, diag_pos where, double wifi_above,
                       battery_load *out, diag *d)
{
    memset(out, 0, sizeof *out);
    int rc;
    double i;
    if (strncmp(text, "pulse:", 6) == 0)
        rc = battery_pulse(text + 6, where, out, d);
    else if (strncmp(text, "steps:", 6) == 0)
        rc = battery_steps(text + 6, where, out, d);
    else if (strncmp(text, "csv:", 4) == 0)
        rc = battery_csv(text + 4, out, d);
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
