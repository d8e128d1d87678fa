/* cmd_models.c — `impsim models [NAME]`: list models or print one. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "model.h"
#include "paths.h"

static const char models_usage[] =
    "Usage: impsim models [NAME|FILE] [--set KEY=VALUE]...\n"
    "Without NAME, list the module models installed. With NAME (imp002, imp004m,\n"
    "imp003) or a .model file, print every figure with its unit, provenance\n"
    "(datasheet, documented, forum, measured, estimate, override) and source.\n"
    "--set model.KEY=VALUE overrides a figure, as in run, compare, decide and\n"
    "sweep, to check an override before using it in a run (the model. prefix may\n"
    "be left out here).\n";

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int models_list(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/models", impsim_datadir());
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "impsim: error: cannot open %s (set IMPSIM_DATADIR?)\n", dir);
        return 3;
    }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) && n < 256) {
        size_t len = strlen(e->d_name);
        if (len > 6 && !strcmp(e->d_name + len - 6, ".model"))
            names[n++] = strndup(e->d_name, len - 6);
    }
    closedir(dp);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        diag *d = diag_new();
        model *m = model_load(names[i], NULL, NULL, 0, NULL, 0, d);
        if (m)
            printf("%-10s %s\n", names[i], model_word(m, "module.title"));
        else {
            diag_print(d, stderr);
            rc = 2;
        }
        model_free(m);
        diag_free(d);
        free(names[i]);
    }
    return rc;
}

int cmd_models(int argc, char **argv)
{
    const char *name = NULL;
    fig_entry over[64];
    int nover = 0, rc = 0;
    diag *d = diag_new();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            fputs(models_usage, stdout);
            goto out;
        } else if (!strcmp(argv[i], "--set") && i + 1 < argc && nover < 64) {
            const char *kv = argv[++i];
            diag_pos w = diag_arg_pos("--set", kv);
            if (!strncmp(kv, "scenario.", 9) || !strncmp(kv, "battery.", 8)) {
                diag_error(d, w, "found '%s', expected model.KEY=VALUE (models prints "
                           "module figures only)", kv);
                continue;
            }
            if (!strncmp(kv, "model.", 6))
                kv += 6;
            if (fig_parse_override(kv, w, &over[nover], d) == 0)
                nover++;
        } else if (argv[i][0] == '-' || name) {
            rc = cli_usage_error("models", "unexpected argument '%s'", argv[i]);
            goto out;
        } else {
            name = argv[i];
        }
    }
    if (diag_count(d)) {
        rc = 2;
        goto out;
    }
    if (!name) {
        rc = models_list();
        goto out;
    }
    if (access(model_path(name), R_OK)) {   /* name the modules, not the path made from name */
        diag_error(d, diag_arg_pos("models", name), "found '%s', expected a module `impsim "
                   "models` lists (imp002, imp004m, imp003) or a readable .model file (%s: %s)",
                   name, model_path(name), strerror(errno));
        rc = 2;
        goto out;
    }
    model *m = model_load(name, NULL, NULL, 0, over, nover, d);
    if (!m) {
        rc = 2;
        goto out;
    }
    model_print(m, stdout);
    model_free(m);
out:
    diag_print(d, stderr);
    diag_free(d);
    for (int i = 0; i < nover; i++)
        fig_entry_clear(&over[i]);
    return rc;
}
