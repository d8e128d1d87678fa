/* cmd_check.c — `impsim check [PATH...]`: regression runs over scenario
 * files against their expected results, in parallel. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "expect.h"
#include "outfile.h"
#include "workload.h"
#include "pipeline.h"
#include "pool.h"
#include "report.h"

static const char check_usage[] =
    "Usage: impsim check [PATH...] [OPTIONS]\n"
    "Run every scenario (*.scn) found under the PATHs (files or directories,\n"
    "default: .) against its expected results (NAME.expect beside NAME.scn: the\n"
    "figures that matter per module, each with a relative or absolute tolerance;\n"
    "format in scenarios/README.md). One line per scenario: pass, or FAIL with the\n"
    "figure that moved, from what to what, by how much; then 'N passed, N failed'.\n"
    "\n"
    "  --update         rewrite the expect files from the current results (tolerances\n"
    "                   and the comments above the first section kept; a missing\n"
    "                   file is created) and say what changed\n"
    "  --junit FILE     also write a JUnit XML report\n"
    "  --figures FILE   layer a figure file (models/ format, e.g. from impsim\n"
    "                   calibrate) over every scenario's model, as the scenario\n"
    "                   statement 'figures FILE' does\n"
    "  -j, --jobs N     parallel runs (default: the number of CPUs)\n"
    "  --max-events N   allow runs of more than 2e8 simulated events each (estimated\n"
    "                   before they start; above the bound a run is refused)\n"
    "  --help           this text\n"
    "\n"
    "A scenario that is not valid fails (its error on stderr at file:line:column).\n"
    "An expect file that is not valid, or that names a figure the results do not\n"
    "have (an activity or component the scenario lacks, a battery figure without a\n"
    "battery), is bad input: its error on stderr at file:line:column, exit 2 after\n"
    "the other scenarios have run. Only NAME.scn files and directories are taken.\n"
    "Exit: 0 all passed, 1 any failed, 2 bad arguments, an expect file that is not\n"
    "valid, or no scenario found.\n";

typedef struct {
    char *scn;              /* owned path */
    char *exp;              /* owned path */
    expect_file *e;         /* NULL: missing or malformed */
    char problem[1024];     /* why e is NULL ("" when the file is missing) */
    int created;            /* --update and no expect file: it is made */
    int first_job, njobs;
} check_scn;

typedef struct {
    int scn;                /* index in the list */
    int sec;                /* section, or -1: the scenario's own module */
} check_job;

#define CHECK_MAX_DEPTH 16

typedef struct {
    int ok;
    char err[1024];
    budget b;
} check_result;

typedef struct {
    check_scn *s;
    int ns;
    check_job *job;
    int nj;
    char *figures;          /* owned: "--figures=FILE", or NULL */
    struct { dev_t dev; ino_t ino; } up[CHECK_MAX_DEPTH + 1];  /* directories being walked */
} check_ctx;

