/* lex.c — line tokenizer and file reading for impsim's text inputs. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <sys/stat.h>
#include "lex.h"
#include "outfile.h"

#define LEX_MAX_FILE (16u << 20)

static const char *lex_punct = ":=,()";

static char *lex_dup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        abort();
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void lex_push(lex_line *ln, tok_kind k, char *text, char *unit, int col)
{
    if (ln->n == ln->cap) {
        ln->cap = ln->cap ? 2 * ln->cap : 8;
        ln->t = realloc(ln->t, (size_t)ln->cap * sizeof *ln->t);
        if (!ln->t)
            abort();
    }
    ln->t[ln->n++] = (lex_tok){k, text, unit, col};
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int is_control(char c)
{
    return ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f;
}

/* Control characters end a word or number, so that the loop below reports
 * them instead of gluing them into a unit or name. */
static int is_word_end(char c)
{
    return is_space(c) || c == '#' || c == '"' || strchr(lex_punct, c) || is_control(c);
}

/* A number token starts with a digit, or a sign or '.' then a digit. */
static int starts_number(const char *s, size_t i, size_t len)
{
    char c = s[i];
    if (c >= '0' && c <= '9')
        return 1;
    if ((c == '-' || c == '+' || c == '.') && i + 1 < len) {
        char n = s[i + 1];
        if (n >= '0' && n <= '9')
            return 1;
        if (c != '.' && n == '.' && i + 2 < len && s[i + 2] >= '0' &&
            s[i + 2] <= '9')
            return 1;
    }
    return 0;
}

static size_t lex_number(const char *s, size_t i, size_t len, lex_line *ln,
                         int col)
{
    size_t end = i;
    while (end < len && !is_word_end(s[end]))
        end++;
    char *all = lex_dup(s + i, end - i);
    int n = units_split(all);
    char *unit = all[n] ? lex_dup(all + n, strlen(all + n)) : NULL;
    all[n] = '\0';
    lex_push(ln, TOK_NUMBER, all, unit, col);
    return end;
}

/* A tab in the leading whitespace matters unless the line holds nothing
 * but whitespace or a comment (its indent is never read). */
static int lex_indent_tab_matters(const char *s, size_t i, size_t len)
{
    while (i < len && is_space(s[i]))
        i++;
    return i < len && s[i] != '#';
}

int lex_line_split(const char *s, size_t len, diag_pos pos, lex_line *ln,
                   diag *d)
{
    size_t i = 0;
    while (i < len && is_space(s[i])) {
        /* a tab's width is the editor's choice, so an indent holding one
         * has no column count: name the tab itself (scenarios/README.md) */
        if (s[i] == '\t' && lex_indent_tab_matters(s, i, len)) {
            pos.col = (int)i + 1;
            ln->indent = -1;
            diag_error(d, pos, "found a tab in the indent, expected spaces");
            return -1;
        }
        i++;
    }
    ln->indent = (int)i;
    while (i < len) {
        char c = s[i];
        int col = (int)i + 1;
        if (is_space(c)) {
            i++;
        } else if (c == '#') {
            break;
        } else if (is_control(c)) {
            pos.col = col;
            diag_error(d, pos, "found control character 0x%02x, expected text",
                       (unsigned char)c);
            return -1;
        } else if (c == '"') {
            size_t j = i + 1;
            while (j < len && s[j] != '"' && !is_control(s[j]))
                j++;
            if (j < len && s[j] != '"') {
                pos.col = (int)j + 1;
                diag_error(d, pos, "found control character 0x%02x in a string, expected text",
                           (unsigned char)s[j]);
                return -1;
            }
            if (j >= len) {
                pos.col = col;
                diag_error(d, pos, "found an unterminated string, expected a closing '\"'");
                return -1;
            }
            lex_push(ln, TOK_STRING, lex_dup(s + i + 1, j - i - 1), NULL, col);
            i = j + 1;
        } else if (strchr(lex_punct, c)) {
            lex_push(ln, TOK_PUNCT, lex_dup(s + i, 1), NULL, col);
            i++;
        } else if (starts_number(s, i, len)) {
            i = lex_number(s, i, len, ln, col);
        } else {
            size_t j = i;
            while (j < len && !is_word_end(s[j]))
                j++;
            lex_push(ln, TOK_WORD, lex_dup(s + i, j - i), NULL, col);
            i = j;
        }
    }
    return 0;
}

void lex_line_clear(lex_line *ln)
{
    for (int i = 0; i < ln->n; i++) {
        free(ln->t[i].text);
        free(ln->t[i].unit);
    }
    free(ln->t);
    memset(ln, 0, sizeof *ln);
}

