/* units.h — physical quantities with units, parsed from text.
 *
 * Every number a user writes that has a dimension carries its unit ("8 uA",
 * "15min", "2.7 V"); units_parse turns it into SI (A, s, Hz, V, C, J, W, B,
 * ohm, ...) together with its dimension so callers can reject a voltage where
 * a current was expected. */
#ifndef IMPSIM_UNITS_H
#define IMPSIM_UNITS_H

typedef enum {
    DIM_NONE = 0,   /* plain number, no unit */
    DIM_CURRENT,    /* A */
    DIM_TIME,       /* s */
    DIM_FREQ,       /* Hz (also baud, bit/s are DIM_FREQ-like rates: see below) */
    DIM_VOLTAGE,    /* V */
    DIM_CHARGE,     /* C (mAh, Ah accepted) */
    DIM_ENERGY,     /* J (Wh accepted) */
    DIM_POWER,      /* W */
    DIM_BYTES,      /* B (1 KB = 1024 B, 1 kB = 1000 B) */
    DIM_CYCLES,     /* CPU cycles */
    DIM_BITRATE,    /* bit/s and baud */
    DIM_RATIO,      /* %, ppm: stored as a fraction (5 % -> 0.05) */
    DIM_RATE,       /* events per second: "/day", "/h" */
    DIM_RESIST,     /* ohm */
    DIM_PER_YEAR,   /* %/y self-discharge: stored as fraction per year */
    DIM__COUNT
} units_dim;

/* Parse the number text `num` and the unit text `unit` (may be NULL or ""
 * for a plain number). On success stores the SI value and dimension and
 * returns 0; returns -1 when the number is malformed or not finite, -2 when
 * the unit is unknown, -3 when the value is outside the dimension's
 * physical range (units_in_range; *si and *dim are set). Neither string is retained. */
int units_parse(const char *num, const char *unit, double *si, units_dim *dim);

/* 1 when si (SI, for dim) is finite and inside dim's physical range (e.g.
 * at most 100 A, 1e10 s; see units.c), else 0. units_parse refuses values
 * outside it with -3. */
int units_in_range(double si, units_dim dim);

/* "a current of at most 100 A in magnitude", for messages. Returns buf. */
char *units_range_text(units_dim dim, char *buf, int len);

/* What an error about the unknown unit word `unit` (where a unit of
 * dimension want was expected, any for DIM_NONE) adds after "expected
 * ...": "; " and a hint for a word that is a known mistake ("months": a
 * month has no fixed length; "m"), else "; did you mean 'X'?" with the
 * known unit it was most likely meant as (the same letters in another
 * case, 'mS': ms; else the nearest within one or two edits, diag_near),
 * else nothing. Into buf; returns buf. */
char *units_unknown_advice(const char *unit, units_dim want, char *buf, int len);

/* Split "15min" or "8uA" into its number and unit parts: returns the length
 * of the leading number (0 if none). */
int units_split(const char *text);

/* Name of the SI unit for dim ("A", "s", ...), for messages and reports. */
const char *units_si_name(units_dim dim);

/* A human word for dim ("a current", "a time", ...), for messages. */
const char *units_dim_word(units_dim dim);

/* Format v (in SI for dim) with an engineering prefix into buf, e.g.
 * "8.00 uA", "15 min". Returns buf. */
char *units_format(double v, units_dim dim, char *buf, int len);

/* A computed figure (a current, a charge, a life: not an input echoed back)
 * for text output: as units_format, but always four significant digits
 * ("175.0 uA" beside "200.3 uA", "30.00 d"), so figures side by side read
 * at one precision. JSON and CSV keep the shortest round-trip numbers
 * (num.h). Returns buf. */
char *units_format_fig(double v, units_dim dim, char *buf, int len);

/* A plain number at the same four significant digits ("0.7058"). */
char *units_number_fig(double x, char *buf, int len);

/* Format a battery life of s seconds: as units_format_fig, with the days
 * added when the unit is years ("1.297 y (473.9 d)"). Returns buf. */
char *units_format_life(double s, char *buf, int len);

/* v (SI for dim) as text units_parse reads back to the same double, e.g.
 * "2.5e-05 A", "10 %": for building settings. Returns buf. */
char *units_setting(double v, units_dim dim, char *buf, int len);

#endif
