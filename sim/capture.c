/* capture.c — stream a measured current capture (analyzer CSV export) into
 * samples with their units right; see capture.h.
 *
 * Recognised exports (header → units), each checked against the source
 * named (README.md, "Measured captures", has the same table):
 *
 *  - Nordic Power Profiler app for the PPK2 (NordicSemiconductor/
 *    pc-nrfconnect-ppk, src/actions/exportChartAction.ts, and the 2020
 *    exportChartAction.js): the header is the dialog's selection of
 *    `Timestamp(ms)`, `Current(uA)`, `D0-D7` (one 8-character string of
 *    '0' '1' '-' 'X') and `D0,D1,...,D7`; time indexToTimestamp(n) / 1000,
 *    i.e. microseconds / 1000 = ms, in JavaScript's shortest form (up to 17
 *    significant digits, exponent form possible); current in µA with 3
 *    decimals (toFixed(3)). A selection without `Timestamp(ms)` is refused.
 *  - Joulescope UI statistics recording (jetperch/pyjoulescope_ui, class
 *    StatisticsRecord, 2023, UI 1.x; the 0.x UI's _record_statistics_item
 *    writes the same header): `#time,current,voltage,power,charge,energy`,
 *    all SI (s, A, V, W, C, J, printed with %g), time relative to the first
 *    row (its offset subtracted).
 *  - PyMonsoon (msoon/PyMonsoon, Monsoon/sampleEngine.py): the enabled
 *    channels' names "Time(ms)", "Main(mA)", "USB(mA)", "Aux(mA)", "Main
 *    Voltage(V)", "USB Voltage(V)", each followed by a comma (so every line
 *    ends in one); the "Time(ms)" column is in fact `time.time() - start`,
 *    i.e. seconds, one stamp per USB packet (so consecutive rows may share
 *    a time: they are averaged into one sample); values written with
 *    repr(), which numpy 2 makes `np.float64(x)`: accepted.
 *  - Qoitech Otii 3: no export format is published that we found (the
 *    Otii 3 user manual's pages on recordings do not list the CSV
 *    columns); two public scripts that read Otii CSV exports show headers
 *    `"Wall-clock time (UTC)","Arc Main Current (A)","Arc Main Voltage
 *    (V)","Arc Main Energy (J)"` (an Otii Arc, wall-clock time chosen) and
 *    `Timestamp (S),File Main Current (A),File Main Voltage (V),File Main
 *    Energy (J),File UART (TXT)` (a recording named "File", with its UART
 *    log as a text column). impsim takes a header with one column ending in
 *    `Main Current (A)` (any device name before it, any case; mA, uA, nA
 *    also taken) and a first column `Timestamp (s)` or `Time (s)` in
 *    seconds; quoted text with commas in it (the UART column) is skipped;
 *    a wall-clock time column, or a second device's current, is refused.
 *    Not checked against a real export file nor Qoitech's documentation.
 *  - impsim's own `run --trace` (time_s,current_A,...).
 * Anything else: a header naming the units (`Time (ms)`, `time[us]`,
 * `current_uA`, `I (mA)`) or --time-unit / --current-unit.
 *
 * Speed: numbers are parsed by a short decimal parser that is exact for up
 * to 19 significant digits and exponents within ±22 (Clinger's fast path:
 * an integer below 2^53 times or divided by an exact power of ten is
 * correctly rounded); other numbers go to strtod. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "capture.h"
#include "outfile.h"
#include "sha256.h"
#include "units.h"

#define CAP_BUF       (1u << 20)     /* bytes held at first; grows for a longer line */
#define CAP_LINE_MAX  ((size_t)1 << 28)  /* a line of 256 MiB is not a CSV row */
#define CAP_MAX_COLS  64
#define CAP_MEAN_MAX  1.0            /* A: no battery module averages more */
#define CAP_PEAK_MAX  10.0           /* A */
#define CAP_NEG_NOISE 10e-6          /* A: below -10 uA is not noise */
#define CAP_DT_MIN    100e-9         /* s: 10 MS/s, beyond any analyzer */
#define CAP_DT_MAX    86400.0        /* s: one sample a day */

typedef struct {
    FILE *fp;
    const char *name;
    char *buf;
    size_t len, pos;
    int eof, line;
    diag *d;
    sha256_ctx *sha;          /* hash every byte read, or NULL */
    size_t cap;               /* bytes buf holds (CAP_BUF, doubled for long lines) */
} cap_src;

typedef struct {
    const char *p;
    size_t n;
    int col;          /* 1-based byte column in the line */
} cap_field;

