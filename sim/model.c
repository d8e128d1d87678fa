/* model.c — loading, layering and checking module model files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model.h"
#include "paths.h"

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static const char *data_path(const char *sub, const char *name, const char *ext)
{
    static char buf[4096];
    if (strchr(name, '/') || ends_with(name, ext))
        snprintf(buf, sizeof buf, "%s", name);
    else
        snprintf(buf, sizeof buf, "%s/%s/%s%s", impsim_datadir(), sub, name, ext);
    return buf;
}

const char *model_path(const char *name_or_file)
{
    return data_path("models", name_or_file, ".model");
}

/* Check one entry against the schema. */
static int model_check_entry(const fig_entry *e, diag *d)
{
    const model_key *k = model_schema_find(e->key);
    if (!k) {
        int n;
        const model_key *all = model_schema(&n);
        diag_near near = DIAG_NEAR_INIT;
        for (int i = 0; i < n; i++)
            if (!strchr(all[i].key, '*'))
                diag_near_offer(&near, e->key, all[i].key);
        const char *guess = diag_near_best(&near);
        diag_error(d, e->pos, "found '%s', expected a model figure (impsim models NAME lists "
                   "them)%s%s%s", e->key, guess ? "; did you mean '" : "", guess ? guess : "",
                   guess ? "'?" : "");
        return -1;
    }
    switch (k->type) {
    case MK_NUM:
        if (e->kind != FIG_NUMBER || e->dim != k->dim) {
            diag_error(d, e->pos, "%s: found '%s', expected %s", e->key, e->text,
                       units_dim_word(k->dim));
            return -1;
        }
        if (e->value < 0 && !(k->dim == DIM_RATIO && e->value > -1)) {
            diag_error(d, e->pos, "%s: found negative '%s', expected a value >= 0",
                       e->key, e->text);
            return -1;
        }
        /* clocks and rates that durations are divided by */
        if (e->value == 0 && (!strcmp(e->key, "cpu.clock") || !strcmp(e->key, "flash.clock") ||
                              !strcmp(e->key, "wifi.tx.rate") || !strcmp(e->key, "wifi.rx.rate"))) {
            diag_error(d, e->pos, "%s: found '%s', expected a value > 0", e->key, e->text);
            return -1;
        }
        return 0;
    case MK_BOOL:
        if (e->kind != FIG_WORD || (strcmp(e->text, "yes") && strcmp(e->text, "no"))) {
            diag_error(d, e->pos, "%s: found '%s', expected yes or no", e->key, e->text);
            return -1;
        }
        return 0;
    case MK_WORD:
        if (e->kind != FIG_WORD) {
            diag_error(d, e->pos, "%s: found '%s', expected a word", e->key, e->text);
            return -1;
        }
        return 0;
    default:
        return 0;
    }
}

/* Replace or append entry e (moved into f). */
static void model_put(figfile *f, fig_entry *e)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->v[i].key, e->key) == 0) {
            fig_entry_clear(&f->v[i]);
            f->v[i] = *e;
            memset(e, 0, sizeof *e);
            return;
        }
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 32;
        f->v = realloc(f->v, (size_t)f->cap * sizeof *f->v);
        if (!f->v)
            abort();
    }
    f->v[f->n++] = *e;
    memset(e, 0, sizeof *e);
}

static int model_layer_part(figfile *f, const char *part, diag_pos at, diag *d)
{
    const char *path = data_path("models/parts", part, ".part");
    diag *pd = diag_new();
    figfile *p = figfile_load(path, pd);
    if (!p) {
        diag_error(d, at, "board part '%s': %s", part, diag_first(pd));
        diag_free(pd);
        return -1;
    }
    diag_free(pd);
    int bad = 0;
    for (int i = 0; i < p->n; i++) {
        if (strncmp(p->v[i].key, "flash.", 6) && strncmp(p->v[i].key, "regulator.", 10)) {
            diag_error(d, p->v[i].pos, "part files hold flash.* or regulator.* figures only, found '%s'",
                       p->v[i].key);
            bad = 1;
            continue;
        }
        fig_entry c = fig_entry_copy(&p->v[i]);
        c.pos.file = f->path;   /* p is freed below; keep a living pointer */
        model_put(f, &c);
    }
    figfile_free(p);
    return bad ? -1 : 0;
}

static void model_fill_currents(model *m)
{
    char key[96];
    for (int c = 0; c < COMP__COUNT; c++)
        for (int s = 0; s < comp_nstates((comp_id)c); s++) {
            snprintf(key, sizeof key, "%s.%s.current", comp_name((comp_id)c),
                     comp_state_name((comp_id)c, s));
            const fig_entry *e = figfile_get(m->fig, key);
            m->has_state[c][s] = e != NULL;
            m->cur[c][s] = e ? e->value : 0.0;
        }
}

static void model_fill_buses(model *m)
{
    for (int i = 0; i < m->fig->n; i++) {
        const fig_entry *e = &m->fig->v[i];
        if (strncmp(e->key, "bus.", 4) || strchr(e->key + 4, '.'))
            continue;
        m->bus = realloc(m->bus, (size_t)(m->nbus + 1) * sizeof *m->bus);
        if (!m->bus)
            abort();
        model_bus *b = &m->bus[m->nbus++];
        memset(b, 0, sizeof *b);
        snprintf(b->name, sizeof b->name, "%s", e->key + 4);
        int k = comp_by_name(e->text);
        b->kind = k >= COMP_PERIPH_FIRST && k <= COMP_PERIPH_LAST ? (comp_id)k : COMP_I2C;
        char key[64];
        snprintf(key, sizeof key, "bus.%s.max_baud", b->name);
        const fig_entry *mb = figfile_get(m->fig, key);
        b->max_baud = mb ? mb->value : 0;
    }
}

