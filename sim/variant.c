/* variant.c — the variant matrix and running it in parallel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline.h"
#include "pool.h"
#include "units.h"
#include "variant.h"
#include "workload.h"

static void variant_put(variant_set *vs, const char *name, variant_role role,
                        const char *desc, const char *const *sets)
{
    variant *v = &vs->v[vs->n++];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", name);
    snprintf(v->desc, sizeof v->desc, "%s", desc);
    v->role = role;
    for (; sets[v->nsets]; v->nsets++)
        if (!(v->sets[v->nsets] = strdup(sets[v->nsets])))
            abort();
}

void variant_builtin(variant_set *vs)
{
    static const char *const base[] = {"scenario.module=imp002", NULL};
    static const char *const deep[] = {"scenario.module=imp004m", "scenario.crystal=yes",
                                       "scenario.sleep=deep", NULL};
    static const char *const pin[] = {"scenario.module=imp004m", "scenario.crystal=no",
                                      "scenario.sleep=deep", NULL};
    static const char *const stop[] = {"scenario.module=imp004m", "scenario.crystal=no",
                                       "scenario.sleep=idle", "scenario.wifi-idle=off", NULL};
    static const char *const shallow[] = {"scenario.module=imp004m", "scenario.crystal=no",
                                          "scenario.sleep=shallow", "scenario.wifi-idle=off", NULL};
    static const char *const ps[] = {"scenario.module=imp004m", "scenario.crystal=no",
                                     "scenario.sleep=idle", "scenario.wifi-idle=connected",
                                     "scenario.powersave=on", NULL};
    memset(vs, 0, sizeof *vs);
    variant_put(vs, "imp002", VAR_BASELINE, "imp002 as the product is today", base);
    variant_put(vs, "imp004m-deep", VAR_DEEP, "imp004m, 32 kHz crystal, timed deep sleep", deep);
    variant_put(vs, "imp004m-deep-pin", VAR_DEEP_PIN,
                "imp004m, no crystal, deep sleep until the wake pin", pin);
    variant_put(vs, "imp004m-stop", VAR_AWAKE,
                "imp004m, no crystal, stop mode, WiFi radio powered down between connects", stop);
    variant_put(vs, "imp004m-shallow", VAR_AWAKE,
                "imp004m, no crystal, shallow sleep, WiFi off", shallow);
    variant_put(vs, "imp004m-ps", VAR_AWAKE,
                "imp004m, no crystal, stays associated with power-save", ps);
}

int variant_add_user(variant_set *vs, const char *spec)
{
    const char *colon = strchr(spec, ':');
    if (!colon || colon == spec || colon - spec >= 48 || vs->n == VARIANT_MAX) {
        fprintf(stderr, "impsim: error: --variant: found '%s', expected 'NAME: KEY=VALUE ...' "
                "(at most %d variants)\n", spec, VARIANT_MAX);
        return -1;
    }
    variant *v = &vs->v[vs->n];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%.*s", (int)(colon - spec), spec);
    snprintf(v->desc, sizeof v->desc, "user variant:%s", colon + 1);
    v->role = VAR_USER;
    char *rest = strdup(colon + 1);
    if (!rest)
        abort();
    for (char *tok = strtok(rest, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (!strchr(tok, '=') && v->nsets > 0) {
            /* a word without '=' continues the value before it: a value
             * may have spaces (scenario.regulator=ldo quiescent 2 uA) */
            char *prev = v->sets[v->nsets - 1];
            size_t n = strlen(prev) + 1 + strlen(tok) + 1;
            char *cat = malloc(n);
            if (!cat)
                abort();
            snprintf(cat, n, "%s %s", prev, tok);
            free(prev);
            v->sets[v->nsets - 1] = cat;
            continue;
        }
        if (v->nsets == VARIANT_MAX_SETS || !strchr(tok, '=')) {
            fprintf(stderr, "impsim: error: --variant %s: found '%s', expected KEY=VALUE "
                    "settings (at most %d)\n", v->name, tok, VARIANT_MAX_SETS);
            free(rest);
            for (int i = 0; i < v->nsets; i++)
                free(v->sets[i]);
            return -1;
        }
        if (!(v->sets[v->nsets++] = strdup(tok)))
            abort();
    }
    free(rest);
    vs->n++;
    return 0;
}

void variant_set_free(variant_set *vs)
{
    for (int i = 0; i < vs->n; i++)
        for (int k = 0; k < vs->v[i].nsets; k++)
            free(vs->v[i].sets[k]);
    vs->n = 0;
}