const char *capture_kind_name(capture_kind k)
{
    switch (k) {
    case CAPTURE_GENERIC:    return "CSV with units in the header";
    case CAPTURE_IMPSIM:     return "impsim trace";
    case CAPTURE_PPK2:       return "Nordic PPK2 (Power Profiler app)";
    case CAPTURE_JOULESCOPE: return "Joulescope (UI statistics record)";
    case CAPTURE_OTII:       return "Qoitech Otii";
    case CAPTURE_MONSOON:    return "Monsoon (PyMonsoon)";
    default:                 return "CSV with units from the command line";
    }
}

static const char *cap_sep_name(char sep)
{
    return sep == ';' ? "semicolon" : sep == '\t' ? "tab" : "comma";
}

static const char *cap_unit_name(double si, int current)
{
    static const struct { double v; const char *t, *c; } u[] = {
        {1, "s", "A"}, {1e-3, "ms", "mA"}, {1e-6, "us", "uA"},
        {1e-9, "ns", "nA"}};
    for (size_t k = 0; k < sizeof u / sizeof u[0]; k++)
        if (si == u[k].v)
            return current ? u[k].c : u[k].t;
    return current ? "(scaled) A" : "(scaled) s";
}

/* Next line into *s, *n (without its end: LF, CRLF or a lone CR, the
 * classic Mac OS line end, so such a file is not one long row).
 * Returns 1, 0 at end of file, -1 after an error. */
static int cap_line(cap_src *r, const char **s, size_t *n)
{
    for (;;) {
        char *start = r->buf + r->pos, *end = r->buf + r->len;
        char *nl = memchr(start, '\n', (size_t)(end - start));
        char *cr = memchr(start, '\r', (size_t)((nl ? nl : end) - start));
        size_t skip = 1;
        if (cr && cr + 1 == nl) {           /* CRLF */
            nl = cr;
            skip = 2;
        } else if (cr && cr + 1 < end) {    /* a lone CR */
            nl = cr;
        } else if (cr && !r->eof) {         /* CR last in the buffer: LF may follow */
            nl = NULL;
        } else if (cr) {                    /* CR at the end of the file */
            nl = cr;
        }
        if (nl || (r->eof && r->pos < r->len)) {
            char *e = nl ? nl : r->buf + r->len;
            *s = r->buf + r->pos;
            *n = (size_t)(e - *s);
            r->pos = nl ? (size_t)(nl - r->buf) + skip : r->len;
            r->line++;
            const char *nul = memchr(*s, '\0', *n);
            if (nul) {  /* would silently cut the row */
                diag_error(r->d, (diag_pos){ r->name, r->line, (int)(nul - *s) + 1 },
                           "found a NUL byte, expected CSV text");
                return -1;
            }
            return 1;
        }
        if (r->eof)
            return 0;
        if (r->pos == 0 && r->len == r->cap) {    /* a long line: read it whole */
            if (r->cap >= CAP_LINE_MAX) {
                diag_error(r->d, (diag_pos){ r->name, r->line + 1, 1 },
                           "found a line longer than %zu bytes, expected CSV rows",
                           CAP_LINE_MAX);
                return -1;
            }
            r->cap *= 2;
            if (!(r->buf = realloc(r->buf, r->cap)))
                abort();
        }
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
        size_t got = fread(r->buf + r->len, 1, r->cap - r->len, r->fp);
        if (r->sha)
            sha256_update(r->sha, r->buf + r->len, got);
        r->len += got;
        if (got == 0) {
            if (ferror(r->fp)) {
                diag_error(r->d, (diag_pos){ r->name, r->line + 1, 1 },
                           "read error: %s", strerror(errno));
                return -1;
            }
            r->eof = 1;
        }
    }
}

/* Split a header line at sep, honouring double quotes; fields are trimmed
 * of blanks and quotes. Returns the number of fields (at most max; more
 * are counted but not stored). */
static int cap_split(const char *s, size_t n, char sep, cap_field *f, int max)
{
    int k = 0;
    size_t i = 0;
    for (;;) {
        size_t a = i;
        int q = 0;
        while (i < n && (q || s[i] != sep)) {
            if (s[i] == '"')
                q = !q;
            i++;
        }
        size_t b = i;
        while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '"'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'
                         || s[b - 1] == '"'))
            b--;
        if (k < max)
            f[k] = (cap_field){ s + a, b - a, (int)a + 1 };
        k++;
        if (i >= n)
            return k;
        i++;
    }
}

static char cap_detect_sep(const char *s, size_t n)
{
    int q = 0, semi = 0, tab = 0, comma = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            q = !q;
        else if (!q && s[i] == ';')
            semi++;
        else if (!q && s[i] == '\t')
            tab++;
        else if (!q && s[i] == ',')
            comma++;
    }
    if (semi)
        return ';';
    if (tab)
        return '\t';
    return comma ? ',' : 0;
}

