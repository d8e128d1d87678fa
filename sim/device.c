/* device.c — impOS behaviour: waking, booting, running tasks, waiting in
 * the mode the rules allow (stop only when no clock-keeping peripheral is
 * on, WiFi is off and nothing is pending), and the radio: powered down
 * after every disconnect unless imp.net.latchwifipower(true) holds it
 * (server.disconnect() "turns off the imp's current network interface",
 * /api/server/disconnect; /api/imp/net/latchwifipower), paying the
 * power-up wait, the firmware download and a calibration burst at every
 * power-up, and its hidden costs while on (DTIM beacons in power-save,
 * calibration bursts, keepalives). Calibration bursts and keepalives are
 * their own segments at their real current, so a battery sees the peaks. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>
#include "device.h"
#include "repeat.h"
#include "window.h"

/* The device's whole state. Fast-forward (dev_key) compares it byte for
 * byte between wakes, with `now`, `wakes` and the trace fields normalised:
 * keep state here by value (a new scalar field is then compared
 * automatically); state behind a pointer must be added to dev_key, and an
 * absolute time must be made relative there or reported by dev_bound. */
typedef struct {
    const plan *p;
    ledger *L;
    ledger_acc *acc;            /* in front of L: ticks per configuration */
    const device_hooks *h;
    tick_t now;
    int stopped;
    unsigned char st[COMP__COUNT];  /* each component's power state */
    unsigned char rest[COMP__COUNT];    /* at rest while awake (set_awake), from
                                         * the enabled parts and loads (dev_parts) */
    unsigned char mask[COMP__COUNT];    /* dev_rest_mask: fixed for the run */
    int kept;                   /* an enabled peripheral keeps the clocks (no stop mode) */
    int act;
    int connected, ps;
    int radio_fw;               /* the radio is powered and holds its firmware */
    int latch;                  /* imp.net.latchwifipower(true) in effect */
    int enabled[64];            /* per declared peripheral */
    int load_on[COMP_LOADS];    /* board loads switched on by the firmware */
    tick_t cal_acc, ka_acc;
    tick_t cal_every, ka_every; /* the radio's calibration and keepalive intervals, 0:
                                 * none (fixed for the run) */
    tick_t beacon_n, beacon_d;  /* wifi.ps.beacon.time / wifi.ps.dtim, reduced */
    /* trace */
    double last[COMP__COUNT];
    int traced, last_radio, last_act;
    unsigned char last_st[COMP__COUNT];
    /* schedule */
    tick_t *due;                /* T_EVERY next run; T_PIN_* next event */
    int *pin_i;                 /* T_PIN_AT index of the next event */
    int64_t wakes;
    gsl_rng *rng;               /* Poisson pin events */
    gsl_rng *chance_rng;        /* `chance` blocks: their own stream, so adding one does
                                 * not move the pin events */
    int64_t *counter;           /* `every Nth run` blocks: times reached */
    int powered;                /* Squirrel has started once: later starts are not power-on */
    int poisson;                /* the plan has Poisson pin events (rng is state) */
    struct dev_ff *ff;          /* fast-forward's bookkeeping (NULL: event by event) */
} dev;

/* ---- accounting ---- */

static int radio_on(int s)
{
    return s != WIFI_OFF && s != WIFI_STANDBY && s != WIFI_DEEPSLEEP;
}

/* a * b / c rounded down, a, b >= 0, c > 0: in 64 bits where a * b fits
 * (the same quotient), else in 128. */
static tick_t mul_div(tick_t a, tick_t b, tick_t c)
{
    tick_t m;
    if (!__builtin_mul_overflow(a, b, &m))
        return m / c;
    return (tick_t)((__int128)a * b / c);
}

/* Book dt ticks of the current configuration (every component's state,
 * the activity). While the radio dozes in power-save, the DTIM beacon
 * windows (a few ms every ~100 ms) are carved out of the doze time: the
 * beacon share is rounded down per segment. Returns the radio's charge x
 * ticks (for the trace: its mean current over the segment). */
static double book(dev *v, tick_t dt)
{
    const plan *p = v->p;
    int s = v->st[COMP_WIFI];
    double q = 0;
    if (s == WIFI_PS_DOZE) {
        tick_t x = mul_div(dt, v->beacon_n, v->beacon_d);
        if (x > 0) {
            v->st[COMP_WIFI] = WIFI_PS_BEACON;
            ledger_acc_add(v->acc, v->st, v->act, x);
            v->st[COMP_WIFI] = (unsigned char)s;
            q += p->cur[COMP_WIFI][WIFI_PS_BEACON] * (double)x;
        }
        dt -= x;
    }
    if (dt > 0) {
        ledger_acc_add(v->acc, v->st, v->act, dt);
        q += p->cur[COMP_WIFI][s] * (double)dt;
    }
    return q;
}

static void dev_log_point(const dev *v, tick_t t);

/* The trace hook with the last reported point (states as ints). */
static void trace_call(const dev *v, tick_t t)
{
    int st[COMP__COUNT];
    for (int c = 0; c < COMP__COUNT; c++)
        st[c] = v->last_st[c];
    v->h->trace(v->h->ctx, t, v->last, v->last_radio, v->last_act, st);
    dev_log_point(v, t);
}

static void trace_point(dev *v, tick_t t, const double cur[COMP__COUNT])
{
    if (!v->h->trace)
        return;
    int radio = radio_on(v->st[COMP_WIFI]);
    if (v->traced && radio == v->last_radio && !memcmp(cur, v->last, sizeof v->last) &&
        (!v->h->phases ||
         (v->act == v->last_act && !memcmp(v->st, v->last_st, sizeof v->last_st))))
        return;
    memcpy(v->last, cur, sizeof v->last);
    memcpy(v->last_st, v->st, sizeof v->last_st);
    v->last_radio = radio;
    v->last_act = v->act;
    v->traced = 1;
    trace_call(v, t);
}

/* book() and the trace point of a segment of dt starting now. */
static void book_traced(dev *v, tick_t dt)
{
    double qw = book(v, dt);
    if (!v->h->trace)
        return;
    double cur[COMP__COUNT];
    for (int c = 0; c < COMP__COUNT; c++)
        cur[c] = c == COMP_WIFI ? qw / (double)dt : v->p->cur[c][v->st[c]];
    trace_point(v, v->now, cur);
}

/* Advance time by dt in the current states, clipped at the end of the run:
 * one segment. Inlined into its callers: it runs at every state change. */
static inline __attribute__((always_inline)) void advance_flat(dev *v, tick_t dt)
{
    if (v->stopped || dt <= 0)
        return;
    if (dt >= v->p->duration - v->now) {
        dt = v->p->duration - v->now;
        v->stopped = 1;
        if (dt == 0)
            return;
    }
    if (!v->h->trace && v->st[COMP_WIFI] != WIFI_PS_DOZE)
        ledger_acc_add(v->acc, v->st, v->act, dt);      /* the hot path: book() */
    else
        book_traced(v, dt);
    v->now += dt;
    v->L->changes++;
    if (v->h->stop && v->h->stop(v->h->ctx, v->now))
        v->stopped = 1;
}

/* A burst of `len` in radio state `ws` inside the time *dt left (cut
 * short if *dt is shorter); the radio's time counters run on. */
static void radio_burst(dev *v, int ws, tick_t len, tick_t *dt)
{
    tick_t x = len < *dt ? len : *dt;
    int save = v->st[COMP_WIFI];
    v->st[COMP_WIFI] = ws;
    advance_flat(v, x);
    v->st[COMP_WIFI] = save;
    v->cal_acc += x;
    v->ka_acc += x;
    *dt -= x;
}

