/* cli.c — helpers shared by the subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include "cli.h"
#include "diag.h"

void cli_list_push(cli_list *l, char *s)
{
    l->v = realloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
    if (!l->v)
        abort();
    l->v[l->n++] = s;
}

void cli_list_free(cli_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("impsim: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'impsim %s --help'.\n", cmd);
    return DIAG_EXIT_INPUT;
}

int cli_unknown_option(const char *cmd, const char *arg, const struct option *lo)
{
    diag_near near = DIAG_NEAR_INIT;
    const char *word = arg;
    while (*word == '-')
        word++;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(word, "="), word);
    for (; lo && lo->name; lo++)
        diag_near_offer(&near, name, lo->name);
    const char *g = diag_near_best(&near);
    if (g)
        return cli_usage_error(cmd, "unknown option '%s'; did you mean '--%s'?", arg, g);
    return cli_usage_error(cmd, "unknown option '%s'", arg);
}

char *cli_setting(const char *key, const char *val)
{
    size_t n = strlen(key) + strlen(val) + 4;
    char *s = malloc(n);
    if (!s)
        abort();
    snprintf(s, n, "--%s=%s", key, val);
    return s;
}
