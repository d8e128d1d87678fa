/* battery_cell.c — load a cell description from a figure file.
 *
 * A cell file (cells/NAME.cell, schema in cells/README.md) holds one
 * figure per line; battery_keys below lists every key with its kind and
 * dimension. Overrides (--set battery.KEY=VALUE) replace file entries.
 * Unknown keys, wrong dimensions and out-of-range values are errors at the
 * entry's file:line:col (or at the override). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "battery_impl.h"
#include "paths.h"

#define BATTERY_OCV_MAX 64

typedef enum { BK_NUM, BK_WORD, BK_STRING } battery_kind;

typedef struct {
    const char *key;
    battery_kind kind;
    units_dim dim, dim2;     /* accepted dimensions (dim2 = alternative) */
} battery_key;

static const battery_key battery_keys[] = {
    {"cell.name", BK_STRING, DIM_NONE, DIM_NONE},
    {"cell.chemistry", BK_WORD, DIM_NONE, DIM_NONE},
    {"cell.model", BK_WORD, DIM_NONE, DIM_NONE},
    {"cell.capacity", BK_NUM, DIM_CHARGE, DIM_CHARGE},
    {"cell.voltage", BK_NUM, DIM_VOLTAGE, DIM_VOLTAGE},
    {"cell.cutoff", BK_NUM, DIM_VOLTAGE, DIM_VOLTAGE},
    {"cell.resistance", BK_NUM, DIM_RESIST, DIM_RESIST},
    {"cell.self_discharge", BK_NUM, DIM_PER_YEAR, DIM_PER_YEAR},
    {"pack.series", BK_NUM, DIM_NONE, DIM_NONE},
    {"pack.parallel", BK_NUM, DIM_NONE, DIM_NONE},
    {"voltage.model", BK_WORD, DIM_NONE, DIM_NONE},
    {"ocv.soc", BK_STRING, DIM_NONE, DIM_NONE},
    {"ocv.voltage", BK_STRING, DIM_NONE, DIM_NONE},
    {"peukert.n", BK_NUM, DIM_NONE, DIM_NONE},
    {"peukert.rated_current", BK_NUM, DIM_CURRENT, DIM_CURRENT},
    {"peukert.rated_time", BK_NUM, DIM_TIME, DIM_TIME},
    {"kibam.c", BK_NUM, DIM_NONE, DIM_RATIO},
    {"kibam.k_prime", BK_NUM, DIM_RATE, DIM_FREQ},
    {"kibam.k", BK_NUM, DIM_RATE, DIM_FREQ},
    {"diffusion.alpha", BK_NUM, DIM_CHARGE, DIM_CHARGE},
    {"diffusion.beta", BK_NUM, DIM_NONE, DIM_NONE},
    {"shepherd.e0", BK_NUM, DIM_VOLTAGE, DIM_VOLTAGE},
    {"shepherd.k", BK_NUM, DIM_NONE, DIM_NONE},
    {"shepherd.q", BK_NUM, DIM_CHARGE, DIM_CHARGE},
    {"shepherd.a", BK_NUM, DIM_VOLTAGE, DIM_VOLTAGE},
    {"shepherd.b", BK_NUM, DIM_NONE, DIM_NONE},
};
#define BATTERY_NKEYS ((int)(sizeof battery_keys / sizeof battery_keys[0]))

static const char *const battery_model_names[] = {
    "ideal", "peukert", "kibam", "diffusion"};
static const char *const battery_vmodel_names[] = {
    "constant", "ocv", "shepherd"};

/* Where the loader looks up figures: overrides first, then the file. */
typedef struct {
    const char *name;
    const figfile *f;
    const fig_entry *over;
    int n_over;
    diag *d;
    diag_pos where;          /* for errors about missing keys */
} battery_src;

static char *battery_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p)
        abort();
    return memcpy(p, s, n);
}

static const char *battery_strip(const char *key)
{
    return strncmp(key, "battery.", 8) == 0 ? key + 8 : key;
}

static const battery_key *battery_key_find(const char *key)
{
    for (int i = 0; i < BATTERY_NKEYS; i++)
        if (strcmp(battery_keys[i].key, key) == 0)
            return &battery_keys[i];
    return NULL;
}

static const fig_entry *battery_get(const battery_src *s, const char *key)
{
    for (int i = s->n_over - 1; i >= 0; i--)
        if (strcmp(battery_strip(s->over[i].key), key) == 0)
            return &s->over[i];
    return s->f ? figfile_get(s->f, key) : NULL;
}

