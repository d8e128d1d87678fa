/* pipeline.c — one scenario through every stage. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pipeline.h"
#include "workload.h"
#include "scn_check.h"
#include "scn_param.h"

/* `part NAME on BUS [at CLOCK]` on a module without hardware.spiflash (the
 * imp002): the chip on the user's SPI bus is the flash that `flash ...`
 * uses, driven by Squirrel (e.g. Electric Imp's SPIFlash library) at the
 * bus clock (default 1 MHz, as for any SPI peripheral). The model is
 * loaded again with caps.spiflash = yes and flash.clock = that clock,
 * after the user's own model settings. The firmware is taken to put the
 * chip in deep power-down between uses, as impOS does on the imp004m. */
static int pipeline_bus_flash(pipeline *pl, diag *d)
{
    scn *s = pl->s;
    int k = -1;
    for (int i = 0; i < s->nparts && k < 0; i++)
        if (s->part_bus[i][0])
            k = i;
    if (k < 0 || model_bool(pl->m, "caps.spiflash"))
        return 0;
    char kv[2][96];
    snprintf(kv[0], sizeof kv[0], "caps.spiflash=yes");
    snprintf(kv[1], sizeof kv[1], "flash.clock=%.17g Hz", s->part_speed[k] > 0 ? s->part_speed[k] : 1e6);
    fig_entry *over = calloc((size_t)s->nsets + 2, sizeof *over);
    if (!over)
        abort();
    int n = 0, rc = 0;
    for (int j = 0; j < 2 && !rc; j++)
        if (fig_parse_override(kv[j], s->part_bus_pos[k], &over[n], d) == 0)
            n++;
        else
            rc = -1;
    if (s->nsets)   /* borrowed: not cleared */
        memcpy(over + n, s->sets, (size_t)s->nsets * sizeof *over);
    model_free(pl->m);
    pl->m = rc ? NULL : model_load(s->module, (const char *const *)s->parts, s->part_pos,
                                   s->nparts, over, n + s->nsets, d);
    for (int j = 0; j < n; j++)
        fig_entry_clear(&over[j]);
    free(over);
    return pl->m ? 0 : -1;
}

/* `figures FILE` (or --figures FILE): the file's figures, in the models/
 * format (e.g. written by `impsim calibrate`, provenance `measured`), go
 * in front of the scenario's own model settings, so they replace the
 * model's figures and `set model...` / --set still override them. They
 * keep their provenance and source; positions point into the file. */
static int pipeline_figures(scn *s, diag *d)
{
    if (!s->figures[0])
        return 0;
    size_t flen = strlen(s->figures);
    if (flen > 4 && !strcmp(s->figures + flen - 4, ".scn")) {
        /* read as figures, a scenario is twenty parse errors about provenance */
        diag_error(d, s->figures_pos.file ? s->figures_pos : (diag_pos){"--figures", 0, 0},
                   "found scenario '%s', expected a figure file in the models/ format (e.g. "
                   "written by impsim calibrate); a scenario is run, not given as figures",
                   s->figures);
        return -1;
    }
    diag *fd = diag_new();
    figfile *f = figfile_load(s->figures, fd);
    if (!f) {
        if (strstr(diag_first(fd), ": error: cannot open"))
            diag_error(d, s->figures_pos.file ? s->figures_pos : (diag_pos){"--figures", 0, 0},
                       "found figure file '%s', expected a readable file in the models/ "
                       "format (%s)", s->figures, diag_first(fd));
        else
            diag_merge(d, fd);
        diag_free(fd);
        return -1;
    }
    diag_free(fd);
    fig_entry *v = calloc((size_t)(f->n + s->nsets), sizeof *v);
    if (!v)
        abort();
    for (int i = 0; i < f->n; i++) {
        v[i] = f->v[i];
        v[i].key = strdup(f->v[i].key);
        v[i].text = strdup(f->v[i].text);
        v[i].source = strdup(f->v[i].source);
        if (!v[i].key || !v[i].text || !v[i].source)
            abort();
        v[i].pos.file = s->figures;     /* lives as long as s */
    }
    if (s->nsets)
        memcpy(v + f->n, s->sets, (size_t)s->nsets * sizeof *v);
    free(s->sets);
    s->sets = v;
    s->nsets += f->n;
    figfile_free(f);
    return 0;
}

