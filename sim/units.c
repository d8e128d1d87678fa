/* units.c — unit table and parsing of "number unit" quantities. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "diag.h"
#include "num.h"
#include "units.h"

typedef struct {
    const char *name;
    units_dim dim;
    double scale;       /* SI value of 1 of this unit */
} unit_def;

#define DAY 86400.0
#define YEAR (365.25 * DAY)

static const unit_def unit_table[] = {
    {"A", DIM_CURRENT, 1}, {"mA", DIM_CURRENT, 1e-3}, {"uA", DIM_CURRENT, 1e-6},
    {"\xc2\xb5" "A", DIM_CURRENT, 1e-6}, {"nA", DIM_CURRENT, 1e-9},
    {"s", DIM_TIME, 1}, {"ms", DIM_TIME, 1e-3}, {"us", DIM_TIME, 1e-6},
    {"\xc2\xb5" "s", DIM_TIME, 1e-6}, {"ns", DIM_TIME, 1e-9},
    {"min", DIM_TIME, 60}, {"h", DIM_TIME, 3600}, {"d", DIM_TIME, DAY},
    {"day", DIM_TIME, DAY}, {"days", DIM_TIME, DAY}, {"w", DIM_TIME, 7 * DAY},
    {"wk", DIM_TIME, 7 * DAY}, {"mo", DIM_TIME, YEAR / 12},
    {"y", DIM_TIME, YEAR}, {"yr", DIM_TIME, YEAR},
    /* the words people write, for units of one fixed length (a year is
     * impsim's y, 365.25 d; "month" has no fixed length: units_hint) */
    {"sec", DIM_TIME, 1}, {"secs", DIM_TIME, 1}, {"second", DIM_TIME, 1},
    {"seconds", DIM_TIME, 1}, {"mins", DIM_TIME, 60}, {"minute", DIM_TIME, 60},
    {"minutes", DIM_TIME, 60}, {"hr", DIM_TIME, 3600}, {"hrs", DIM_TIME, 3600},
    {"hour", DIM_TIME, 3600}, {"hours", DIM_TIME, 3600}, {"week", DIM_TIME, 7 * DAY},
    {"weeks", DIM_TIME, 7 * DAY}, {"year", DIM_TIME, YEAR}, {"years", DIM_TIME, YEAR},
    {"Hz", DIM_FREQ, 1}, {"kHz", DIM_FREQ, 1e3}, {"MHz", DIM_FREQ, 1e6},
    {"GHz", DIM_FREQ, 1e9},
    {"V", DIM_VOLTAGE, 1}, {"mV", DIM_VOLTAGE, 1e-3},
    {"C", DIM_CHARGE, 1}, {"mC", DIM_CHARGE, 1e-3}, {"uC", DIM_CHARGE, 1e-6},
    {"mAh", DIM_CHARGE, 3.6}, {"Ah", DIM_CHARGE, 3600}, {"uAh", DIM_CHARGE, 3.6e-3},
    {"J", DIM_ENERGY, 1}, {"mJ", DIM_ENERGY, 1e-3}, {"uJ", DIM_ENERGY, 1e-6},
    {"Wh", DIM_ENERGY, 3600}, {"mWh", DIM_ENERGY, 3.6},
    {"W", DIM_POWER, 1}, {"mW", DIM_POWER, 1e-3}, {"uW", DIM_POWER, 1e-6},
    {"B", DIM_BYTES, 1}, {"KB", DIM_BYTES, 1024}, {"KiB", DIM_BYTES, 1024},
    {"kB", DIM_BYTES, 1000}, {"MB", DIM_BYTES, 1048576},
    {"MiB", DIM_BYTES, 1048576}, {"bytes", DIM_BYTES, 1}, {"byte", DIM_BYTES, 1},
    {"Mbit", DIM_BYTES, 131072}, {"kbit", DIM_BYTES, 128},
    {"cycles", DIM_CYCLES, 1}, {"cycle", DIM_CYCLES, 1},
    {"kcycles", DIM_CYCLES, 1e3}, {"Mcycles", DIM_CYCLES, 1e6},
    {"bit/s", DIM_BITRATE, 1}, {"bps", DIM_BITRATE, 1},
    {"kbit/s", DIM_BITRATE, 1e3}, {"Mbit/s", DIM_BITRATE, 1e6},
    {"baud", DIM_BITRATE, 1}, {"kbaud", DIM_BITRATE, 1e3},
    {"Mbaud", DIM_BITRATE, 1e6},
    {"%", DIM_RATIO, 1e-2}, {"ppm", DIM_RATIO, 1e-6},
    {"/s", DIM_RATE, 1}, {"/min", DIM_RATE, 1.0 / 60}, {"/h", DIM_RATE, 1.0 / 3600},
    {"/d", DIM_RATE, 1 / DAY}, {"/day", DIM_RATE, 1 / DAY},
    {"/w", DIM_RATE, 1 / (7 * DAY)}, {"/y", DIM_RATE, 1 / YEAR},
    {"ohm", DIM_RESIST, 1}, {"mohm", DIM_RESIST, 1e-3},
    {"%/y", DIM_PER_YEAR, 1e-2}, {"%/yr", DIM_PER_YEAR, 1e-2},
    {"%/mo", DIM_PER_YEAR, 12e-2},
};

