/* assume.c — gathering and writing the assumptions (see assume.h). */
#include <stdlib.h>
#include <string.h>
#include "assume.h"
#include "config.h"
#include "lex.h"
#include "num.h"
#include "pipeline.h"
#include "report.h"
#include "units.h"

/* FNV-1a, 64 bits: a checksum to tell two versions of a scenario apart
 * (not a security hash). */
static void assume_checksum(const char *path, char *out, size_t n)
{
    diag *d = diag_new();
    size_t len;
    char *buf = lex_read_file(path, &len, d);
    diag_free(d);
    if (!buf) {
        snprintf(out, n, "unreadable");
        return;
    }
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)buf[i]) * 1099511628211ULL;
    free(buf);
    snprintf(out, n, "fnv1a64:%016llx", (unsigned long long)h);
}

static void assume_add_over(assume *a, const char *setting, const char *source)
{
    if (a->nover == ASSUME_MAX_OVER)
        return;
    snprintf(a->over[a->nover].setting, sizeof a->over[0].setting, "%s", setting);
    snprintf(a->over[a->nover].source, sizeof a->over[0].source, "%s", source);
    a->nover++;
}

/* The `set` lines of the scenario file itself. */
static void assume_file_sets(assume *a, const char *path)
{
    diag *d = diag_new();
    scn *s = scn_load(path, d);
    diag_free(d);
    if (!s)
        return;
    char set[192], src[192];
    for (int k = 0; k < 2; k++) {
        const fig_entry *v = k ? s->bsets : s->sets;
        int n = k ? s->nbsets : s->nsets;
        for (int i = 0; i < n; i++) {
            snprintf(set, sizeof set, "%s.%s = %s", k ? "battery" : "model", v[i].key, v[i].text);
            snprintf(src, sizeof src, "%s:%d", v[i].pos.file ? v[i].pos.file : path, v[i].pos.line);
            assume_add_over(a, set, src);
        }
    }
    scn_free(s);
}

/* The model file and parts a loaded pipeline uses, once per distinct one. */
static void assume_add_model(assume *a, const pipeline *pl)
{
    assume_model m;
    memset(&m, 0, sizeof m);
    snprintf(m.module, sizeof m.module, "%s", pl->s->module);
    snprintf(m.path, sizeof m.path, "%s", model_path(pl->s->module));
    for (int i = 0; i < pl->s->nparts; i++) {
        size_t k = strlen(m.parts);
        snprintf(m.parts + k, sizeof m.parts - k, "%s%s", i ? " " : "", pl->s->parts[i]);
    }
    for (int i = 0; i < a->nmodels; i++)
        if (!strcmp(a->models[i].path, m.path) && !strcmp(a->models[i].parts, m.parts))
            return;
    if (a->nmodels < ASSUME_MAX_MODELS)
        a->models[a->nmodels++] = m;
}

/* Cell, regulator, supply, duration, seed: from the scenario as run with
 * the user's settings (the variants change module, crystal and sleep, not
 * these). */
static void assume_scenario(assume *a, const pipeline *pl)
{
    char x[32], y[32];
    battery_regulator reg;
    pipeline_regulator(pl, &reg);
    if (pl->cell)
        snprintf(a->cell, sizeof a->cell, "%s (%s)", battery_cell_name(pl->cell),
                 battery_cell_title(pl->cell));
    if (reg.kind == BATTERY_REG_SWITCHING)
        snprintf(a->regulator, sizeof a->regulator, "switching, efficiency %.4g %%, quiescent %s",
                 100 * reg.efficiency, units_format(reg.i_q, DIM_CURRENT, x, sizeof x));
    else
        snprintf(a->regulator, sizeof a->regulator, "linear (or direct), quiescent %s",
                 units_format(reg.i_q, DIM_CURRENT, y, sizeof y));
    a->wifi_min_V = reg.wifi_min_v;
    a->supply_V = pl->p.supply;
    a->duration_s = ticks_to_s(pl->s->duration);
    a->scn_seed = pl->s->seed;
}

