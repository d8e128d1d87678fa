/* scn_param.c — scenario parameters that are not statements: the wake
 * period (`scenario.every=...`), which sweeps and the break-even search
 * vary, and the figures of named tasks, blocks, loads and peripherals
 * (`scenario.NAME.FIELD=...`). */
#include <stdio.h>
#include <string.h>
#include "lex.h"
#include "scn_param.h"

/* Where the --set being applied is (its argument, "--set 'scenario.K=V'"):
 * set by the two entry points, scn_set_every and scn_set_named, for the
 * messages of the helpers below. */
static diag_pos param_where = {"--set", 0, 0};

int scn_rate_daily(const char *text)
{
    const char *sl = strrchr(text, '/');
    return sl && (sl[1] == 'd' || sl[1] == 'w' || sl[1] == 'y');
}

int scn_every_base(const scn *s, tick_t *period)
{
    for (int i = 0; i < s->ntask; i++)
        if (s->task[i].kind == T_EVERY) {
            *period = s->task[i].period;
            return 0;
        }
    return -1;
}

int scn_set_every(scn *s, const char *value, diag *d)
{
    char kv[600];
    snprintf(kv, sizeof kv, "scenario.every=%s", value);
    diag_pos where = param_where = diag_arg_pos("--set", kv);
    tick_t base, p;
    double sec;
    units_dim dim;
    lex_line ln = {0};
    int i = 0, rc = -1;
    if (scn_every_base(s, &base)) {
        diag_error(d, where, "scenario.every: the scenario has no 'every TIME' task to vary");
        return -1;
    }
    if (lex_line_split(value, strlen(value), where, &ln, d) == 0 &&
        lex_quantity(&ln, &i, where, DIM_TIME, &sec, &dim, d) == 0) {
        if (i < ln.n || ticks_from_s(sec, &p) || p <= 0)
            diag_error(d, where, "scenario.every: found '%s', expected a time > 0", value);
        else
            rc = 0;
    }
    lex_line_clear(&ln);
    if (rc)
        return -1;
    /* Integer scaling keeps the periods' ratios exact (so their lcm, the
     * hyperperiod, stays small): every period and offset is a multiple of
     * their gcd g; g becomes p / (first period / g). */
    tick_t g = 0;
    for (int t = 0; t < s->ntask; t++)
        if (s->task[t].kind == T_EVERY) {
            g = ticks_gcd(g, s->task[t].period);
            g = ticks_gcd(g, s->task[t].offset);
        }
    tick_t q0 = base / g, g2 = (p + q0 / 2) / q0;
    if (g2 < 1)
        g2 = 1;
    for (int t = 0; t < s->ntask; t++) {
        scn_task *tk = &s->task[t];
        if (tk->kind != T_EVERY)
            continue;
        if (ticks_mul(tk->period / g, g2, &tk->period) || ticks_mul(tk->offset / g, g2, &tk->offset)) {
            diag_error(d, where, "scenario.every=%s puts a task period out of the tick range", value);
            return -1;
        }
    }
    return 0;
}

/* The value of a --set as one quantity of dimension dim. */
static int scn_value(const char *key, const char *value, units_dim dim, double *out, diag *d)
{
    diag_pos where = param_where;
    lex_line ln = {0};
    units_dim got;
    int i = 0, rc = -1;
    if (lex_line_split(value, strlen(value), where, &ln, d) == 0) {
        if (lex_quantity(&ln, &i, where, dim, out, &got, d) == 0 && i == ln.n && *out >= 0)
            rc = 0;
        else if (i == ln.n || !diag_count(d))
            diag_error(d, where, "scenario.%s: found '%s', expected %s >= 0", key, value,
                       units_dim_word(dim));
    }
    lex_line_clear(&ln);
    return rc;
}

static int scn_value_time(const char *key, const char *value, int allow_zero, tick_t *out, diag *d)
{
    double v;
    if (scn_value(key, value, DIM_TIME, &v, d))
        return -1;
    if (ticks_from_s(v, out) || (!allow_zero && *out == 0)) {
        diag_error(d, param_where, "scenario.%s: found '%s', expected a time %s "
                   "and below 38 years%s", key, value, allow_zero ? ">= 0" : "> 0",
                   allow_zero ? "" : " (a period of 0 is not 'never': to leave a task out, "
                   "comment it out with '#'; a pin poisson task takes rate 0)");
        return -1;
    }
    return 0;
}