/* A hint for a unit word that is a known mistake, or NULL. Static text. */
static const char *units_hint(const char *unit)
{
    if (!strcmp(unit, "month") || !strcmp(unit, "months") || !strcmp(unit, "mon") ||
        !strcmp(unit, "mth"))
        return "a month has no fixed length: write days or weeks (30 d, 4 w), or 'mo', "
               "impsim's month of exactly 1/12 y (30.44 d)";
    if (!strcmp(unit, "m"))
        return "'m' alone is no unit (minutes are 'min'; milli- goes before one: mA, ms)";
    return NULL;
}

/* The known unit of dimension want (any for DIM_NONE) the word was most
 * likely meant as, or NULL (units_unknown_advice). Static text. */
static const char *units_nearest(const char *unit, units_dim want)
{
    diag_near near = DIAG_NEAR_INIT;
    for (size_t i = 0; i < sizeof unit_table / sizeof unit_table[0]; i++) {
        const unit_def *u = &unit_table[i];
        if (want != DIM_NONE && u->dim != want)
            continue;
        if (!strcasecmp(u->name, unit))
            return u->name;
        diag_near_offer(&near, unit, u->name);
    }
    return diag_near_best(&near);
}

char *units_unknown_advice(const char *unit, units_dim want, char *buf, int len)
{
    const char *h = units_hint(unit), *g = h ? NULL : units_nearest(unit, want);
    if (h)
        snprintf(buf, (size_t)len, "; %s", h);
    else if (g)
        snprintf(buf, (size_t)len, "; did you mean '%s'?", g);
    else if (len > 0)
        buf[0] = 0;
    return buf;
}

int units_split(const char *t)
{
    int i = 0;
    if (t[i] == '+' || t[i] == '-')
        i++;
    int digits = 0;
    while (isdigit((unsigned char)t[i])) { i++; digits++; }
    if (t[i] == '.') {
        i++;
        while (isdigit((unsigned char)t[i])) { i++; digits++; }
    }
    if (!digits)
        return 0;
    if ((t[i] == 'e' || t[i] == 'E')) {
        int j = i + 1;
        if (t[j] == '+' || t[j] == '-')
            j++;
        if (isdigit((unsigned char)t[j])) {
            while (isdigit((unsigned char)t[j]))
                j++;
            i = j;
        }
    }
    return i;
}

/* k when scale is 10^k for a k from -18 to 18 other than 0, else 0. The
 * table's literals are the doubles nearest each power, as strtod("1eK")
 * gives (C11 6.4.4.2: a decimal constant is correctly rounded under the
 * default rounding mode, as strtod is); a table, not a loop of snprintf
 * and strtod, because this runs for every quantity of every model load
 * (37 conversions each: a sixth of a Monte Carlo sample's set-up). */
static int units_pow10(double scale)
{
    static const double p10[] = {
        1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9,
        1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3,
        1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18};
    for (int k = -18; k <= 18; k++)
        if (k && p10[k + 18] == scale)
            return k;
    return 0;
}

/* The double nearest the decimal number num x 10^k (num as units_split
 * accepts it, already read by strtod without a range error). */
static double units_shift(const char *num, int k)
{
    const char *e = strpbrk(num, "eE");
    long ex = e ? strtol(e + 1, NULL, 10) : 0;
    size_t n = e ? (size_t)(e - num) : strlen(num);
    char *b = malloc(n + 32);
    if (!b)
        abort();
    snprintf(b, n + 32, "%.*se%ld", (int)n, num, ex + k);
    double v = strtod(b, NULL);
    free(b);
    return v;
}