static void advance_radio(dev *v, tick_t dt, int s);

/* Advance time by dt. While the radio is on, its periodic calibration
 * bursts (wifi.cal.interval) and, while associated, keepalives
 * (wifi.keepalive.interval) fall inside dt where their counters say and
 * are segments of their own at their real current (the battery sees the
 * peak, not a mean); the rest of dt stays in the current states. */
static void advance(dev *v, tick_t dt)
{
    int s = v->st[COMP_WIFI];
    if (!radio_on(s)) {
        v->cal_acc = v->ka_acc = 0;
        advance_flat(v, dt);
        return;
    }
    advance_radio(v, dt, s);
}

/* advance() with the radio on (in state s). */
static void advance_radio(dev *v, tick_t dt, int s)
{
    const plan *p = v->p;
    tick_t cal_every = v->cal_every;
    tick_t ka_every = s == WIFI_ASSOC || s == WIFI_PS_DOZE ? v->ka_every : 0;
    int cal = cal_every > 0, ka = ka_every > 0;
    while (dt > 0 && !v->stopped) {
        tick_t to_cal = cal ? (v->cal_acc < cal_every ? cal_every - v->cal_acc : 0) : TICK_MAX;
        tick_t to_ka = ka ? (v->ka_acc < ka_every ? ka_every - v->ka_acc : 0) : TICK_MAX;
        tick_t step = to_cal < to_ka ? to_cal : to_ka;
        if (dt < step) {        /* the usual case: no burst falls due in dt */
            advance_flat(v, dt);
            v->cal_acc += dt;
            v->ka_acc += dt;
            return;
        }
        advance_flat(v, step);
        v->cal_acc += step;
        v->ka_acc += step;
        dt -= step;
        if (cal && step == to_cal) {
            v->cal_acc = 0;
            radio_burst(v, WIFI_CAL, p->cal, &dt);
        }
        if (ka && step == to_ka) {
            v->ka_acc = 0;
            radio_burst(v, WIFI_TX, p->ka_tx, &dt);
            radio_burst(v, WIFI_RX, p->ka_rx, &dt);
        }
    }
}

/* Wait dt: advance; at a sleep (sleep 1: between wakes, or a snooze
 * while the access point is gone) SimGrid's clock then follows. Only
 * sleeps cross into SimGrid: the devices of one simulation share nothing,
 * so nothing another actor does can change a device's wake, and SimGrid
 * needs each device's clock only to interleave them wake by wake. A
 * firmware `wait` inside a wake, like a busy phase of a few state
 * changes, costs no simcall (the tide gauge's wake has 11 waits). */
static void wait_ticks(dev *v, tick_t dt, int sleep)
{
    advance(v, dt);
    if (sleep && v->h->advance)
        v->h->advance(v->h->ctx, v->now);
}

/* ---- component state helpers ---- */

/* The radio at rest: associated (dozing with power-save), powered and
 * warm (latched, firmware loaded), or powered down. */
static int wifi_base(const dev *v)
{
    if (!v->connected)
        return v->radio_fw ? WIFI_STANDBY : WIFI_OFF;
    return v->ps ? WIFI_PS_DOZE : WIFI_ASSOC;
}

/* After a change of the enabled peripherals or loads: each component's
 * state at rest while awake (a peripheral is on while one of its declared
 * instances is enabled; a load while the firmware has it on or it is wired
 * to the supply) and whether a clock-keeping peripheral blocks stop mode.
 * Kept in the state so that set_awake, at nearly every state change, is
 * a copy. */
static void dev_parts(dev *v)
{
    const plan *p = v->p;
    memset(v->rest, 0, sizeof v->rest);
    v->kept = 0;
    v->rest[COMP_CLK32K] = p->crystal ? CLK_XTAL : CLK_RC;
    for (int c = COMP_PERIPH_FIRST; c <= COMP_PERIPH_LAST; c++)
        v->rest[c] = PERIPH_OFF;
    for (int i = 0; i < p->nperiph; i++)
        if (v->enabled[i]) {
            v->rest[p->periph_comp[i]] = PERIPH_ON;
            if (p->keeps_clocks[p->periph_comp[i]])
                v->kept = 1;
        }
    for (int k = 0; k < p->nload; k++)
        v->rest[COMP_LOAD0 + k] = v->load_on[k] || p->load_always[k] ? LOAD_ON : LOAD_OFF;
}

/* The components set_awake sets from dev_parts' rest states: the 32 kHz
 * clock, the peripherals and the declared loads (bytes of 0xff). */
static void dev_rest_mask(const plan *p, unsigned char mask[COMP__COUNT])
{
    memset(mask, 0, COMP__COUNT);
    mask[COMP_CLK32K] = 0xff;
    for (int c = COMP_PERIPH_FIRST; c <= COMP_PERIPH_LAST; c++)
        mask[c] = 0xff;
    for (int k = 0; k < p->nload; k++)
        mask[COMP_LOAD0 + k] = 0xff;
}

/* Awake and idle-at-rest states: CPU as given, radio at its base, the
 * clock, peripherals and loads at rest (dev_parts); the flash and the
 * regulator as they are. */
static void set_awake(dev *v, int cpu)
{
    for (int c = 0; c < COMP__COUNT; c++)
        v->st[c] = (unsigned char)((v->st[c] & ~v->mask[c]) | (v->rest[c] & v->mask[c]));
    v->st[COMP_CPU] = (unsigned char)cpu;
    v->st[COMP_WIFI] = (unsigned char)wifi_base(v);
}

/* Run for dt with the CPU in `cpu` and everything else at rest. */
static void run_cpu(dev *v, int cpu, tick_t dt)
{
    set_awake(v, cpu);
    advance(v, dt);
}

static void flash_wake(dev *v)
{
    if (v->st[COMP_FLASH] == FLASH_DPD) {
        v->st[COMP_FLASH] = FLASH_STANDBY;
        run_cpu(v, CPU_RUN, v->p->flash_dpd_exit);
    }
}

static void flash_op(dev *v, int fstate, tick_t dt)
{
    if (dt <= 0)
        return;
    set_awake(v, CPU_RUN);
    v->st[COMP_FLASH] = fstate;
    advance(v, dt);
    v->st[COMP_FLASH] = FLASH_STANDBY;
}

/* ---- WiFi ---- */

static void wifi_phase(dev *v, int wstate, int cpu, tick_t dt)
{
    set_awake(v, cpu);
    v->st[COMP_WIFI] = wstate;
    advance(v, dt);
}

static void deep_states(dev *v);
static void boot_os(dev *v);

/* After a disconnect impOS powers the radio down (WL_REG_ON / POWER_EN
 * low: held in reset, firmware lost) unless latchwifipower holds it. */
static void radio_rest(dev *v)
{
    if (!v->latch)
        v->radio_fw = 0;
    v->st[COMP_WIFI] = wifi_base(v);
}

/* Power the radio up if it is down: the power-up wait (CPU idle, radio
 * powering), the firmware download from the SPI flash (imp004m: CPU busy,
 * flash reading) and the calibration burst the chip does whenever it is
 * powered up (EI staff, forum t/3080). */