static int scn_value_count(const char *key, const char *value, double *out, diag *d)
{
    if (scn_value(key, value, DIM_NONE, out, d))
        return -1;
    if (*out < 1 || *out > 9999999 || *out != (double)(int64_t)*out) {
        diag_error(d, param_where, "scenario.%s: found '%s', expected a whole "
                   "number from 1 to 9999999", key, value);
        return -1;
    }
    return 0;
}

static int scn_set_regulator(scn *s, const char *key, const char *field, const char *value,
                             diag *d)
{
    double v;
    if (!strcmp(field, "efficiency")) {
        if (scn_value(key, value, DIM_RATIO, &v, d))
            return -1;
        if (!(v > 0 && v <= 1)) {
            diag_error(d, param_where, "scenario.%s: found '%s', expected an "
                       "efficiency above 0 and at most 100 %%", key, value);
            return -1;
        }
        s->reg_eff = v;
    } else if (!strcmp(field, "quiescent")) {
        if (scn_value(key, value, DIM_CURRENT, &v, d))
            return -1;
        s->reg_iq = v;
    } else if (!strcmp(field, "wifi-min")) {
        if (scn_value(key, value, DIM_VOLTAGE, &v, d))
            return -1;
        if (v > 40) {
            diag_error(d, param_where, "scenario.%s: found '%s', expected a "
                       "voltage from 0 to 40 V", key, value);
            return -1;
        }
        s->reg_wifi_min = v;
    } else {
        diag_error(d, param_where, "found scenario.%s, expected "
                   "regulator.efficiency, regulator.quiescent or regulator.wifi-min", key);
        return -1;
    }
    return 0;
}

/* A field of task t. 1 when the field is not a task's. */
static int scn_set_task(scn_task *t, const char *key, const char *field, const char *value,
                        diag *d)
{
    double v;
    if (!strcmp(field, "period") || !strcmp(field, "offset")) {
        if (t->kind != T_EVERY)
            return 1;
        return scn_value_time(key, value, field[0] == 'o', field[0] == 'p' ? &t->period
                                                                          : &t->offset, d);
    }
    if (!strcmp(field, "rate")) {
        if (t->kind != T_PIN_POISSON)
            return 1;
        if (scn_value(key, value, DIM_RATE, &v, d))
            return -1;
        if (v > 1000) {
            diag_error(d, param_where, "scenario.%s: found '%s', expected a "
                       "rate from 0 (never: the task is left out) to 1000 /s", key, value);
            return -1;
        }
        if (v == 0)
            diag_warn(d, param_where, "scenario.%s: rate 0: this task never runs (it is left "
                      "out; a rate > 0 puts it back)", key);
        t->rate = v;
        t->rate_daily = scn_rate_daily(value);
        return 0;
    }
    if (!strcmp(field, "repeat")) {
        if (t->kind != T_PIN_AT || !t->repeat)
            return 1;
        tick_t r;
        if (scn_value_time(key, value, 0, &r, d))
            return -1;
        if (t->at[t->nat - 1] >= r) {
            diag_error(d, param_where, "scenario.%s: found '%s', expected a "
                       "repeat period longer than the last pin time", key, value);
            return -1;
        }
        t->repeat = r;
        return 0;
    }
    if (!strcmp(field, "nth") && t->kind == T_NTH) {
        if (scn_value_count(key, value, &v, d))
            return -1;
        t->nth = (int64_t)v;
        return 0;
    }
    return 1;
}

/* A field of block a. 1 when the field is not this block's. */
static int scn_set_block(scn_action *a, const char *key, const char *field, const char *value,
                         diag *d)
{
    double v;
    if (!strcmp(field, "chance") && a->kind == A_CHANCE) {
        if (scn_value(key, value, DIM_RATIO, &v, d))
            return -1;
        if (v > 1) {
            diag_error(d, param_where, "scenario.%s: found '%s', expected a "
                       "probability from 0 to 100 %%", key, value);
            return -1;
        }
        a->amount = v;
        return 0;
    }
    if ((!strcmp(field, "nth") && a->kind == A_NTH_RUN) ||
        (!strcmp(field, "count") && a->kind == A_REPEAT)) {
        if (scn_value_count(key, value, &v, d))
            return -1;
        a->amount = v;
        return 0;
    }
    return 1;
}

