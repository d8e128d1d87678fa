/* expect.c — reading, comparing and writing expected-results files. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "expect.h"
#include "lex.h"

static int starts(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static int ends(const char *s, const char *p)
{
    size_t a = strlen(s), b = strlen(p);
    return a > b && strcmp(s + a - b, p) == 0;
}

units_dim expect_dim(const char *n)
{
    if (!strcmp(n, "wakes") || !strcmp(n, "boots"))
        return DIM_NONE;
    if (ends(n, "_C"))
        return DIM_CHARGE;
    if (ends(n, "_J"))
        return DIM_ENERGY;
    if (ends(n, "_A"))
        return DIM_CURRENT;
    if (ends(n, "_s"))
        return DIM_TIME;
    return DIM__COUNT;
}

/* 1 when n is a figure name of the format: one of the fixed names, or
 * component.NAME.charge_C / activity.NAME.charge_C with a non-empty NAME
 * (which NAMEs exist is known only from the run: expect_unknown). */
static int expect_name_ok(const char *n)
{
    static const char *const fixed[] = {"charge_C", "energy_J", "avg_current_A", "duration_s",
                                        "wakes", "boots", "battery.life_s",
                                        "battery.delivered_C"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (!strcmp(n, fixed[i]))
            return 1;
    size_t len = strlen(n);
    if (starts(n, "component.") && ends(n, ".charge_C"))
        return len > 10 + 9;
    if (starts(n, "activity.") && ends(n, ".charge_C"))
        return len > 9 + 9;
    return 0;
}

static int expect_named(const budget *b, const char *n, double *v)
{
    char name[EXPECT_NAME];
    if (starts(n, "component.") && ends(n, ".charge_C")) {
        snprintf(name, sizeof name, "%.*s", (int)(strlen(n) - 19), n + 10);
        for (int c = 0; c < COMP__COUNT; c++)
            if (b->comp[c].fitted && !strcmp(b->comp[c].name, name))
                return *v = b->comp[c].charge_C, 0;
    } else if (starts(n, "activity.") && ends(n, ".charge_C")) {
        snprintf(name, sizeof name, "%.*s", (int)(strlen(n) - 18), n + 9);
        for (int a = 0; a < b->nact; a++)
            if (!strcmp(b->act[a].name, name))
                return *v = b->act[a].charge_C, 0;
    }
    return -1;
}

int expect_value(const budget *b, const char *n, double *v)
{
    const struct { const char *name; double val; int need_batt; } f[] = {
        {"charge_C", b->charge_C, 0}, {"energy_J", b->energy_J, 0},
        {"avg_current_A", b->avg_current_A, 0}, {"duration_s", b->duration_s, 0},
        {"wakes", (double)b->wakes, 0}, {"boots", (double)b->boots, 0},
        {"battery.life_s", b->battery.life_s, 1},
        {"battery.delivered_C", b->battery.delivered_C, 1}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!strcmp(n, f[i].name)) {
            if (f[i].need_batt && !b->battery.present)
                return -1;
            *v = f[i].val;
            return 0;
        }
    return expect_named(b, n, v);
}

/* ---- parsing ---- */

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        abort();
    return p;
}

static int expect_err(diag *d, diag_pos pos, const lex_line *ln, int i, const char *want)
{
    pos.col = i < ln->n ? ln->t[i].col : 1;
    diag_error(d, pos, "found '%s', expected %s", i < ln->n ? ln->t[i].text : "end of line",
               want);
    return -1;
}