static void radio_up(dev *v)
{
    const plan *p = v->p;
    if (v->radio_fw)
        return;
    v->L->radio_ups++;
    if (p->fwload > 0)
        flash_wake(v);
    v->radio_fw = 1;
    set_awake(v, CPU_IDLE);
    v->st[COMP_WIFI] = WIFI_POWERUP;
    advance(v, p->powerup);
    if (p->fwload > 0) {
        set_awake(v, CPU_RUN);
        v->st[COMP_WIFI] = WIFI_POWERUP;
        v->st[COMP_FLASH] = FLASH_READ;
        advance(v, p->fwload);
        v->st[COMP_FLASH] = FLASH_STANDBY;
    }
    set_awake(v, CPU_IDLE);
    v->st[COMP_WIFI] = WIFI_CAL;
    advance(v, p->cal);
    v->cal_acc = 0;
}

static int ap_down(const dev *v)
{
    for (int i = 0; i < v->p->nap; i++) {
        tick_t from = v->p->ap_down[2 * i], len = v->p->ap_down[2 * i + 1];
        if (v->now >= from && v->now - from < len)
            return 1;
    }
    return 0;
}

static void idle_wait(dev *v, tick_t dt, int shallow, int sleep);

/* The access point is gone: SUSPEND_ON_ERROR retries for wifi.retry.time,
 * deep-sleeps wifi.snooze.time, restarts and tries again, until it is back.
 * Without a 32 kHz crystal there is no timed wake from deep sleep, so the
 * snooze is modelled as an impOS idle wait (stop mode) instead: an
 * estimate, impOS's behaviour there is not documented. */
static void wifi_offline(dev *v)
{
    int save = v->act;
    while (ap_down(v) && !v->stopped) {
        v->act = v->p->act_offline;
        radio_up(v);
        wifi_phase(v, WIFI_SCAN, CPU_IDLE, v->p->retry);
        if (!v->p->crystal) {
            radio_rest(v);
            idle_wait(v, v->p->snooze, 0, 1);
            continue;
        }
        /* Squirrel restarts after the snooze; its boot code sets up the
         * same peripherals again (their CPU cost is not booked again) */
        int kept[64], kept_loads[COMP_LOADS], kept_latch = v->latch;
        memcpy(kept, v->enabled, sizeof kept);
        memcpy(kept_loads, v->load_on, sizeof kept_loads);
        deep_states(v);
        wait_ticks(v, v->p->snooze, 1);
        v->ps = v->p->powersave;
        boot_os(v);
        memcpy(v->enabled, kept, sizeof kept);
        memcpy(v->load_on, kept_loads, sizeof kept_loads);
        dev_parts(v);
        v->latch = kept_latch;
    }
    v->act = save;
}

static void wifi_connect(dev *v)
{
    if (v->connected)
        return;
    const plan *p = v->p;
    wifi_offline(v);
    v->L->connects++;
    int save = v->act;
    v->act = p->act_connect;
    v->cal_acc = 0;
    radio_up(v);
    wifi_phase(v, WIFI_SCAN, CPU_IDLE, p->scan);
    wifi_phase(v, WIFI_JOIN, CPU_IDLE, p->join);
    wifi_phase(v, WIFI_DHCP, CPU_IDLE, p->dhcp);
    wifi_phase(v, WIFI_TLS, CPU_RUN, p->tls);
    v->connected = 1;
    v->ka_acc = 0;
    v->act = save;
}

static void wifi_disconnect(dev *v, int act)
{
    if (!v->connected)
        return;
    int save = v->act;
    v->act = act;
    wifi_phase(v, WIFI_ASSOC, CPU_IDLE, v->p->disconnect);
    v->connected = 0;
    v->act = save;
    radio_rest(v);
}

/* Wait for the server's response: DTIM-bound with power-save on. */
static void wifi_response_wait(dev *v)
{
    set_awake(v, CPU_IDLE);
    advance(v, v->ps ? v->p->ps_latency : v->p->rtt);
}

static void wifi_xfer(dev *v, int wstate, tick_t air, int response_first)
{
    wifi_connect(v);
    if (response_first)
        wifi_response_wait(v);
    wifi_phase(v, wstate, CPU_IDLE, air);
    v->ka_acc = 0;
    if (!response_first)
        wifi_response_wait(v);
}

/* ---- waiting ---- */

/* impOS idle: stop mode when allowed (no clock-keeping peripheral, WiFi
 * off: a latched, powered radio counts as on), else clock-gated idle. */
static int idle_cpu_state(const dev *v)
{
    if (v->p->has_stop && !v->connected && !v->radio_fw && !v->kept)
        return CPU_STOP;
    return CPU_IDLE;
}

/* Wait dt ticks in impOS idle (clock-gated, or stop mode where allowed;
 * shallow: clock-gated whatever is allowed), then wake. sleep 1: the wait
 * is a sleep between wakes (or a snooze), where SimGrid's clock follows
 * (wait_ticks); 0: a firmware wait inside a wake. */
static void idle_wait(dev *v, tick_t dt, int shallow, int sleep)
{
    int cpu = shallow ? CPU_IDLE : idle_cpu_state(v);
    set_awake(v, cpu);
    if (v->p->has_flash)
        v->st[COMP_FLASH] = v->p->flash_rest;
    wait_ticks(v, dt, sleep);
    tick_t lat = cpu == CPU_STOP ? v->p->wake_stop : v->p->wake_idle;
    int save = v->act;
    v->act = v->p->act_wake;
    run_cpu(v, CPU_WAKE, lat);
    v->act = save;
}

/* ---- actions ---- */

static void periph_active(dev *v, const plan_step *st, int cpu)
{
    set_awake(v, cpu);
    v->st[st->comp] = PERIPH_ACTIVE;
    advance(v, st->t1);
}

static void do_step(dev *v, const plan_step *st)
{
    switch (st->kind) {
    case A_CPU: case A_NV_WRITE: run_cpu(v, CPU_RUN, st->t1); break;
    case A_WAIT: idle_wait(v, st->t1, 0, 0); break;
    case A_IMPSLEEP:
        if (st->flag)
            run_cpu(v, CPU_RUN, st->t1);
        else
            idle_wait(v, st->t1, 1, 0);
        break;
    case A_READ: case A_WRITE:   /* UARTs are interrupt-driven; I2C, SPI, ADC block */
        periph_active(v, st, st->comp == COMP_UART ? CPU_IDLE : CPU_RUN);
        break;
    case A_RUN: periph_active(v, st, CPU_IDLE); break;
    case A_ENABLE: case A_DISABLE:
        if (st->load >= 0)
            v->load_on[st->load] = st->kind == A_ENABLE;
        else
            v->enabled[st->periph] = st->kind == A_ENABLE;
        dev_parts(v);
        set_awake(v, CPU_RUN);
        break;
    case A_FLASH_READ: flash_wake(v); flash_op(v, FLASH_READ, st->t1); break;
    case A_PERSIST:
        if (st->flag)   /* the state stays in RAM across the waits */
            break;
        /* otherwise flash erase + write */
        /* fall through */
    case A_FLASH_WRITE: case A_FLASH_ERASE:
        flash_wake(v);
        flash_op(v, FLASH_ERASE, st->t3);
        flash_op(v, FLASH_READ, st->t1);
        flash_op(v, FLASH_PROGRAM, st->t2);
        break;
    case A_WIFI_CONNECT: wifi_connect(v); break;
    case A_WIFI_SEND: wifi_xfer(v, WIFI_TX, st->t1, 0); break;
    case A_WIFI_RECV: wifi_xfer(v, WIFI_RX, st->t1, 1); break;
    case A_WIFI_DISCONNECT: wifi_disconnect(v, st->act); break;
    case A_POWERSAVE: v->ps = st->flag; break;
    case A_COUNT:   /* blocking pin.read(): clock-gated idle, the counter's timer clocked */
        run_cpu(v, CPU_IDLE, st->t1);
        break;
    case A_LATCH:
        v->latch = st->flag;
        if (!v->latch && !v->connected && v->radio_fw) {
            v->radio_fw = 0;    /* back to impOS's default: power the radio down */
            set_awake(v, CPU_RUN);
        }
        break;
    case A_CHANCE: case A_NTH_RUN: case A_REPEAT: break;   /* run_steps */
    }
}