/* ---- discovery ---- */

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static void check_add(check_ctx *c, const char *path)
{
    c->s = realloc(c->s, (size_t)(c->ns + 1) * sizeof *c->s);
    if (!c->s)
        abort();
    check_scn *s = &c->s[c->ns++];
    memset(s, 0, sizeof *s);
    s->scn = strdup(path);
    size_t n = strlen(path);
    s->exp = malloc(n + 8);
    if (!s->scn || !s->exp)
        abort();
    snprintf(s->exp, n + 8, "%.*s.expect", (int)(ends_with(path, ".scn") ? n - 4 : n), path);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int check_walk(check_ctx *c, const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st)) {  /* missing, a dangling link, a link loop (ELOOP) */
        fprintf(stderr, "%s: error: cannot read: %s; expected a scenario file or a directory "
                "of them\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (depth == 0 && !ends_with(path, ".scn")) {
            /* named on the command line: only a scenario is run (an expect
             * file, a figure file or a report would be read as a scenario
             * and fail with a misleading parse error) */
            size_t n = strlen(path);
            char hint[4200] = "";
            if (ends_with(path, ".expect") && n - 7 < 4000) {
                struct stat s2;
                snprintf(hint, sizeof hint, "%.*s.scn", (int)(n - 7), path);
                if (stat(hint, &s2) == 0)
                    snprintf(hint + strlen(hint), sizeof hint - strlen(hint),
                             " (its scenario; check runs a scenario against its expect file)");
                else
                    hint[0] = 0;
            }
            fprintf(stderr, "%s: error: found a file whose name does not end in .scn, expected a "
                    "scenario file (NAME.scn) or a directory of them%s%s\n", path,
                    hint[0] ? "; did you mean " : "", hint);
            return -1;
        }
        check_add(c, path);
        return 0;
    }
    for (int k = 0; k < depth; k++)
        if (c->up[k].dev == st.st_dev && c->up[k].ino == st.st_ino) {
            fprintf(stderr, "%s: error: found a symbolic-link loop (this is a directory it is "
                    "inside of), expected a directory tree\n", path);
            return -1;
        }
    if (depth >= CHECK_MAX_DEPTH) {
        fprintf(stderr, "%s: error: found directories nested deeper than %d, expected a "
                "scenario tree\n", path, CHECK_MAX_DEPTH);
        return -1;
    }
    c->up[depth].dev = st.st_dev;
    c->up[depth].ino = st.st_ino;
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "%s: error: cannot read the directory: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (size_t)(n + 1) * sizeof *names);
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        if (!names || !(names[n] = malloc(len)))
            abort();
        snprintf(names[n++], len, "%s/%s", path, e->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, (size_t)n, sizeof *names, cmp_str);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        struct stat s2;
        if (stat(names[i], &s2) ? (errno == ELOOP || ends_with(names[i], ".scn"))
                                : (S_ISDIR(s2.st_mode) || ends_with(names[i], ".scn")))
            rc |= check_walk(c, names[i], depth + 1);   /* errors said there */
        free(names[i]);
    }
    free(names);
    return rc;
}

/* ---- jobs ---- */

static void check_plan_jobs(check_ctx *c, int update)
{
    for (int i = 0; i < c->ns; i++) {
        check_scn *s = &c->s[i];
        diag *d = diag_new();
        struct stat st;
        int missing = stat(s->exp, &st) != 0 && errno == ENOENT;
        s->created = update && missing;
        if (!missing) {     /* a missing one is reported (or created) with a hint */
            s->e = expect_load(s->exp, d);
            if (!s->e)
                snprintf(s->problem, sizeof s->problem, "%s", diag_first(d));
        }
        diag_free(d);
        /* without an expect file the scenario still runs once, on its own
         * module: a scenario that is not valid shows its error, not only
         * "missing expect file" */
        int n = s->e ? s->e->nsec : (missing || s->created ? 1 : 0);
        s->first_job = c->nj;
        s->njobs = n;
        c->job = realloc(c->job, (size_t)(c->nj + n + 1) * sizeof *c->job);
        if (!c->job)
            abort();
        for (int k = 0; k < n; k++)
            c->job[c->nj++] = (check_job){i, s->e ? k : -1};
    }
}

static void check_job_run(int j, void *ctx, void *out)
{
    const check_ctx *c = ctx;
    const check_job *job = &c->job[j];
    const check_scn *s = &c->s[job->scn];
    check_result *r = out;
    char set[128];
    char *sets[2] = {set, c->figures};
    int nsets = 0;
    if (job->sec >= 0) {
        snprintf(set, sizeof set, "scenario.module=%s", s->e->sec[job->sec].module);
        nsets = 1;
    }
    if (c->figures)
        sets[nsets++] = c->figures;
    diag *d = diag_new();
    pipeline pl;
    if (pipeline_load(&pl, s->scn, sets, nsets, d) == 0) {
        r->ok = pipeline_run(&pl, NULL, &r->b, NULL) == 0 && pipeline_life(&pl, 1, &r->b, NULL) == 0;
        if (!r->ok && !diag_count(d))
            snprintf(r->err, sizeof r->err, "the simulation failed");
        pipeline_free(&pl);
    }
    if (diag_count(d))
        snprintf(r->err, sizeof r->err, "%s", diag_first(d));
    diag_free(d);
}

/* ---- judging and reporting ---- */