static const char *battery_kind_word(battery_kind k)
{
    return k == BK_NUM ? "a number" : k == BK_WORD ? "a word"
                                                  : "a \"quoted string\"";
}

/* Check one entry against its schema line. */
static void battery_check(const battery_src *s, const fig_entry *e,
                          const battery_key *k)
{
    int kind_ok = (k->kind == BK_NUM && e->kind == FIG_NUMBER)
               || (k->kind == BK_WORD && e->kind == FIG_WORD)
               || (k->kind == BK_STRING && e->kind == FIG_STRING);
    if (!kind_ok)
        diag_error(s->d, e->pos, "%s: found '%s', expected %s", k->key,
                   e->text ? e->text : "", k->kind == BK_NUM
                   ? units_dim_word(k->dim) : battery_kind_word(k->kind));
    else if (k->kind == BK_NUM && e->dim != k->dim && e->dim != k->dim2)
        diag_error(s->d, e->pos, "%s: found %s (%s), expected %s", k->key,
                   units_dim_word(e->dim), e->text ? e->text : "",
                   units_dim_word(k->dim));
}

/* The error for a key no cell has: found, expected, and the nearest key
 * when one is close (with the prefix the user wrote: "battery." in a
 * --set). */
static void battery_unknown(const battery_src *s, const fig_entry *e, const char *prefix)
{
    const char *key = prefix[0] ? battery_strip(e->key) : e->key;
    diag_near near = DIAG_NEAR_INIT;
    const char *guess = NULL;
    for (int i = 0; i < BATTERY_NKEYS && !guess; i++)    /* "capacity": cell.capacity */
        if (!strcmp(strchr(battery_keys[i].key, '.') + 1, key))
            guess = battery_keys[i].key;
    for (int i = 0; i < BATTERY_NKEYS; i++)
        diag_near_offer(&near, key, battery_keys[i].key);
    if (!guess)
        guess = diag_near_best(&near);
    diag_error(s->d, e->pos, "found '%s', expected a cell figure (cells/README.md lists them, "
               "e.g. %scell.capacity)%s%s%s%s", e->key, prefix, guess ? "; did you mean '" : "",
               guess ? prefix : "", guess ? guess : "", guess ? "'?" : "");
}

static void battery_check_all(const battery_src *s)
{
    if (s->f)
        for (int i = 0; i < s->f->n; i++) {
            const fig_entry *e = &s->f->v[i];
            const battery_key *k = battery_key_find(e->key);
            if (!k)
                battery_unknown(s, e, "");
            else if (battery_get(s, e->key) == e)
                battery_check(s, e, k);
        }
    for (int i = 0; i < s->n_over; i++) {
        const fig_entry *e = &s->over[i];
        const battery_key *k = battery_key_find(battery_strip(e->key));
        if (!k)
            battery_unknown(s, e, strncmp(e->key, "battery.", 8) ? "" : "battery.");
        else
            battery_check(s, e, k);
    }
}

/* A number: *out stays `dflt` when absent; required keys report. */
static void battery_num(const battery_src *s, const char *key, int required,
                        double dflt, double *out)
{
    const fig_entry *e = battery_get(s, key);
    *out = dflt;
    if (!e && required)
        diag_error(s->d, s->where, "cell '%s' lacks %s, which it needs",
                   s->name, key);
    if (e && e->kind == FIG_NUMBER)
        *out = e->value;
}

/* Range check: lo < v <= hi (lo_incl: lo <= v). */
static void battery_range(const battery_src *s, const char *key, double v,
                          double lo, int lo_incl, double hi, const char *what)
{
    const fig_entry *e = battery_get(s, key);
    if (!e)
        return;
    if ((lo_incl ? v >= lo : v > lo) && v <= hi)
        return;
    if (e->kind == FIG_NUMBER && e->text)  /* as written, with its unit ("-2850 mAh") */
        diag_error(s->d, e->pos, "%s: found '%s', expected %s", key, e->text, what);
    else
        diag_error(s->d, e->pos, "%s: found %g, expected %s", key, v, what);
}

static int battery_word(const battery_src *s, const char *key,
                        const char *const *names, int n, int dflt)
{
    const fig_entry *e = battery_get(s, key);
    if (!e || e->kind != FIG_WORD)
        return dflt;
    for (int i = 0; i < n; i++)
        if (strcmp(e->text, names[i]) == 0)
            return i;
    diag_error(s->d, e->pos, "%s: found '%s', expected %s", key, e->text,
               n == 4 ? "ideal, peukert, kibam or diffusion"
                      : "constant, ocv or shepherd");
    return dflt;
}