int units_parse(const char *num, const char *unit, double *si, units_dim *dim)
{
    int n = units_split(num);
    if (n == 0 || num[n] != '\0')
        return -1;
    errno = 0;
    double v = strtod(num, NULL);
    if (errno == ERANGE || !isfinite(v))
        return -1;
    if (v == 0)
        v = 0;      /* "-0" is zero: no "-0" in any output */
    if (!unit || !*unit) {
        *si = v;
        *dim = DIM_NONE;
        return units_in_range(v, DIM_NONE) ? 0 : -3;
    }
    for (size_t i = 0; i < sizeof unit_table / sizeof unit_table[0]; i++)
        if (strcmp(unit, unit_table[i].name) == 0) {
            /* a decimal prefix moves the decimal exponent of the text, so
             * "0.8 uA" is the double nearest 8e-7, as "8e-7 A" is (0.8 /
             * 1e6 would be 8.000000000000001e-07: noise in every output) */
            double s = unit_table[i].scale;
            int k = units_pow10(s);
            *si = k ? units_shift(num, k) : v * s;
            *dim = unit_table[i].dim;
            if (!isfinite(*si))     /* 1e308 mAh: out of range, not malformed */
                return -3;
            return units_in_range(*si, *dim) ? 0 : -3;
        }
    return -2;
}

/* The physical range of each dimension: the largest magnitude a figure,
 * setting or scenario quantity may have. Generous bounds (no battery
 * product draws 100 A or waits 300 years) that keep every product and sum
 * impsim forms finite: 100 A for 1e10 s is 1e12 C. */
static const double units_max[DIM__COUNT] = {
    [DIM_NONE] = 1e19,      /* counts, seeds (64-bit), exponents */
    [DIM_CURRENT] = 100,    /* A */
    [DIM_TIME] = 1e10,      /* s, about 317 years */
    [DIM_FREQ] = 1e11,      /* Hz */
    [DIM_VOLTAGE] = 1000,   /* V */
    [DIM_CHARGE] = 1e9,     /* C, about 280 kAh */
    [DIM_ENERGY] = 1e12,    /* J */
    [DIM_POWER] = 1e6,      /* W */
    [DIM_BYTES] = 1e15,     /* B */
    [DIM_CYCLES] = 1e18,
    [DIM_BITRATE] = 1e12,   /* bit/s */
    [DIM_RATIO] = 1000,     /* 100000 % */
    [DIM_RATE] = 1e12,      /* /s */
    [DIM_RESIST] = 1e12,    /* ohm */
    [DIM_PER_YEAR] = 100,   /* 10000 %/y */
};

int units_in_range(double si, units_dim dim)
{
    return isfinite(si) && fabs(si) <= units_max[dim];
}

char *units_range_text(units_dim dim, char *buf, int len)
{
    char b[48];
    units_format(units_max[dim], dim, b, sizeof b);
    snprintf(buf, (size_t)len, "%s of at most %s in magnitude", units_dim_word(dim), b);
    return buf;
}

static const char *const si_names[DIM__COUNT] = {
    "", "A", "s", "Hz", "V", "C", "J", "W", "B", "cycles", "bit/s", "",
    "/s", "ohm", "/y"};
static const char *const dim_words[DIM__COUNT] = {
    "a plain number", "a current (e.g. 8 uA)", "a time (e.g. 15 min)",
    "a frequency (e.g. 96 MHz)", "a voltage (e.g. 3.3 V)",
    "a charge (e.g. 2850 mAh)", "an energy (e.g. 1 J)", "a power (e.g. 10 mW)",
    "a size (e.g. 512 B)", "a cycle count (e.g. 2 Mcycles)",
    "a bit rate (e.g. 115200 baud)", "a ratio (e.g. 85 %)",
    "a rate (e.g. 5 /day)", "a resistance (e.g. 0.15 ohm)",
    "a yearly fraction (e.g. 2 %/y)"};

const char *units_si_name(units_dim dim)
{
    return (dim >= 0 && dim < DIM__COUNT) ? si_names[dim] : "";
}

const char *units_dim_word(units_dim dim)
{
    return (dim >= 0 && dim < DIM__COUNT) ? dim_words[dim] : "a number";
}

/* x at 4 significant digits, then " " and unit: "%.4g" (trailing zeros
 * dropped: an input echoed as written, "15 min") or, with keep, all four
 * digits shown ("175.0 uA" beside "200.3 uA": a computed figure). */
static char *fmt_sig(double x, const char *unit, int keep, char *buf, int len)
{
    char num[40];
    if (fabs(x) >= 9999.5 && fabs(x) < 1e15) {
        /* 4 significant digits without an exponent: 26340, not 2.634e+04 */
        double s = pow(10, floor(log10(fabs(x))) - 3);
        snprintf(buf, (size_t)len, "%.0f %s", round(x / s) * s, unit);
        return buf;
    }
    snprintf(num, sizeof num, keep ? "%#.4g" : "%.4g", x);
    size_t n = strlen(num);
    if (keep && n && num[n - 1] == '.')
        num[n - 1] = '\0';     /* "1447." -> "1447" */
    snprintf(buf, (size_t)len, "%s %s", num, unit);
    return buf;
}