static int pipeline_finish(pipeline *pl, char *const *sets, int nsets, diag *d)
{
    scn *s = pl->s;
    for (int i = 0; i < nsets; i++)
        if (!strncmp(sets[i], "scenario.every=", 15) ? scn_set_every(s, sets[i] + 15, d)
                                                      : scn_set(s, sets[i], d))
            return -1;
    if (!s->module[0]) {
        diag_pos top = {s->path, 1, 1};
        diag_error(d, top, "no module: expected a 'module imp004m' statement or --module");
        return -1;
    }
    if (access(model_path(s->module), R_OK)) {
        diag_error(d, s->module_pos.file ? s->module_pos : (diag_pos){"--module", 0, 0},
                   "found module '%s', expected imp002, imp004m, imp003 or a readable .model "
                   "file (%s: %s%s)", s->module, model_path(s->module), strerror(errno),
                   strcmp(s->module, "imp002") && strcmp(s->module, "imp004m") &&
                   strcmp(s->module, "imp003") ? "" : "; a bundled model is missing: impsim's "
                   "data is read from $IMPSIM_DATADIR, else its build tree, else where it is "
                   "installed");
        return -1;
    }
    if (pipeline_figures(s, d))
        return -1;
    pl->m = model_load(s->module, (const char *const *)s->parts, s->part_pos, s->nparts,
                       s->sets, s->nsets, d);
    if (!pl->m || pipeline_bus_flash(pl, d))
        return -1;
    if (s->battery[0]) {   /* load it now: a bad cell is an input error, found before simulating */
        diag *cd = diag_new();
        pl->cell = battery_cell_load(s->battery, s->bsets, s->nbsets, cd);
        if (!pl->cell && strstr(diag_first(cd), ": error: cannot open"))
            diag_error(d, s->battery_pos.file ? s->battery_pos : (diag_pos){"--set", 0, 0},
                       "found battery '%s', expected a cell preset (impsim battery --help) or "
                       "a readable .cell file (%s)", s->battery, diag_first(cd));
        else
            diag_merge(d, cd);
        diag_free(cd);
        if (!pl->cell)
            return -1;
    }
    if (scn_check(s, pl->m, d))
        return -1;
    if (plan_build(&pl->p, s, pl->m, d))
        return -1;
    pl->planned = 1;
    /* the run (fast-forwarded where it repeats): refused before it starts
     * when it would take hours */
    return workload_check(&pl->p, ticks_to_s(pl->p.duration), 1, s->path, "the run", d);
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

/* Another of impsim's file kinds given where a scenario is read: named by
 * its kind and where it goes, not read as a scenario (which gives a page
 * of parse errors about its first lines). NULL when path is none of them. */
static const char *pipeline_other_kind(const char *path)
{
    static const struct { const char *ext, *what; } kinds[] = {
        {".expect", "an expect file (impsim check runs its scenario, NAME.scn, against it)"},
        {".cell", "a cell file (a scenario names it with 'battery NAME'; impsim battery --cell)"},
        {".model", "a module model (a scenario names it with 'module NAME'; --figures takes "
                   "a figure file)"},
        {".part", "a part file (a scenario names it with 'part NAME on BUS')"},
        {".csv", "a CSV file (a trace or a capture: impsim plot, battery --load, "
                 "calibrate --measured)"},
    };
    size_t n = strlen(path);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t e = strlen(kinds[k].ext);
        if (n > e && !strcmp(path + n - e, kinds[k].ext))
            return kinds[k].what;
    }
    return NULL;
}

int pipeline_load(pipeline *pl, const char *path, char *const *sets, int nsets, diag *d)
{
    memset(pl, 0, sizeof *pl);
    const char *other = pipeline_other_kind(path);
    if (other) {
        diag_error(d, (diag_pos){path, 0, 0}, "found %s, expected a scenario (NAME.scn)", other);
        return -1;
    }
    pl->s = scn_load(path, d);
    if (!pl->s || pipeline_finish(pl, sets, nsets, d)) {
        pipeline_free(pl);
        return -1;
    }
    return 0;
}