/* Split a string of numbers (blanks or commas between). Returns the
 * count, or -1 when something is not a number or there are too many. */
static int battery_list(const char *text, double *out, int max)
{
    int n = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            return n;
        char *end;
        double v = strtod(p, &end);
        if (end == p || !isfinite(v) || n == max
            || (*end && *end != ' ' && *end != '\t' && *end != ','))
            return -1;
        out[n++] = v;
        p = end;
    }
}

/* ocv.soc (percent) and ocv.voltage (volts) into a monotone curve. */
static void battery_ocv_load(const battery_src *s, battery_cell *c)
{
    const fig_entry *es = battery_get(s, "ocv.soc");
    const fig_entry *ev = battery_get(s, "ocv.voltage");
    if (!es || !ev || es->kind != FIG_STRING || ev->kind != FIG_STRING) {
        diag_error(s->d, (es ? es : ev) ? (es ? es : ev)->pos : s->where,
                   "voltage.model ocv needs both ocv.soc and ocv.voltage "
                   "as quoted lists of numbers");
        return;
    }
    double xs[BATTERY_OCV_MAX], ys[BATTERY_OCV_MAX];
    int n = battery_list(es->text, xs, BATTERY_OCV_MAX);
    int m = battery_list(ev->text, ys, BATTERY_OCV_MAX);
    if (n < 2 || m < 0) {
        diag_error(s->d, (n < 2 ? es : ev)->pos, "%s: found \"%s\", expected "
                   "2 to %d numbers", n < 2 ? "ocv.soc" : "ocv.voltage",
                   (n < 2 ? es : ev)->text, BATTERY_OCV_MAX);
        return;
    }
    if (m != n) {
        diag_error(s->d, ev->pos, "ocv.voltage: found %d values, expected "
                   "%d (one per ocv.soc point)", m, n);
        return;
    }
    for (int i = 0; i < n; i++) {
        if (xs[i] < 0 || xs[i] > 100 || (i && xs[i] <= xs[i - 1])) {
            diag_error(s->d, es->pos, "ocv.soc: found %g at position %d, "
                       "expected percentages rising strictly within 0..100",
                       xs[i], i + 1);
            return;
        }
        if (ys[i] <= 0 || (i && ys[i] < ys[i - 1])) {
            diag_error(s->d, ev->pos, "ocv.voltage: found %g V at position "
                       "%d, expected positive volts that never fall as "
                       "ocv.soc rises", ys[i], i + 1);
            return;
        }
    }
    c->ocv_n = n;
    c->ocv_soc = malloc((size_t)n * sizeof *c->ocv_soc);
    c->ocv_v = malloc((size_t)n * sizeof *c->ocv_v);
    c->ocv = gsl_interp_alloc(n >= 3 ? gsl_interp_steffen : gsl_interp_linear,
                              (size_t)n);
    c->ocv_acc = gsl_interp_accel_alloc();
    if (!c->ocv_soc || !c->ocv_v || !c->ocv || !c->ocv_acc)
        abort();
    for (int i = 0; i < n; i++) {
        c->ocv_soc[i] = xs[i] / 100.0;
        c->ocv_v[i] = ys[i];
    }
    gsl_interp_init(c->ocv, c->ocv_soc, c->ocv_v, (size_t)n);
}

static void battery_shepherd_load(const battery_src *s, battery_cell *c)
{
    battery_num(s, "shepherd.e0", 1, 0, &c->sh_e0);
    battery_num(s, "shepherd.k", 1, 0, &c->sh_k);
    battery_num(s, "shepherd.q", 1, c->capacity, &c->sh_q);
    battery_num(s, "shepherd.a", 1, 0, &c->sh_a);
    battery_num(s, "shepherd.b", 1, 0, &c->sh_b);
    battery_range(s, "shepherd.e0", c->sh_e0, 0, 0, 100, "a positive voltage");
    battery_range(s, "shepherd.k", c->sh_k, 0, 1, 100, "0 or more (V/Ah)");
    battery_range(s, "shepherd.q", c->sh_q, 0, 0, HUGE_VAL, "a positive charge");
    battery_range(s, "shepherd.a", c->sh_a, 0, 1, 100, "0 or more volts");
    battery_range(s, "shepherd.b", c->sh_b, 0, 1, HUGE_VAL, "0 or more (1/Ah)");
    c->sh_q /= 3600.0;      /* Tremblay's parameters are per Ah */
}

