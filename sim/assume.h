/* assume.h — the assumptions behind an output, gathered in one place and
 * written the same way by every writer (run, compare, decide, sweep; the
 * HTML report reuses it): impsim version, the scenario's path and checksum,
 * the module model files and board parts each variant ran on, every
 * override with its source (a `set` line of the file, the command line, or
 * a variant), the cell, the regulator and its wifi-min, the supply, the
 * duration and horizon, the scenario's seed and the Monte Carlo samples and
 * seed. Why: a number without the assumptions it rests on cannot be
 * reviewed or reproduced. */
#ifndef IMPSIM_ASSUME_H
#define IMPSIM_ASSUME_H

#include <stdint.h>
#include <stdio.h>
#include "variant.h"

#define ASSUME_MAX_OVER 48
#define ASSUME_MAX_MODELS 4

typedef struct {
    char setting[192];          /* "model.cpu.stop.current = 30 uA" */
    char source[192];           /* "FILE:LINE", "command line" */
} assume_over;

typedef struct {
    char module[256];           /* as named: imp004m, or a .model path */
    char path[256];             /* the model file read */
    char parts[192];            /* board parts layered over it, "" for none */
} assume_model;

typedef struct {
    char name[48];
    char settings[256];         /* the variant's own settings, space-separated */
} assume_variant;

typedef struct assume {
    char version[32];
    char scenario[256];
    char checksum[32];          /* "fnv1a64:<16 hex digits>" of the file's bytes */
    assume_model models[ASSUME_MAX_MODELS];
    int nmodels;
    assume_over over[ASSUME_MAX_OVER];
    int nover;
    assume_variant variants[VARIANT_MAX];
    int nvariants;
    char cell[192];             /* "2xAA-alkaline (2 x AA alkaline (Energizer E91))", "" none */
    char regulator[128];        /* "switching, efficiency 85 %, quiescent 1 uA" */
    double wifi_min_V, supply_V, duration_s, horizon_s;
    uint64_t scn_seed;          /* the scenario's seed (stochastic events) */
    long mc;                    /* Monte Carlo samples, 0 = none */
    unsigned long mc_seed;
} assume;

/* Gather the assumptions of scenario `path` run with the command-line
 * settings sets[0..nsets) and, when vs is not NULL, every variant of vs
 * (their own settings and the models they load); mc samples with seed
 * mc_seed (mc = 0: none). Never fails: what cannot be read (a variant that
 * cannot load) is left out; the scenario's checksum is "unreadable" when
 * the file cannot be read. */
void assume_collect(assume *a, const char *path, char *const *sets, int nsets,
                    const variant_set *vs, long mc, unsigned long mc_seed);

/* Writers. Text: an "assumptions:" block of indented lines. JSON: one
 * object (keys in README.md, "Assumptions"). CSV: comment lines
 * "# assumption: KEY: VALUE", written after the data so the header stays
 * the first line. */
void assume_text(const assume *a, FILE *fp);
void assume_json(const assume *a, FILE *fp);
void assume_csv(const assume *a, FILE *fp);

#endif