/* The budget of ledger L under pl's currents and names. */
static void pipeline_budget(const pipeline *pl, const ledger *L, budget *b)
{
    const char *names[COMP__COUNT];
    for (int c = 0; c < COMP__COUNT; c++)
        names[c] = plan_comp_name(&pl->p, (comp_id)c);
    budget_make(b, L, (const double (*)[COMP_MAX_STATES])pl->p.cur, names, pl->p.supply,
                pl->s->path, model_name(pl->m), pl->s->title);
}

int pipeline_run(pipeline *pl, FILE *trace, budget *b, engine_result *r)
{
    engine_result tmp;
    engine_opts o = {.trace = trace, .fast_forward = !pl->event_by_event};
    if (engine_run(&pl->p, &o, r ? r : &tmp))
        return -1;
    const engine_result *res = r ? r : &tmp;
    pipeline_budget(pl, &res->L, b);
    double erase_s = model_num(pl->m, "flash.erase.time");
    b->flash.endurance = model_num(pl->m, "flash.endurance");
    /* a whole number of sectors: each erase lasts flash.erase.time exactly */
    b->flash.erases = erase_s > 0 && plan_comp_name(&pl->p, COMP_FLASH)
                      ? round(ticks_to_s(ledger_state_ticks(&res->L, COMP_FLASH, FLASH_ERASE)) / erase_s)
                      : 0;
    if (!r)
        engine_result_free(&tmp);
    return 0;
}

double pipeline_avg_current(const pipeline *pl, const ledger *L)
{
    budget *b = malloc(sizeof *b);
    if (!b)
        abort();
    pipeline_budget(pl, L, b);
    double a = b->avg_current_A;
    free(b);
    return a;
}

int pipeline_steady_ledger(pipeline *pl, ledger *one)
{
    /* the search: eight hyperperiods, the radio's own calibration and
     * keepalive intervals included (a radio that stays on repeats with
     * them too: the imp004m-ps variant of a 10-s wake, 60 s); a long
     * period costs few simulated wakes (inner repeats: device.c) */
    tick_t h = plan_radio_period(&pl->p, NULL), lim;
    if (!h)
        return plan_aperiodic(&pl->p) ? 1 : 2;
    /* cut short of the range by one period, so that no task's next run
     * passes it (a next run out of range reads as "never": a false
     * repeat); the repeat is then looked for until then */
    if (ticks_mul(h, 8, &lim))
        lim = TICK_MAX - h;
    if (lim <= h)
        return 2;
    engine_opts o = {.duration = lim, .fast_forward = 1, .steady = 1};
    engine_result *r = malloc(sizeof *r);
    if (!r)
        abort();
    /* one.duration, not r->period: skips of inner repeats (device.c) set
     * the period too, but only the whole state's repeat is the steady one */
    int rc = engine_run(&pl->p, &o, r) ? -1 : r->one.duration ? 0 : 1;
    if (rc == 0) {
        *one = r->one;
        engine_result_free(r);
    }
    free(r);
    return rc;
}

int pipeline_steady(pipeline *pl, double *amps, double *period_s)
{
    ledger *one = malloc(sizeof *one);
    if (!one)
        abort();
    int rc = pipeline_steady_ledger(pl, one);
    if (rc == 0) {
        *amps = pipeline_avg_current(pl, one);
        *period_s = ticks_to_s(one->duration);
    }
    free(one);
    return rc;
}

/* Why a battery life with fast-forward went event by event (static): the
 * schedule has no period; or a cell that fails at the WiFi peak ended at
 * the first burst; or the period is long against the life. */
static const char *pipeline_full_why(const plan *p, int peak_fails)
{
    const char *why = plan_no_period(p);
    if (why)
        return why;
    return peak_fails ? "the cell failed at the first WiFi peak, before the schedule repeated"
                      : "its state did not repeat before the battery's end (the schedule's "
                        "period is long against the battery life)";
}

/* Run the battery to depletion or the horizon; *ff set when the engine
 * fast-forwarded. */