char *units_number_fig(double x, char *buf, int len)
{
    fmt_sig(x, "", 1, buf, len);
    size_t n = strlen(buf);
    if (n && buf[n - 1] == ' ')
        buf[n - 1] = '\0';
    return buf;
}

static char *fmt_prefixed_k(double v, const char *si, int keep, char *buf, int len)
{
    static const struct { double f; const char *p; } pre[] = {
        {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}, {1e-3, "m"},
        {1e-6, "u"}, {1e-9, "n"}, {1e-12, "p"}};
    double a = fabs(v);
    size_t i = 0;
    if (a == 0) {
        snprintf(buf, (size_t)len, "0 %s", si);
        return buf;
    }
    while (i + 1 < sizeof pre / sizeof pre[0] && a < pre[i].f * 0.9995)
        i++;
    char unit[16];
    snprintf(unit, sizeof unit, "%s%s", pre[i].p, si);
    return fmt_sig(v / pre[i].f, unit, keep, buf, len);
}

static char *fmt_prefixed(double v, const char *si, char *buf, int len)
{
    return fmt_prefixed_k(v, si, 0, buf, len);
}

static char *fmt_time_k(double s, int keep, char *buf, int len)
{
    double a = fabs(s);
    if (a >= YEAR)
        return fmt_sig(s / YEAR, "y", keep, buf, len);
    if (a >= DAY)
        return fmt_sig(s / DAY, "d", keep, buf, len);
    if (a >= 3600)
        return fmt_sig(s / 3600, "h", keep, buf, len);
    if (a >= 60)
        return fmt_sig(s / 60, "min", keep, buf, len);
    return fmt_prefixed_k(s, "s", keep, buf, len);
}

static char *fmt_time(double s, char *buf, int len)
{
    return fmt_time_k(s, 0, buf, len);
}

char *units_format_life(double s, char *buf, int len)
{
    fmt_time_k(s, 1, buf, len);
    if (fabs(s) >= YEAR) {
        char d[32];
        size_t n = strlen(buf);
        snprintf(buf + n, (size_t)len - n, " (%s)", fmt_sig(s / DAY, "d", 1, d, sizeof d));
    }
    return buf;
}

char *units_format_fig(double v, units_dim dim, char *buf, int len)
{
    switch (dim) {
    case DIM_TIME:
        return fmt_time_k(v, 1, buf, len);
    case DIM_RATIO:
    case DIM_BYTES:
    case DIM_NONE:
        return units_format(v, dim, buf, len);
    default:
        return fmt_prefixed_k(v, units_si_name(dim), 1, buf, len);
    }
}

char *units_format(double v, units_dim dim, char *buf, int len)
{
    switch (dim) {
    case DIM_TIME:
        return fmt_time(v, buf, len);
    case DIM_RATIO:
        snprintf(buf, (size_t)len, "%.4g %%", v * 100);
        return buf;
    case DIM_BYTES:
        snprintf(buf, (size_t)len, "%.0f B", v);
        return buf;
    case DIM_RATE: {    /* events per s, min, h, day or year: never "m/s" (metres?) */
        static const struct { const char *u; double s; } r[] = {
            {"/s", 1}, {"/min", 60}, {"/h", 3600}, {"/day", DAY}, {"/y", YEAR}};
        int k = 0;
        while (k < 4 && fabs(v) * r[k].s < 1 && v != 0)
            k++;
        snprintf(buf, (size_t)len, "%.4g %s", v * r[k].s, r[k].u);
        return buf;
    }
    case DIM_PER_YEAR:
        snprintf(buf, (size_t)len, "%.4g %%/y", v * 100);
        return buf;
    case DIM_NONE:
        snprintf(buf, (size_t)len, "%.6g", v);
        return buf;
    default:
        return fmt_prefixed(v, units_si_name(dim), buf, len);
    }
}

char *units_setting(double v, units_dim dim, char *buf, int len)
{
    /* the shortest decimal that reads back to the same double (num.h):
     * the same value as %.17g's, and 124.2 s rather than
     * 124.20000000000000284 s where a user reads it */
    switch (dim) {
    case DIM_RATIO:
        snprintf(buf, (size_t)len, "%s %%", NUM_C(v * 100));
        break;
    case DIM_PER_YEAR:
        snprintf(buf, (size_t)len, "%s %%/y", NUM_C(v * 100));
        break;
    case DIM_NONE:
        snprintf(buf, (size_t)len, "%s", NUM_C(v));
        break;
    default:
        snprintf(buf, (size_t)len, "%s %s", NUM_C(v), units_si_name(dim));
    }
    return buf;
}