static int dev_chance(dev *v, double prob);

/* Steps [from, to) of a task; a block runs its body (the len steps after
 * it) with its probability, on its Nth runs, or n times. */
static void run_steps(dev *v, const plan_step *step, int from, int to)
{
    for (int i = from; i < to && !v->stopped; i++) {
        const plan_step *st = &step[i];
        int body = st->kind == A_CHANCE || st->kind == A_NTH_RUN || st->kind == A_REPEAT;
        if (!body) {
            v->act = st->act;
            do_step(v, st);
            continue;
        }
        int64_t times = st->kind == A_REPEAT ? st->n
                      : st->kind == A_CHANCE ? dev_chance(v, st->prob)
                      : v->counter[st->counter]++ % st->n == 0;
        if (times > 0 && st->len > 0 && step[i + 1].act != st->act)
            v->L->runs[step[i + 1].act] += (uint64_t)times;    /* a named block */
        for (int64_t k = 0; k < times && !v->stopped; k++)
            run_steps(v, step, i + 1, i + 1 + st->len);
        i += st->len;
    }
}

static void run_task(dev *v, const plan_task *t)
{
    v->act = t->act;
    v->L->runs[t->act]++;
    run_steps(v, t->step, 0, t->nstep);
}

/* Oscillator start and impOS + Squirrel VM start after deep sleep. */
static void boot_os(dev *v)
{
    const plan *p = v->p;
    run_cpu(v, CPU_WAKE, p->wake_deep);
    if (p->has_flash) {
        v->st[COMP_FLASH] = FLASH_STANDBY;
        flash_op(v, FLASH_READ, p->boot_flash);
    }
    run_cpu(v, CPU_RUN, p->boot);
    v->L->boots++;
}

/* Power-on or wake from deep sleep: oscillators, impOS boot, boot task. */
static void boot(dev *v)
{
    const plan *p = v->p;
    v->act = p->act_boot;
    v->ps = p->powersave;
    v->latch = p->latch;
    memset(v->enabled, 0, sizeof v->enabled);
    memset(v->load_on, 0, sizeof v->load_on);
    dev_parts(v);
    boot_os(v);
    /* hardware.wakereason() is WAKEREASON_POWER_ON only at the first start;
     * TIMER, PIN or SNOOZE after a deep sleep */
    int cold = !v->powered;
    v->powered = 1;
    for (int i = 0; i < p->ntask; i++)
        if (p->task[i].kind == T_BOOT || (cold && p->task[i].kind == T_POWERON))
            run_task(v, &p->task[i]);
}

/* Every component as in deep sleep; RAM (peripheral setup) is lost. */
static void deep_states(dev *v)
{
    v->connected = 0;
    v->radio_fw = 0;
    v->latch = 0;       /* deep sleep clears imp.net.latchwifipower */
    memset(v->enabled, 0, sizeof v->enabled);
    v->st[COMP_CPU] = CPU_DEEPSLEEP;
    v->st[COMP_WIFI] = WIFI_DEEPSLEEP;
    v->st[COMP_CLK32K] = v->p->crystal ? CLK_XTAL : CLK_OFF;
    v->st[COMP_FLASH] = v->p->flash_rest;
    for (int c = COMP_PERIPH_FIRST; c <= COMP_PERIPH_LAST; c++)
        v->st[c] = PERIPH_OFF;
    /* pins are tri-stated: only loads wired to the supply stay on */
    memset(v->load_on, 0, sizeof v->load_on);
    for (int k = 0; k < v->p->nload; k++)
        v->st[COMP_LOAD0 + k] = v->p->load_always[k] ? LOAD_ON : LOAD_OFF;
    dev_parts(v);
}

static void deep_sleep(dev *v, tick_t until)
{
    wifi_disconnect(v, v->p->act_disconnect);
    v->act = v->p->act_sleep;
    deep_states(v);
    wait_ticks(v, until - v->now, 1);
    if (!v->stopped)
        boot(v);
}

/* ---- schedule ---- */

/* Time of event k of an `on pin at` list: at[k mod n] + (k div n) x the
 * repeat period (once through without one). */
static tick_t pin_at_time(const plan_task *t, int64_t k)
{
    tick_t x, r;
    if (!t->repeat)
        return k < t->nat ? t->at[k] : TICK_MAX;
    if (ticks_mul(t->repeat, k / t->nat, &x) || ticks_add(x, t->at[k % t->nat], &r))
        return TICK_MAX;
    return r;
}

/* Task i's next pin event (due[i] holds it for both kinds). */
static tick_t next_pin(const dev *v, int i)
{
    return v->due[i];
}

/* Move task i's next pin event past the current one: the list's next time
 * inside the window (pin_i counts list events), or an exponential gap of
 * open window time (a Poisson process whose rate holds only inside the
 * window). */
static void consume_pin(dev *v, int i)
{
    const plan_task *t = &v->p->task[i];
    if (t->kind == T_PIN_AT) {
        tick_t e;
        do
            e = pin_at_time(t, v->pin_i[i]++);
        while (e != TICK_MAX && !window_in(&t->win, v->p->start, e));
        v->due[i] = e;
        return;
    }
    double gap = gsl_ran_exponential(v->rng, 1.0 / t->rate);
    tick_t g;
    v->due[i] = ticks_from_s(gap, &g) ? TICK_MAX
                                      : window_open_add(&t->win, v->p->start, v->due[i], g);
}

/* The first run of an `every` task at or after its grid time `due` that
 * falls inside its window (from + k x period). */
static tick_t every_in_window(const dev *v, const plan_task *t, tick_t due)
{
    for (int guard = 0; due != TICK_MAX && guard < 100000; guard++) {
        tick_t open = window_next(&t->win, v->p->start, due), k, x;
        if (open == due || open == TICK_MAX)
            return open;
        k = (open - t->offset + t->period - 1) / t->period;
        if (ticks_mul(k, t->period, &x) || ticks_add(x, t->offset, &due))
            return TICK_MAX;
    }
    return TICK_MAX;
}

static tick_t next_event(dev *v)
{
    tick_t n = TICK_MAX;
    for (int i = 0; i < v->p->ntask; i++) {
        const plan_task *t = &v->p->task[i];
        tick_t e = t->kind == T_EVERY ? v->due[i]
                 : (t->kind == T_PIN_AT || t->kind == T_PIN_POISSON) ? next_pin(v, i)
                 : TICK_MAX;
        if (e < n)
            n = e;
    }
    return n;
}

