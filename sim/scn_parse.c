/* scn_parse.c — parser for the scenario language (scenarios/README.md).
 *
 * Line-oriented: a statement per line. Top-level statements start in column
 * 1; a task header ends with ':' and the indented lines under it are its
 * actions. Syntax and unit errors are reported at file:line:column; checks
 * that need the module (capabilities) are scn_check's. */
#include <stdlib.h>
#include <string.h>
#include "lex.h"
#include "scn.h"
#include "scn_param.h"

typedef struct {
    scn *s;
    diag *d;
    const lex_line *ln;
    diag_pos pos;           /* line position; col set per error */
    const char *raw;        /* the line's text */
    size_t rawlen;
    scn_task *cur;          /* task whose actions follow, or NULL */
    int from_set;           /* a --set, not a file line: no duplicate checks */
    int seen[16];           /* line of each single statement already given */
    /* blocks open in the current task: the block action's index, its line's
     * indentation and its body's (-1 until the first body line) */
    struct { int idx, indent, body; } blk[SCN_MAX_DEPTH];
    int nblk;
    int task_indent;        /* the task's action indentation, -1 before the first */
} pstate;

/* Statements that may be given once in a file (a second is an error). */
static const char *const once_words[] = {
    "scenario", "module", "crystal", "supply", "duration", "sleep", "wifi-idle",
    "powersave", "latchwifipower", "seed", "battery", "regulator", "start", "pulse"};

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        abort();
    return p;
}

static diag_pos at(const pstate *p, int i)
{
    diag_pos q = p->pos;
    if (i < p->ln->n)
        q.col = p->ln->t[i].col;
    else if (p->ln->n) {
        const lex_tok *t = &p->ln->t[p->ln->n - 1];
        q.col = t->col + (int)strlen(t->text) + (t->unit ? (int)strlen(t->unit) : 0);
    }
    return q;
}

static const char *tok(const pstate *p, int i)
{
    return i < p->ln->n ? p->ln->t[i].text : "end of line";
}

static int err(pstate *p, int i, const char *expected)
{
    const char *t = tok(p, i);
    size_t n = strlen(t);
    if (n > 64)     /* a 100 KB token is named by its start and length */
        diag_error(p->d, at(p, i), "found '%.40s...' (%zu characters), expected %s", t, n,
                   expected);
    else
        diag_error(p->d, at(p, i), "found '%s', expected %s", t, expected);
    return -1;
}

static int expect_end(pstate *p, int i)
{
    return i < p->ln->n ? err(p, i, "end of line") : 0;
}

/* A statement that may appear once: an error at the second (a --set
 * replaces the file's value instead). */
static int once(pstate *p, const char *w)
{
    if (p->from_set)
        return 0;
    for (size_t k = 0; k < sizeof once_words / sizeof once_words[0]; k++)
        if (!strcmp(w, once_words[k])) {
            if (p->seen[k]) {
                diag_error(p->d, at(p, 0), "found a second '%s' statement, expected one "
                           "(the first is at line %d)", w, p->seen[k]);
                return -1;
            }
            p->seen[k] = p->pos.line;
        }
    return 0;
}