typedef struct {
    FILE *junit;
    int passed, failed;
    int invalid;            /* scenarios whose expect file is bad input */
} check_out;

static void xml_text(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (*s == '<') fputs("&lt;", fp);
        else if (*s == '>') fputs("&gt;", fp);
        else if (*s == '&') fputs("&amp;", fp);
        else if (*s == '"') fputs("&quot;", fp);
        else fputc(*s, fp);
    }
}

static void junit_case(check_out *o, const char *scn, const char *module, const char *fail)
{
    if (!o->junit)
        return;
    fputs("  <testcase classname=\"", o->junit);
    xml_text(o->junit, scn);
    fputs("\" name=\"", o->junit);
    xml_text(o->junit, module[0] ? module : "default");
    if (!fail) {
        fputs("\"/>\n", o->junit);
        return;
    }
    fputs("\">\n    <failure message=\"", o->junit);
    xml_text(o->junit, fail);
    fputs("\"/>\n  </testcase>\n", o->junit);
}

/* Judge one section; returns a malloc'ed failure text or NULL. */
static char *check_judge(const expect_section *sec, const check_result *r, int ok)
{
    char why[4096] = "";
    if (!ok)
        snprintf(why, sizeof why, "the run crashed");
    else if (sec->error[0]) {
        if (r->ok)
            snprintf(why, sizeof why, "ran, but an error containing \"%s\" was expected", sec->error);
        else if (!strstr(r->err, sec->error))
            snprintf(why, sizeof why, "failed with '%s', expected an error containing \"%s\"",
                     r->err, sec->error);
    } else if (!r->ok)
        snprintf(why, sizeof why, "%s", r->err);
    else if (!sec->nfig)
        snprintf(why, sizeof why, "no figures to check (fill them with --update)");
    else
        expect_compare(sec, &r->b, why, sizeof why);
    return why[0] ? strdup(why) : NULL;
}

/* Figures of scenario i's expect file that its results do not have: each
 * printed to stderr at its file:line:column; returns how many. */
static int check_unknown_figures(check_ctx *c, int i, const check_result *res, const int *ok)
{
    check_scn *s = &c->s[i];
    diag *d = diag_new();
    int n = 0;
    for (int k = 0; k < s->njobs; k++) {
        int j = s->first_job + k;
        const expect_section *sec = &s->e->sec[k];
        static const char bad_module[] = "--set 'scenario.module=";
        if (!sec->error[0] && ok[j] && res[j].ok)
            n += expect_unknown(s->e, sec, &res[j].b, d);
        else if (ok[j] && !res[j].ok && !strncmp(res[j].err, bad_module, strlen(bad_module)) &&
                 strstr(res[j].err, "found module")) {
            /* the section names a module impsim does not have: the expect
             * file's error, at its line */
            diag_error(d, (diag_pos){s->e->path, sec->line > 0 ? sec->line : 1,
                                     sec->col > 0 ? sec->col : 1},
                       "%s", strstr(res[j].err, "found module"));
            n++;
        }
    }
    diag_print(d, stderr);
    diag_free(d);
    return n;
}