void assume_collect(assume *a, const char *path, char *const *sets, int nsets,
                    const variant_set *vs, long mc, unsigned long mc_seed)
{
    memset(a, 0, sizeof *a);
    snprintf(a->version, sizeof a->version, "%s", PACKAGE_VERSION);
    snprintf(a->scenario, sizeof a->scenario, "%s", path);
    assume_checksum(path, a->checksum, sizeof a->checksum);
    a->horizon_s = PIPELINE_HORIZON_S;
    a->mc = mc;
    a->mc_seed = mc_seed;
    assume_file_sets(a, path);
    for (int i = 0; i < nsets; i++)
        assume_add_over(a, sets[i], !strncmp(sets[i], "--", 2) ? "command line (option)"
                                                               : "command line (--set)");
    pipeline pl;
    diag *d = diag_new();
    int base = pipeline_load(&pl, path, sets, nsets, d) == 0;
    if (base) {
        assume_scenario(a, &pl);
        if (!vs)
            assume_add_model(a, &pl);
        pipeline_free(&pl);
    }
    for (int v = 0; vs && v < vs->n; v++) {
        assume_variant *av = &a->variants[a->nvariants++];
        snprintf(av->name, sizeof av->name, "%s", vs->v[v].name);
        for (int k = 0; k < vs->v[v].nsets; k++) {
            size_t n = strlen(av->settings);
            snprintf(av->settings + n, sizeof av->settings - n, "%s%s", k ? " " : "",
                     vs->v[v].sets[k]);
        }
        char *all[256];
        int n = 0;
        for (int i = 0; i < nsets && n < 200; i++)
            all[n++] = sets[i];
        for (int k = 0; k < vs->v[v].nsets; k++)
            all[n++] = vs->v[v].sets[k];
        if (pipeline_load(&pl, path, all, n, d) == 0) {
            if (!base) {
                assume_scenario(a, &pl);
                base = 1;
            }
            assume_add_model(a, &pl);
            pipeline_free(&pl);
        }
    }
    diag_free(d);
}

void assume_text(const assume *a, FILE *fp)
{
    char x[32], y[32], z[32];
    fprintf(fp, "\nassumptions:\n  impsim %s; scenario %s (%s)\n", a->version, a->scenario,
            a->checksum);
    for (int i = 0; i < a->nmodels; i++)
        fprintf(fp, "  model %s: %s%s%s\n", a->models[i].module, a->models[i].path,
                a->models[i].parts[0] ? "; parts " : "", a->models[i].parts);
    fprintf(fp, "  cell %s; regulator %s; wifi-min %s; supply %s\n",
            a->cell[0] ? a->cell : "none (no battery life)", a->regulator,
            units_format(a->wifi_min_V, DIM_VOLTAGE, x, sizeof x),
            units_format(a->supply_V, DIM_VOLTAGE, y, sizeof y));
    fprintf(fp, "  duration %s; horizon %s; scenario seed %llu", units_format(a->duration_s, DIM_TIME, x, sizeof x),
            units_format(a->horizon_s, DIM_TIME, z, sizeof z), (unsigned long long)a->scn_seed);
    if (a->mc)
        fprintf(fp, "; Monte Carlo %ld samples, seed %lu", a->mc, a->mc_seed);
    fputc('\n', fp);
    for (int i = 0; i < a->nover; i++)
        fprintf(fp, "  override %s (%s)\n", a->over[i].setting, a->over[i].source);
    if (!a->nover)
        fputs("  overrides: none\n", fp);
    for (int i = 0; i < a->nvariants; i++)
        fprintf(fp, "  variant %s: %s\n", a->variants[i].name, a->variants[i].settings);
}

