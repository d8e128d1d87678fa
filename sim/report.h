/* report.h — budget writers: a readable table, JSON and CSV. */
#ifndef IMPSIM_REPORT_H
#define IMPSIM_REPORT_H

#include <stdio.h>
#include "budget.h"
#include "num.h"

typedef enum { REPORT_TEXT, REPORT_JSON, REPORT_CSV } report_fmt;

/* Parse "text", "json" or "csv". Returns 0, or -1 for anything else. */
int report_fmt_parse(const char *s, report_fmt *f);

struct assume;

/* Write budget b to fp in format f, with the assumptions a (assume.h; NULL:
 * none) last. Returns 0, or -1 on a write error. */
int report_write(const budget *b, report_fmt f, const struct assume *a, FILE *fp);

/* The individual writers (report_text.c, report_json.c, report_csv.c). */
void report_text(const budget *b, const struct assume *a, FILE *fp);
void report_json(const budget *b, const struct assume *a, FILE *fp);
void report_csv(const budget *b, const struct assume *a, FILE *fp);

/* Write s as a JSON string literal (quoted, escaped). */
void report_json_str(FILE *fp, const char *s);

#endif