/* A name: letters, digits, '_' and '-', starting with a letter. */
static int name_ok(const char *w)
{
    if (!((w[0] >= 'a' && w[0] <= 'z') || (w[0] >= 'A' && w[0] <= 'Z')))
        return 0;
    for (const char *c = w; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
            return 0;
    return strlen(w) < SCN_NAME;
}

static int get_name(pstate *p, int *i, char *out, const char *what)
{
    if (*i >= p->ln->n || p->ln->t[*i].kind != TOK_WORD || !name_ok(p->ln->t[*i].text))
        return err(p, *i, what);
    snprintf(out, SCN_NAME, "%s", p->ln->t[*i].text);
    (*i)++;
    return 0;
}

/* A time s > 0 that would round to 0 ticks is an error at token start,
 * not silently no time at all. */
static int below_step(pstate *p, int start, double s)
{
    if (s > 0 && s * (double)TICKS_PER_S < 0.5) {
        diag_error(p->d, at(p, start), "found '%s', a time shorter than the simulator's step "
                   "(1/7.68e9 s, 130 ps) that would count as 0, expected 0 or a longer time",
                   tok(p, start));
        return -1;
    }
    return 0;
}

static int get_time(pstate *p, int *i, tick_t *out, int allow_zero)
{
    double s;
    units_dim dim;
    int start = *i;
    if (lex_quantity(p->ln, i, p->pos, DIM_TIME, &s, &dim, p->d))
        return -1;
    if (ticks_from_s(s, out) || (!allow_zero && *out == 0)) {
        diag_error(p->d, at(p, start), "found '%s', expected a time %s and below 38 years",
                   tok(p, start), allow_zero ? ">= 0" : "> 0");
        return -1;
    }
    return below_step(p, start, s);
}

static int get_word_of(pstate *p, int i, const char *const *opts, int n)
{
    for (int k = 0; k < n; k++)
        if (lex_is_word(p->ln, i, opts[k]))
            return k;
    char buf[160] = "one of:";
    for (int k = 0; k < n; k++) {
        strcat(buf, " ");
        strcat(buf, opts[k]);
    }
    err(p, i, buf);
    return -1;
}

/* ---- top-level settings ---- */

static int st_word_setting(pstate *p, const char *const *opts, int n, int *out,
                           diag_pos *where)
{
    int k = get_word_of(p, 1, opts, n);
    if (k < 0 || expect_end(p, 2))
        return -1;
    *out = k;
    if (where)
        *where = at(p, 1);
    return 0;
}

static int scn_set_fig(scn *s, const char *kv, diag_pos where, diag *d);

static int st_set(pstate *p)
{
    /* set model.KEY = VALUE  |  set battery.KEY = VALUE */
    if (p->ln->n < 4 || p->ln->t[1].kind != TOK_WORD || !lex_is_punct(p->ln, 2, '='))
        return err(p, p->ln->n < 2 ? 1 : (p->ln->t[1].kind != TOK_WORD ? 1 : 2),
                   "set model.KEY = VALUE or set battery.KEY = VALUE");
    const char *key = p->ln->t[1].text;
    int is_model = strncmp(key, "model.", 6) == 0;
    if (!is_model && strncmp(key, "battery.", 8) != 0)
        return err(p, 1, "a key starting with model. or battery.");
    const char *val = p->raw + p->ln->t[3].col - 1;
    size_t vlen = p->rawlen - (size_t)(p->ln->t[3].col - 1);
    char *hash = memchr(val, '#', vlen);
    if (hash)
        vlen = (size_t)(hash - val);
    /* "KEY=" then the value at its own column (blanks before it), so an
     * error in the value is located where it is in the file */
    size_t klen = strlen(key), pad = (size_t)(p->ln->t[3].col - 1);
    char *kv = malloc(klen + pad + vlen + 2);
    if (!kv)
        abort();
    memcpy(kv, key, klen);
    kv[klen] = '=';
    memset(kv + klen + 1, ' ', pad);
    memcpy(kv + klen + 1 + pad, val, vlen);
    kv[klen + 1 + pad + vlen] = '\0';
    int rc = scn_set_fig(p->s, kv, at(p, 1), p->d);
    free(kv);
    return rc;
}

/* A file named in a scenario (`module`, `part`, `battery`): when it is a
 * path (holds a '/' or ends in ext) and relative, it is taken relative to
 * the scenario file's directory, so a scenario runs the same from any
 * working directory. Names given by --set are the user's, relative to the
 * working directory, and are left alone. */
static void scn_file_path(const pstate *p, const char *name, const char *ext, char *out,
                          size_t n)
{
    size_t ln = strlen(name), le = strlen(ext);
    int is_path = strchr(name, '/') || (ln > le && !strcmp(name + ln - le, ext));
    const char *slash = strrchr(p->s->path, '/');
    if (p->from_set || !is_path || name[0] == '/' || !slash)
        snprintf(out, n, "%s", name);
    else
        snprintf(out, n, "%.*s/%s", (int)(slash - p->s->path), p->s->path, name);
}

/* A name that may start with a digit (a preset "2xAA-alkaline", a file
 * "4m.model"): the lexer reads those as a number with a glued unit. */
static void st_name_text(const lex_tok *t, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s", t->text, t->kind == TOK_NUMBER && t->unit ? t->unit : "");
}

static int st_simple(pstate *p, const char *w)
{
    scn *s = p->s;
    static const char *const yn[] = {"no", "yes"};
    static const char *const onoff[] = {"off", "on"};
    static const char *const sleeps[] = {"deep", "idle", "shallow"};
    static const char *const widle[] = {"off", "connected"};
    int i = 1, k;
    for (size_t n = 0; n < sizeof once_words / sizeof once_words[0]; n++)
        if (!strcmp(w, once_words[n]) && strcmp(w, "supply") && strcmp(w, "duration") &&
            strcmp(w, "seed") && strcmp(w, "battery") && strcmp(w, "regulator") &&
            strcmp(w, "start") && strcmp(w, "pulse") && once(p, w))
            return -1;
    if (!strcmp(w, "scenario")) {
        if (i >= p->ln->n || p->ln->t[i].kind != TOK_STRING)
            return err(p, i, "a \"quoted title\"");
        snprintf(s->title, sizeof s->title, "%s", p->ln->t[i].text);
        return expect_end(p, 2);
    }
    if (!strcmp(w, "module")) {
        s->module_pos = at(p, 1);
        if (i >= p->ln->n || p->ln->t[i].kind == TOK_PUNCT)
            return err(p, i, "a module name (imp002, imp004m, imp003) or a .model file");
        char name[256];
        st_name_text(&p->ln->t[i], name, sizeof name);
        scn_file_path(p, name, ".model", s->module, sizeof s->module);
        return expect_end(p, i + 1);
    }
    if (!strcmp(w, "crystal")) {
        if (st_word_setting(p, yn, 2, &k, &s->crystal_pos))
            return -1;
        s->crystal = k;
        return 0;
    }
    if (!strcmp(w, "sleep")) {
        if (st_word_setting(p, sleeps, 3, &k, &s->sleep_pos))
            return -1;
        s->sleep = (scn_sleep)k;
        return 0;
    }
    if (!strcmp(w, "wifi-idle"))
        return st_word_setting(p, widle, 2, &s->wifi_connected, &s->wifi_idle_pos);
    if (!strcmp(w, "powersave"))
        return st_word_setting(p, onoff, 2, &s->powersave, NULL);
    if (!strcmp(w, "latchwifipower"))
        return st_word_setting(p, onoff, 2, &s->latch, NULL);
    return 1;   /* not a simple setting */
}

/* regulator linear|switching [efficiency X %] [quiescent I] [wifi-min V] */
static int st_regulator(pstate *p)
{
    static const char *const kinds[] = {"linear", "switching"};
    scn *s = p->s;
    int k = get_word_of(p, 1, kinds, 2), i = 2;
    if (k < 0)
        return -1;
    /* the statement is whole: options it does not give fall back to their
     * defaults, so a --set scenario.regulator=... replaces the file's line
     * instead of silently keeping some of its options */
    s->reg_switching = k;
    s->reg_eff = 0;
    s->reg_iq = -1;
    s->reg_wifi_min = -1;
    while (i < p->ln->n) {
        static const char *const opts[] = {"efficiency", "quiescent", "wifi-min"};
        static const units_dim dims[] = {DIM_RATIO, DIM_CURRENT, DIM_VOLTAGE};
        int o = get_word_of(p, i, opts, 3), start = ++i;
        double v;
        units_dim dim;
        if (o < 0 || lex_quantity(p->ln, &i, p->pos, dims[o], &v, &dim, p->d))
            return -1;
        if (v < 0 || (o == 0 && !(v > 0 && v <= 1)) || (o == 2 && v > 40))
            return err(p, start, o == 0 ? "an efficiency above 0 and at most 100 %"
                                        : "a non-negative value in range");
        if (o == 0)
            s->reg_eff = v;
        else if (o == 1)
            s->reg_iq = v;
        else
            s->reg_wifi_min = v;
    }
    return 0;
}

/* ap down from TIME for TIME */
static int st_ap(pstate *p)
{
    scn *s = p->s;
    tick_t from, len;
    int i = 3;
    if (!lex_is_word(p->ln, 1, "down") || !lex_is_word(p->ln, 2, "from"))
        return err(p, lex_is_word(p->ln, 1, "down") ? 2 : 1, "'ap down from TIME for TIME'");
    if (get_time(p, &i, &from, 1))
        return -1;
    if (!lex_is_word(p->ln, i, "for"))
        return err(p, i, "'for TIME'");
    i++;
    if (get_time(p, &i, &len, 0) || expect_end(p, i))
        return -1;
    /* from - start, not start + length: both may be near TICK_MAX */
    if (s->nap && (from < s->ap_down[2 * s->nap - 2] ||
                   from - s->ap_down[2 * s->nap - 2] < s->ap_down[2 * s->nap - 1]))
        return err(p, 3, "outages in time order, not overlapping");
    s->ap_down = xrealloc(s->ap_down, (size_t)(s->nap + 1) * 2 * sizeof *s->ap_down);
    s->ap_down[2 * s->nap] = from;
    s->ap_down[2 * s->nap + 1] = len;
    s->nap++;
    return 0;
}


/* start DAY HH:MM — the weekday and time of day at which the run begins. */
static const char *const day_words[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* Hours and minutes as digit strings (HH 1-2 digits, MM 2 digits) to
 * seconds after midnight; -1 when malformed or out of range (24:00 only
 * when allow24). */
static int32_t clock_s(const char *hh, const char *mm, int allow24)
{
    size_t lh = strlen(hh);
    if (lh < 1 || lh > 2 || strspn(hh, "0123456789") != lh || strlen(mm) != 2 ||
        strspn(mm, "0123456789") != 2)
        return -1;
    int h = atoi(hh), m = atoi(mm);
    if (m > 59 || h > 24 || (h == 24 && (m || !allow24)))
        return -1;
    return h * 3600 + m * 60;
}

/* "HH:MM" at token *i (lexed as NUMBER ':' NUMBER). */
static int get_clock(pstate *p, int *i, int32_t *out)
{
    const lex_tok *h = *i < p->ln->n ? &p->ln->t[*i] : NULL;
    const lex_tok *m = *i + 2 < p->ln->n ? &p->ln->t[*i + 2] : NULL;
    if (!h || !m || h->kind != TOK_NUMBER || h->unit || !lex_is_punct(p->ln, *i + 1, ':') ||
        m->kind != TOK_NUMBER || m->unit)
        return err(p, *i, "a time of day HH:MM from 00:00 to 23:59 (e.g. 08:30)");
    if ((*out = clock_s(h->text, m->text, 0)) < 0) {    /* named whole: '25:00', not '25' */
        diag_error(p->d, at(p, *i), "found '%s:%s', expected a time of day HH:MM from 00:00 "
                   "to 23:59 (e.g. 08:30)", h->text, m->text);
        return -1;
    }
    *i += 3;
    return 0;
}

static int st_start(pstate *p)
{
    int i = 2, d = get_word_of(p, 1, day_words, 7);
    int32_t tod;
    if (d < 0 || get_clock(p, &i, &tod) || expect_end(p, i))
        return -1;
    p->s->start = d * 86400 + tod;
    return 0;
}

/* pulse NAME [on PIN] — the module's pulse-count pin (PULSE_COUNTER). */
static int st_pulse(pstate *p)
{
    scn *s = p->s;
    int i = 1;
    s->pulse_pos = at(p, 1);
    if (get_name(p, &i, s->pulse, "a name for the pulse-count pin (e.g. pulse meter)"))
        return -1;
    s->pulse_pin[0] = '\0';
    if (lex_is_word(p->ln, i, "on")) {
        i++;
        s->pulse_pin_pos = at(p, i);
        if (get_name(p, &i, s->pulse_pin, "a pin name such as pin1 or pinJ"))
            return -1;
    }
    return expect_end(p, i);
}

/* during [HH:MM-HH:MM] [daily|weekdays|weekends|DAY{,DAY}] */
static int get_window(pstate *p, int *i, scn_window *w)
{
    int start = *i;
    w->on = 1;
    w->from = 0;
    w->to = 86400;
    w->days = 0x7f;
    if (*i < p->ln->n && p->ln->t[*i].kind == TOK_NUMBER) {
        /* the lexer reads "09:00-18:00" as 09 ':' 00(unit -18) ':' 00 */
        const lex_tok *t = p->ln->t + *i;
        int n = p->ln->n - *i;
        if (n < 5 || t[0].unit || !lex_is_punct(p->ln, *i + 1, ':') || t[2].kind != TOK_NUMBER ||
            !t[2].unit || t[2].unit[0] != '-' || !lex_is_punct(p->ln, *i + 3, ':') ||
            t[4].kind != TOK_NUMBER || t[4].unit) {
            /* found: the window's text as written ("7-9", "07:00-19"), not its first token */
            size_t c = (size_t)t[0].col - 1, k = c;
            while (k < p->rawlen && strchr("0123456789:-", p->raw[k]))
                k++;
            if (k > c + 1 && p->raw[k - 1] == ':')     /* the header's own ':' */
                k--;
            diag_error(p->d, at(p, start), "found '%.*s', expected a window HH:MM-HH:MM from "
                       "00:00 to 24:00 (e.g. 09:00-18:00)", (int)(k - c), p->raw + c);
            return -1;
        }
        if ((w->from = clock_s(t[0].text, t[2].text, 0)) < 0) {
            diag_error(p->d, at(p, start), "found '%s:%s', expected the window's start, a time "
                       "of day from 00:00 to 23:59", t[0].text, t[2].text);
            return -1;
        }
        if ((w->to = clock_s(t[2].unit + 1, t[4].text, 1)) < 0) {
            diag_pos q = at(p, *i + 2);     /* the end time starts after the '-' */
            q.col += (int)strlen(t[2].text) + 1;
            diag_error(p->d, q, "found '%s:%s', expected the window's end, a time of day from "
                       "00:00 to 24:00", t[2].unit + 1, t[4].text);
            return -1;
        }
        if (w->from == w->to)
            return err(p, start, "a window of some length (00:00-24:00 for the whole day)");
        *i += 5;
    }
    static const char *const sets[] = {"daily", "weekdays", "weekends"};
    static const int masks[] = {0x7f, 0x1f, 0x60};
    for (int k = 0; k < 3; k++)
        if (lex_is_word(p->ln, *i, sets[k])) {
            w->days = masks[k];
            (*i)++;
            return 0;
        }
    int any = 0;
    for (;;) {
        int d = -1;
        for (int k = 0; k < 7; k++)
            if (lex_is_word(p->ln, *i, day_words[k]))
                d = k;
        if (d < 0)
            break;
        if (!any)
            w->days = 0;
        any = 1;
        w->days |= 1 << d;
        (*i)++;
        if (!lex_is_punct(p->ln, *i, ',') )
            break;
        (*i)++;
    }
    if (*i == start)
        return err(p, start, "a window: HH:MM-HH:MM and/or daily, weekdays, weekends or days "
                   "(mon,tue,...)");
    return 0;
}

static int st_quantity(pstate *p, const char *w)
{
    scn *s = p->s;
    int i = 1;
    if ((!strcmp(w, "supply") || !strcmp(w, "duration") || !strcmp(w, "seed") ||
         !strcmp(w, "battery") || !strcmp(w, "regulator") || !strcmp(w, "start") ||
         !strcmp(w, "pulse")) && once(p, w))
        return -1;
    if (!strcmp(w, "start"))
        return st_start(p);
    if (!strcmp(w, "pulse"))
        return st_pulse(p);
    if (!strcmp(w, "duration")) {
        s->duration_pos = at(p, 1);
        return get_time(p, &i, &s->duration, 0) || expect_end(p, i) ? -1 : 0;
    }
    if (!strcmp(w, "supply")) {
        units_dim dim;
        if (lex_quantity(p->ln, &i, p->pos, DIM_VOLTAGE, &s->supply, &dim, p->d))
            return -1;
        /* The module's rail: every imp's MCU is an STM32 whose VDD
         * operating range ends at 3.6 V (ST DS11139, STM32F412: 1.7-3.6 V),
         * and imp user code runs down to 1.8 V (/api/hardware/voltage, in
         * the facts file). A supply outside it is a typo (33 V for 3.3 V)
         * or a design that cannot work, not a figure to scale currents by. */
        if (!(s->supply >= 1.8 && s->supply <= 3.6)) {
            diag_error(p->d, at(p, 1), "found supply %s V, expected the module's rail between "
                       "1.8 V and 3.6 V (the STM32's VDD range; e.g. 3.3 V)", tok(p, 1));
            return -1;
        }
        return expect_end(p, i);
    }
    if (!strcmp(w, "seed")) {
        if (i >= p->ln->n || p->ln->t[i].kind != TOK_NUMBER || p->ln->t[i].unit ||
            strspn(p->ln->t[i].text, "0123456789") != strlen(p->ln->t[i].text) ||
            strlen(p->ln->t[i].text) > 19)
            return err(p, i, "a non-negative integer seed");
        s->seed = strtoull(p->ln->t[i].text, NULL, 10);
        return expect_end(p, i + 1);
    }
    if (!strcmp(w, "regulator"))
        return st_regulator(p);
    if (!strcmp(w, "ap"))
        return st_ap(p);
    if (!strcmp(w, "battery") || !strcmp(w, "part")) {
        if (i >= p->ln->n || p->ln->t[i].kind == TOK_PUNCT)
            return err(p, i, !strcmp(w, "battery") ? "a cell preset or file" : "a board part name or file");
        char name[256];     /* a preset may start with a digit: 2xAA-alkaline */
        st_name_text(&p->ln->t[i], name, sizeof name);
        if (!strcmp(w, "battery")) {
            scn_file_path(p, name, ".cell", s->battery, sizeof s->battery);
            s->battery_pos = at(p, i);
        } else {
            if (s->nparts == 4)
                return err(p, 0, "at most 4 board parts");
            int k = s->nparts;
            s->part_pos[k] = at(p, i);
            s->part_bus[k][0] = '\0';
            s->part_speed[k] = 0;
            if (lex_is_word(p->ln, i + 1, "on")) {     /* an SPI flash on a user SPI bus */
                int j = i + 2;
                s->part_bus_pos[k] = at(p, j);
                if (get_name(p, &j, s->part_bus[k], "an SPI bus name such as spi189"))
                    return -1;
                if (lex_is_word(p->ln, j, "at")) {
                    units_dim dim;
                    int start = ++j;
                    if (lex_quantity(p->ln, &j, p->pos, DIM_FREQ, &s->part_speed[k], &dim, p->d))
                        return -1;
                    if (!(s->part_speed[k] > 0))
                        return err(p, start, "an SPI clock > 0");
                }
                i = j - 1;
            }
            char path[512];
            scn_file_path(p, name, ".part", path, sizeof path);
            s->parts[k] = strdup(path);
            if (!s->parts[k])
                abort();
            s->nparts++;
        }
        return expect_end(p, i + 1);
    }
    if (!strcmp(w, "figures")) {    /* a figure file layered over the model */
        if (i >= p->ln->n || p->ln->t[i].kind == TOK_PUNCT)
            return err(p, i, "a figure file (e.g. board.figures, from impsim calibrate)");
        if (s->figures[0] && !p->from_set)
            return err(p, 0, "one 'figures' statement");
        char name[512];
        snprintf(name, sizeof name, "%s%s", p->ln->t[i].text,
                 p->ln->t[i].unit ? p->ln->t[i].unit : "");
        scn_file_path(p, name, ".figures", s->figures, sizeof s->figures);
        s->figures_pos = at(p, i);
        return expect_end(p, i + 1);
    }
    return 1;
}

/* The rest of a load's line after its name (token i): CURRENT [always].
 * 0, or -1 with the error reported. */
static int st_load_rest(pstate *p, scn_boardload *ld, int i)
{
    units_dim dim;
    int start = i;
    if (lex_quantity(p->ln, &i, p->pos, DIM_CURRENT, &ld->current, &dim, p->d))
        return -1;
    if (!(ld->current >= 0 && ld->current <= 10))
        return err(p, start, "a current from 0 to 10 A");
    if (lex_is_word(p->ln, i, "always")) {
        ld->always = 1;
        i++;
    }
    return expect_end(p, i);
}

/* load NAME CURRENT [always] */
static int st_load(pstate *p)
{
    scn *s = p->s;
    scn_boardload ld = {.pos = at(p, 1)};
    int i = 1;
    if (get_name(p, &i, ld.name, "a name for the load"))
        return -1;
    for (int k = 0; k < s->nperiph; k++)
        if (!strcmp(s->periph[k].name, ld.name))
            return err(p, 1, "a name not used by a peripheral");
    for (int c = 0; c < COMP_LOAD0; c++)    /* report and trace column names */
        if (!strcmp(comp_name((comp_id)c), ld.name))
            return err(p, 1, "a name that is not a module component's (cpu, wifi, flash, ...)");
    if (!strcmp(ld.name, "current") || !strcmp(ld.name, "time"))
        return err(p, 1, "a name other than 'current' or 'time' (trace columns)");
    for (int k = 0; k < s->nload; k++)
        if (!strcmp(s->load[k].name, ld.name))
            return err(p, 1, "a load name not declared before");
    if (s->nload == COMP_LOADS)
        return err(p, 0, "at most 4 board loads");
    int rc = st_load_rest(p, &ld, i);
    if (rc)
        ld.current = 0;
    /* declared even when the rest of the line is wrong: its uses below
     * are then not reported as undeclared names as well */
    s->load[s->nload++] = ld;
    return rc;
}

/* The rest of a peripheral's line after its name (token i): [on BUS]
 * [at SPEED]. 0, or -1 with the error reported. */
static int st_periph_rest(pstate *p, scn_periph *pr, int i)
{
    if (lex_is_word(p->ln, i, "on")) {
        i++;
        pr->bus_pos = at(p, i);
        if (get_name(p, &i, pr->bus, "a bus or pin name such as i2c89 or i2cNM"))
            return -1;
    }
    if (lex_is_word(p->ln, i, "at")) {
        i++;
        units_dim dim;
        int start = i;
        pr->speed_pos = at(p, i);
        units_dim want = pr->kind == COMP_UART ? DIM_BITRATE : DIM_FREQ;
        if (lex_quantity(p->ln, &i, p->pos, want, &pr->speed, &dim, p->d))
            return -1;
        if (!(pr->speed > 0))
            return err(p, start, "a speed > 0");
    }
    return expect_end(p, i);
}

/* i2c NAME [on BUS] [at SPEED] */
static int st_periph(pstate *p, comp_id kind)
{
    scn *s = p->s;
    scn_periph pr = {.kind = kind, .pos = at(p, 1)};
    int i = 1;
    if (get_name(p, &i, pr.name, "a name for the peripheral"))
        return -1;
    for (int k = 0; k < s->nload; k++)
        if (!strcmp(s->load[k].name, pr.name))
            return err(p, 1, "a name not used by a load");
    for (int k = 0; k < s->nperiph; k++)
        if (!strcmp(s->periph[k].name, pr.name)) {
            diag_error(p->d, pr.pos, "peripheral '%s' is declared twice (first at line %d)",
                       pr.name, s->periph[k].pos.line);
            return -1;
        }
    pr.bus_pos = pr.speed_pos = pr.pos;
    int rc = st_periph_rest(p, &pr, i);
    /* declared even when the rest of the line is wrong: its uses below
     * are then not reported as undeclared names as well */
    s->periph = xrealloc(s->periph, (size_t)(s->nperiph + 1) * sizeof *s->periph);
    s->periph[s->nperiph++] = pr;
    return rc;
}

/* ---- task headers ---- */

/* English ordinal suffix: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st. */
static const char *ordinal(long long n)
{
    if (n % 100 >= 11 && n % 100 <= 13)
        return "th";
    return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

/* Activities the engine books itself: a task may not take their names. */
static const char *const builtin_acts[] = {"boot", "wake", "connect", "disconnect", "sleep",
                                           "offline"};

/* `as NAME`: the activity name, which must not be a built-in one. */
static int get_as(pstate *p, int *i, char *name)
{
    int at_name = *i + 1;
    (*i)++;
    if (get_name(p, i, name, "an activity name after 'as' (ASCII letters, digits, '-', '_' and "
                 "'.', starting with a letter, at most 31 characters)"))
        return -1;
    for (size_t k = 0; k < sizeof builtin_acts / sizeof builtin_acts[0]; k++)
        if (!strcmp(name, builtin_acts[k]))
            return err(p, at_name, "a task name that is not a built-in activity (boot, wake, "
                       "connect, disconnect, sleep, offline)");
    return 0;
}

/* [during WINDOW] [as NAME] ':' — the window only where the task has a
 * schedule (every TIME, on pin). */
static int hdr_as(pstate *p, int i, scn_task *t)
{
    if (lex_is_word(p->ln, i, "during")) {
        if (t->kind != T_EVERY && t->kind != T_PIN_AT && t->kind != T_PIN_POISSON)
            return err(p, i, "'as NAME' or ':' (a window needs an 'every TIME' or 'on pin' task)");
        i++;
        if (get_window(p, &i, &t->win))
            return -1;
    }
    if (lex_is_word(p->ln, i, "as") && get_as(p, &i, t->name))
        return -1;
    if (!lex_is_punct(p->ln, i, ':'))
        return err(p, i, t->kind == T_EVERY || t->kind == T_PIN_AT || t->kind == T_PIN_POISSON
                   ? "'during WINDOW', 'as NAME' or ':' at the end of the task header"
                   : "':' at the end of the task header");
    return expect_end(p, i + 1);
}

static int hdr_every(pstate *p, scn_task *t)
{
    int i = 1;
    const lex_tok *n = i < p->ln->n ? &p->ln->t[i] : NULL;
    if (n && n->kind == TOK_NUMBER && n->unit &&
        (!strcmp(n->unit, "th") || !strcmp(n->unit, "st") || !strcmp(n->unit, "nd") ||
         !strcmp(n->unit, "rd"))) {
        t->kind = T_NTH;
        t->nth = strtoll(n->text, NULL, 10);
        if (t->nth < 1 || t->nth > 1000000000 ||
            strspn(n->text, "0123456789") != strlen(n->text))   /* not 1e3th, 4.0th, -1st */
            return err(p, i, "a whole number of wakes >= 1 (e.g. 4th)");
        if (!lex_is_word(p->ln, i + 1, "wake"))
            return err(p, i + 1, "'wake' (every Nth wake)");
        snprintf(t->name, SCN_NAME, "every-%lld%s-wake", (long long)t->nth, ordinal(t->nth));
        return hdr_as(p, i + 2, t);
    }
    t->kind = T_EVERY;
    int pstart = i;
    if (get_time(p, &i, &t->period, 1))
        return -1;
    if (t->period == 0)     /* "every 0" reads as "never" to some and "always" to others */
        return err(p, pstart, "a period > 0 (a period of 0 is not 'never': to leave a task "
                   "out, comment it out with '#'; a pin poisson task takes rate 0)");
    if (lex_is_word(p->ln, i, "from")) {
        i++;
        if (get_time(p, &i, &t->offset, 1))
            return -1;
    }
    snprintf(t->name, SCN_NAME, "task%d", p->s->ntask + 1);
    return hdr_as(p, i, t);
}

static int hdr_pin(pstate *p, scn_task *t)
{
    int i = 2;
    if (!lex_is_word(p->ln, 1, "pin"))
        return err(p, 1, "'pin' (on pin at ... / on pin poisson ...)");
    snprintf(t->name, SCN_NAME, "pin");
    if (lex_is_word(p->ln, i, "poisson")) {
        units_dim dim;
        t->kind = T_PIN_POISSON;
        i++;
        int start = i;
        if (lex_quantity(p->ln, &i, p->pos, DIM_RATE, &t->rate, &dim, p->d))
            return -1;
        if (!(t->rate >= 0) || t->rate > 1000)
            return err(p, start, "a rate from 0 (never: the task is left out) to 1000 /s "
                       "(e.g. 5 /day)");
        if (t->rate == 0)   /* a Poisson process of rate 0 has no events: exact */
            diag_warn(p->d, at(p, start), "rate 0: this task never runs (it is left out; "
                      "a rate > 0 puts it back)");
        char unit[64] = "";
        for (int k = start; k < i; k++)
            snprintf(unit + strlen(unit), sizeof unit - strlen(unit), "%s%s", p->ln->t[k].text,
                     p->ln->t[k].unit ? p->ln->t[k].unit : "");
        t->rate_daily = scn_rate_daily(unit);
        return hdr_as(p, i, t);
    }
    if (!lex_is_word(p->ln, i, "at"))
        return err(p, i, "'at' TIMES or 'poisson' RATE");
    t->kind = T_PIN_AT;
    i++;
    /* times after the start (8h) or, all of them, times of day (08:00) */
    t->at_clock = i + 1 < p->ln->n && lex_is_punct(p->ln, i + 1, ':') &&
                  p->ln->t[i].kind == TOK_NUMBER;
    for (;;) {
        tick_t v;
        int start = i;
        if (t->at_clock) {
            int32_t tod;
            if (get_clock(p, &i, &tod))
                return -1;
            v = (tick_t)tod * TICKS_PER_S;
        } else if (get_time(p, &i, &v, 1)) {
            return -1;
        }
        if (t->nat && v <= t->at[t->nat - 1])
            return err(p, start, "pin times in increasing order");
        t->at = xrealloc(t->at, (size_t)(t->nat + 1) * sizeof *t->at);
        t->at[t->nat++] = v;
        if (!lex_is_punct(p->ln, i, ','))
            break;
        i++;
    }
    if (lex_is_word(p->ln, i, "every")) {   /* the list repeats */
        int start = ++i;
        if (get_time(p, &i, &t->repeat, 0))
            return -1;
        if (t->at_clock && t->repeat % ((tick_t)86400 * TICKS_PER_S))
            return err(p, start, "whole days (every 1 d) after times of day");
        if (t->at[t->nat - 1] >= t->repeat)
            return err(p, start, "a repeat period longer than the last pin time");
    } else if (t->at_clock) {
        return err(p, i, "'every 1 d' (or whole days) after times of day");
    }
    return hdr_as(p, i, t);
}

static int st_header(pstate *p, const char *w)
{
    scn_task t = {0};
    t.pos = at(p, 0);
    int rc;
    if (!strcmp(w, "boot")) {
        t.kind = T_BOOT;
        snprintf(t.name, SCN_NAME, "boot");
        rc = lex_is_punct(p->ln, 1, ':') ? expect_end(p, 2) : err(p, 1, "':' after boot");
    } else if (!strcmp(w, "power-on")) {
        t.kind = T_POWERON;
        snprintf(t.name, SCN_NAME, "power-on");
        rc = hdr_as(p, 1, &t);
    } else if (!strcmp(w, "every")) {
        rc = hdr_every(p, &t);
    } else {
        rc = hdr_pin(p, &t);
    }
    if (rc) {
        free(t.at);
        return -1;
    }
    scn *s = p->s;
    s->task = xrealloc(s->task, (size_t)(s->ntask + 1) * sizeof *s->task);
    s->task[s->ntask] = t;
    p->cur = &s->task[s->ntask++];
    p->nblk = 0;
    p->task_indent = -1;
    return 0;
}

/* ---- actions ---- */

static int find_load(const pstate *p, int i)
{
    for (int k = 0; k < p->s->nload; k++)
        if (lex_is_word(p->ln, i, p->s->load[k].name))
            return k;
    return -1;
}

static int find_periph(pstate *p, int i)
{
    for (int k = 0; k < p->s->nperiph; k++)
        if (lex_is_word(p->ln, i, p->s->periph[k].name))
            return k;
    if (find_load(p, i) >= 0)
        err(p, i, "a peripheral (a board load can only be enabled or disabled)");
    else
        err(p, i, "the name of a declared peripheral or load (declare it first, e.g. 'i2c sensor')");
    return -1;
}

static int act_amount(pstate *p, int *i, scn_action *a, units_dim want, const char *what)
{
    int start = *i;
    if (lex_quantity(p->ln, i, p->pos, want, &a->amount, &a->dim, p->d))
        return -1;
    if (!(a->amount >= 0) || a->amount > 1e15) {
        diag_error(p->d, at(p, start), "found '%s', expected %s between 0 and 1e15",
                   tok(p, start), what);
        return -1;
    }
    return want == DIM_TIME ? below_step(p, start, a->amount) : 0;
}

static int act_cpu(pstate *p, scn_action *a)
{
    int i = 1;
    if (i < p->ln->n && p->ln->t[i].kind == TOK_NUMBER) {
        double v;
        units_dim dim;
        int save = i;
        if (lex_quantity(p->ln, &i, p->pos, DIM__COUNT, &v, &dim, p->d))
            return -1;
        if (dim == DIM_TIME) {
            i = save;
            if (act_amount(p, &i, a, DIM_TIME, "a time"))
                return -1;
            if (!lex_is_word(p->ln, i, "on"))
                return err(p, i, "'on MODULE' naming the module the time was measured on");
            i++;
            return get_name(p, &i, a->on, "a module name") || expect_end(p, i);
        }
        i = save;
    }
    /* a plain number counts cycles */
    int plain = i < p->ln->n && p->ln->t[i].kind == TOK_NUMBER && !p->ln->t[i].unit &&
                (i + 1 >= p->ln->n || p->ln->t[i + 1].kind != TOK_WORD);
    return act_amount(p, &i, a, plain ? DIM_NONE : DIM_CYCLES,
                      "a cycle count (e.g. 2 Mcycles) or a time on a module (12 ms on imp002)")
           || expect_end(p, i);
}

static int act_periph(pstate *p, scn_action *a, int with_amount)
{
    int i = 1;
    if ((a->periph = find_periph(p, i)) < 0)
        return -1;
    i++;
    if (with_amount) {
        comp_id k = p->s->periph[a->periph].kind;
        if (k == COMP_ADC) {
            if (act_amount(p, &i, a, DIM_NONE, "a number of samples"))
                return -1;
        } else if (k == COMP_SAMPLER || k == COMP_DAC || k == COMP_PWM) {
            return err(p, 0, "read/write on an I2C, SPI, UART or ADC peripheral "
                       "(use 'run NAME for TIME' for a sampler, DAC or PWM)");
        } else if (act_amount(p, &i, a, DIM_BYTES, "a size in bytes (e.g. 6 B)")) {
            return -1;
        }
    }
    return expect_end(p, i);
}

static int act_run(pstate *p, scn_action *a)
{
    int i = 1;
    if ((a->periph = find_periph(p, i)) < 0)
        return -1;
    comp_id k = p->s->periph[a->periph].kind;
    if (k != COMP_SAMPLER && k != COMP_DAC && k != COMP_PWM)
        return err(p, 1, "a sampler, DAC or PWM peripheral for 'run'");
    if (!lex_is_word(p->ln, 2, "for"))
        return err(p, 2, "'for TIME'");
    i = 3;
    return act_amount(p, &i, a, DIM_TIME, "a time") || expect_end(p, i);
}

static int act_flash(pstate *p, scn_action *a)
{
    static const char *const ops[] = {"read", "write", "erase"};
    int k = get_word_of(p, 1, ops, 3);
    if (k < 0)
        return -1;
    a->kind = (scn_akind)(A_FLASH_READ + k);
    int i = 2;
    return act_amount(p, &i, a, DIM_BYTES, "a size in bytes") || expect_end(p, i);
}

static int act_wifi(pstate *p, scn_action *a)
{
    static const char *const ops[] = {"connect", "send", "receive", "disconnect"};
    int k = get_word_of(p, 1, ops, 4);
    if (k < 0)
        return -1;
    a->kind = (scn_akind)(A_WIFI_CONNECT + k);
    int i = 2;
    if (a->kind == A_WIFI_SEND || a->kind == A_WIFI_RECV)
        if (act_amount(p, &i, a, DIM_BYTES, "a size in bytes (e.g. 512 B)"))
            return -1;
    return expect_end(p, i);
}

static int act_bytes(pstate *p, scn_action *a, int i)
{
    return act_amount(p, &i, a, DIM_BYTES, "a size in bytes") || expect_end(p, i);
}

/* count NAME for TIME: a blocking pin.read() of the pulse-count pin. */
static int act_count(pstate *p, scn_action *a)
{
    if (!p->s->pulse[0] || !lex_is_word(p->ln, 1, p->s->pulse))
        return err(p, 1, p->s->pulse[0] ? "the name of the pulse-count pin declared with 'pulse'"
                   : "a pulse-count pin declared first ('pulse NAME' at the top level)");
    if (!lex_is_word(p->ln, 2, "for"))
        return err(p, 2, "'for TIME' (pulses are counted during a blocking read)");
    int i = 3;
    return act_amount(p, &i, a, DIM_TIME, "a time") || expect_end(p, i);
}

/* chance RATIO [as NAME]: | every Nth run [as NAME]: | repeat N [as NAME]: */
static int act_block(pstate *p, scn_action *a, const char *w)
{
    int i = 1;
    if (!strcmp(w, "chance")) {
        a->kind = A_CHANCE;
        if (act_amount(p, &i, a, DIM_RATIO, "a probability (e.g. 2 %)"))
            return -1;
        if (a->amount > 1)
            return err(p, 1, "a probability from 0 to 100 %");
    } else {
        const lex_tok *n = i < p->ln->n ? &p->ln->t[i] : NULL;
        int nth = !strcmp(w, "every");
        a->kind = nth ? A_NTH_RUN : A_REPEAT;
        if (!n || n->kind != TOK_NUMBER || strspn(n->text, "0123456789") != strlen(n->text) ||
            strlen(n->text) > 7 || (nth ? !n->unit || (strcmp(n->unit, "th") && strcmp(n->unit, "st") &&
                                    strcmp(n->unit, "nd") && strcmp(n->unit, "rd")) : n->unit != NULL) ||
            (a->amount = atof(n->text)) < 1)
            return err(p, 1, nth ? "a whole number of runs >= 1 (every 10th run)"
                                 : "a whole number of times from 1 to 9999999 (repeat 100)");
        i++;
        if (nth && !lex_is_word(p->ln, i++, "run"))
            return err(p, i - 1, "'run' (every Nth run: the block runs on the 1st, N+1st, ... "
                       "time it is reached)");
    }
    if (lex_is_word(p->ln, i, "as") && get_as(p, &i, a->name))
        return -1;
    if (!lex_is_punct(p->ln, i, ':'))
        return err(p, i, "'as NAME' or ':' at the end of the block header");
    return expect_end(p, i + 1);
}

static int st_action(pstate *p, const char *w)
{
    scn_action a = {.pos = at(p, 0), .periph = -1, .load = -1};
    int rc, i = 1;
    static const char *const onoff[] = {"off", "on"};
    if (!strcmp(w, "cpu")) { a.kind = A_CPU; rc = act_cpu(p, &a); }
    else if (!strcmp(w, "wait")) { a.kind = A_WAIT; rc = act_amount(p, &i, &a, DIM_TIME, "a time") || expect_end(p, i); }
    else if (!strcmp(w, "imp.sleep")) { a.kind = A_IMPSLEEP; rc = act_amount(p, &i, &a, DIM_TIME, "a time") || expect_end(p, i); }
    else if (!strcmp(w, "read")) { a.kind = A_READ; rc = act_periph(p, &a, 1); }
    else if (!strcmp(w, "write")) { a.kind = A_WRITE; rc = act_periph(p, &a, 1); }
    else if (!strcmp(w, "enable") || !strcmp(w, "disable")) {
        a.kind = w[0] == 'e' ? A_ENABLE : A_DISABLE;
        a.load = find_load(p, 1);
        if (a.load >= 0 && p->s->load[a.load].always)
            rc = err(p, 1, "a load that is not wired to the supply (declared 'always')");
        else
            rc = a.load >= 0 ? expect_end(p, 2) : act_periph(p, &a, 0);
    }
    else if (!strcmp(w, "run")) { a.kind = A_RUN; rc = act_run(p, &a); }
    else if (!strcmp(w, "flash")) rc = act_flash(p, &a);
    else if (!strcmp(w, "nv")) {
        a.kind = A_NV_WRITE;
        rc = lex_is_word(p->ln, 1, "write") ? act_bytes(p, &a, 2) : err(p, 1, "'write' (nv write N B)");
    }
    else if (!strcmp(w, "persist")) { a.kind = A_PERSIST; rc = act_bytes(p, &a, 1); }
    else if (!strcmp(w, "wifi")) rc = act_wifi(p, &a);
    else if (!strcmp(w, "powersave") || !strcmp(w, "latchwifipower")) {
        a.kind = w[0] == 'p' ? A_POWERSAVE : A_LATCH;
        rc = (a.flag = get_word_of(p, 1, onoff, 2)) < 0 || expect_end(p, 2);
    }
    else if (!strcmp(w, "count")) { a.kind = A_COUNT; rc = act_count(p, &a); }
    else if (!strcmp(w, "chance") || !strcmp(w, "every") || !strcmp(w, "repeat"))
        rc = act_block(p, &a, w);
    else
        return err(p, 0, "an action (cpu, wait, imp.sleep, read, write, enable, disable, run, "
                   "flash, nv, persist, wifi, powersave, latchwifipower, count) or a block (chance, every Nth "
                   "run, repeat)");
    if (rc)
        return -1;
    scn_task *t = p->cur;
    t->a = xrealloc(t->a, (size_t)(t->na + 1) * sizeof *t->a);
    t->a[t->na++] = a;
    if (a.kind == A_CHANCE || a.kind == A_NTH_RUN || a.kind == A_REPEAT) {
        if (p->nblk == SCN_MAX_DEPTH)
            return err(p, 0, "blocks nested at most 8 deep");
        p->blk[p->nblk].idx = t->na - 1;
        p->blk[p->nblk].indent = p->ln->indent;
        p->blk[p->nblk++].body = -1;
    }
    return 0;
}

/* Close the innermost open block: its body is every action added since. */
static int block_close(pstate *p)
{
    scn_task *t = p->cur;
    scn_action *b = &t->a[p->blk[--p->nblk].idx];
    b->len = t->na - (p->blk[p->nblk].idx + 1);
    if (b->len == 0) {
        diag_error(p->d, b->pos, "found a block with no actions, expected its actions on the "
                   "lines below it, indented further");
        return -1;
    }
    return 0;
}

static int block_close_all(pstate *p)
{
    int rc = 0;
    while (p->cur && p->nblk)
        rc |= block_close(p);
    return rc;
}

/* Indentation of an action line: closes the blocks it is not inside of;
 * must match the body it belongs to. */
static int action_indent(pstate *p)
{
    int ind = p->ln->indent;
    while (p->nblk && ind <= p->blk[p->nblk - 1].indent)
        if (block_close(p))
            return -1;
    int *want = p->nblk ? &p->blk[p->nblk - 1].body : &p->task_indent;
    if (*want < 0)
        *want = ind;
    if (ind != *want) {
        diag_error(p->d, at(p, 0), "found an action indented %d columns, expected %d (%s)", ind,
                   *want, p->nblk ? "the block's other actions, or less to close the block"
                                  : "the task's other actions");
        return -1;
    }
    return 0;
}

static const struct { const char *w; comp_id k; } periph_words[] = {
    {"i2c", COMP_I2C}, {"spi", COMP_SPI}, {"uart", COMP_UART}, {"adc", COMP_ADC},
    {"pwm", COMP_PWM}, {"sampler", COMP_SAMPLER}, {"dac", COMP_DAC}};

static int st_top(pstate *p)
{
    const lex_tok *t0 = &p->ln->t[0];
    block_close_all(p);
    p->cur = NULL;
    if (t0->kind != TOK_WORD)
        return err(p, 0, "a statement (see scenarios/README.md)");
    const char *w = t0->text;
    int rc = st_simple(p, w);
    if (rc <= 0)
        return rc;
    if ((rc = st_quantity(p, w)) <= 0)
        return rc;
    if (!strcmp(w, "set"))
        return st_set(p);
    if (!strcmp(w, "load"))
        return st_load(p);
    for (size_t k = 0; k < sizeof periph_words / sizeof periph_words[0]; k++)
        if (!strcmp(w, periph_words[k].w))
            return st_periph(p, periph_words[k].k);
    if (!strcmp(w, "boot") || !strcmp(w, "power-on") || !strcmp(w, "every") || !strcmp(w, "on"))
        return st_header(p, w);
    return err(p, 0, "a statement: scenario, module, crystal, part, supply, duration, sleep, "
               "wifi-idle, powersave, latchwifipower, seed, battery, regulator, ap, load, set, start, pulse, a peripheral (i2c, spi, uart, adc, "
               "pwm, sampler, dac) or a task header (boot:, power-on:, every ...:, on pin ...:)");
}

static int scn_line(pstate *p)
{
    if (p->ln->indent == 0)
        return st_top(p);
    if (!p->cur) {
        diag_error(p->d, at(p, 0), "found an indented line outside a task, expected a "
                   "statement in column 1 or a task header (boot:, every ...:, on pin ...:) above it");
        return -1;
    }
    if (action_indent(p))
        return -1;
    if (p->ln->t[0].kind != TOK_WORD)
        return err(p, 0, "an action");
    return st_action(p, p->ln->t[0].text);
}

static scn *scn_new(const char *name)
{
    scn *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(name)))
        abort();
    s->crystal = -1;
    s->reg_iq = -1;
    s->reg_wifi_min = -1;
    s->sleep = SLEEP_IDLE;
    s->seed = 1;
    return s;
}

static void scn_require(scn *s, diag *d)
{
    for (int i = 0; i < s->ntask; i++)
        if (!s->task[i].na)
            diag_warn(d, s->task[i].pos, "task '%s' has no actions", s->task[i].name);
}

scn *scn_parse(const char *name, const char *text, size_t len, diag *d)
{
    int before = diag_count(d);
    scn *s = scn_new(name);
    pstate p = {.s = s, .d = d};
    size_t off = 0, n;
    const char *line;
    int lineno = 0;
    /* a line that failed takes the lines indented deeper than it (its body,
     * if it was a task or block header) with it, silently: one error for a
     * bad header, not one per body line. -1: nothing skipped */
    int skip_deeper = -1;
    while (lex_next_line(text, len, &off, &line, &n)) {
        lex_line ln = {0};
        p.pos = (diag_pos){s->path, ++lineno, 1};
        p.ln = &ln;
        p.raw = line;
        p.rawlen = n;
        int errs = diag_count(d);
        if (lex_line_split(line, n, p.pos, &ln, d) == 0 && ln.n > 0) {
            if (skip_deeper >= 0 && ln.indent > skip_deeper) {
                lex_line_clear(&ln);
                continue;
            }
            skip_deeper = -1;
            scn_line(&p);
        }
        if (diag_count(d) > errs && ln.indent >= 0 && ln.n > 0 && skip_deeper < 0)
            skip_deeper = ln.indent;
        lex_line_clear(&ln);
    }
    block_close_all(&p);
    if (diag_count(d) == before)
        scn_require(s, d);
    if (diag_count(d) > before) {
        scn_free(s);
        return NULL;
    }
    return s;
}

scn *scn_load(const char *path, diag *d)
{
    size_t len;
    char *buf = lex_read_file(path, &len, d);
    if (!buf)
        return NULL;
    scn *s = scn_parse(path, buf, len, d);
    free(buf);
    return s;
}

static int scn_add_fig(fig_entry **v, int *n, fig_entry *e)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp((*v)[i].key, e->key)) {
            fig_entry_clear(&(*v)[i]);
            (*v)[i] = *e;
            return 0;
        }
    *v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
    (*v)[(*n)++] = *e;
    return 0;
}

