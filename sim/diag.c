/* diag.c — collected error and warning messages with source positions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"

struct diag {
    char **msg;
    int n, cap;
    int errors;
};

diag_pos diag_arg_pos(const char *opt, const char *arg)
{
    static char **labels;
    static int n;
    size_t an = strlen(arg), len = strlen(opt) + (an > 80 ? 120 : an + 4);
    char *l = malloc(len);
    if (!l)
        abort();
    if (an > 80)    /* a 100 KB argument is named by its start and length */
        snprintf(l, len, "%s '%.60s...' (%zu characters)", opt, arg, an);
    else
        snprintf(l, len, "%s '%s'", opt, arg);
    for (int i = 0; i < n; i++)
        if (!strcmp(labels[i], l)) {
            free(l);
            return (diag_pos){labels[i], 0, 0};
        }
    char **v = realloc(labels, (size_t)(n + 1) * sizeof *v);
    if (!v)
        abort();
    labels = v;
    labels[n++] = l;
    return (diag_pos){l, 0, 0};
}

diag *diag_new(void)
{
    diag *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    return d;
}

void diag_free(diag *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n; i++)
        free(d->msg[i]);
    free(d->msg);
    free(d);
}

/* s with control bytes as \xNN into out (4 x the input's bytes + 1),
 * at most max input bytes. */
static void diag_escape(const char *s, size_t max, char *out)
{
    size_t k = 0, i = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c && i < max; c++, i++) {
        if (*c < 0x20 || *c == 0x7f)
            k += (size_t)sprintf(out + k, "\\x%02X", *c);
        else
            out[k++] = (char)*c;
    }
    out[k] = '\0';
}

static void diag_add(diag *d, diag_pos pos, const char *kind,
                     const char *fmt, va_list ap)
{
    char raw[1024], body[1024 * 4 + 1], line[1024 * 4 + 400], where[399 * 4 + 1];
    vsnprintf(raw, sizeof raw, fmt, ap);
    /* a message is one line of text: control bytes from the input (a
     * row's newline, ESC, NUL's neighbours) or in a file name or argument
     * are shown as \xNN, never sent to the terminal raw */
    if (pos.file) {
        diag_escape(pos.file, 399, where);
        pos.file = where;
    }
    diag_escape(raw, sizeof raw, body);
    if (pos.file && pos.line > 0)
        snprintf(line, sizeof line, "%s:%d:%d: %s: %s", pos.file, pos.line,
                 pos.col > 0 ? pos.col : 1, kind, body);
    else if (pos.file)
        snprintf(line, sizeof line, "%s: %s: %s", pos.file, kind, body);
    else
        snprintf(line, sizeof line, "impsim: %s: %s", kind, body);
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 8;
        d->msg = realloc(d->msg, (size_t)d->cap * sizeof *d->msg);
        if (!d->msg)
            abort();
    }
    d->msg[d->n] = strdup(line);
    if (!d->msg[d->n])
        abort();
    d->n++;
}

void diag_error(diag *d, diag_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_add(d, pos, "error", fmt, ap);
    va_end(ap);
    d->errors++;
}

void diag_warn(diag *d, diag_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_add(d, pos, "warning", fmt, ap);
    va_end(ap);
}

int diag_count(const diag *d)
{
    return d->errors;
}

const char *diag_first(const diag *d)
{
    for (int i = 0; i < d->n; i++)
        if (strstr(d->msg[i], ": error: "))
            return d->msg[i];
    return "";
}

void diag_print(diag *d, FILE *fp)
{
    int shown = 0, hidden = 0;
    for (int i = 0; i < d->n; i++) {
        int is_error = strstr(d->msg[i], ": error: ") != NULL;
        if (is_error && shown == DIAG_MAX_SHOWN)
            hidden++;
        else {
            shown += is_error;
            fprintf(fp, "%s\n", d->msg[i]);
        }
        free(d->msg[i]);
    }
    if (hidden)
        fprintf(fp, "impsim: %d more error%s not shown\n", hidden, hidden == 1 ? "" : "s");
    d->n = 0;
}

void diag_merge(diag *into, diag *from)
{
    for (int i = 0; i < from->n; i++) {
        if (into->n == into->cap) {
            into->cap = into->cap ? 2 * into->cap : 8;
            into->msg = realloc(into->msg, (size_t)into->cap * sizeof *into->msg);
            if (!into->msg)
                abort();
        }
        into->msg[into->n++] = from->msg[i];
    }
    into->errors += from->errors;
    from->n = 0;
    from->errors = 0;
}

/* Optimal string alignment distance between a and b, or limit + 1 when it
 * exceeds limit (names are short: a 64-character row is enough; longer
 * words are not compared). */
static int diag_osa(const char *a, const char *b, int limit)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 63 || lb > 63 || abs(la - lb) > limit)
        return limit + 1;
    int d[64][64];
    for (int i = 0; i <= la; i++)
        d[i][0] = i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int c = a[i - 1] != b[j - 1];
            int v = d[i - 1][j - 1] + c;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

void diag_near_offer(diag_near *n, const char *word, const char *candidate)
{
    if (!*candidate)
        return;
    size_t len = strlen(word);
    int limit = len <= 4 ? 1 : 2;
    int dist = diag_osa(word, candidate, limit);
    if (dist <= limit && dist > 0 && (!n->best || dist < n->dist)) {
        n->best = candidate;
        n->dist = dist;
    }
}

const char *diag_near_best(const diag_near *n)
{
    return n->best;
}