/* Run every task due now, in declaration order. */
static void run_due(dev *v)
{
    const plan *p = v->p;
    for (int i = 0; i < p->ntask && !v->stopped; i++) {
        const plan_task *t = &p->task[i];
        if (t->kind == T_EVERY && v->due[i] <= v->now) {
            run_task(v, t);
            /* next run after now; runs missed while the task overran are skipped */
            tick_t k = (v->now - v->due[i]) / t->period + 1, x;
            if (k > 1) {    /* reported as a warning at the task (cmd_run) */
                v->L->skipped += (uint64_t)(k - 1);
                if (!v->L->skipped_task)
                    v->L->skipped_task = i + 1;
            }
            if (ticks_mul(k, t->period, &x) || ticks_add(v->due[i], x, &v->due[i]))
                v->due[i] = TICK_MAX;
            v->due[i] = every_in_window(v, t, v->due[i]);
        } else if ((t->kind == T_PIN_AT || t->kind == T_PIN_POISSON) && next_pin(v, i) <= v->now) {
            run_task(v, t);
            while (next_pin(v, i) <= v->now)
                consume_pin(v, i);
        } else if (t->kind == T_NTH && v->wakes % t->nth == 0 && v->due[i] <= v->wakes) {
            v->due[i] = v->wakes + 1;   /* once per wake */
            run_task(v, t);
        }
    }
}

static void wait_until(dev *v, tick_t until)
{
    const plan *p = v->p;
    if (p->sleep == SLEEP_DEEP) {
        deep_sleep(v, until);
        return;
    }
    if (!p->wifi_connected)
        wifi_disconnect(v, p->act_disconnect);
    v->act = p->act_sleep;
    idle_wait(v, until - v->now, p->sleep == SLEEP_SHALLOW, 1);
}

static void schedule_init(dev *v)
{
    const plan *p = v->p;
    for (int i = 0; i < p->ntask; i++) {
        v->due[i] = p->task[i].kind == T_EVERY ? every_in_window(v, &p->task[i], p->task[i].offset)
                  : p->task[i].kind == T_NTH ? 0 : TICK_MAX;
        if (p->task[i].kind == T_PIN_POISSON || p->task[i].kind == T_PIN_AT) {
            v->due[i] = 0;
            consume_pin(v, i);
        }
    }
}

/* ---- fast-forward ---- */

/* Two kinds of repeat are looked for at every wake, each by its own
 * detector (repeat.h):
 *
 * - the whole state (level 0): every task's next run relative to now and
 *   the random-number generators; a repeat holds for ever (or up to the
 *   next absolute-time event, dev_bound) and is what the engine takes as
 *   the steady state (one period's ledger, a battery's period);
 * - inner levels: the state with the tasks of a longer period than the
 *   level's cut left out, and without the `chance` generator. A water
 *   meter that logs every 10 s and uploads every 6 h repeats its 10-s
 *   wake between two uploads: the upload's next run is far ahead and
 *   does not change while it does not run, so it is left out of the key
 *   and taken as a boundary instead: whole inner periods are skipped up
 *   to (at most) its run, which is then simulated. A period is taken
 *   only if no left-out task ran in it (their earliest next run at the
 *   checkpoint is not before now). Left out of the key, the generator is
 *   drawn ahead instead: the periods skipped are those whose `chance`
 *   draws give the outcomes of the period found (dev_draw_ahead), and the
 *   generator then stands where the event-by-event run leaves it: the
 *   same draws, in the same order, decide the same runs.
 *
 * Either way the ledger adds k times one period's integer ticks: the
 * result is the event-by-event run's to the tick.
 *
 * Replay. An engine that follows every segment (a battery drained segment
 * by segment, a trace) takes no skip that ends before `until` is for ever.
 * Where the whole state can never repeat (Poisson pin events, `chance`
 * draws: the generators are state), and in the whole period a battery
 * records once the whole state has repeated (dev_record; before that the
 * whole state is looked for at every wake, as without inner levels, so
 * it is found where it always was), an inner repeat is then replayed:
 * the period's change points, recorded as they were reported, are
 * reported again shifted by whole periods (the stop hook polled after
 * each period), without simulating the device or crossing into SimGrid.
 * The battery sees the same segments in the same order, so its life is
 * the event-by-event run's to the bit; such levels keep the trace's
 * memory in their key, so the first point of a period is reported (or
 * merged) as it was. A run stopped by its battery inside a replay ends at
 * the end of that period.
 *
 * Memory: one key, one ledger per detector (at most DEV_LEVELS), the last
 * DEV_DRAWS draws and, for a replay, the last DEV_POINTS change points. */
#define DEV_LEVELS 5
#define DEV_DRAWS 4096
#define DEV_POINTS 4096

typedef struct {
    tick_t t;
    double cur[COMP__COUNT];
    unsigned char st[COMP__COUNT];
    int radio, act;
} dev_point;

typedef struct {
    double prob;
    int hit;
} dev_draw;

typedef struct {
    repeat r;
    tick_t cut;             /* tasks with a longer task_class are left out of the key */
    int gen;                /* the `chance` generator is in the key */
    uint64_t draws_at;      /* dev_ff.ndraws at the checkpoint */
    uint64_t pts_at;        /* dev_ff.npts at the checkpoint */
    int off;                /* no longer offered: its period no longer fits in the run */
} dev_level;

struct dev_ff {
    dev_level lv[DEV_LEVELS];   /* [0]: the whole state; then inner levels, longest cut first */
    int nlv;
    int inner;                  /* inner levels on (off once the engine refused a finite repeat) */
    unsigned char *key;
    dev_draw draw[DEV_DRAWS];   /* the last chance draws (a ring) */
    uint64_t ndraws;
    gsl_rng *spare;             /* the generator's copy drawn ahead */
    int replay;                 /* inner repeats may be replayed (see above) */
    tick_t cap_end;             /* replays end here (0: no bound): the end of the whole
                                 * period a battery records */
    dev_point *pt;              /* with replay: the last change points reported (a ring) */
    uint64_t npts;
    repeat quasi;               /* the state up to the radio counters' phases */
    int quasi_on;               /* offered to it (device_hooks.quasi) */
    tick_t quasi_exact;         /* when the whole state repeats (TICK_MAX: never) */
    tick_t window;              /* dev_window_period, fixed for the run */
};

static void dev_log_point(const dev *v, tick_t t)
{
    struct dev_ff *f = v->ff;
    if (!f || !f->pt)
        return;
    dev_point *e = &f->pt[f->npts++ % DEV_POINTS];
    e->t = t;
    memcpy(e->cur, v->last, sizeof e->cur);
    memcpy(e->st, v->last_st, sizeof e->st);
    e->radio = v->last_radio;
    e->act = v->last_act;
}

/* A `chance` block's draw (a uniform number in [0, 1) below prob runs
 * it), remembered for dev_draw_ahead. */
static int dev_chance(dev *v, double prob)
{
    int hit = gsl_rng_uniform(v->chance_rng) < prob;
    struct dev_ff *f = v->ff;
    if (f) {
        f->draw[f->ndraws % DEV_DRAWS] = (dev_draw){prob, hit};
        f->ndraws++;
    }
    return hit;
}

/* How far apart a task's runs are, for the inner levels: an `every`
 * task's period, a repeating pin list's repeat period; TICK_MAX for
 * events without a period (a pin list run once, Poisson pin events),
 * which every inner level leaves out; 0 for runs tied to wakes or starts
 * (every Nth wake, at boot, at power-on), which every level keeps. */
static tick_t task_class(const plan_task *t)
{
    switch (t->kind) {
    case T_EVERY: return t->period;
    case T_PIN_AT: return t->repeat ? t->repeat : TICK_MAX;
    case T_PIN_POISSON: return TICK_MAX;
    default: return 0;
    }
}

