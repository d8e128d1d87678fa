/* figfile.c — reader for figure files: KEY VALUE [UNIT] PROVENANCE "SOURCE". */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "figfile.h"
#include "lex.h"

static const char *const prov_names[] = {
    "datasheet", "documented", "forum", "measured", "estimate", "override"};

const char *fig_prov_name(fig_prov p)
{
    return prov_names[p];
}

static int fig_prov_parse(const char *w, fig_prov *p)
{
    for (int i = 0; i < FIG_OVERRIDE; i++)
        if (strcmp(w, prov_names[i]) == 0) {
            *p = (fig_prov)i;
            return 0;
        }
    return -1;
}

static int fig_key_ok(const char *k)
{
    if (!islower((unsigned char)k[0]))
        return 0;
    for (const char *c = k; *c; c++)
        if (!(isalpha((unsigned char)*c) || isdigit((unsigned char)*c) ||
              *c == '_' || *c == '.' || *c == '-'))
            return 0;
    return k[strlen(k) - 1] != '.';
}

static char *fig_strdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        abort();
    return p;
}

void fig_entry_clear(fig_entry *e)
{
    free(e->key);
    free(e->text);
    free(e->source);
    memset(e, 0, sizeof *e);
}

/* Fill e's value from tokens starting at *i. */
static int fig_value(const lex_line *ln, int *i, diag_pos pos, fig_entry *e,
                     diag *d)
{
    const lex_tok *t = &ln->t[*i];
    if (t->kind == TOK_NUMBER) {
        int start = *i;
        if (lex_quantity(ln, i, pos, DIM__COUNT, &e->value, &e->dim, d))
            return -1;
        e->kind = FIG_NUMBER;
        char buf[128];
        snprintf(buf, sizeof buf, "%s%s%s", ln->t[start].text,
                 (*i - start == 2 || ln->t[start].unit) ? " " : "",
                 ln->t[start].unit ? ln->t[start].unit
                 : (*i - start == 2 ? ln->t[start + 1].text : ""));
        e->text = fig_strdup(buf);
        return 0;
    }
    if (t->kind == TOK_WORD && lex_not_finite_word(t->text)) {
        pos.col = t->col;
        diag_error(d, pos, "found '%s' (not a finite number), expected a finite number with "
                   "its unit (e.g. 8 uA), a word or a string", t->text);
        return -1;
    }
    if (t->kind == TOK_WORD || t->kind == TOK_STRING) {
        e->kind = t->kind == TOK_WORD ? FIG_WORD : FIG_STRING;
        e->text = fig_strdup(t->text);
        (*i)++;
        return 0;
    }
    pos.col = t->col;
    diag_error(d, pos, "found '%s', expected a value (number with unit, word or string)",
               t->text);
    return -1;
}

static int fig_line(figfile *f, const lex_line *ln, diag_pos pos, diag *d)
{
    fig_entry e = {0};
    int i = 1;
    pos.col = ln->t[0].col;
    if (ln->t[0].kind != TOK_WORD || !fig_key_ok(ln->t[0].text)) {
        diag_error(d, pos, "found '%s', expected a key such as cpu.run.current",
                   ln->t[0].text);
        return -1;
    }
    e.key = fig_strdup(ln->t[0].text);
    e.pos = pos;
    if (i >= ln->n) {
        pos.col = ln->t[0].col + (int)strlen(ln->t[0].text) + 1;
        diag_error(d, pos, "found end of line, expected a value after '%s'", e.key);
        goto fail;
    }
    if (fig_value(ln, &i, pos, &e, d))
        goto fail;
    pos.col = i < ln->n ? ln->t[i].col : pos.col;
    if (i >= ln->n || ln->t[i].kind != TOK_WORD ||
        fig_prov_parse(ln->t[i].text, &e.prov)) {
        diag_error(d, pos, "found %s%s%s, expected the figure's provenance "
                   "(datasheet, documented, forum, measured or estimate)",
                   i < ln->n ? "'" : "end of line", i < ln->n ? ln->t[i].text : "",
                   i < ln->n ? "'" : "");
        goto fail;
    }
    i++;
    pos.col = i < ln->n ? ln->t[i].col : pos.col;
    if (i >= ln->n || ln->t[i].kind != TOK_STRING || !ln->t[i].text[0]) {
        diag_error(d, pos, "found %s, expected the figure's source as a non-empty \"quoted text\"",
                   i < ln->n ? "something else" : "end of line");
        goto fail;
    }
    e.source = fig_strdup(ln->t[i].text);
    if (++i < ln->n) {
        pos.col = ln->t[i].col;
        diag_error(d, pos, "found '%s' after the source, expected end of line",
                   ln->t[i].text);
        goto fail;
    }
    if (figfile_get(f, e.key)) {
        pos.col = 1;
        diag_error(d, pos, "'%s' is given twice; expected each key once", e.key);
        goto fail;
    }
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 32;
        f->v = realloc(f->v, (size_t)f->cap * sizeof *f->v);
        if (!f->v)
            abort();
    }
    f->v[f->n++] = e;
    return 0;