/* Exact powers of ten representable as doubles. */
static const double cap_pow10[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
    1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Parse a decimal number in [p, e). Returns the end of the number, or p
 * when there is none. */
static const char *cap_num(const char *p, const char *e, double *v)
{
    const char *s = p;
    int neg = 0;
    if (s < e && (*s == '-' || *s == '+'))
        neg = *s++ == '-';
    uint64_t m = 0;
    int digits = 0, sig = 0, exp10 = 0;
    while (s < e && (unsigned)(*s - '0') < 10) {
        if (sig < 19) {
            m = m * 10 + (uint64_t)(*s - '0');
            if (m)
                sig++;
        } else {
            exp10++;
        }
        s++;
        digits++;
    }
    if (s < e && *s == '.') {
        s++;
        while (s < e && (unsigned)(*s - '0') < 10) {
            if (sig < 19) {
                m = m * 10 + (uint64_t)(*s - '0');
                if (m)
                    sig++;
                exp10--;
            }
            s++;
            digits++;
        }
    }
    if (!digits)
        return p;
    if (s < e && (*s == 'e' || *s == 'E')) {
        const char *x = s + 1;
        int eneg = 0, ev = 0, ed = 0;
        if (x < e && (*x == '-' || *x == '+'))
            eneg = *x++ == '-';
        while (x < e && (unsigned)(*x - '0') < 10) {
            if (ev < 10000)
                ev = ev * 10 + (*x - '0');
            x++;
            ed++;
        }
        if (ed) {
            exp10 += eneg ? -ev : ev;
            s = x;
        }
    }
    if (m < (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
        double x = (double)m;
        x = exp10 < 0 ? x / cap_pow10[-exp10] : x * cap_pow10[exp10];
        *v = neg ? -x : x;
        return s;
    }
    char tmp[96];
    size_t len = (size_t)(s - p);
    if (len >= sizeof tmp)
        return p;
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    errno = 0;
    *v = strtod(tmp, NULL);
    if (errno == ERANGE || !isfinite(*v))
        return p;
    return s;
}

/* A whole field as a number: blanks, quotes and a numpy `np.float64(...)`
 * wrapper around it are allowed. 0 ok, 1 a decimal comma, -1 not a
 * number. */
static int cap_field_num(const char *p, const char *e, double *v)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '"'))
        p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '"'))
        e--;
    if ((size_t)(e - p) > 12 && memcmp(p, "np.float64(", 11) == 0
        && e[-1] == ')') {
        p += 11;
        e--;
    }
    const char *q = cap_num(p, e, v);
    if (q == e && q != p)
        return 0;
    if (q != p && q < e && *q == ',' && q + 1 < e
        && (unsigned)(q[1] - '0') < 10)
        return 1;
    return -1;
}

/* ---- header ------------------------------------------------------------ */

typedef struct {
    capture_kind kind;
    int tc, cc, ncols;
    double tu, cu;        /* from the header; 0 = none */
    int tpos, cpos;       /* columns of the header fields */
    int dup_ok;           /* rows may share a time (PyMonsoon) */
    int quotes;           /* rows may hold quoted text with separators in it
                             (an Otii UART column); not the fixed-form exports */
} cap_layout;

static int cap_is(const cap_field *f, const char *s)
{
    return f->n == strlen(s) && strncasecmp(f->p, s, f->n) == 0;
}

static int cap_ends(const cap_field *f, const char *s)
{
    size_t n = strlen(s);
    return f->n >= n && strncasecmp(f->p + f->n - n, s, n) == 0;
}

/* Unit named in a header field: "Time (ms)", "t[us]", "current_uA".
 * Returns SI per unit, 0 when the field names none, -1 when it names a
 * unit of the wrong dimension (or an unknown one in brackets). The base
 * name (lower case, unit removed) goes to base. */