typedef struct {
    const char *path;
    char *const *sets;
    int nsets;
    char *const *extra;     /* one per row, or NULL */
    const variant_set *vs;
} variant_ctx;

int variant_check_user(const variant_set *vs, const char *path, char *const *sets, int nsets)
{
    char **all = calloc((size_t)nsets + VARIANT_MAX_SETS + 1, sizeof *all);
    if (!all)
        abort();
    int rc = 0;
    for (int k = 0; k < vs->n && !rc; k++) {
        const variant *v = &vs->v[k];
        if (v->role != VAR_USER)
            continue;
        int n = 0;
        for (int i = 0; i < nsets; i++)
            all[n++] = sets[i];
        for (int i = 0; i < v->nsets; i++)
            all[n++] = v->sets[i];
        diag *d = diag_new();
        pipeline pl;
        if (pipeline_load(&pl, path, all, n, d) == 0) {
            pipeline_free(&pl);
        } else {
            /* an error located at one of this variant's own settings (its
             * --set 'KEY=VALUE' label, diag_arg_pos) is a bad override:
             * bad input, exit 2; any other is the scenario's, and the
             * variant's row says "not possible" */
            const char *e = diag_first(d);
            for (int i = 0; i < v->nsets && !rc; i++) {
                size_t len = strlen(v->sets[i]);
                if (!strncmp(e, "--set '", 7) && !strncmp(e + 7, v->sets[i], len) &&
                    !strncmp(e + 7 + len, "': error: ", 10)) {
                    fprintf(stderr, "--variant '%s:%s': error: setting '%s': %s\n", v->name,
                            v->desc + strlen("user variant:"), v->sets[i], e + 7 + len + 10);
                    rc = 2;
                }
            }
        }
        diag_free(d);
    }
    free(all);
    return rc;
}

void variant_run_inline(const char *path, char *const *sets, int nsets, const variant *v,
                        int life_only, variant_result *r)
{
    char **all = calloc((size_t)nsets + VARIANT_MAX_SETS + 1, sizeof *all);
    if (!all)
        abort();
    int n = 0;
    for (int i = 0; i < nsets; i++)
        all[n++] = sets[i];
    for (int i = 0; i < v->nsets; i++)
        all[n++] = v->sets[i];
    memset(r, 0, sizeof *r);
    workload_take_refusal();    /* a refusal of an earlier job in this worker is not ours */
    diag *d = diag_new();
    pipeline pl;
    budget *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    if (pipeline_load(&pl, path, all, n, d) == 0) {
        int budget = !life_only || !pl.cell || !plan_hyperperiod(&pl.p);
        r->ok = (!budget || pipeline_run(&pl, NULL, b, NULL) == 0) &&
                pipeline_life(&pl, 1, b, d) == 0;
        r->crystal = pl.p.crystal != 0;     /* what took effect: the imp002 keeps its crystal */
        snprintf(r->sleep, sizeof r->sleep, "%s", scn_sleep_name(pl.s->sleep));
        /* what took effect: deep sleep powers the radio down at every
         * sleep, whatever `wifi-idle` asks (device.c's wait_until) */
        r->wifi_connected = pl.s->wifi_connected && pl.p.sleep != SLEEP_DEEP;
        r->powersave = r->wifi_connected && pl.s->powersave;
        r->latch = pl.s->latch;
        r->outages = pl.s->nap;
        pipeline_free(&pl);
    }
    r->max_events_needed = r->ok ? 0 : workload_take_refusal();
    if (!r->ok) {
        /* the variant's own settings are applied as --set: an error there is
         * the variant's, so the row needs no "--set 'KEY=VALUE': error: "
         * prefix (diag_arg_pos) */
        const char *e = diag_count(d) ? diag_first(d) : "the simulation failed";
        const char *x = !strncmp(e, "--set '", 7) ? strstr(e, "': error: ") : NULL;
        if (x)
            e = x + strlen("': error: ");
        else if (!strncmp(e, "--set: error: ", 14))
            e += 14;
        snprintf(r->err, sizeof r->err, "%s", e);
    }
    snprintf(r->module, sizeof r->module, "%s", b->module);
    r->avg_current_A = b->avg_current_A;
    r->charge_day_C = b->avg_current_A * 86400;
    r->has_life = b->battery.present;
    r->life_s = b->battery.life_s;
    r->delivered_C = b->battery.delivered_C;
    r->ended_by = b->battery.ended_by;
    physwarn_facts_of(b, &r->facts);
    r->depleted = r->has_life && r->facts.depleted;
    r->peak_fails = r->has_life && r->facts.peak_fails;
    double days = b->duration_s / 86400;
    if (days > 0) {
        r->connects_day = (double)b->connects / days;
        r->radio_ups_day = (double)b->radio_ups / days;
        r->boots_day = (double)b->boots / days;
        r->connects = (double)b->connects;
    }
    free(b);
    free(all);
    diag_free(d);
}