static int expect_section_line(expect_file *e, const lex_line *ln, diag_pos pos, diag *d)
{
    if (ln->n < 2 || ln->t[1].kind != TOK_WORD)
        return expect_err(d, pos, ln, 1, "a module name after 'module'");
    for (int k = 0; k < e->nsec; k++)
        if (!strcmp(e->sec[k].module, ln->t[1].text))
            return expect_err(d, pos, ln, 1, "each module's section once (this one is a second "
                              "section for it)");
    e->sec = xrealloc(e->sec, (size_t)(e->nsec + 1) * sizeof *e->sec);
    expect_section *s = &e->sec[e->nsec++];
    memset(s, 0, sizeof *s);
    snprintf(s->module, sizeof s->module, "%s", ln->t[1].text);
    s->line = pos.line;
    s->col = ln->t[1].col;
    if (ln->n == 2)
        return 0;
    if (!lex_is_word(ln, 2, "error") || ln->n != 4 || ln->t[3].kind != TOK_STRING)
        return expect_err(d, pos, ln, 2, "end of line or error \"TEXT\"");
    snprintf(s->error, sizeof s->error, "%s", ln->t[3].text);
    return 0;
}

static int expect_fig_line(expect_file *e, const lex_line *ln, diag_pos pos, diag *d)
{
    if (!e->nsec || e->sec[e->nsec - 1].error[0])
        return expect_err(d, pos, ln, 0, "a 'module NAME' line before the figures");
    expect_fig f = {0};
    const char *n = ln->t[0].text;
    units_dim want = expect_dim(n);
    if (ln->t[0].kind != TOK_WORD || want == DIM__COUNT || strlen(n) >= EXPECT_NAME ||
        !expect_name_ok(n))
        return expect_err(d, pos, ln, 0, "a figure (charge_C, energy_J, avg_current_A, "
                          "duration_s, wakes, boots, battery.life_s, battery.delivered_C, "
                          "component.NAME.charge_C, activity.NAME.charge_C)");
    snprintf(f.name, sizeof f.name, "%s", n);
    f.line = pos.line;
    f.col = ln->t[0].col;
    int i = 1;
    units_dim dim;
    if (lex_quantity(ln, &i, pos, want, &f.value, &dim, d))
        return -1;
    f.relative = lex_is_word(ln, i, "rel");
    if (!f.relative && !lex_is_word(ln, i, "abs"))
        return expect_err(d, pos, ln, i, "a tolerance: rel PERCENT or abs VALUE");
    int t0 = ++i;
    if (lex_quantity(ln, &i, pos, f.relative ? DIM_RATIO : want, &f.tol, &dim, d))
        return -1;
    if (f.tol < 0)
        return expect_err(d, pos, ln, t0, "a tolerance >= 0");
    if (i < ln->n)
        return expect_err(d, pos, ln, i, "end of line");
    if (want == DIM_NONE && f.value != floor(f.value))
        return expect_err(d, pos, ln, 1, "a whole number (a count)");
    expect_section *s = &e->sec[e->nsec - 1];
    for (int k = 0; k < s->nfig; k++)
        if (!strcmp(s->fig[k].name, f.name))
            return expect_err(d, pos, ln, 0, "each figure once per module section (this one "
                              "is a second)");
    s->fig = xrealloc(s->fig, (size_t)(s->nfig + 1) * sizeof *s->fig);
    s->fig[s->nfig++] = f;
    return 0;
}

expect_file *expect_load(const char *path, diag *d)
{
    size_t len;
    char *buf = lex_read_file(path, &len, d);
    if (!buf)
        return NULL;
    expect_file *e = expect_parse(path, buf, len, d);
    free(buf);
    return e;
}