static double cap_field_unit(const cap_field *f, units_dim dim, char *base,
                             size_t bn, char *unit, size_t un)
{
    size_t n = f->n, b = n;
    const char *p = f->p;
    unit[0] = '\0';
    if (n >= 2 && (p[n - 1] == ')' || p[n - 1] == ']')) {
        char open = p[n - 1] == ')' ? '(' : '[';
        size_t k = n - 1;
        while (k > 0 && p[k - 1] != open)
            k--;
        if (k > 0) {
            size_t ul = n - 1 - k;
            if (ul >= un)
                ul = un - 1;
            memcpy(unit, p + k, ul);
            unit[ul] = '\0';
            b = k - 1;
        }
    } else {
        const char *us = memchr(p, '_', n);
        const char *last = us;
        while (us) {
            last = us;
            us = memchr(us + 1, '_', n - (size_t)(us + 1 - p));
        }
        if (last) {
            size_t ul = n - (size_t)(last + 1 - p);
            char tmp[16];
            if (ul > 0 && ul < sizeof tmp) {
                memcpy(tmp, last + 1, ul);
                tmp[ul] = '\0';
                double v;
                units_dim got;
                if (units_parse("1", tmp, &v, &got) == 0
                    && (got == DIM_TIME || got == DIM_CURRENT)) {
                    snprintf(unit, un, "%s", tmp);
                    b = (size_t)(last - p);
                }
            }
        }
    }
    while (b > 0 && (p[b - 1] == ' ' || p[b - 1] == '\t'))
        b--;
    size_t m = b < bn - 1 ? b : bn - 1;
    for (size_t k = 0; k < m; k++)
        base[k] = (char)tolower((unsigned char)p[k]);
    base[m] = '\0';
    if (!unit[0])
        return 0;
    double v;
    units_dim got;
    if (units_parse("1", unit, &v, &got) != 0 || got != dim)
        return -1;
    return v;
}

static int cap_is_time_name(const char *b)
{
    return !strcmp(b, "t") || !strncmp(b, "time", 4) || !strcmp(b, "timestamp")
        || !strcmp(b, "elapsed") || !strcmp(b, "elapsed time");
}

static int cap_is_current_name(const char *b)
{
    return strstr(b, "current") || !strcmp(b, "i") || !strcmp(b, "main")
        || !strcmp(b, "curr") || !strcmp(b, "ibat") || !strcmp(b, "idd");
}

static void cap_name(char *dst, size_t n, const cap_field *f)
{
    snprintf(dst, n, "%.*s", (int)(f->n < n - 1 ? f->n : n - 1), f->p);
}

/* The first of f[0..k) that is an Otii export's current column, "<device>
 * Main Current (A)" (any device name, e.g. "Arc", or "File" for an
 * imported recording; any case; mA, uA or nA also taken), with its unit in
 * *unit (A per unit). -1 when there is none. */
static int cap_otii_current(const cap_field *f, int k, double *unit)
{
    static const struct { const char *end; double u; } t[] = {
        {"Main Current (A)", 1}, {"Main Current (mA)", 1e-3},
        {"Main Current (uA)", 1e-6}, {"Main Current (nA)", 1e-9}};
    for (int j = 0; j < k && j < CAP_MAX_COLS; j++)
        for (size_t m = 0; m < sizeof t / sizeof t[0]; m++)
            if (cap_ends(&f[j], t[m].end)) {
                *unit = t[m].u;
                return j;
            }
    return -1;
}