static void battery_peukert_load(const battery_src *s, battery_cell *c)
{
    double n, ir, h;
    battery_num(s, "peukert.n", 1, 1.0, &n);
    battery_range(s, "peukert.n", n, 1, 1, 3, "an exponent from 1 to 3");
    int has_i = battery_get(s, "peukert.rated_current") != NULL;
    int has_h = battery_get(s, "peukert.rated_time") != NULL;
    if (has_i == has_h)
        diag_error(s->d, s->where, "cell '%s': give exactly one of "
                   "peukert.rated_current and peukert.rated_time", s->name);
    battery_num(s, "peukert.rated_current", 0, 1.0, &ir);
    battery_num(s, "peukert.rated_time", 0, 0.0, &h);
    battery_range(s, "peukert.rated_current", ir, 0, 0, HUGE_VAL,
                  "a positive current");
    battery_range(s, "peukert.rated_time", h, 0, 0, HUGE_VAL,
                  "a positive time");
    if (has_h && h > 0)
        ir = c->capacity / h;
    battery_peukert_law(c->capacity, n, ir, &c->law);
}

static void battery_kibam_load(const battery_src *s, battery_cell *c)
{
    double cc, kp, k;
    battery_num(s, "kibam.c", 1, 0.5, &cc);
    battery_range(s, "kibam.c", cc, 0, 0, 1 - 1e-9, "a fraction between 0 "
                  "and 1 (exclusive)");
    if (!(cc > 0 && cc < 1))
        cc = 0.5;
    int has_kp = battery_get(s, "kibam.k_prime") != NULL;
    int has_k = battery_get(s, "kibam.k") != NULL;
    if (has_kp == has_k)
        diag_error(s->d, s->where, "cell '%s': give exactly one of "
                   "kibam.k_prime and kibam.k", s->name);
    battery_num(s, "kibam.k_prime", 0, 1e-4, &kp);
    battery_num(s, "kibam.k", 0, 0.0, &k);
    battery_range(s, "kibam.k_prime", kp, 0, 0, HUGE_VAL, "a positive rate");
    battery_range(s, "kibam.k", k, 0, 0, HUGE_VAL, "a positive rate");
    if (has_k && k > 0)
        kp = k / (cc * (1 - cc));
    battery_kibam_law(c->capacity, cc, kp > 0 ? kp : 1e-4, &c->law);
}

static void battery_diffusion_load(const battery_src *s, battery_cell *c)
{
    double a, b;
    battery_num(s, "diffusion.alpha", 1, c->capacity, &a);
    battery_num(s, "diffusion.beta", 1, 0.01, &b);
    battery_range(s, "diffusion.alpha", a, 0, 0, HUGE_VAL,
                  "a positive charge");
    battery_range(s, "diffusion.beta", b, 0, 0, HUGE_VAL,
                  "a positive number (s^-1/2)");
    battery_diffusion_law(a > 0 ? a : 1, b > 0 ? b : 0.01, &c->law);
}

static int battery_count(const battery_src *s, const char *key)
{
    double v;
    battery_num(s, key, 0, 1, &v);
    if (v != floor(v) || v < 1 || v > 1000) {
        battery_range(s, key, v, HUGE_VAL, 0, 0, "a whole number of cells "
                      "from 1 to 1000");
        return 1;
    }
    return (int)v;
}

static void battery_basics(const battery_src *s, battery_cell *c)
{
    const fig_entry *t = battery_get(s, "cell.name");
    c->title = battery_strdup(t && t->kind == FIG_STRING ? t->text : s->name);
    battery_num(s, "cell.capacity", 1, 1.0, &c->capacity);
    battery_num(s, "cell.voltage", 1, 1.5, &c->v_nominal);
    battery_num(s, "cell.cutoff", 0, 0.0, &c->cutoff);
    battery_num(s, "cell.resistance", 0, 0.0, &c->resistance);
    battery_num(s, "cell.self_discharge", 0, 0.0, &c->self_discharge);
    battery_range(s, "cell.capacity", c->capacity, 0, 0, HUGE_VAL,
                  "a positive charge");
    battery_range(s, "cell.voltage", c->v_nominal, 0, 0, 100,
                  "a positive voltage");
    battery_range(s, "cell.cutoff", c->cutoff, 0, 1, 100, "0 V or more");
    if (c->cutoff >= c->v_nominal && c->v_nominal > 0)     /* empty before it starts */
        battery_range(s, "cell.cutoff", c->cutoff, 0, 1, c->v_nominal * (1 - 1e-12),
                      "a cut-off voltage below cell.voltage");
    battery_range(s, "cell.resistance", c->resistance, 0, 1, 1e6,
                  "0 ohm or more");
    battery_range(s, "cell.self_discharge", c->self_discharge, 0, 1, 1,
                  "0 to 100 %/y");
    if (!(c->capacity > 0))
        c->capacity = 1.0;
    c->series = battery_count(s, "pack.series");
    c->parallel = battery_count(s, "pack.parallel");
}

