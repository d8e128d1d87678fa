/* scn_param.c — scenario parameters that are not statements: the wake
 * period (`scenario.every=...`), which sweeps and the break-even search
 * vary. */
#include <stdio.h>
#include <string.h>
#include "lex.h"
#include "scn_param.h"


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
    diag_pos where = {"--set", 0, 0};
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