/* Recognise the header fields f[0..k). Returns 0, or -1 after an error. */
static int cap_header(const cap_field *f, int k, int hash, cap_layout *L,
                      capture_info *in, const char *name, int line, diag *d)
{
    diag_pos at = { name, line, f[0].col };
    L->ncols = k;
    L->tc = 0;
    L->cc = 1;
    L->tpos = f[0].col;
    L->cpos = k > 1 ? f[1].col : 1;
    if (k >= 2 && cap_is(&f[0], "Timestamp(ms)") && cap_is(&f[1], "Current(uA)")) {
        L->kind = CAPTURE_PPK2;
        L->tu = 1e-3;
        L->cu = 1e-6;
    } else if (k >= 1 && cap_is(&f[0], "Current(uA)")) {
        diag_error(d, at, "found a Power Profiler export without its time "
                   "column, expected 'Timestamp(ms)' first: tick "
                   "'Timestamp' in the app's export dialog");
        return -1;
    } else if (k >= 2 && hash && cap_is(&f[0], "time") && cap_is(&f[1], "current")) {
        L->kind = CAPTURE_JOULESCOPE;
        L->tu = 1;
        L->cu = 1;
    } else if (k >= 2 && cap_is(&f[0], "Time(ms)") && cap_is(&f[1], "Main(mA)")) {
        L->kind = CAPTURE_MONSOON;
        L->tu = 1;          /* PyMonsoon stamps seconds under "Time(ms)" */
        L->cu = 1e-3;
        L->dup_ok = 1;
    } else if (cap_otii_current(f, k, &L->cu) >= 0) {
        int j = cap_otii_current(f, k, &L->cu);
        for (int m = j + 1; m < k && m < CAP_MAX_COLS; m++) {
            double u;
            if (cap_otii_current(f + m, 1, &u) == 0) {
                diag_error(d, (diag_pos){ name, line, f[m].col }, "found a second "
                           "current column '%.*s' after '%.*s' in an Otii export, "
                           "expected one device's Main Current (export one device "
                           "at a time)", (int)f[m].n, f[m].p, (int)f[j].n, f[j].p);
                return -1;
            }
        }
        if (!(cap_is(&f[0], "Timestamp (s)") || cap_is(&f[0], "Time (s)"))) {
            diag_error(d, at, "found time column '%.*s' in an Otii export, "
                       "expected a time in seconds from the start of the "
                       "recording ('Timestamp (s)')", (int)f[0].n, f[0].p);
            return -1;
        }
        L->kind = CAPTURE_OTII;
        L->tu = 1;
        L->cc = j;
        L->cpos = f[j].col;
    } else if (k >= 2 && cap_is(&f[0], "time_s") && cap_is(&f[1], "current_A")) {
        L->kind = CAPTURE_IMPSIM;
        L->tu = 1;
        L->cu = 1;
    } else {
        char base[48], unit[16];
        L->kind = CAPTURE_GENERIC;
        L->tc = L->cc = -1;
        for (int j = 0; j < k && j < CAP_MAX_COLS; j++) {
            double tu = cap_field_unit(&f[j], DIM_TIME, base, sizeof base,
                                       unit, sizeof unit);
            if (L->tc < 0 && cap_is_time_name(base)) {
                if (tu < 0) {
                    diag_error(d, (diag_pos){ name, line, f[j].col },
                               "found unit '%s' in time column '%.*s', "
                               "expected s, ms, us or ns", unit,
                               (int)f[j].n, f[j].p);
                    return -1;
                }
                L->tc = j;
                L->tu = tu;
                L->tpos = f[j].col;
                continue;
            }
            double cu = cap_field_unit(&f[j], DIM_CURRENT, base, sizeof base,
                                       unit, sizeof unit);
            if (L->cc < 0 && cap_is_current_name(base)) {
                if (cu < 0) {
                    diag_error(d, (diag_pos){ name, line, f[j].col },
                               "found unit '%s' in current column '%.*s', "
                               "expected A, mA, uA or nA", unit,
                               (int)f[j].n, f[j].p);
                    return -1;
                }
                L->cc = j;
                L->cu = cu;
                L->cpos = f[j].col;
            }
        }
        if (L->tc < 0 || L->cc < 0) {
            diag_error(d, at, "found header '%.*s%s' without %s column, "
                       "expected a time and a current column (e.g. "
                       "time_s,current_A or Time (ms);Current (uA)) or an "
                       "export of the Nordic PPK2, Joulescope, Otii or "
                       "PyMonsoon", (int)f[0].n, f[0].p, k > 1 ? ",..." : "",
                       L->tc < 0 ? "a time" : "a current");
            return -1;
        }
    }
    L->quotes = !(L->kind == CAPTURE_PPK2 || L->kind == CAPTURE_JOULESCOPE
                  || L->kind == CAPTURE_MONSOON || L->kind == CAPTURE_IMPSIM);
    in->kind = L->kind;
    in->time_col = L->tc;
    in->cur_col = L->cc;
    cap_name(in->time_name, sizeof in->time_name, &f[L->tc]);
    cap_name(in->cur_name, sizeof in->cur_name, &f[L->cc]);
    return 0;
}

/* Apply the options over the header's units; errors when a unit is known
 * from neither. */
static int cap_units(cap_layout *L, const capture_opts *o, int has_header,
                     capture_info *in, const char *name, int line, diag *d)
{
    double ot = o ? o->time_unit : 0, oc = o ? o->current_unit : 0;
    if (!has_header && (!ot || !oc)) {
        diag_error(d, (diag_pos){ name, line, 1 }, "found no header and %s, "
                   "expected a header naming the columns and their units "
                   "(time_s,current_A or Time (ms);Current (uA)), an export "
                   "of the Nordic PPK2, Joulescope, Qoitech Otii or "
                   "PyMonsoon, or --time-unit and --current-unit",
                   !ot && !oc ? "no units" : !ot ? "no --time-unit"
                                               : "no --current-unit");
        return -1;
    }
    if (ot && L->tu && ot != L->tu)
        diag_warn(d, (diag_pos){ name, line, L->tpos }, "--time-unit %s "
                  "overrides the %s read from column '%s'",
                  cap_unit_name(ot, 0), cap_unit_name(L->tu, 0),
                  in->time_name);
    if (oc && L->cu && oc != L->cu)
        diag_warn(d, (diag_pos){ name, line, L->cpos }, "--current-unit %s "
                  "overrides the %s read from column '%s'",
                  cap_unit_name(oc, 1), cap_unit_name(L->cu, 1),
                  in->cur_name);
    if (ot)
        L->tu = ot;
    if (oc)
        L->cu = oc;
    if (!L->tu || !L->cu) {
        int tmiss = !L->tu;
        diag_error(d, (diag_pos){ name, line, tmiss ? L->tpos : L->cpos },
                   "found %s column '%s' without a unit, expected its unit "
                   "in the header (%s) or %s", tmiss ? "time" : "current",
                   tmiss ? in->time_name : in->cur_name,
                   tmiss ? "Time (ms), time_s, t[us]"
                         : "Current (uA), current_A, I[mA]",
                   tmiss ? "--time-unit" : "--current-unit");
        return -1;
    }
    in->time_unit = L->tu;
    in->current_unit = L->cu;
    return 0;
}

