/* fuzz_figfile.c — libFuzzer target: figure-file text (models, parts,
 * cells) -> figfile_parse, then
 *   1. the file on its own as a battery cell (battery_cell_from_fig) and as
 *      a module model (model_from_fig, which takes the figfile over: the
 *      text is parsed a second time for it);
 *   2. its entries as overrides layered over a shipped model (imp004m) and
 *      over a shipped cell (chosen by the input's first byte), which
 *      reaches the schema checks, bus table and cell loaders past the
 *      "required figure missing" errors a random file stops at;
 *   3. its first line as a --set style override "KEY=VALUE"
 *      (fig_parse_override), applied to the shipped model and cell.
 * Everything is freed (LeakSanitizer is on). Built by tests/fuzz/build.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "battery.h"
#include "diag.h"
#include "figfile.h"
#include "lex.h"
#include "model.h"

#ifndef FUZZ_DATADIR
#define FUZZ_DATADIR "."
#endif

static const char *const fz_cells[] = {"2xAA-alkaline", "2xAA-lithium", "1xCR123A",
                                       "1xAA-LiSOCl2", "1x18650"};
#define FZ_NCELL 5
static figfile *fz_cell[FZ_NCELL];
static char *fz_model;
static size_t fz_model_len;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("IMPSIM_DATADIR", FUZZ_DATADIR, 0);
    diag *d = diag_new();
    fz_model = lex_read_file(model_path("imp004m"), &fz_model_len, d);
    for (int i = 0; i < FZ_NCELL; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/cells/%s.cell", getenv("IMPSIM_DATADIR"), fz_cells[i]);
        fz_cell[i] = figfile_load(path, d);
    }
    if (diag_count(d)) {
        diag_print(d, stderr);
        abort();
    }
    diag_free(d);
    return 0;
}

static void fz_layer(const fig_entry *over, int nover, unsigned pick)
{
    diag *d = diag_new();
    figfile *base = figfile_parse("imp004m.model", fz_model, fz_model_len, d);
    if (!base)
        abort();
    model_free(model_from_fig(base, NULL, NULL, 0, over, nover, d));
    battery_cell_free(battery_cell_from_fig("fuzz", fz_cell[pick % FZ_NCELL], over, nover, d));
    (void)diag_first(d);
    diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    diag *d = diag_new();
    figfile *f = figfile_parse("fuzz.fig", text, size, d);
    if (f) {
        diag *d2 = diag_new();
        battery_cell_free(battery_cell_from_fig("fuzz", f, NULL, 0, d2));
        figfile *g = figfile_parse("fuzz.fig", text, size, d2);
        if (!g)
            abort();    /* parsed once, must parse again */
        model_free(model_from_fig(g, NULL, NULL, 0, NULL, 0, d2));
        diag_free(d2);
        fz_layer(f->v, f->n, size ? data[0] : 0);
        figfile_free(f);
    }
    diag_free(d);

    /* the first line as KEY=VALUE */
    const char *nl = memchr(text, '\n', size);
    size_t n = nl ? (size_t)(nl - text) : size;
    if (n < 4096 && !memchr(text, '\0', n)) {
        char *kv = malloc(n + 1);
        if (!kv)
            abort();
        memcpy(kv, text, n);
        kv[n] = '\0';
        diag *d3 = diag_new();
        diag_pos where = {"--set", 0, 0};
        fig_entry e;
        if (fig_parse_override(kv, where, &e, d3) == 0) {
            fz_layer(&e, 1, (unsigned)n);
            fig_entry_clear(&e);
        }
        diag_free(d3);
        free(kv);
    }
    return 0;
}