fail:
    fig_entry_clear(&e);
    return -1;
}

figfile *figfile_parse(const char *name, const char *text, size_t len, diag *d)
{
    int before = diag_count(d);
    figfile *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->path = fig_strdup(name);
    size_t off = 0, n;
    const char *s;
    int line = 0;
    while (lex_next_line(text, len, &off, &s, &n)) {
        lex_line ln = {0};
        diag_pos pos = {f->path, ++line, 1};
        if (lex_line_split(s, n, pos, &ln, d) == 0 && ln.n > 0)
            fig_line(f, &ln, pos, d);
        lex_line_clear(&ln);
    }
    if (diag_count(d) > before) {
        figfile_free(f);
        return NULL;
    }
    return f;
}

fig_entry fig_entry_copy(const fig_entry *e)
{
    fig_entry c = *e;
    c.key = fig_strdup(e->key);
    c.text = fig_strdup(e->text);
    c.source = fig_strdup(e->source);
    return c;
}

/* A deep copy of f; its entries' positions point into the copy's path. */
static figfile *figfile_copy(const figfile *f)
{
    figfile *c = calloc(1, sizeof *c);
    if (!c || !(c->v = calloc((size_t)f->n + 1, sizeof *c->v)))
        abort();
    c->path = fig_strdup(f->path);
    c->cap = f->n + 1;
    for (c->n = 0; c->n < f->n; c->n++) {
        c->v[c->n] = fig_entry_copy(&f->v[c->n]);
        if (f->v[c->n].pos.file == f->path)
            c->v[c->n].pos.file = c->path;
    }
    return c;
}

/* The files this process has parsed, by path and text: a Monte Carlo or a
 * sweep loads the same model, parts and cell again for every sample (in
 * each pool worker), and parsing the model was ~9 % of a sample's CPU;
 * copying the parse is ~1 % of that. The text is read and compared every
 * time, so a file changed in between is parsed again. */
enum { FIG_MEMO_MAX = 16 };
static struct {
    char *text;
    size_t len;
    figfile *f;
} fig_memo[FIG_MEMO_MAX];
static int fig_memo_n;

figfile *figfile_load(const char *path, diag *d)
{
    size_t len;
    char *buf = lex_read_file(path, &len, d);
    if (!buf)
        return NULL;
    for (int i = 0; i < fig_memo_n; i++)
        if (fig_memo[i].len == len && !strcmp(fig_memo[i].f->path, path) &&
            !memcmp(fig_memo[i].text, buf, len)) {
            free(buf);
            return figfile_copy(fig_memo[i].f);
        }
    figfile *f = figfile_parse(path, buf, len, d);
    if (f && fig_memo_n < FIG_MEMO_MAX) {
        fig_memo[fig_memo_n].text = buf;
        fig_memo[fig_memo_n].len = len;
        fig_memo[fig_memo_n++].f = figfile_copy(f);
    } else {
        free(buf);
    }
    return f;
}

void figfile_free(figfile *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++)
        fig_entry_clear(&f->v[i]);
    free(f->v);
    free(f->path);
    free(f);
}

const fig_entry *figfile_get(const figfile *f, const char *key)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->v[i].key, key) == 0)
            return &f->v[i];
    return NULL;
}

int fig_parse_override(const char *kv, diag_pos where, fig_entry *e, diag *d)
{
    memset(e, 0, sizeof *e);
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) {
        diag_error(d, where, "found '%s', expected KEY=VALUE (e.g. cpu.run.current=40mA)", kv);
        return -1;
    }
    char *key = strndup(kv, (size_t)(eq - kv));
    if (!key)
        abort();
    if (!fig_key_ok(key)) {
        diag_error(d, where, "found key '%s', expected a dotted key such as cpu.run.current", key);
        free(key);
        return -1;
    }
    lex_line ln = {0};
    const char *val = eq + 1;
    if (lex_line_split(val, strlen(val), where, &ln, d) || ln.n == 0) {
        if (ln.n == 0 && !diag_count(d))
            diag_error(d, where, "found nothing after '%s=', expected a value", key);
        lex_line_clear(&ln);
        free(key);
        return -1;
    }
    int i = 0;
    int rc = fig_value(&ln, &i, where, e, d);
    if (rc == 0 && i < ln.n) {
        diag_error(d, where, "found '%s' after the value of %s, expected nothing more",
                   ln.t[i].text, key);
        rc = -1;
    }
    lex_line_clear(&ln);
    if (rc) {
        fig_entry_clear(e);
        free(key);
        return -1;
    }
    e->key = key;
    e->prov = FIG_OVERRIDE;
    e->source = fig_strdup("set by user");
    e->pos = where;
    return 0;
}