void assume_json(const assume *a, FILE *fp)
{
    fputs("{\"impsim_version\": ", fp);
    report_json_str(fp, a->version);
    fputs(", \"scenario\": ", fp);
    report_json_str(fp, a->scenario);
    fputs(", \"scenario_checksum\": ", fp);
    report_json_str(fp, a->checksum);
    fputs(",\n  \"models\": [", fp);
    for (int i = 0; i < a->nmodels; i++) {
        fputs(i ? ", {\"module\": " : "{\"module\": ", fp);
        report_json_str(fp, a->models[i].module);
        fputs(", \"file\": ", fp);
        report_json_str(fp, a->models[i].path);
        fputs(", \"parts\": ", fp);
        report_json_str(fp, a->models[i].parts);
        fputc('}', fp);
    }
    fputs("],\n  \"overrides\": [", fp);
    for (int i = 0; i < a->nover; i++) {
        fputs(i ? ", {\"setting\": " : "{\"setting\": ", fp);
        report_json_str(fp, a->over[i].setting);
        fputs(", \"source\": ", fp);
        report_json_str(fp, a->over[i].source);
        fputc('}', fp);
    }
    fputs("],\n  \"variants\": [", fp);
    for (int i = 0; i < a->nvariants; i++) {
        fputs(i ? ", {\"name\": " : "{\"name\": ", fp);
        report_json_str(fp, a->variants[i].name);
        fputs(", \"settings\": ", fp);
        report_json_str(fp, a->variants[i].settings);
        fputc('}', fp);
    }
    fputs("],\n  \"cell\": ", fp);
    if (a->cell[0])
        report_json_str(fp, a->cell);
    else
        fputs("null", fp);
    fputs(", \"regulator\": ", fp);
    report_json_str(fp, a->regulator);
    fprintf(fp, ", \"wifi_min_V\": %s, \"supply_V\": %s, \"duration_s\": %s, \"horizon_s\": %s, "
            "\"scenario_seed\": %llu", NUM_J(a->wifi_min_V), NUM_J(a->supply_V),
            NUM_J(a->duration_s), NUM_J(a->horizon_s), (unsigned long long)a->scn_seed);
    if (a->mc)
        fprintf(fp, ", \"monte_carlo_samples\": %ld, \"monte_carlo_seed\": %lu", a->mc, a->mc_seed);
    fputc('}', fp);
}

void assume_csv(const assume *a, FILE *fp)
{
    fprintf(fp, "# assumption: impsim_version: %s\n# assumption: scenario: %s\n"
            "# assumption: scenario_checksum: %s\n", a->version, a->scenario, a->checksum);
    for (int i = 0; i < a->nmodels; i++)
        fprintf(fp, "# assumption: model: %s: %s%s%s\n", a->models[i].module, a->models[i].path,
                a->models[i].parts[0] ? "; parts " : "", a->models[i].parts);
    fprintf(fp, "# assumption: cell: %s\n# assumption: regulator: %s\n"
            "# assumption: wifi_min_V: %s\n# assumption: supply_V: %s\n"
            "# assumption: duration_s: %s\n# assumption: horizon_s: %s\n"
            "# assumption: scenario_seed: %llu\n", a->cell[0] ? a->cell : "none", a->regulator,
            NUM_C(a->wifi_min_V), NUM_C(a->supply_V), NUM_C(a->duration_s), NUM_C(a->horizon_s),
            (unsigned long long)a->scn_seed);
    if (a->mc)
        fprintf(fp, "# assumption: monte_carlo: %ld samples, seed %lu\n", a->mc, a->mc_seed);
    for (int i = 0; i < a->nover; i++)
        fprintf(fp, "# assumption: override: %s (%s)\n", a->over[i].setting, a->over[i].source);
    for (int i = 0; i < a->nvariants; i++)
        fprintf(fp, "# assumption: variant: %s: %s\n", a->variants[i].name, a->variants[i].settings);
}