/* ---- rows -------------------------------------------------------------- */

typedef struct {
    cap_src *r;
    cap_layout *L;
    capture_info *in;
    capture_sink sink;
    void *ctx;
    char sep;
    int hdr_line;
    /* a pending group of rows sharing one time (PyMonsoon) */
    double gt, gsum;
    long long gn;
    int gline;
    double t_prev, i_prev;
    int peak_line;
} cap_rows;

static int cap_emit(cap_rows *c, double t, double i)
{
    capture_info *in = c->in;
    if (in->rows == 0)
        in->t_first = t;
    else
        in->charge_C += c->i_prev * (t - c->t_prev);
    in->rows++;
    in->t_last = t;
    c->t_prev = t;
    c->i_prev = i;
    return c->sink ? c->sink(c->ctx, t, i) : 0;
}

/* The separator ending the field that starts at p (NULL: the line's end),
 * a separator inside double quotes being text ("tx 12,34" in a UART
 * column). */
static const char *cap_sep_quoted(const char *p, const char *end, char sep)
{
    int q = 0;
    for (; p < end; p++) {
        if (*p == '"')
            q = !q;
        else if (*p == sep && !q)
            return p;
    }
    return NULL;
}

/* One data row. 0 ok, -1 error (recorded), -2 stopped by the sink. */
static int cap_row(cap_rows *c, const char *s, size_t n)
{
    cap_layout *L = c->L;
    capture_info *in = c->in;
    const char *p = s, *end = s + n;
    double raw[2] = { 0, 0 };
    int col = 0, need = 0, fpos[2] = { 1, 1 };
    diag_pos at = { c->r->name, c->r->line, 1 };
    int quoted = L->quotes && memchr(s, '"', n);
    for (;; col++) {
        const char *fe = quoted ? cap_sep_quoted(p, end, c->sep)
                                : memchr(p, c->sep, (size_t)(end - p));
        if (!fe)
            fe = end;
        int which = col == L->tc ? 0 : col == L->cc ? 1 : -1;
        if (which >= 0) {
            fpos[which] = (int)(p - s) + 1;
            int rc = cap_field_num(p, fe, &raw[which]);
            if (rc) {
                at.col = (int)(p - s) + 1;
                const char *what = which ? in->cur_name : in->time_name;
                if (rc == 1)
                    diag_error(c->r->d, at, "found '%.*s', a decimal comma, "
                               "expected a decimal point in column '%s' "
                               "(%s-separated file)", (int)(fe - p), p, what,
                               cap_sep_name(c->sep));
                else
                    diag_error(c->r->d, at, "found '%.*s', expected a "
                               "number (%s in %s) in column '%s' "
                               "(%s-separated)", (int)(fe - p > 24 ? 24
                               : fe - p), p, which ? "a current" : "a time",
                               cap_unit_name(which ? L->cu : L->tu, which),
                               what, cap_sep_name(c->sep));
                return -1;
            }
            need++;
        }
        if (fe == end)
            break;
        p = fe + 1;
    }
    if (col + 1 != L->ncols || need < 2) {
        at.col = (int)(p - s) + 1;
        diag_error(c->r->d, at, "found %d %s-separated fields, expected %d "
                   "as on line %d%s", col + 1, cap_sep_name(c->sep), L->ncols,
                   c->hdr_line, c->sep == ',' && col + 1 > L->ncols
                   ? " (a decimal comma? write 0.5, not 0,5)" : "");
        return -1;
    }
    double t = raw[0] * L->tu, i = raw[1] * L->cu;
    if (!isfinite(t) || !isfinite(i)) {
        at.col = fpos[!isfinite(t) ? 0 : 1];
        diag_error(c->r->d, at, "found a value out of range, expected a "
                   "finite time and current");
        return -1;
    }
    if (i < -CAP_NEG_NOISE) {
        at.col = fpos[1];
        diag_error(c->r->d, at, "found a current of %g A, expected 0 or more "
                   "(below -10 uA is not analyzer noise: check the probe's "
                   "polarity)", i);
        return -1;
    }
    if (i < 0)
        in->negative++;
    if (in->rows == 0 && c->gn == 0)
        in->peak_A = in->min_A = i;
    if (i > in->peak_A) {
        in->peak_A = i;
        c->peak_line = c->r->line;
    }
    if (i < in->min_A)
        in->min_A = i;
    if (c->gn) {
        if (t < c->gt || (t == c->gt && !L->dup_ok)) {
            at.col = fpos[0];
            diag_error(c->r->d, at, "found time %.9g s %s the %.9g s of line "
                       "%d, expected increasing times", t,
                       t == c->gt ? "equal to" : "before", c->gt, c->gline);
            return -1;
        }
        if (t == c->gt) {
            c->gsum += i;
            c->gn++;
            c->gline = c->r->line;
            return 0;
        }
        if (cap_emit(c, c->gt, c->gsum / (double)c->gn))
            return -2;
    }
    c->gt = t;
    c->gsum = i;
    c->gn = 1;
    c->gline = c->r->line;
    return 0;
}