/* Bytes of a state key for plan p: the generators only where they draw. */
static size_t dev_key_size(const dev *v)
{
    return sizeof(dev) + (size_t)v->p->ntask * 3 * sizeof(tick_t) +
           (v->poisson ? gsl_rng_size(v->rng) : 0) +
           (v->p->nchance ? gsl_rng_size(v->chance_rng) : 0) +
           ((size_t)v->p->ncounter + 1) * sizeof(int64_t);
}

/* The period of the tasks' time-of-day windows (a day when every window
 * is daily, a week when one names days; 0 when there are none): the time
 * modulo it is state (a run at 17:50 is followed by the evening, one at
 * 09:00 is not), and nothing else of the time is (window.c reads the day
 * only for windows that name days). */
static tick_t dev_window_period(const plan *p)
{
    tick_t w = 0;
    for (int i = 0; i < p->ntask; i++) {
        tick_t x = window_period(&p->task[i].win);
        if (x)
            w = w ? ticks_lcm(w, x) : x;
    }
    return w;
}

static tick_t rel(tick_t t, tick_t now)
{
    return t == TICK_MAX ? TICK_MAX : t - now;
}

/* The state at a wake with time taken out: the struct with now, wakes and
 * the trace's memory cleared, then per task its next run relative to now
 * (wake counts relative to the wake count, the count modulo every Nth;
 * -1 for a task whose task_class is above cut: left out), then the
 * Poisson generator and, with gen, the `chance` generator (a schedule
 * that draws never repeats with it); with traced, the trace's memory
 * stays in (a replay's). A task kind not normalised here is keyed by its
 * absolute values, so it never repeats: slower, never wrong. */
static void dev_key(const dev *v, unsigned char *key, tick_t cut, int gen, int traced,
                    int phases)
{
    dev k;
    memcpy(&k, v, sizeof k);
    k.now = 0;
    k.wakes = 0;
    /* a counter without its burst decides nothing; without phases (the
     * quasi-repeat) neither is kept */
    if (!phases || !k.cal_every)
        k.cal_acc = 0;
    if (!phases || !k.ka_every)
        k.ka_acc = 0;
    if (!traced) {
        k.traced = k.last_radio = k.last_act = 0;
        memset(k.last, 0, sizeof k.last);
        memset(k.last_st, 0, sizeof k.last_st);
    }
    memcpy(key, &k, sizeof k);
    tick_t *x = (tick_t *)(void *)(key + sizeof k);
    for (int i = 0; i < v->p->ntask; i++, x += 3) {
        const plan_task *t = &v->p->task[i];
        x[0] = v->due[i];
        x[1] = v->pin_i[i];
        x[2] = 0;
        if (task_class(t) > cut)
            x[0] = x[1] = x[2] = -1;
        else if (t->kind == T_EVERY || t->kind == T_PIN_POISSON)
            x[0] = rel(v->due[i], v->now);
        else if (t->kind == T_PIN_AT && t->repeat) {   /* periodic: the place in the list */
            x[0] = rel(next_pin(v, i), v->now);
            x[1] = v->pin_i[i] % t->nat;
        } else if (t->kind == T_PIN_AT)
            x[0] = rel(next_pin(v, i), v->now);
        else if (t->kind == T_NTH) {
            x[0] = v->due[i] > v->wakes ? v->due[i] - v->wakes : 0;
            x[2] = v->wakes % t->nth;
        } else if (t->kind == T_BOOT)
            x[0] = 0;
    }
    unsigned char *y = (unsigned char *)x;
    if (v->poisson) {
        memcpy(y, gsl_rng_state(v->rng), gsl_rng_size(v->rng));
        y += gsl_rng_size(v->rng);
    }
    /* `chance` draws: only blocks whose draw decides something count
     * (nchance: at 0 % or 100 % a uniform draw in [0, 1) is never below 0
     * and always below 1, so the stream is no part of the future) */
    if (v->p->nchance) {
        if (gen)
            memcpy(y, gsl_rng_state(v->chance_rng), gsl_rng_size(v->chance_rng));
        else
            memset(y, 0, gsl_rng_size(v->chance_rng));
        y += gsl_rng_size(v->chance_rng);
    }
    /* `every Nth run` counters matter modulo N; the time of day (or week) with windows */
    int64_t c[2];
    for (int i = 0; i < v->p->ntask; i++)
        for (int k = 0; k < v->p->task[i].nstep; k++) {
            const plan_step *st = &v->p->task[i].step[k];
            if (st->kind == A_NTH_RUN) {
                c[0] = v->counter[st->counter] % st->n;
                memcpy(y + (size_t)st->counter * sizeof c[0], c, sizeof c[0]);
            }
        }
    y += (size_t)v->p->ncounter * sizeof c[0];
    tick_t w = v->ff->window;
    c[1] = w ? v->now % w : 0;
    memcpy(y, &c[1], sizeof c[1]);
}

/* The first time at or after now where something absolute-timed happens
 * (a wake-pin event at a fixed time, an access-point outage starting or
 * ending) or, with cut, a task left out of the key (task_class above
 * cut) runs; TICK_MAX when none. A period may only be repeated up to it. */
static tick_t dev_bound(const dev *v, tick_t cut)
{
    tick_t b = TICK_MAX;
    for (int i = 0; i < v->p->ntask; i++) {
        const plan_task *t = &v->p->task[i];
        int out = task_class(t) > cut, pin = t->kind == T_PIN_AT || t->kind == T_PIN_POISSON;
        if (((t->kind == T_PIN_AT && !t->repeat) || (out && (pin || t->kind == T_EVERY))) &&
            v->due[i] < b)
            b = v->due[i];
    }
    for (int i = 0; i < v->p->nap; i++) {
        tick_t from = v->p->ap_down[2 * i], end;
        if (ticks_add(from, v->p->ap_down[2 * i + 1], &end))
            end = TICK_MAX;
        tick_t e = from >= v->now ? from : end > v->now ? end : TICK_MAX;
        if (e < b)
            b = e;
    }
    return b;
}

/* The expected period of an inner level (repeat.h's hint): the lcm of the
 * periods it keeps (and of their windows), times the lcm of its wake and
 * run counts; 0 when none or out of range. */
static tick_t dev_level_hint(const plan *p, tick_t cut)
{
    tick_t h = 1, n = 1;
    int any = 0;
    for (int i = 0; i < p->ntask; i++) {
        const plan_task *t = &p->task[i];
        tick_t c = task_class(t);
        if (c > cut)
            continue;
        if (c > 0) {
            h = ticks_lcm(h, c);
            any = 1;
        }
        if (window_period(&t->win))
            h = ticks_lcm(h, window_period(&t->win));
        if (t->kind == T_NTH)
            n = ticks_lcm(n, t->nth);
        for (int k = 0; k < t->nstep; k++)
            if (t->step[k].kind == A_NTH_RUN)
                n = ticks_lcm(n, t->step[k].n);
    }
    tick_t r;
    return any && h && n && !ticks_mul(h, n, &r) ? r : 0;
}

/* The detectors: the whole state (hint: the plan's hyperperiod), then one
 * inner level per distinct task period with a longer one above it (or,
 * for the longest, events without a period or `chance` draws to leave
 * out); at most DEV_LEVELS - 1 of them, those below the widest gaps (the
 * ratio of the next period up to theirs), longest cut first. */