static void battery_models(const battery_src *s, battery_cell *c)
{
    if (!battery_get(s, "cell.model"))
        diag_error(s->d, s->where, "cell '%s' lacks cell.model (ideal, "
                   "peukert, kibam or diffusion)", s->name);
    c->model = battery_word(s, "cell.model", battery_model_names, 4, 0);
    int dv = battery_get(s, "ocv.soc") ? BATTERY_V_OCV
           : battery_get(s, "shepherd.e0") ? BATTERY_V_SHEPHERD
           : BATTERY_V_CONSTANT;
    c->vmodel = battery_word(s, "voltage.model", battery_vmodel_names, 3, dv);
    switch (c->model) {
    case BATTERY_MODEL_PEUKERT: battery_peukert_load(s, c); break;
    case BATTERY_MODEL_KIBAM: battery_kibam_load(s, c); break;
    case BATTERY_MODEL_DIFFUSION: battery_diffusion_load(s, c); break;
    default: battery_ideal_law(c->capacity, &c->law); break;
    }
    if (c->vmodel == BATTERY_V_OCV)
        battery_ocv_load(s, c);
    else if (c->vmodel == BATTERY_V_SHEPHERD)
        battery_shepherd_load(s, c);
}

battery_cell *battery_cell_from_fig(const char *name, const figfile *f,
                                    const fig_entry *over, int n_over,
                                    diag *d)
{
    int before = diag_count(d);
    battery_src s = { name, f, over, n_over, d,
                      { f ? f->path : name, 0, 0 } };
    battery_cell *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->name = battery_strdup(name);
    battery_check_all(&s);
    if (diag_count(d) == before) {
        battery_basics(&s, c);
        battery_models(&s, c);
    }
    if (diag_count(d) != before) {
        battery_cell_free(c);
        return NULL;
    }
    return c;
}

/* A preset name maps into the data directory; a path is used as is. */
static char *battery_cell_path(const char *name)
{
    size_t n = strlen(name);
    if (strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".cell") == 0))
        return battery_strdup(name);
    const char *dir = impsim_datadir();
    size_t len = strlen(dir) + n + 16;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/cells/%s.cell", dir, name);
    return p;
}

battery_cell *battery_cell_load(const char *name, const fig_entry *over,
                                int n_over, diag *d)
{
    char *path = battery_cell_path(name);
    if (!path)
        abort();
    figfile *f = figfile_load(path, d);
    free(path);
    if (!f)
        return NULL;
    battery_cell *c = battery_cell_from_fig(name, f, over, n_over, d);
    figfile_free(f);
    return c;
}

void battery_cell_free(battery_cell *c)
{
    if (!c)
        return;
    free(c->name);
    free(c->title);
    free(c->ocv_soc);
    free(c->ocv_v);
    if (c->ocv)
        gsl_interp_free(c->ocv);
    if (c->ocv_acc)
        gsl_interp_accel_free(c->ocv_acc);
    free(c);
}

const char *battery_cell_name(const battery_cell *c) { return c->name; }
const char *battery_cell_title(const battery_cell *c) { return c->title; }

const char *battery_cell_model(const battery_cell *c)
{
    return battery_model_names[c->model];
}

const char *battery_cell_vmodel(const battery_cell *c)
{
    return battery_vmodel_names[c->vmodel];
}

double battery_cell_capacity_C(const battery_cell *c)
{
    return c->capacity * c->parallel;
}

double battery_cell_voltage_V(const battery_cell *c)
{
    return c->v_nominal * c->series;
}

double battery_cell_self_discharge_C(const battery_cell *c, double life_s)
{
    return c->self_discharge * battery_cell_capacity_C(c) * life_s / BATTERY_YEAR_S;
}

double battery_cell_cutoff_V(const battery_cell *c)
{
    return c->cutoff * c->series;
}