static void variant_job(int j, void *ctx, void *out)
{
    const variant_ctx *c = ctx;
    const variant *v = &c->vs->v[j % c->vs->n];
    const char *extra = c->extra ? c->extra[j / c->vs->n] : NULL;
    char **all = calloc((size_t)c->nsets + 2, sizeof *all);
    if (!all)
        abort();
    int n = 0;
    for (int i = 0; i < c->nsets; i++)
        all[n++] = c->sets[i];
    if (extra)
        all[n++] = (char *)extra;
    variant_run_inline(c->path, all, n, v, 0, out);
    free(all);
}

int variant_run_rows(const char *path, char *const *sets, int nsets, char *const *extra,
                     int rows, const variant_set *vs, int workers, variant_result *res)
{
    variant_ctx c = {path, sets, nsets, extra, vs};
    int n = rows * vs->n;
    int *ok = calloc((size_t)n + 1, sizeof *ok);
    if (!ok)
        abort();
    int rc = pool_run(n, workers, sizeof *res, variant_job, &c, res, ok);
    for (int i = 0; i < n && !rc; i++)
        if (!ok[i]) {
            memset(&res[i], 0, sizeof res[i]);
            snprintf(res[i].err, sizeof res[i].err, "the run crashed");
        }
    free(ok);
    return rc;
}

int variant_run_all(const char *path, char *const *sets, int nsets, const char *extra,
                    const variant_set *vs, int workers, variant_result *res)
{
    char *e[1] = {(char *)extra};
    return variant_run_rows(path, sets, nsets, extra ? e : NULL, 1, vs, workers, res);
}

double variant_merit(const variant_result *r)
{
    if (r->has_life && r->peak_fails)
        return 0;
    if (r->has_life)
        return r->life_s;
    return r->avg_current_A > 0 ? 1.0 / r->avg_current_A : 0;
}

int variant_best(const variant_set *vs, const variant_result *res, variant_role role)
{
    int best = -1;
    for (int i = 0; i < vs->n; i++)
        if (vs->v[i].role == role && res[i].ok &&
            (best < 0 || variant_merit(&res[i]) > variant_merit(&res[best])))
            best = i;
    return best;
}

char *variant_life_text(const variant_result *r, int brief, char *buf, int len)
{
    char t[48];
    if (!r->ok)
        snprintf(buf, (size_t)len, "-");
    else if (!r->has_life)
        units_format_fig(r->avg_current_A, DIM_CURRENT, buf, len);
    else if (r->peak_fails)
        snprintf(buf, (size_t)len, "none (the cell cannot deliver the WiFi peak)");
    else if (!r->depleted)
        snprintf(buf, (size_t)len, "more than %s", units_format(r->life_s, DIM_TIME, t, sizeof t));
    else if (brief)
        units_format_fig(r->life_s, DIM_TIME, buf, len);
    else
        units_format_life(r->life_s, buf, len);
    return buf;
}

char *variant_ran_text(const variant_result *r, char *buf, int len)
{
    if (!r->ok) {
        snprintf(buf, (size_t)len, "-");
        return buf;
    }
    snprintf(buf, (size_t)len, "%s sleep, %s, %s%s%.4g connects/day, radio up %.4g/day",
             r->sleep, r->crystal ? "crystal" : "no crystal",
             r->wifi_connected ? (r->powersave ? "stays associated (power-save), "
                                               : "stays associated, ") : "",
             r->latch ? "radio latched, " : "", r->connects_day, r->radio_ups_day);
    return buf;
}

const char *variant_mismatch(const variant *v, const variant_result *r, char *buf, int len)
{
    if (!r->ok || !r->wifi_connected)
        return NULL;
    /* staying associated is one connection, plus one after each outage;
     * more means the firmware's `wifi disconnect` ends the association */
    if (r->connects <= 1 + r->outages)
        return NULL;
    snprintf(buf, (size_t)len, "%s does not stay associated: it connected %.4g times a day (the "
             "firmware's 'wifi disconnect' ends the association); its figures are those of "
             "reconnecting with %s between", v->name, r->connects_day,
             r->powersave ? "power-save on" : "power-save off");
    return buf;
}