int lex_next_line(const char *buf, size_t len, size_t *off, const char **line,
                  size_t *line_len)
{
    if (*off == 0 && len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        *off = 3;   /* a UTF-8 byte-order mark, also in text held in memory */
    if (*off >= len)
        return 0;
    const char *s = buf + *off;
    const char *nl = memchr(s, '\n', len - *off);
    size_t n = nl ? (size_t)(nl - s) : len - *off;
    /* a CR not followed by LF ends a line too (classic Mac OS line ends):
     * otherwise the whole file is one line, a comment if it starts with #,
     * and the error would be "no module" at 1:1 */
    const char *cr = memchr(s, '\r', n);
    if (cr && cr + 1 < s + n) {
        *line = s;
        *line_len = (size_t)(cr - s);
        *off += (size_t)(cr - s) + 1;
        return 1;
    }
    *line = s;
    *line_len = (n > 0 && s[n - 1] == '\r') ? n - 1 : n;
    *off += n + (nl ? 1 : 0);
    return 1;
}

long lex_getline(FILE *fp, char **buf, size_t *cap)
{
    size_t n = 0;
    int c;
    while ((c = getc(fp)) != EOF && c != '\n' && c != '\r') {
        if (n + 2 > *cap) {
            *cap = *cap ? 2 * *cap : 256;
            if (!(*buf = realloc(*buf, *cap)))
                abort();
        }
        (*buf)[n++] = (char)c;
    }
    if (c == '\r') {   /* CRLF is one line end; a lone CR is one too */
        int c2 = getc(fp);
        if (c2 != '\n' && c2 != EOF)
            ungetc(c2, fp);
    }
    if (c == EOF && n == 0)
        return -1;
    if (!*buf && !(*buf = malloc(*cap = 256)))
        abort();
    (*buf)[n] = '\0';
    return (long)n;
}

char *lex_read_file(const char *path, size_t *len, diag *d)
{
    diag_pos p = {path, 0, 0};
    if (!path[0]) {
        diag_error(d, (diag_pos){"impsim", 0, 0}, "found an empty file name, expected the "
                   "path of a file to read");
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diag_error(d, p, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_error(d, p, "found a directory, expected a file to read (e.g. a .scn scenario)");
        fclose(fp);
        return NULL;
    }
    outfile_note_input(path);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        abort();
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
        n += r;
        if (n > LEX_MAX_FILE) {
            diag_error(d, p, "file is larger than 16 MiB, expected a text file");
            free(buf);
            fclose(fp);
            return NULL;
        }
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
    }
    int err = ferror(fp);
    fclose(fp);
    if (err) {
        diag_error(d, p, "read error");
        free(buf);
        return NULL;
    }
    const char *nul = memchr(buf, '\0', n);
    if (nul) {  /* located like every other error: line and column */
        p.line = 1;
        p.col = 1;
        for (const char *c = buf; c < nul; c++) {
            if (*c == '\n') {
                p.line++;
                p.col = 1;
            } else {
                p.col++;
            }
        }
        diag_error(d, p, "found a NUL byte, expected a text file");
        free(buf);
        return NULL;
    }
    /* a UTF-8 byte-order mark (Notepad, Excel "CSV UTF-8") is not text */
    if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        memmove(buf, buf + 3, n - 3);
        n -= 3;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int lex_is_word(const lex_line *ln, int i, const char *w)
{
    return i < ln->n && ln->t[i].kind == TOK_WORD && strcmp(ln->t[i].text, w) == 0;
}

int lex_is_punct(const lex_line *ln, int i, char c)
{
    return i < ln->n && ln->t[i].kind == TOK_PUNCT && ln->t[i].text[0] == c;
}

static int lex_col_at(const lex_line *ln, int i)
{
    if (i < ln->n)
        return ln->t[i].col;
    return ln->n ? ln->t[ln->n - 1].col + (int)strlen(ln->t[ln->n - 1].text) + 1 : 1;
}

int lex_not_finite_word(const char *w)
{
    if (*w == '+' || *w == '-')
        w++;
    return !strcasecmp(w, "nan") || !strcasecmp(w, "inf") || !strcasecmp(w, "infinity");
}

int lex_quantity(const lex_line *ln, int *i, diag_pos pos, units_dim want,
                 double *si, units_dim *dim, diag *d)
{
    pos.col = lex_col_at(ln, *i);
    if (*i < ln->n && lex_not_finite_word(ln->t[*i].text)) {
        diag_error(d, pos, "found '%s' (not a finite number), expected %s", ln->t[*i].text,
                   units_dim_word(want == DIM__COUNT ? DIM_NONE : want));
        return -1;
    }
    if (*i >= ln->n || ln->t[*i].kind != TOK_NUMBER) {
        diag_error(d, pos, "found %s%s%s, expected %s",
                   *i < ln->n ? "'" : "end of line",
                   *i < ln->n ? ln->t[*i].text : "", *i < ln->n ? "'" : "",
                   units_dim_word(want == DIM__COUNT ? DIM_NONE : want));
        return -1;
    }
    const lex_tok *t = &ln->t[*i];
    const char *unit = t->unit;
    int used = 1;
    if (!unit && *i + 2 < ln->n && ln->t[*i + 1].kind == TOK_PUNCT && ln->t[*i + 1].text[0] == ',' &&
        ln->t[*i + 2].kind == TOK_NUMBER && ln->t[*i + 1].col == t->col + (int)strlen(t->text) &&
        ln->t[*i + 2].col == ln->t[*i + 1].col + 1) {     /* "1,5 h" or "1,000" */
        diag_error(d, pos, "found '%s,%s', expected a number without a comma (decimals after "
                   "a point: %s.%s; no thousands separator: %s%s)", t->text, ln->t[*i + 2].text,
                   t->text, ln->t[*i + 2].text, t->text, ln->t[*i + 2].text);
        return -1;
    }
    if (!unit && want != DIM_NONE && *i + 1 < ln->n &&
        ln->t[*i + 1].kind == TOK_WORD) {
        double tmp;
        units_dim td;
        int r = units_parse(t->text, ln->t[*i + 1].text, &tmp, &td);
        if (r == 0 || r == -3) {
            unit = ln->t[*i + 1].text;
            used = 2;
        }
    }
    if (!unit && want != DIM_NONE && want != DIM__COUNT && *i + 1 < ln->n &&
        ln->t[*i + 1].kind == TOK_WORD && ln->t[*i + 1].text[0] != '=') {
        const char *w = ln->t[*i + 1].text;
        double tmp;
        units_dim td;
        if (units_parse("1", w, &tmp, &td) == -2 && (isalpha((unsigned char)w[0]) || w[0] == '/')) {
            char adv[256];
            diag_error(d, pos, "found unknown unit '%s', expected %s%s", w, units_dim_word(want),
                       units_unknown_advice(w, want, adv, sizeof adv));
            return -1;
        }
    }
    int rc = units_parse(t->text, unit, si, dim);
    if (rc == -1) {
        /* the number text is well formed (the lexer made it) but beyond a
         * double: 1e999 overflows, 1e-999 underflows */
        char r[96];
        double tmp;
        units_dim ud = want == DIM__COUNT ? DIM_NONE : want;
        const char *u = unit ? unit : *i + 1 < ln->n && ln->t[*i + 1].kind == TOK_WORD
                                      ? ln->t[*i + 1].text : NULL;
        if (u && units_parse("1", u, &tmp, &ud) != 0)
            ud = want == DIM__COUNT ? DIM_NONE : want;
        errno = 0;
        double v = strtod(t->text, NULL);
        if (v == 0 || fabs(v) < 1e-300)
            diag_error(d, pos, "found '%s', a number too small to hold (below about 1e-308 in "
                       "size), expected %s (write 0 if none is meant)", t->text,
                       units_dim_word(ud));
        else if (want == DIM__COUNT && ud == DIM_NONE)    /* a figure: its key says the unit */
            diag_error(d, pos, "found '%s', a number too large to hold (beyond about 1.8e308 "
                       "in size), expected a finite number with its unit (e.g. 8 uA)", t->text);
        else
            diag_error(d, pos, "found '%s', a number too large to hold (beyond about 1.8e308 "
                       "in size), expected %s", t->text, units_range_text(ud, r, sizeof r));
        return -1;
    }
    if (rc == -2 && unit && (unit[0] == 'x' || unit[0] == 'X') && !strcmp(t->text, "0")) {
        diag_error(d, pos, "found '0%s', expected a decimal number (hexadecimal is not read)",
                   unit);
        return -1;
    }
    if (rc == -3 && (want == DIM__COUNT || *dim == want)) {
        char r[96];
        diag_error(d, pos, "found '%s%s%s', expected %s", t->text, unit ? " " : "",
                   unit ? unit : "", units_range_text(*dim, r, sizeof r));
        return -1;
    }
    if (rc == -2) {
        units_dim wd = want == DIM__COUNT ? DIM_NONE : want;
        char adv[256];
        diag_error(d, pos, "found unknown unit '%s', expected %s%s", unit, units_dim_word(wd),
                   units_unknown_advice(unit, wd, adv, sizeof adv));
        return -1;
    }
    if (want != DIM__COUNT && *dim != want) {
        diag_error(d, pos, "found '%s%s%s', expected %s", t->text,
                   unit ? " " : "", unit ? unit : "", units_dim_word(want));
        return -1;
    }
    *i += used;
    return 0;
}
