/* report.c — format selection and the JSON string helper. */
#include <string.h>
#include "report.h"

int report_fmt_parse(const char *s, report_fmt *f)
{
    static const char *const names[] = {"text", "json", "csv"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) {
            *f = (report_fmt)i;
            return 0;
        }
    return -1;
}

int report_write(const budget *b, report_fmt f, const struct assume *a, FILE *fp)
{
    if (f == REPORT_JSON)
        report_json(b, a, fp);
    else if (f == REPORT_CSV)
        report_csv(b, a, fp);
    else
        report_text(b, a, fp);
    return ferror(fp) ? -1 : 0;
}

void report_json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(fp, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(fp, "\\u%04x", *c);
        else
            fputc(*c, fp);
    }
    fputc('"', fp);
}