int scn_set_named(scn *s, const char *name, const char *field, const char *value, diag *d)
{
    char key[160], kv[800];
    snprintf(key, sizeof key, "%s.%s", name, field);
    snprintf(kv, sizeof kv, "scenario.%s=%s", key, value);
    param_where = diag_arg_pos("--set", kv);
    if (!strcmp(name, "regulator"))
        return scn_set_regulator(s, key, field, value, d);
    int found = 0, rc;
    for (int i = 0; i < s->ntask; i++) {
        scn_task *t = &s->task[i];
        if (!strcmp(t->name, name)) {
            if ((rc = scn_set_task(t, key, field, value, d)) < 0)
                return -1;
            found |= rc == 0;
        }
        for (int k = 0; k < t->na; k++)
            if (t->a[k].len > 0 && !strcmp(t->a[k].name, name)) {
                if ((rc = scn_set_block(&t->a[k], key, field, value, d)) < 0)
                    return -1;
                found |= rc == 0;
            }
    }
    for (int k = 0; k < s->nload; k++)
        if (!strcmp(s->load[k].name, name) && !strcmp(field, "current")) {
            if (scn_value(key, value, DIM_CURRENT, &s->load[k].current, d))
                return -1;
            found = 1;
        }
    for (int k = 0; k < s->nperiph; k++)
        if (!strcmp(s->periph[k].name, name) && !strcmp(field, "speed")) {
            units_dim dim = s->periph[k].kind == COMP_UART ? DIM_BITRATE : DIM_FREQ;
            double v;
            if (scn_value(key, value, dim, &v, d))
                return -1;
            if (!(v > 0)) {
                diag_error(d, param_where, "scenario.%s: found '%s', expected "
                           "a speed > 0", key, value);
                return -1;
            }
            s->periph[k].speed = v;
            found = 1;
        }
    if (!found) {
        /* a guess: the field nearest when the name is known, else the name */
        static const char *const fields[] = {"period", "offset", "rate", "repeat", "nth",
                                             "chance", "count", "current", "speed",
                                             "efficiency", "quiescent", "wifi-min"};
        diag_near nn = DIAG_NEAR_INIT, nf = DIAG_NEAR_INIT;
        int known = 0;
#define SCN_NAME_SEEN(x) (known |= !strcmp((x), name), diag_near_offer(&nn, name, (x)))
        for (int i = 0; i < s->ntask; i++) {
            SCN_NAME_SEEN(s->task[i].name);
            for (int k = 0; k < s->task[i].na; k++)
                if (s->task[i].a[k].len > 0)
                    SCN_NAME_SEEN(s->task[i].a[k].name);
        }
        for (int k = 0; k < s->nload; k++)
            SCN_NAME_SEEN(s->load[k].name);
        for (int k = 0; k < s->nperiph; k++)
            SCN_NAME_SEEN(s->periph[k].name);
        diag_near_offer(&nn, name, "regulator");
#undef SCN_NAME_SEEN
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            diag_near_offer(&nf, field, fields[k]);
        char guess[200] = "";
        if (known && diag_near_best(&nf))
            snprintf(guess, sizeof guess, "; did you mean 'scenario.%s.%s'?", name,
                     diag_near_best(&nf));
        else if (!known && diag_near_best(&nn))
            snprintf(guess, sizeof guess, "; did you mean 'scenario.%s.%s'?",
                     diag_near_best(&nn), field);
        diag_error(d, param_where, "found scenario.%s, expected NAME.FIELD "
                   "naming a task or block by its 'as' name (period, offset, rate, repeat, nth, "
                   "chance, count), a load (current), a peripheral (speed) or the regulator "
                   "(efficiency, quiescent, wifi-min)%s", key, guess);
        return -1;
    }
    return 0;
}
