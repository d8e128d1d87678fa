/* scn.h — a parsed scenario: what the product does (see scenarios/README.md
 * for the language). Produced by scn_parse, checked against a module by
 * scn_check; read-only after that. */
#ifndef IMPSIM_SCN_H
#define IMPSIM_SCN_H

#include <stdint.h>
#include "comp.h"
#include "diag.h"
#include "figfile.h"
#include "ticks.h"

#define SCN_NAME 32
#define SCN_MAX_DEPTH 8     /* nested blocks in a task */

typedef enum {
    A_CPU,          /* amount cycles, or seconds on module `on` */
    A_WAIT,         /* impOS idle for amount s (Squirrel waits on a timer) */
    A_IMPSLEEP,     /* imp.sleep(amount s): shallow sleep, busy-wait if short */
    A_READ, A_WRITE,/* periph, amount bytes (ADC: samples) */
    A_ENABLE, A_DISABLE,        /* periph */
    A_RUN,          /* sampler/dac/pwm active for amount s */
    A_FLASH_READ, A_FLASH_WRITE, A_FLASH_ERASE,   /* amount bytes */
    A_NV_WRITE, A_PERSIST,      /* amount bytes */
    A_WIFI_CONNECT, A_WIFI_SEND, A_WIFI_RECV, A_WIFI_DISCONNECT,
    A_POWERSAVE,    /* flag on/off */
    A_COUNT,        /* pulse-count pin: blocking pin.read() counting for amount s */
    A_CHANCE,       /* block: runs with probability amount (0..1) */
    A_NTH_RUN,      /* block: runs on the 1st, N+1st, ... time it is reached (N = amount) */
    A_REPEAT,       /* block: runs amount times in a row */
    A_LATCH         /* imp.net.latchwifipower(flag) */
} scn_akind;

/* A block's body is the `len` actions that follow it (nested blocks
 * included): the action list of a task is flat. */

typedef struct {
    scn_akind kind;
    diag_pos pos;
    double amount;          /* SI: cycles, s or bytes */
    units_dim dim;
    char on[SCN_NAME];      /* A_CPU given as time: module it was measured on */
    int periph;             /* index in scn.periph, or -1 */
    int load;               /* A_ENABLE/A_DISABLE of a board load: index, or -1 */
    int flag;
    int len;                /* blocks: number of actions in the body */
    char name[SCN_NAME];    /* blocks: activity of the body (`as NAME`), or "" */
} scn_action;

/* A time-of-day window: from..to seconds after midnight (to < from runs
 * over midnight; 0..86400 is the whole day) on the days in `days` (bit 0
 * Monday .. bit 6 Sunday). */
typedef struct {
    int on;                 /* 0: no window (always) */
    int32_t from, to;       /* s after midnight */
    int days;               /* bit mask, Monday = bit 0 */
} scn_window;

typedef enum { T_BOOT, T_EVERY, T_NTH, T_PIN_AT, T_PIN_POISSON, T_POWERON } scn_tkind;

typedef struct {
    scn_tkind kind;
    char name[SCN_NAME];    /* the activity its actions are charged to */
    diag_pos pos;
    tick_t period;          /* T_EVERY */
    tick_t offset;          /* T_EVERY: first run */
    int64_t nth;            /* T_NTH */
    tick_t *at;             /* T_PIN_AT, ascending; owned */
    int nat;
    double rate;            /* T_PIN_POISSON, events per s */
    int rate_daily;         /* the rate was given per day, week or year: with a
                             * time-of-day window it counts per day the window
                             * is open, all inside it (window_day_share) */
    tick_t repeat;          /* T_PIN_AT: the list repeats with this period (0: once) */
    int at_clock;           /* T_PIN_AT: `at` holds times of day (HH:MM), not times
                             * after the start; then `repeat` is whole days */
    scn_window win;         /* T_EVERY, T_PIN_*: runs only inside this window */
    scn_action *a;          /* owned */
    int na;
} scn_task;