/* The whole-capture checks. */
static int cap_checks(cap_rows *c)
{
    capture_info *in = c->in;
    const char *name = c->r->name;
    diag *d = c->r->d;
    char b1[32], b2[32], b3[32];
    double span = in->t_last - in->t_first;
    if (in->rows < 2 || !(span > 0)) {
        diag_error(d, (diag_pos){ name, c->hdr_line, 1 }, "found %lld "
                   "sample%s spanning 0 s, expected at least two samples at "
                   "different times", in->rows, in->rows == 1 ? "" : "s");
        return -1;
    }
    double mean = in->charge_C / span;
    double dt = span / (double)(in->rows - 1);
    int rc = 0;
    if (mean > CAP_MEAN_MAX) {
        diag_error(d, (diag_pos){ name, c->hdr_line, c->L->cpos }, "found a "
                   "mean current of %s over %s, expected at most 1 A for a "
                   "battery-powered module: is column '%s' really in %s? "
                   "(--current-unit)",
                   units_format(mean, DIM_CURRENT, b1, sizeof b1),
                   units_format(span, DIM_TIME, b2, sizeof b2), in->cur_name,
                   cap_unit_name(in->current_unit, 1));
        rc = -1;
    }
    if (in->peak_A > CAP_PEAK_MAX) {
        diag_error(d, (diag_pos){ name, c->peak_line, c->L->cpos }, "found a "
                   "peak current of %s, expected at most 10 A for a "
                   "battery-powered module: is column '%s' really in %s? "
                   "(--current-unit)",
                   units_format(in->peak_A, DIM_CURRENT, b1, sizeof b1),
                   in->cur_name, cap_unit_name(in->current_unit, 1));
        rc = -1;
    }
    if (dt < CAP_DT_MIN || dt > CAP_DT_MAX) {
        diag_error(d, (diag_pos){ name, c->hdr_line, c->L->tpos }, "found a "
                   "mean sample spacing of %s (%lld samples over %s), "
                   "expected %s: is column '%s' really in %s? (--time-unit)",
                   units_format(dt, DIM_TIME, b1, sizeof b1), in->rows,
                   units_format(span, DIM_TIME, b2, sizeof b2),
                   dt < CAP_DT_MIN ? "at least 100 ns (10 MS/s, faster than "
                   "any power analyzer)" : "at most one sample a day",
                   in->time_name, cap_unit_name(in->time_unit, 0));
        rc = -1;
    }
    if (!rc && in->negative)
        diag_warn(d, (diag_pos){ name, c->hdr_line, c->L->cpos }, "%lld "
                  "sample(s) below 0 A (down to %s): taken as analyzer "
                  "noise around zero", in->negative,
                  units_format(in->min_A, DIM_CURRENT, b3, sizeof b3));
    return rc;
}

