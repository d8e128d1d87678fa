/* pipeline.c — one scenario through every stage. */
#include <string.h>
#include "pipeline.h"
#include "scn_check.h"

static int pipeline_finish(pipeline *pl, char *const *sets, int nsets, diag *d)
{
    scn *s = pl->s;
    for (int i = 0; i < nsets; i++)
        if (scn_set(s, sets[i], d))
            return -1;
    if (!s->module[0]) {
        diag_pos top = {s->path, 1, 1};
        diag_error(d, top, "no module: expected a 'module imp004m' statement or --module");
        return -1;
    }
    pl->m = model_load(s->module, (const char *const *)s->parts, s->part_pos, s->nparts,
                       s->sets, s->nsets, d);
    if (!pl->m)
        return -1;
    if (scn_check(s, pl->m, d))
        return -1;
    if (plan_build(&pl->p, s, pl->m, d))
        return -1;
    pl->planned = 1;
    return 0;
}

int pipeline_load_text(pipeline *pl, const char *name, const char *text,
                       char *const *sets, int nsets, diag *d)
{
    memset(pl, 0, sizeof *pl);
    pl->s = scn_parse(name, text, strlen(text), d);
    if (!pl->s || pipeline_finish(pl, sets, nsets, d)) {
        pipeline_free(pl);
        return -1;
    }
    return 0;
}

int pipeline_load(pipeline *pl, const char *path, char *const *sets, int nsets, diag *d)
{
    memset(pl, 0, sizeof *pl);
    pl->s = scn_load(path, d);
    if (!pl->s || pipeline_finish(pl, sets, nsets, d)) {
        pipeline_free(pl);
        return -1;
    }
    return 0;
}

int pipeline_run(pipeline *pl, FILE *trace, budget *b, engine_result *r)
{
    engine_result tmp;
    if (!r)
        r = &tmp;
    if (engine_run(&pl->p, trace, r))
        return -1;
    budget_make(b, &r->L, (const double (*)[COMP_MAX_STATES])pl->p.cur, pl->p.supply,
                pl->s->path, model_name(pl->m), pl->s->title);
    return 0;
}

void pipeline_free(pipeline *pl)
{
    if (pl->planned)
        plan_free(&pl->p);
    model_free(pl->m);
    scn_free(pl->s);
    memset(pl, 0, sizeof *pl);
}