typedef struct {
    char name[SCN_NAME];
    comp_id kind;           /* COMP_I2C ... COMP_DAC */
    char bus[SCN_NAME];     /* physical bus/pin name, or "" for the default */
    double speed;           /* Hz or baud; 0 = default */
    diag_pos pos;           /* the name */
    diag_pos bus_pos, speed_pos;    /* where bus and speed were given (else pos) */
} scn_periph;

/* An external part on the board drawing current from the module's supply:
 * on while enabled (off in deep sleep), or always. */
typedef struct {
    char name[SCN_NAME];
    double current;         /* A */
    int always;
    diag_pos pos;
} scn_boardload;

typedef enum { SLEEP_DEEP, SLEEP_IDLE, SLEEP_SHALLOW } scn_sleep;

typedef struct {
    char *path;             /* owned; diag positions point into it */
    char title[128];
    char module[256];       diag_pos module_pos;   /* name or .model path */
    int crystal;            /* -1 unset, 0 no, 1 yes */
    diag_pos crystal_pos;
    double supply;          /* V, 0 = module's */
    tick_t duration;        diag_pos duration_pos;
    scn_sleep sleep;        diag_pos sleep_pos;
    int wifi_connected;     /* 1: stay associated between wakes */
    diag_pos wifi_idle_pos;
    int32_t start;          /* s after Monday 00:00 at which the run starts */
    int powersave;          /* initial imp.setpowersave */
    int latch;              /* imp.net.latchwifipower(true) at every Squirrel start */
    uint64_t seed;
    char battery[512];      diag_pos battery_pos;
    char figures[512];      diag_pos figures_pos;  /* figure file over the model, or "" */
    int reg_switching;      /* regulator between battery and module: 0 linear, 1 switching */
    double reg_eff;         /* switching efficiency, 0..1; 0 = default (90 %) */
    double reg_iq;          /* A, quiescent; < 0 = default (0) */
    double reg_wifi_min;    /* V at the battery below which WiFi fails; < 0 = default 2.7 V */
    tick_t *ap_down;        /* owned: access-point outages, pairs (start, length) */
    int nap;
    char *parts[4];         /* owned: board parts (flash, regulator) */
    diag_pos part_pos[4];
    char part_bus[4][SCN_NAME];     /* `part NAME on BUS`: an SPI flash on a user SPI bus, or "" */
    double part_speed[4];           /* Hz, its SPI clock; 0 = default */
    diag_pos part_bus_pos[4];
    int nparts;
    fig_entry *sets;        /* owned: model overrides (keys without "model.") */
    int nsets;
    fig_entry *bsets;       /* owned: battery overrides (keys without "battery.") */
    int nbsets;
    scn_periph *periph;     /* owned */
    int nperiph;
    scn_boardload load[COMP_LOADS];
    char pulse[SCN_NAME];   /* `pulse NAME [on PIN]`: the pulse-count pin's name, or "" */
    char pulse_pin[SCN_NAME];       /* the pin given, or "" for the module's */
    diag_pos pulse_pos, pulse_pin_pos;
    int nload;
    scn_task *task;         /* owned */
    int ntask;
} scn;

/* Parse a scenario from text (len bytes) named `name` in diagnostics.
 * Returns a new scn or NULL after recording file:line:col errors in d. */
scn *scn_parse(const char *name, const char *text, size_t len, diag *d);

/* Read and parse a file. */
scn *scn_load(const char *path, diag *d);

/* Apply one command-line setting "scenario.KEY=VALUE", "model.KEY=VALUE"
 * or "battery.KEY=VALUE" (from --set, and so named in errors) to s, as the
 * same statement in the file would; "--module=NAME", "--duration=TIME" and
 * "--figures=FILE" are scenario.module / .duration / .figures given by those
 * options (and named so in errors). Returns 0 or -1 with an error. */
int scn_set(scn *s, const char *kv, diag *d);

void scn_free(scn *s);

/* "deep", "idle", "shallow". */
const char *scn_sleep_name(scn_sleep s);

#endif
