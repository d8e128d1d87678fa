/* fuzz_scenario.c — libFuzzer target: scenario text -> scn_parse, then (when
 * it parses) the module model named by its `module` statement (imp002,
 * imp003, else imp004m) with the scenario's parts and `set` overrides,
 * scn_check and plan_build / plan_hyperperiod / plan_free. The SimGrid
 * engine is not run (it forks). Built by tests/fuzz/build.sh.
 *
 * The model files are read once per process; each input parses its model
 * from that text again (model_from_fig takes the figfile over and the
 * overrides change it). Board parts are read from IMPSIM_DATADIR (set to
 * the source tree at start-up unless already set); part names that are
 * paths are skipped so the fuzzer never opens arbitrary files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "figfile.h"
#include "lex.h"
#include "model.h"
#include "plan.h"
#include "scn.h"
#include "scn_check.h"

#ifndef FUZZ_DATADIR
#define FUZZ_DATADIR "."
#endif

static const char *const fz_modules[] = {"imp002", "imp003", "imp004m"};
#define FZ_NMOD 3
static char *fz_text[FZ_NMOD];
static size_t fz_len[FZ_NMOD];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("IMPSIM_DATADIR", FUZZ_DATADIR, 0);
    for (int i = 0; i < FZ_NMOD; i++) {
        diag *d = diag_new();
        fz_text[i] = lex_read_file(model_path(fz_modules[i]), &fz_len[i], d);
        if (!fz_text[i]) {
            diag_print(d, stderr);
            abort();
        }
        diag_free(d);
    }
    return 0;
}

static int fz_part_ok(const char *p)
{
    size_t n = strlen(p);
    return !strchr(p, '/') && !(n >= 5 && !strcmp(p + n - 5, ".part"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag *d = diag_new();
    scn *s = scn_parse("fuzz.scn", (const char *)data, size, d);
    if (s) {
        int k = FZ_NMOD - 1;
        for (int i = 0; i < FZ_NMOD; i++)
            if (!strcmp(s->module, fz_modules[i]))
                k = i;
        int parts_ok = 1;
        for (int i = 0; i < s->nparts; i++)
            parts_ok &= fz_part_ok(s->parts[i]);
        figfile *f = figfile_parse(fz_modules[k], fz_text[k], fz_len[k], d);
        if (!f)
            abort();    /* the shipped model must parse */
        model *m = model_from_fig(f, (const char *const *)s->parts, s->part_pos,
                                  parts_ok ? s->nparts : 0, s->sets, s->nsets, d);
        if (m && scn_check(s, m, d) == 0) {
            plan p;
            if (plan_build(&p, s, m, d) == 0) {
                (void)plan_hyperperiod(&p);
                plan_free(&p);
            }
        }
        model_free(m);
        scn_free(s);
    }
    (void)diag_first(d);
    diag_free(d);
    return 0;
}