/* "model.KEY=VALUE" or "battery.KEY=VALUE", located at `where` (the
 * scenario's `set` line, or "--set"). */
static int scn_set_fig(scn *s, const char *kv, diag_pos where, diag *d)
{
    int is_model = kv[0] == 'm';
    fig_entry e;
    if (fig_parse_override(kv + (is_model ? 6 : 8), where, &e, d))
        return -1;
    return is_model ? scn_add_fig(&s->sets, &s->nsets, &e)
                    : scn_add_fig(&s->bsets, &s->nbsets, &e);
}

int scn_set(scn *s, const char *kv, diag *d)
{
    diag_pos where = diag_arg_pos("--set", kv);
    char opt[600];
    if (!strncmp(kv, "--module=", 9) || !strncmp(kv, "--duration=", 11) ||
        !strncmp(kv, "--figures=", 10)) {
        const char *eq = strchr(kv, '=');
        char o[16];
        snprintf(o, sizeof o, "%.*s", (int)(eq - kv), kv);
        where = diag_arg_pos(o, eq + 1);
        snprintf(opt, sizeof opt, "scenario.%s", kv + 2);
        kv = opt;
    }
    if (!strncmp(kv, "model.", 6) || !strncmp(kv, "battery.", 8))
        return scn_set_fig(s, kv, where, d);
    if (strncmp(kv, "scenario.", 9) || !strchr(kv, '=')) {
        diag_error(d, where, "found '%s', expected scenario.KEY=VALUE, model.KEY=VALUE or "
                   "battery.KEY=VALUE", kv);
        return -1;
    }
    /* scenario.NAME.FIELD=VALUE: a figure of a named task, block, load or
     * peripheral, or of the regulator */
    const char *eq = strchr(kv, '=');
    size_t klen = (size_t)(eq - kv - 9);
    const char *dot = memchr(kv + 9, '.', klen);
    if (dot) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(dot - kv - 9), kv + 9);
        char field[64];
        snprintf(field, sizeof field, "%.*s", (int)(eq - dot - 1), dot + 1);
        return scn_set_named(s, name, field, eq + 1, d);
    }
    /* scenario.KEY=VALUE is the statement "KEY VALUE" */
    char line[512];
    if (snprintf(line, sizeof line, "%.*s %s", (int)klen, kv + 9, eq + 1) >= (int)sizeof line) {
        diag_error(d, where, "found a setting of %zu characters, expected at most %zu (a "
                   "statement's value)", strlen(kv), sizeof line - 10);
        return -1;
    }
    lex_line ln = {0};
    pstate p = {.s = s, .d = d, .ln = &ln, .pos = where, .raw = line, .rawlen = strlen(line),
                .from_set = 1};
    int rc = -1;
    if (lex_line_split(line, strlen(line), where, &ln, d) == 0 && ln.n > 0) {
        const char *w = ln.t[0].text;
        rc = st_simple(&p, w);
        if (rc > 0)
            rc = st_quantity(&p, w);
        if (rc > 0 && !strcmp(w, "load"))
            rc = st_load(&p);
        for (size_t k = 0; rc > 0 && k < sizeof periph_words / sizeof periph_words[0]; k++)
            if (!strcmp(w, periph_words[k].w))
                rc = st_periph(&p, periph_words[k].k);
        if (rc > 0) {
            static const char *const words[] = {
                "scenario", "module", "crystal", "part", "figures", "supply", "duration",
                "sleep", "wifi-idle", "powersave", "latchwifipower", "seed", "battery",
                "regulator", "ap", "load", "start", "pulse", "i2c", "spi", "uart", "adc", "pwm",
                "sampler", "dac", "every"};
            char list[400] = "", guess[80] = "";
            diag_near near = DIAG_NEAR_INIT;
            for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                         words[k]);
                diag_near_offer(&near, w, words[k]);
            }
            if (diag_near_best(&near))
                snprintf(guess, sizeof guess, "; did you mean 'scenario.%s'?", diag_near_best(&near));
            diag_error(d, where, "found '%s', expected a scenario setting (%s) or NAME.FIELD "
                       "(e.g. upload.period, regulator.wifi-min)%s", kv, list, guess);
            rc = -1;
        }
    }
    lex_line_clear(&ln);
    return rc;
}

void scn_free(scn *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ntask; i++) {
        free(s->task[i].a);
        free(s->task[i].at);
    }
    for (int i = 0; i < s->nsets; i++)
        fig_entry_clear(&s->sets[i]);
    for (int i = 0; i < s->nbsets; i++)
        fig_entry_clear(&s->bsets[i]);
    for (int i = 0; i < s->nparts; i++)
        free(s->parts[i]);
    free(s->sets);
    free(s->bsets);
    free(s->ap_down);
    free(s->task);
    free(s->periph);
    free(s->path);
    free(s);
}

const char *scn_sleep_name(scn_sleep s)
{
    static const char *const n[] = {"deep", "idle", "shallow"};
    return n[s];
}
