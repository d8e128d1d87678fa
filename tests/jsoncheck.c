/* jsoncheck.c — exit 0 when each file named on the command line (or
 * standard input) is exactly one valid JSON value (RFC 8259), else 1 with
 * the byte offset of the first error. For the shell tests: "JSON always
 * parses" without depending on an interpreter that CI does not install. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t i, n;
    int depth;
} jp;

static void ws(jp *p)
{
    while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]))
        p->i++;
}

static int lit(jp *p, const char *w)
{
    size_t k = strlen(w);
    if (p->n - p->i < k || memcmp(p->s + p->i, w, k))
        return -1;
    p->i += k;
    return 0;
}

static int str(jp *p)
{
    if (p->i >= p->n || p->s[p->i++] != '"')
        return -1;
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i++];
        if (c == '"')
            return 0;
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            if (p->i >= p->n)
                return -1;
            c = (unsigned char)p->s[p->i++];
            if (c == 'u') {
                for (int k = 0; k < 4; k++)
                    if (p->i >= p->n || !isxdigit((unsigned char)p->s[p->i++]))
                        return -1;
            } else if (!strchr("\"\\/bfnrt", c)) {
                return -1;
            }
        }
    }
    return -1;
}

static int digits(jp *p)
{
    size_t a = p->i;
    while (p->i < p->n && isdigit((unsigned char)p->s[p->i]))
        p->i++;
    return p->i > a ? 0 : -1;
}

static int num(jp *p)
{
    if (p->s[p->i] == '-')
        p->i++;
    if (p->i < p->n && p->s[p->i] == '0')
        p->i++;
    else if (digits(p))
        return -1;
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (digits(p))
            return -1;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (digits(p))
            return -1;
    }
    return 0;
}

static int value(jp *p);

static int seq(jp *p, char close, int members)
{
    p->i++;
    ws(p);
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return 0;
    }
    for (;;) {
        ws(p);
        if (members) {
            if (str(p))
                return -1;
            ws(p);
            if (p->i >= p->n || p->s[p->i++] != ':')
                return -1;
        }
        if (value(p))
            return -1;
        ws(p);
        if (p->i >= p->n)
            return -1;
        char c = p->s[p->i++];
        if (c == close)
            return 0;
        if (c != ',')
            return -1;
    }
}

static int value(jp *p)
{
    ws(p);
    if (p->i >= p->n || ++p->depth > 200)
        return -1;
    int rc;
    switch (p->s[p->i]) {
    case '{': rc = seq(p, '}', 1); break;
    case '[': rc = seq(p, ']', 0); break;
    case '"': rc = str(p); break;
    case 't': rc = lit(p, "true"); break;
    case 'f': rc = lit(p, "false"); break;
    case 'n': rc = lit(p, "null"); break;
    default: rc = num(p);
    }
    p->depth--;
    return rc;
}

static int check(FILE *fp, const char *name)
{
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n, fp)) > 0)
        if ((n += r) == cap && !(buf = realloc(buf, cap *= 2)))
            break;
    if (!buf)
        return 1;
    jp p = {buf, 0, n, 0};
    int rc = value(&p);
    ws(&p);
    if (rc || p.i != n) {
        fprintf(stderr, "%s: not JSON at byte %zu\n", name, p.i);
        rc = 1;
    }
    free(buf);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return check(stdin, "-");
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        FILE *fp = fopen(argv[i], "rb");
        rc |= fp ? check(fp, argv[i]) : 1;
        if (fp)
            fclose(fp);
    }
    return rc;
}