static int model_check_all(model *m, diag *d)
{
    int n, bad = 0;
    const model_key *k = model_schema(&n);
    for (int i = 0; i < m->fig->n; i++)
        bad |= model_check_entry(&m->fig->v[i], d) != 0;
    for (int i = 0; i < n; i++)
        if (k[i].required && !strchr(k[i].key, '*') && !figfile_get(m->fig, k[i].key)) {
            diag_pos p = {m->fig->path, 0, 0};
            diag_error(d, p, "required figure '%s' (%s) is missing", k[i].key, k[i].meaning);
            bad = 1;
        }
    for (int i = 0; i < m->fig->n && !bad; i++) {
        const fig_entry *e = &m->fig->v[i];
        if (!strncmp(e->key, "bus.", 4) && !strchr(e->key + 4, '.')) {
            int c = comp_by_name(e->text);
            if (c < COMP_PERIPH_FIRST || c > COMP_PERIPH_LAST) {
                diag_error(d, e->pos, "%s: found '%s', expected a peripheral kind "
                           "(i2c, spi, uart, adc, pwm, sampler, dac)", e->key, e->text);
                bad = 1;
            }
        }
    }
    return bad ? -1 : 0;
}

model *model_load(const char *name_or_file, const char *const *parts,
                  const diag_pos *part_pos, int nparts,
                  const fig_entry *over, int nover, diag *d)
{
    figfile *f = figfile_load(model_path(name_or_file), d);
    if (!f)
        return NULL;
    return model_from_fig(f, parts, part_pos, nparts, over, nover, d);
}

model *model_from_fig(figfile *f, const char *const *parts, const diag_pos *part_pos,
                      int nparts, const fig_entry *over, int nover, diag *d)
{
    model *m = calloc(1, sizeof *m);
    if (!m)
        abort();
    m->fig = f;
    int bad = 0;
    for (int i = 0; i < nparts; i++)
        bad |= model_layer_part(f, parts[i], part_pos[i], d) != 0;
    for (int i = 0; i < nover; i++) {
        fig_entry c = fig_entry_copy(&over[i]);
        if (model_check_entry(&c, d)) {
            fig_entry_clear(&c);
            bad = 1;
            continue;
        }
        model_put(f, &c);
    }
    if (bad || model_check_all(m, d)) {
        model_free(m);
        return NULL;
    }
    model_fill_currents(m);
    model_fill_buses(m);
    return m;
}

void model_free(model *m)
{
    if (!m)
        return;
    figfile_free(m->fig);
    free(m->bus);
    free(m);
}

double model_num(const model *m, const char *key)
{
    const fig_entry *e = figfile_get(m->fig, key);
    return e && e->kind == FIG_NUMBER ? e->value : 0.0;
}

int model_bool(const model *m, const char *key)
{
    const fig_entry *e = figfile_get(m->fig, key);
    return e && strcmp(e->text, "yes") == 0;
}

const char *model_word(const model *m, const char *key)
{
    const fig_entry *e = figfile_get(m->fig, key);
    return e ? e->text : "";
}

int model_has(const model *m, const char *key)
{
    return figfile_get(m->fig, key) != NULL;
}

const char *model_name(const model *m)
{
    return model_word(m, "module.name");
}

const model_bus *model_bus_find(const model *m, const char *name)
{
    for (int i = 0; i < m->nbus; i++)
        if (strcasecmp(m->bus[i].name, name) == 0)
            return &m->bus[i];
    return NULL;
}

const model_bus *model_bus_default(const model *m, comp_id kind)
{
    for (int i = 0; i < m->nbus; i++)
        if (m->bus[i].kind == kind)
            return &m->bus[i];
    return NULL;
}

void model_print(const model *m, FILE *fp)
{
    fprintf(fp, "# %s — %s\n# from %s\n", model_name(m),
            model_word(m, "module.title"), m->fig->path);
    fprintf(fp, "# %-30s %-16s %-10s %s\n", "key", "value", "provenance", "source");
    fprintf(fp, "#   range: what --monte-carlo draws (mc.KEY, with its own provenance and\n"
            "#   source for the bounds), or +-mc.spread for an estimate without one\n");
    double spread = model_num(m, "mc.spread");
    for (int i = 0; i < m->fig->n; i++) {
        const fig_entry *e = &m->fig->v[i];
        if (!strncmp(e->key, "mc.", 3) && strcmp(e->key, "mc.spread"))
            continue;   /* printed under its figure */
        char val[80];
        snprintf(val, sizeof val, e->kind == FIG_STRING ? "\"%s\"" : "%s", e->text);
        fprintf(fp, "%-32s %-16s %-10s \"%s\"\n", e->key, val,
                fig_prov_name(e->prov), e->source);
        if (e->kind != FIG_NUMBER || !strncmp(e->key, "mc.", 3))
            continue;
        char mk[96];
        snprintf(mk, sizeof mk, "mc.%s", e->key);
        const fig_entry *r = figfile_get(m->fig, mk);
        if (r)
            fprintf(fp, "  range: %-39s %-10s \"%s\"\n", r->text, fig_prov_name(r->prov),
                    r->source);
        else if (e->prov == FIG_ESTIMATE && spread > 0 && e->value > 0)
            fprintf(fp, "  range: +-%g %% (mc.spread)\n", 100 * spread);
    }
}