expect_file *expect_parse(const char *path, const char *buf, size_t len, diag *d)
{
    expect_file *e = calloc(1, sizeof *e);
    if (!e || !(e->path = strdup(path)))
        abort();
    size_t off = 0, n, head = 0;
    const char *s;
    int line = 0;
    while (lex_next_line(buf, len, &off, &s, &n)) {
        lex_line ln = {0};
        diag_pos pos = {path, ++line, 1};
        int rc = lex_line_split(s, n, pos, &ln, d);
        if (rc == 0 && ln.n == 0 && !e->nsec && !diag_count(d))
            head = off;         /* still in the leading comments: up to this line's end */
        if (rc == 0 && ln.n > 0) {
            if (lex_is_word(&ln, 0, "module"))
                expect_section_line(e, &ln, pos, d);
            else
                expect_fig_line(e, &ln, pos, d);
        }
        lex_line_clear(&ln);
    }
    e->head = xrealloc(NULL, head + 2);
    memcpy(e->head, buf, head);
    e->head[head] = '\0';
    if (head && buf[head - 1] != '\n')     /* a last line without its newline */
        strcpy(e->head + head, "\n");
    if (!diag_count(d) && !e->nsec) {
        diag_pos pos = {path, 1, 1};
        diag_error(d, pos, "found no 'module NAME' section, expected at least one");
    }
    if (diag_count(d)) {
        expect_free(e);
        return NULL;
    }
    return e;
}

void expect_free(expect_file *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->nsec; i++)
        free(e->sec[i].fig);
    free(e->sec);
    free(e->head);
    free(e->path);
    free(e);
}

/* ---- comparing and writing ---- */

void expect_format(const char *name, double v, char *buf, size_t len)
{
    units_dim dim = expect_dim(name);
    if (dim == DIM_NONE)
        snprintf(buf, len, "%.0f", v);
    else if (dim == DIM_CURRENT)
        snprintf(buf, len, fabs(v) >= 1e-3 ? "%.10g mA" : "%.10g uA",
                 fabs(v) >= 1e-3 ? v * 1e3 : v * 1e6);
    else if (dim == DIM_TIME)
        snprintf(buf, len, fabs(v) >= 86400 ? "%.10g d" : "%.10g s",
                 fabs(v) >= 86400 ? v / 86400 : v);
    else
        snprintf(buf, len, "%.10g %s", v, units_si_name(dim));
}

static void append(char *buf, size_t len, const char *line)
{
    size_t n = strlen(buf);
    if (n + 1 < len)
        snprintf(buf + n, len - n, "%s%s", n ? "\n" : "", line);
}

int expect_unknown(const expect_file *e, const expect_section *s, const budget *b, diag *d)
{
    int n = 0;
    for (int i = 0; i < s->nfig; i++) {
        const expect_fig *f = &s->fig[i];
        double v;
        if (expect_value(b, f->name, &v) == 0)
            continue;
        char have[1024] = "";
        size_t k = 0;
        if (starts(f->name, "activity.")) {
            for (int a = 0; a < b->nact && k + 1 < sizeof have; a++)
                k += (size_t)snprintf(have + k, sizeof have - k, "%s%s", k ? ", " : "",
                                      b->act[a].name);
        } else if (starts(f->name, "component.")) {
            for (int c = 0; c < COMP__COUNT && k + 1 < sizeof have; c++)
                if (b->comp[c].fitted)
                    k += (size_t)snprintf(have + k, sizeof have - k, "%s%s", k ? ", " : "",
                                          b->comp[c].name);
        }
        diag_pos pos = {e->path, f->line > 0 ? f->line : 1, f->col > 0 ? f->col : 1};
        if (starts(f->name, "battery."))
            diag_error(d, pos, "found '%s', expected a figure the results of module %s have "
                       "(the scenario has no battery)", f->name, s->module);
        else
            diag_error(d, pos, "found '%s', expected a figure the results of module %s have "
                       "(%s: %s)", f->name, s->module,
                       starts(f->name, "activity.") ? "activities" : "components", have);
        n++;
    }
    return n;
}

