/* cli.h — the impsim subcommands and shared command-line helpers. */
#ifndef IMPSIM_CLI_H
#define IMPSIM_CLI_H

/* Each command takes argv with argv[0] = the command name and returns the
 * process exit code (diag.h: 0 ok, 1 verdict no, 2 bad input, 3 system). */
int cmd_run(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_battery(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_decide(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* A growable list of strings collected from repeated options (--set).
 * Strings are borrowed from argv. */
typedef struct {
    char **v;
    int n;
} cli_list;

void cli_list_push(cli_list *l, char *s);

/* A new string "--KEY=VALUE": an option such as --module, --duration or
 * --figures turned into the setting scn_set reads (owned by the caller,
 * free()). Never NULL (aborts on OOM). */
char *cli_setting(const char *key, const char *val);
void cli_list_free(cli_list *l);

/* Print "impsim: error: ..." plus a hint to use --help; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The usage error for an unknown option arg (as written, "--montecarlo"):
 * "unknown option", with the nearest of the command's long options (lo,
 * getopt_long's table) when one is within a couple of edits
 * (diag_near). Returns DIAG_EXIT_INPUT. */
struct option;
int cli_unknown_option(const char *cmd, const char *arg, const struct option *lo);

#endif