static int life_run(pipeline *pl, const battery_cell *cell, const battery_regulator *reg,
                    int fast_forward, battery_result *out, int *ff)
{
    engine_opts o = {.cell = cell, .reg = *reg, .fast_forward = fast_forward,
                     .battery_trace = pl->battery_trace,
                     .battery_trace_fn = pl->battery_trace_fn};
    if (ticks_from_s(PIPELINE_HORIZON_S, &o.duration))
        return -1;
    engine_result r;
    if (engine_run(&pl->p, &o, &r))
        return -1;
    *out = r.batt;
    *ff = r.fast_forwarded;
    engine_result_free(&r);
    return 0;
}

void pipeline_regulator(const pipeline *pl, battery_regulator *reg)
{
    const scn *s = pl->s;
    battery_regulator_default(reg);
    reg->v_module = pl->p.supply;
    reg->kind = s->reg_switching ? BATTERY_REG_SWITCHING : BATTERY_REG_LINEAR;
    if (s->reg_eff > 0)
        reg->efficiency = s->reg_eff;
    if (s->reg_iq >= 0)
        reg->i_q = s->reg_iq;
    if (s->reg_wifi_min >= 0)
        reg->wifi_min_v = s->reg_wifi_min;
}

int pipeline_life(pipeline *pl, int fast_forward, budget *b, diag *why)
{
    const battery_cell *cell = pl->cell;
    if (!cell)
        return 0;
    battery_regulator reg;
    pipeline_regulator(pl, &reg);
    /* event by event to depletion (no fast-forward, or a schedule that
     * never repeats): refused when it would take hours; the life is
     * estimated from the run's average current */
    if (!fast_forward || !plan_hyperperiod(&pl->p)) {
        double life = b->avg_current_A > 0 ? battery_cell_capacity_C(cell) / b->avg_current_A
                                           : PIPELINE_HORIZON_S;
        diag *d = why ? why : diag_new();
        int refused = workload_check(&pl->p, life < PIPELINE_HORIZON_S ? life : PIPELINE_HORIZON_S,
                                     0, pl->s->path, "the battery life (event by event to depletion)", d);
        if (!why) {
            diag_print(d, stderr);
            diag_free(d);
        }
        if (refused)
            return -2;
    }
    battery_result res;
    int ff = 0;
    int rc = life_run(pl, cell, &reg, fast_forward, &res, &ff);
    budget_battery *bb = &b->battery;
    bb->method = ff ? "fast-forward" : "full";
    bb->replayed = !ff && fast_forward && plan_random(&pl->p);
    if (rc >= 0) {
        bb->present = 1;
        snprintf(bb->cell, sizeof bb->cell, "%s", battery_cell_name(cell));
        snprintf(bb->title, sizeof bb->title, "%s", battery_cell_title(cell));
        snprintf(bb->model, sizeof bb->model, "%s", battery_cell_model(cell));
        bb->capacity_C = battery_cell_capacity_C(cell);
        bb->self_discharge_C = battery_cell_self_discharge_C(cell, res.life_s);
        bb->life_s = res.life_s;
        bb->delivered_C = res.delivered_C;
        bb->soc_end = res.soc;
        bb->ended_by = battery_end_word(res.ended_by);
        bb->depleted = res.ended_by != BATTERY_ALIVE;
        bb->horizon_s = PIPELINE_HORIZON_S;
        /* the peak from the model figures too: a cell that dies before the
         * run's first WiFi burst has still failed at the WiFi peak */
        double model_peak = plan_wifi_peak_A(&pl->p);
        bb->wifi_peak_A = res.wifi_peak_A > model_peak ? res.wifi_peak_A : model_peak;
        bb->wifi_min_V = reg.wifi_min_v;
        if (bb->wifi_peak_A > 0)
            bb->peak_fails = battery_peak_check(cell, &reg, bb->wifi_peak_A, &bb->wifi_peak_V);
    }
    bb->full_why = ff ? NULL : !fast_forward ? "--no-fast-forward"
                                             : pipeline_full_why(&pl->p, bb->peak_fails);
    return rc < 0 ? -1 : 0;
}

void pipeline_free(pipeline *pl)
{
    if (pl->planned)
        plan_free(&pl->p);
    battery_cell_free(pl->cell);
    model_free(pl->m);
    scn_free(pl->s);
    memset(pl, 0, sizeof *pl);
}