static void dev_levels(const dev *v, struct dev_ff *f)
{
    const plan *p = v->p;
    size_t size = dev_key_size(v);
    tick_t cut[64];
    double gap[64];
    int n = 0, open = p->nchance > 0;
    for (int i = 0; i < p->ntask; i++) {
        tick_t c = task_class(&p->task[i]);
        open |= c == TICK_MAX;
        int seen = c == 0 || c == TICK_MAX;
        for (int j = 0; j < n && !seen; j++)
            seen = cut[j] == c;
        if (!seen && n < 64)
            cut[n++] = c;
    }
    for (int i = 1; i < n; i++)     /* ascending */
        for (int j = i; j > 0 && cut[j] < cut[j - 1]; j--) {
            tick_t t = cut[j];
            cut[j] = cut[j - 1];
            cut[j - 1] = t;
        }
    for (int i = 0; i + 1 < n; i++)
        gap[i] = (double)cut[i + 1] / (double)cut[i];
    if (open && n)
        gap[n - 1] = 1e300;         /* all that is left out above it is aperiodic */
    else if (open)
        gap[n++] = 1e300, cut[0] = 0;   /* no periodic task: keep the wake-tied ones */
    else if (n)
        n--;                        /* the longest keeps everything: the whole state */
    while (n > DEV_LEVELS - 1) {    /* drop the narrowest gap */
        int m = 0;
        for (int i = 1; i < n; i++)
            if (gap[i] < gap[m])
                m = i;
        for (int i = m; i + 1 < n; i++) {
            cut[i] = cut[i + 1];
            gap[i] = gap[i + 1];
        }
        n--;
    }
    repeat_init(&f->lv[0].r, size, plan_hyperperiod(p));
    f->lv[0].cut = TICK_MAX;
    f->lv[0].gen = 1;
    f->nlv = 1;
    for (int i = n - 1; i >= 0; i--, f->nlv++) {
        repeat_init(&f->lv[f->nlv].r, size, dev_level_hint(p, cut[i]));
        f->lv[f->nlv].cut = cut[i];
        f->lv[f->nlv].gen = 0;
    }
    f->inner = f->nlv > 1;
    f->key = malloc(size);
    f->spare = p->nchance ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
    if (!f->key || (p->nchance && !f->spare))
        abort();
    f->replay = f->inner && v->h->trace && (v->poisson || p->nchance);
    /* the quasi-repeat where the whole state takes longer to repeat than
     * the schedule (the engine takes it only where the exact repeat would
     * come later than its recording ends) */
    f->window = dev_window_period(p);
    tick_t h0 = plan_hyperperiod(p);
    plan_radio_period(p, &f->quasi_exact);
    if (v->h->quasi && f->quasi_exact > h0) {
        repeat_init(&f->quasi, size, h0);
        f->quasi_on = 1;
    }
    if (f->replay && !(f->pt = malloc(DEV_POINTS * sizeof *f->pt)))
        abort();
}

static void dev_levels_free(struct dev_ff *f)
{
    for (int l = 0; l < f->nlv; l++)
        repeat_free(&f->lv[l].r);
    if (f->quasi_on)
        repeat_free(&f->quasi);
    free(f->key);
    free(f->pt);
    if (f->spare)
        gsl_rng_free(f->spare);
}

/* How many of the next kmax periods draw, on a copy of the generator, the
 * outcomes of the m draws found in the last one (from draw number from):
 * each then runs as the last one did. */
static int64_t dev_draw_ahead(dev *v, struct dev_ff *f, uint64_t from, uint64_t m, int64_t kmax)
{
    gsl_rng_memcpy(f->spare, v->chance_rng);
    for (int64_t k = 0; k < kmax; k++)
        for (uint64_t i = 0; i < m; i++) {
            const dev_draw *d = &f->draw[(from + i) % DEV_DRAWS];
            if ((gsl_rng_uniform(f->spare) < d->prob) != d->hit)
                return k;
        }
    return kmax;
}

/* Report the change points of the period just found (from the level's
 * checkpoint to now) k more times, shifted by whole periods, polling the
 * stop hook after each. Returns how many periods were reported (< k when
 * the run was stopped: v->stopped set). */
static int64_t dev_replay(dev *v, struct dev_ff *f, const dev_level *lv, tick_t period,
                          int64_t k)
{
    uint64_t n = f->npts - lv->pts_at;
    int st[COMP__COUNT];
    for (int64_t j = 1; j <= k; j++) {
        tick_t off = j * period;
        for (uint64_t i = 0; i < n; i++) {
            const dev_point *e = &f->pt[(lv->pts_at + i) % DEV_POINTS];
            for (int c = 0; c < COMP__COUNT; c++)
                st[c] = e->st[c];
            v->h->trace(v->h->ctx, e->t + off, e->cur, e->radio, e->act, st);
        }
        if (v->h->stop && v->h->stop(v->h->ctx, v->now + off)) {
            v->stopped = 1;
            return j;
        }
    }
    return k;
}

/* The engine records the whole period that starts now, up to end (a
 * battery's period: engine.c), segment by segment: the inner repeats in
 * it are replayed, up to end, as they were reported, so the recording is
 * the event-by-event one. Returns 0 (look on, inner levels only). */
static int dev_record(dev *v, struct dev_ff *f, tick_t end)
{
    f->cap_end = end;
    f->lv[0].off = 1;
    f->inner = 1;
    f->replay = 1;
    if (!f->pt && !(f->pt = malloc(DEV_POINTS * sizeof *f->pt)))
        abort();
    (void)v;
    for (int l = 1; l < f->nlv; l++)
        repeat_reset(&f->lv[l].r);
    return 0;
}

/* A repeat found by level lv (whole: level 0): skip as many whole periods
 * as the run's end, the level's bound, the draws and the engine allow.
 * Returns 1 after a skip, 0 without, -1 to stop looking altogether. */
static int dev_jump(dev *v, struct dev_ff *f, dev_level *lv, int whole)
{
    repeat *r = &lv->r;
    tick_t now = v->now, period = now - r->t;
    if (period <= 0 || r->bound < now) {    /* a boundary inside the period: look again */
        repeat_reset(r);
        return 0;
    }
    int64_t k = (v->p->duration - 1 - now) / period;   /* end strictly before the run's end */
    tick_t until = r->bound;
    if (until != TICK_MAX && (until - now) / period < k)
        k = (until - now) / period;
    if (!whole && f->cap_end && (f->cap_end <= now || (f->cap_end - now) / period < k))
        k = f->cap_end <= now ? 0 : (f->cap_end - now) / period;
    uint64_t m = lv->gen || !v->p->nchance ? 0 : f->ndraws - lv->draws_at;
    if (m > DEV_DRAWS)
        k = 0;
    else if (m && k > 0) {
        k = dev_draw_ahead(v, f, lv->draws_at, m, k);
        until = now + k * period;       /* within the run: no overflow */
    }
    int refused = 0, replay = 0;
    if (k > 0) {
        int64_t allow = v->h->repeat(v->h->ctx, now, period, until, r->at);
        refused = allow <= 0;
        if (refused && !whole && until != TICK_MAX && f->replay &&
            f->npts - lv->pts_at <= DEV_POINTS) {
            replay = 1;
            refused = 0;
            allow = k;
        }
        if (allow < k)
            k = allow;
    }
    if (k <= 0) {
        repeat_reset(r);
        if (until == TICK_MAX && refused && whole && v->h->trace && f->nlv > 1 && !f->cap_end)
            return dev_record(v, f, now + period);
        if (until == TICK_MAX && refused)   /* the engine took the steady state */
            return -1;
        if (until == TICK_MAX)      /* the run ends within a period: shorter ones may not */
            lv->off = 1;
        else if (!whole && refused) /* it takes no finite repeats (a battery, a trace) */
            f->inner = 0;
        return 0;
    }
    if (replay)
        k = dev_replay(v, f, lv, period, k);
    int64_t dw = v->wakes - r->wakes;
    tick_t shift;
    if (ticks_mul(period, k, &shift)) {
        v->L->overflow = 1;
        return -1;
    }
    ledger_repeat(v->L, r->at, k);
    v->now += shift;
    v->wakes += k * dw;
    for (int i = 0; i < v->p->ntask; i++) {
        const plan_task *t = &v->p->task[i];
        if (task_class(t) > lv->cut)
            continue;       /* left out: it did not run, its next run stays */
        if ((t->kind == T_EVERY || t->kind == T_PIN_POISSON) && v->due[i] != TICK_MAX)
            v->due[i] += shift;
        else if (t->kind == T_PIN_AT && t->repeat && v->due[i] != TICK_MAX) {
            /* the key holds the place in the list: shift is whole repeats */
            v->due[i] += shift;
            v->pin_i[i] += (int)(shift / t->repeat) * t->nat;
        } else if (t->kind == T_NTH)
            v->due[i] += k * dw;
    }
    for (uint64_t n = (uint64_t)k * m; n > 0; n--)  /* the draws the skipped periods made */
        gsl_rng_uniform(v->chance_rng);
    for (int l = whole ? 0 : 1; l < f->nlv; l++)
        repeat_reset(&f->lv[l].r);
    return 1;
}