static void check_report(check_ctx *c, int i, const check_result *res, const int *ok, check_out *o)
{
    check_scn *s = &c->s[i];
    if (!s->e && !s->problem[0] && s->njobs == 1 &&
        (!ok[s->first_job] || !res[s->first_job].ok)) {
        const check_result *r = &res[s->first_job];
        const char *why = ok[s->first_job] ? r->err : "the run crashed";
        printf("FAIL  %s: not valid (error on stderr); it has no expect file yet either\n", s->scn);
        fprintf(stderr, "%s\n", why);
        junit_case(o, s->scn, "", why);
        o->failed++;
        return;
    }
    if (!s->e) {
        char none[4400];
        snprintf(none, sizeof none, "no expect file; create it from the current results with "
                 "'impsim check --update %s' and review it", s->scn);
        const char *why = s->problem[0] ? s->problem : none;
        printf("FAIL  %s: %s\n", s->scn, s->problem[0] ? "its expect file is not valid (error "
               "on stderr)" : "missing expect file");
        if (!s->problem[0])
            printf("      %s: %s\n", s->exp, why);
        else    /* located, like every input error */
            fprintf(stderr, "%s\n", s->problem);
        junit_case(o, s->scn, "", why);
        if (s->problem[0])
            o->invalid++;
        else
            o->failed++;
        return;
    }
    if (check_unknown_figures(c, i, res, ok)) {
        printf("FAIL  %s: its expect file names figures the results do not have (errors on "
               "stderr)\n", s->scn);
        junit_case(o, s->scn, "", "the expect file names figures the results do not have");
        o->invalid++;
        return;
    }
    int bad = 0;
    char mods[256] = "";
    for (int k = 0; k < s->njobs; k++) {
        const expect_section *sec = &s->e->sec[k];
        int j = s->first_job + k;
        char *why = check_judge(sec, &res[j], ok[j]);
        size_t n = strlen(mods);
        snprintf(mods + n, sizeof mods - n, "%s%s", n ? ", " : "", sec->module);
        junit_case(o, s->scn, sec->module, why);
        if (why) {
            if (!bad)
                printf("FAIL  %s\n", s->scn);
            bad = 1;
            for (char *line = strtok(why, "\n"); line; line = strtok(NULL, "\n"))
                printf("      [%s] %s\n", sec->module, line);
            free(why);
        }
    }
    if (!bad)
        printf("pass  %s (%s)\n", s->scn, mods);
    if (bad)
        o->failed++;
    else
        o->passed++;
}

static int check_update_one(check_ctx *c, int i, const check_result *res, const int *ok)
{
    check_scn *s = &c->s[i];
    if (s->problem[0]) {
        printf("skip  %s: its expect file is not valid (error on stderr; fix it by hand)\n",
               s->scn);
        fprintf(stderr, "%s\n", s->problem);
        return 2;
    }
    if (!s->e) {
        s->e = calloc(1, sizeof *s->e);
        s->e->sec = calloc(1, sizeof *s->e->sec);
        if (!s->e || !s->e->sec)
            abort();
        s->e->nsec = 1;
        snprintf(s->e->sec[0].module, sizeof s->e->sec[0].module, "%s", res[s->first_job].b.module);
    }
    int bad = 0, changed = 0;
    for (int k = 0; k < s->njobs; k++) {
        expect_section *sec = &s->e->sec[k];
        const check_result *r = &res[s->first_job + k];
        char what[4096];
        if (sec->error[0])
            continue;
        if (!ok[s->first_job + k] || !r->ok) {
            const char *why = ok[s->first_job + k] ? r->err : "crashed";
            if (sec->module[0])
                printf("FAIL  %s [%s]: %s\n", s->scn, sec->module, why);
            else    /* a new expect file: no module known yet */
                printf("FAIL  %s: %s\n", s->scn, why);
            bad = 1;
            continue;
        }
        if (!sec->module[0])
            snprintf(sec->module, sizeof sec->module, "%s", r->b.module);
        int fresh = sec->nfig == 0;
        int n = expect_refresh(sec, &r->b, what, sizeof what);
        changed += n;
        for (char *line = n && !fresh ? strtok(what, "\n") : NULL; line; line = strtok(NULL, "\n"))
            printf("      [%s] %s\n", sec->module, line);
    }
    if (bad)
        return 1;
    if (check_unknown_figures(c, i, res, ok)) {
        printf("skip  %s: its expect file names figures the results do not have (errors on "
               "stderr; fix the expect file by hand)\n", s->scn);
        return 2;
    }
    outfile *f = outfile_open(s->exp);
    if (!f)
        return 1;
    expect_write(s->e, s->scn, outfile_fp(f));
    if (outfile_commit(f))
        return 1;
    if (s->created)
        printf("created %s (%d figure%s)\n", s->exp, changed, changed == 1 ? "" : "s");
    else
        printf("%s %s (%d figure%s changed)\n", changed ? "updated" : "same   ", s->exp, changed,
               changed == 1 ? "" : "s");
    return 0;
}