int capture_read_fp(FILE *fp, const char *name, const capture_opts *o,
                    capture_sink sink, void *ctx, capture_info *in,
                    diag *d)
{
    memset(in, 0, sizeof *in);
    sha256_ctx sha;
    cap_src r = { fp, name, malloc(CAP_BUF), 0, 0, 0, 0, d,
                  o && o->checksum ? &sha : NULL, CAP_BUF };
    if (!r.buf)
        abort();
    if (r.sha)
        sha256_init(r.sha);
    cap_layout L = { 0 };
    cap_rows c = { &r, &L, in, sink, ctx, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    const char *s;
    size_t n;
    int rc = 0, started = 0, got;
    while ((got = cap_line(&r, &s, &n)) == 1) {
        if (r.line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
            s += 3;         /* UTF-8 byte-order mark (spreadsheet exports) */
            n -= 3;
        }
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k == n)
            continue;
        int hash = s[k] == '#';
        if (started) {
            if (hash)
                continue;
            int e = cap_row(&c, s, n);
            if (e) {
                rc = -1;
                break;
            }
            continue;
        }
        /* the first meaningful line: header (or a '#time' header), or data */
        if (hash && !(k + 1 < n && isalpha((unsigned char)s[k + 1])
                      && cap_detect_sep(s, n)))
            continue;
        c.sep = cap_detect_sep(s, n);
        in->sep = c.sep;
        if (!c.sep) {
            diag_error(d, (diag_pos){ name, r.line, 1 }, "found one column "
                       "'%.*s', expected time and current columns separated "
                       "by a comma, semicolon or tab", (int)(n > 40 ? 40 : n),
                       s);
            rc = -1;
            break;
        }
        cap_field f[CAP_MAX_COLS];
        const char *hs = s + k + hash;
        int nf = cap_split(hs, n - k - hash, c.sep, f, CAP_MAX_COLS);
        for (int j = 0; j < nf && j < CAP_MAX_COLS; j++)
            f[j].col += (int)(k + hash);
        double v;
        int has_header = cap_field_num(f[0].p, f[0].p + f[0].n, &v) != 0;
        c.hdr_line = r.line;
        if (has_header) {
            if (cap_header(f, nf, hash, &L, in, name, r.line, d)) {
                rc = -1;
                break;
            }
        } else {
            L.kind = CAPTURE_NONE;
            L.ncols = nf;
            L.tc = 0;
            L.cc = 1;
            L.tpos = 1;
            L.cpos = nf > 1 ? f[1].col : 1;
            snprintf(in->time_name, sizeof in->time_name, "column 1");
            snprintf(in->cur_name, sizeof in->cur_name, "column 2");
            in->time_col = 0;
            in->cur_col = 1;
        }
        if (cap_units(&L, o, has_header, in, name, r.line, d)) {
            rc = -1;
            break;
        }
        started = 1;
        if (!has_header && cap_row(&c, s, n)) {
            rc = -1;
            break;
        }
    }
    if (got < 0)
        rc = -1;
    if (!rc && !started) {
        diag_error(d, (diag_pos){ name, r.line ? r.line : 1, 1 }, "found no "
                   "data, expected a header and time,current rows");
        rc = -1;
    }
    if (!rc && c.gn && cap_emit(&c, c.gt, c.gsum / (double)c.gn))
        rc = -1;
    if (!rc)
        rc = cap_checks(&c);
    if (!rc && r.sha) {
        char rest[4096];    /* bytes after the last line read, if any */
        size_t got;
        while ((got = fread(rest, 1, sizeof rest, fp)) > 0)
            sha256_update(r.sha, rest, got);
        sha256_hex(r.sha, in->sha256);
    }
    if (r.sha)
        sha256_free(r.sha);     /* an error before the digest */
    free(r.buf);
    return rc;
}

int capture_read(const char *path, const capture_opts *o, capture_sink sink,
                 void *ctx, capture_info *info, diag *d)
{
    struct stat st;
    FILE *fp = path[0] ? fopen(path, "rb") : NULL;
    if (!fp || (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode))) {
        memset(info, 0, sizeof *info);
        if (!path[0])
            diag_error(d, (diag_pos){ "impsim", 0, 0 }, "found an empty file name, expected "
                       "the path of a capture (CSV) to read");
        else if (fp)
            diag_error(d, (diag_pos){ path, 0, 0 }, "found a directory, expected a capture "
                       "(CSV) file to read");
        else
            diag_error(d, (diag_pos){ path, 0, 0 }, "cannot open: %s", strerror(errno));
        if (fp)
            fclose(fp);
        return -1;
    }
    outfile_note_input(path);
    int rc = capture_read_fp(fp, path, o, sink, ctx, info, d);
    fclose(fp);
    return rc;
}

int capture_unit_option(const char *opt, const char *value, int want_current,
                        double *si, diag *d)
{
    units_dim got;
    units_dim want = want_current ? DIM_CURRENT : DIM_TIME;
    if (units_parse("1", value, si, &got) == 0 && got == want
        && (*si == 1 || *si == 1e-3 || *si == 1e-6 || *si == 1e-9))
        return 0;
    diag_error(d, (diag_pos){ opt, 0, 0 }, "found '%s', expected %s", value,
               want_current ? "A, mA, uA or nA" : "s, ms, us or ns");
    return -1;
}

char *capture_describe(const capture_info *in, char *buf, int len)
{
    snprintf(buf, (size_t)len, "%s, %lld samples, %s-separated; time '%s' "
             "in %s, current '%s' in %s", capture_kind_name(in->kind),
             in->rows, cap_sep_name(in->sep), in->time_name,
             cap_unit_name(in->time_unit, 0), in->cur_name,
             cap_unit_name(in->current_unit, 1));
    return buf;
}
