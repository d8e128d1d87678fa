/* scn_param.c — scenario parameters that are not statements: the wake
 * period (`scenario.every=...`), which sweeps and the break-even search
 * vary. */
#include <math.h>
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
    /* the first `every` task gets p; the others keep their ratio to it */
    double k = (double)p / (double)base;
    for (int t = 0; t < s->ntask; t++) {
        scn_task *tk = &s->task[t];
        if (tk->kind != T_EVERY)
            continue;
        double np = nearbyint((double)tk->period * k), no = nearbyint((double)tk->offset * k);
        if (np < 1 || np >= 9.2e18 || no >= 9.2e18) {
            diag_error(d, where, "scenario.every=%s puts a task period out of range", value);
            return -1;
        }
        tk->period = (tick_t)np;
        tk->offset = (tick_t)no;
    }
    return 0;
}