int expect_compare(const expect_section *s, const budget *b, char *why, size_t len)
{
    int moved = 0;
    why[0] = '\0';
    for (int i = 0; i < s->nfig; i++) {
        const expect_fig *f = &s->fig[i];
        double v;
        char line[512], a[64], c[64], t[64];
        if (expect_value(b, f->name, &v)) {
            snprintf(line, sizeof line, "%s: not in the results", f->name);
            append(why, len, line);
            moved++;
            continue;
        }
        double lim = f->relative ? f->tol * fabs(f->value) : f->tol;
        if (fabs(v - f->value) <= lim)
            continue;
        expect_format(f->name, f->value, a, sizeof a);
        expect_format(f->name, v, c, sizeof c);
        if (f->relative)
            snprintf(t, sizeof t, "rel %.4g %%", f->tol * 100);
        else
            expect_format(f->name, f->tol, t, sizeof t);
        snprintf(line, sizeof line, "%s moved from %s to %s (%+.4g %%, tolerance %s)", f->name,
                 a, c, f->value != 0 ? 100 * (v - f->value) / fabs(f->value) : HUGE_VAL, t);
        append(why, len, line);
        moved++;
    }
    return moved;
}

static void expect_defaults(expect_section *s, const budget *b)
{
    static const char *const base[] = {"charge_C", "energy_J", "avg_current_A", "wakes",
                                       "boots", "battery.life_s"};
    int n = 6 + b->nact;
    s->fig = xrealloc(s->fig, (size_t)n * sizeof *s->fig);
    s->nfig = 0;
    for (int i = 0; i < 6; i++) {
        double v;
        if (expect_value(b, base[i], &v))
            continue;
        expect_fig *f = &s->fig[s->nfig++];
        memset(f, 0, sizeof *f);
        snprintf(f->name, sizeof f->name, "%s", base[i]);
        f->relative = 1;
        f->tol = i == 5 ? 0.01 : 0.001;
    }
    for (int a = 0; a < b->nact; a++) {
        if (b->act[a].charge_C == 0)
            continue;
        expect_fig *f = &s->fig[s->nfig++];
        memset(f, 0, sizeof *f);
        snprintf(f->name, sizeof f->name, "activity.%.40s.charge_C", b->act[a].name);
        f->relative = 1;
        f->tol = 0.001;
    }
}

int expect_refresh(expect_section *s, const budget *b, char *what, size_t len)
{
    int changed = 0;
    what[0] = '\0';
    if (!s->nfig)
        expect_defaults(s, b);
    for (int i = 0; i < s->nfig; i++) {
        expect_fig *f = &s->fig[i];
        double v;
        char line[256], a[64], c[64];
        if (expect_value(b, f->name, &v))
            continue;
        expect_format(f->name, f->value, a, sizeof a);
        expect_format(f->name, v, c, sizeof c);
        if (!strcmp(a, c))      /* the same as written: not a change */
            continue;
        snprintf(line, sizeof line, "%s: %s -> %s", f->name, a, c);
        append(what, len, line);
        f->value = v;
        changed++;
    }
    return changed;
}

void expect_write(const expect_file *e, const char *scenario, FILE *fp)
{
    if (e->head)
        fputs(e->head, fp);
    else
        fprintf(fp, "# Expected results of %s (impsim check; `impsim check --update`\n"
                "# refreshes the values, keeps the tolerances and these lines).\n", scenario);
    for (int i = 0; i < e->nsec; i++) {
        const expect_section *s = &e->sec[i];
        if (s->error[0]) {
            fprintf(fp, "module %s error \"%s\"\n", s->module, s->error);
            continue;
        }
        fprintf(fp, "module %s\n", s->module);
        for (int k = 0; k < s->nfig; k++) {
            const expect_fig *f = &s->fig[k];
            char v[64], t[64];
            expect_format(f->name, f->value, v, sizeof v);
            if (f->relative)
                snprintf(t, sizeof t, "rel %.6g %%", f->tol * 100);
            else {
                char x[60];
                expect_format(f->name, f->tol, x, sizeof x);
                snprintf(t, sizeof t, "abs %s", x);
            }
            fprintf(fp, "  %-34s %-22s %s\n", f->name, v, t);
        }
    }
}