/* The charge (C, module side) of one calibration burst and one keepalive
 * at their full currents: a bound on what the phase of their counters
 * changes in a stretch of the run (one burst more or fewer of each). */
static double dev_burst_C(const dev *v)
{
    const plan *p = v->p;
    const double *w = p->cur[COMP_WIFI];
    double q = 0;
    if (v->cal_every)
        q += w[WIFI_CAL] * ticks_to_s(p->cal);
    if (v->ka_every)
        q += w[WIFI_TX] * ticks_to_s(p->ka_tx) + w[WIFI_RX] * ticks_to_s(p->ka_rx);
    return q;
}

/* The quasi-repeat at a wake (device_hooks.quasi): the state with the
 * radio counters' phases left out, offered when nothing absolute-timed
 * lies ahead. Returns 1 when the engine took it (stop looking: it records
 * and ends the run), 0 to look on. */
static int dev_quasi(dev *v, struct dev_ff *f)
{
    repeat *r = &f->quasi;
    dev_key(v, f->key, TICK_MAX, 1, 0, 0);
    /* no ledger at its checkpoints: the engine records the period itself */
    if (!repeat_offer(r, f->key, v->now, v->wakes, dev_bound(v, TICK_MAX)))
        return 0;
    tick_t period = v->now - r->t;
    if (period <= 0 || r->bound != TICK_MAX) {
        repeat_reset(r);
        return 0;
    }
    if (v->h->quasi(v->h->ctx, v->now, period, dev_burst_C(v), f->quasi_exact))
        return 1;
    f->quasi_on = 0;    /* refused: it will not be taken later either; look on */
    return 0;
}

/* At a wake: offer the state to every detector, the whole state first;
 * skip at the first repeat that allows it; then the quasi-repeat. Returns
 * 0 to keep looking, -1 to stop looking. */
static int dev_fast_forward(dev *v, struct dev_ff *f)
{
    int flushed = 0;    /* the ledger brought up to date, once, when needed */
    for (int l = 0; l < f->nlv && (l == 0 || f->inner); l++) {
        dev_level *lv = &f->lv[l];
        if (lv->off)
            continue;
        dev_key(v, f->key, lv->cut, lv->gen, l > 0 && f->replay, 1);
        int found = repeat_offer(&lv->r, f->key, v->now, v->wakes, dev_bound(v, lv->cut));
        if ((found || lv->r.fresh) && !flushed) {
            ledger_acc_flush(v->acc);
            flushed = 1;
        }
        if (!found) {
            if (lv->r.fresh) {
                repeat_set_ledger(&lv->r, v->L);
                lv->draws_at = f->ndraws;
                lv->pts_at = f->npts;
            }
            continue;
        }
        int rc = dev_jump(v, f, lv, l == 0);
        if (rc)
            return rc < 0 ? -1 : 0;
    }
    return f->quasi_on && dev_quasi(v, f) ? -1 : 0;
}

int device_run(const plan *p, ledger *L, const device_hooks *h)
{
    dev v;
    memset(&v, 0, sizeof v);    /* padding too: the state is compared byte for byte */
    v.p = p;
    v.L = L;
    v.h = h;
    ledger_acc *accp = malloc(sizeof *accp);
    if (!accp)
        abort();
    ledger_acc_init(accp, L);
    v.acc = accp;
    dev_rest_mask(p, v.mask);
    plan_radio_every(p, &v.cal_every, &v.ka_every);
    /* the beacon's share of a doze as a reduced fraction (5.4 / 102.4 ms:
     * 27 / 512), so that its product with a doze fits in 64 bits */
    tick_t g = p->beacon > 0 ? ticks_gcd(p->beacon, p->dtim) : 1;
    v.beacon_n = p->beacon / g;
    v.beacon_d = p->dtim / g;
    dev_parts(&v);
    v.due = calloc((size_t)p->ntask + 1, sizeof *v.due);
    v.pin_i = calloc((size_t)p->ntask + 1, sizeof *v.pin_i);
    v.rng = gsl_rng_alloc(gsl_rng_mt19937);
    v.chance_rng = gsl_rng_alloc(gsl_rng_mt19937);
    v.counter = calloc((size_t)p->ncounter + 1, sizeof *v.counter);
    if (!v.due || !v.pin_i || !v.rng || !v.chance_rng || !v.counter)
        abort();
    for (int i = 0; i < p->ntask; i++)
        v.poisson |= p->task[i].kind == T_PIN_POISSON;
    gsl_rng_set(v.rng, p->seed);
    gsl_rng_set(v.chance_rng, p->seed ^ UINT64_C(0x9e3779b97f4a7c15));
    v.st[COMP_FLASH] = p->flash_rest;
    v.st[COMP_WIFI] = WIFI_OFF;
    schedule_init(&v);
    struct dev_ff *ff = NULL;
    int looking = h->repeat != NULL;
    if (looking) {
        if (!(ff = calloc(1, sizeof *ff)))
            abort();
        v.ff = ff;
        dev_levels(&v, ff);
    }
    boot(&v);
    while (!v.stopped) {
        if (looking && dev_fast_forward(&v, ff) < 0)
            looking = 0;
        run_due(&v);
        if (v.stopped)
            break;
        tick_t next = next_event(&v);
        if (next > p->duration)
            next = p->duration;
        if (next <= v.now) {
            if (v.now >= p->duration)
                break;
            continue;   /* a task became due while others ran */
        }
        wait_until(&v, next);
        if (!v.stopped) {
            v.wakes++;
            L->wakes++;
        }
    }
    ledger_acc_flush(v.acc);
    free(v.acc);
    L->duration = v.now;
    if (h->advance)
        h->advance(h->ctx, v.now);
    if (h->trace && v.traced)
        trace_call(&v, v.now);      /* end row: the run's end */
    if (ff) {
        dev_levels_free(ff);
        free(ff);
    }
    gsl_rng_free(v.rng);
    gsl_rng_free(v.chance_rng);
    free(v.counter);
    free(v.due);
    free(v.pin_i);
    return L->overflow ? -1 : 0;
}