static int check_parse(int argc, char **argv, int *update, const char **junit, int *jobs,
                       char **figures)
{
    static const struct option lo[] = {
        {"update", no_argument, 0, 'u'}, {"junit", required_argument, 0, 'J'},
        {"jobs", required_argument, 0, 'j'}, {"max-events", required_argument, 0, 'E'},
        {"figures", required_argument, 0, 'g'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int ch;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":j:", lo, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'u': *update = 1; break;
        case 'J': *junit = optarg; break;
        case 'g':
            free(*figures);
            *figures = cli_setting("figures", optarg);
            break;
        case 'j':
            *jobs = (int)strtol(optarg, &end, 10);
            if (*end || *jobs < 1 || *jobs > 256)
                return cli_usage_error("check", "--jobs: found '%s', expected 1 to 256", optarg);
            break;
        case 'E':
            if (workload_option(optarg))
                return cli_usage_error("check", "--max-events: found '%s', expected a number of "
                                       "events >= 1 (e.g. 5e9)", optarg);
            break;
        case 'h': fputs(check_usage, stdout); return -1;
        case ':': return cli_usage_error("check", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_unknown_option("check", argv[optind - 1], lo);
        }
    }
    return 0;
}

static void check_free(check_ctx *c)
{
    for (int i = 0; i < c->ns; i++) {
        free(c->s[i].scn);
        free(c->s[i].exp);
        expect_free(c->s[i].e);
    }
    free(c->s);
    free(c->job);
    free(c->figures);
}

int cmd_check(int argc, char **argv)
{
    int update = 0, jobs = 0, rc;
    const char *junit = NULL;
    check_ctx c = {0};
    if ((rc = check_parse(argc, argv, &update, &junit, &jobs, &c.figures))) {
        free(c.figures);
        return rc < 0 ? 0 : rc;
    }
    for (int i = optind; i < argc; i++)
        if (check_walk(&c, argv[i], 0))
            rc = 2;
    if (optind == argc && check_walk(&c, ".", 0))
        rc = 2;
    if (!rc && c.ns == 0) {
        fprintf(stderr, "impsim: error: found no scenario (*.scn) in %s, expected at least one "
                "to check\n", optind < argc ? argv[optind] : ".");
        rc = 2;
    }
    if (!rc && junit && !update) {  /* the report must not replace a scenario or expect file */
        const char **in = calloc((size_t)c.ns * 2 + 1, sizeof *in), *label = "--junit";
        if (!in)
            abort();
        for (int i = 0; i < c.ns; i++) {
            in[2 * i] = c.s[i].scn;
            in[2 * i + 1] = c.s[i].exp;
        }
        if (outfile_check(&junit, &label, 1, in, 2 * c.ns))
            rc = 2;
        free(in);
    }
    if (rc) {
        check_free(&c);
        return rc;
    }
    check_plan_jobs(&c, update);
    check_result *res = calloc((size_t)c.nj + 1, sizeof *res);
    int *ok = calloc((size_t)c.nj + 1, sizeof *ok);
    if (!res || !ok)
        abort();
    if (c.nj && pool_run(c.nj, jobs, sizeof *res, check_job_run, &c, res, ok)) {
        fprintf(stderr, "impsim: error: cannot start the runs\n");
        rc = 3;
    }
    check_out o = {0};
    outfile *jf = NULL;
    if (!rc && junit && !update) {
        if (!(jf = outfile_open(junit)))
            rc = 3;
        else {
            o.junit = outfile_fp(jf);
            fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"impsim check\">\n",
                  o.junit);
        }
    }
    for (int i = 0; !rc && i < c.ns; i++) {
        if (update) {
            int u = check_update_one(&c, i, res, ok);
            o.failed += u == 1;
            o.invalid += u == 2;
        } else
            check_report(&c, i, res, ok, &o);
    }
    if (!rc) {
        if (!update)
            printf("%d passed, %d failed", o.passed, o.failed);
        if (!update && o.invalid)
            printf(", %d with an expect file that is not valid", o.invalid);
        if (!update)
            printf("\n");
        rc = o.invalid ? 2 : o.failed ? 1 : 0;
    }
    if (jf) {
        fputs("</testsuite>\n", o.junit);
        if (outfile_commit(jf))
            rc = 3;
    }
    free(res);
    free(ok);
    check_free(&c);
    return rc;
}
