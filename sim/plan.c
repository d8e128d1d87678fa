/* plan.c — compile a checked scenario and a model into tick durations.
 *
 * Per action kind, the step durations are:
 *   cpu            t1 = cycles at cpu.clock
 *   wait           t1 = the wait (impOS idle: stop mode when allowed)
 *   imp.sleep      t1 = the sleep; flag = busy-wait (t1 <= cpu.busywait.max)
 *   read/write     t1 = bus time: I2C 9 bits per byte (+ address/register
 *                  bytes), SPI 8 bits, UART 10 bits (8N1); ADC N conversions
 *   run            t1 = time the sampler/DAC/PWM is active
 *   flash read     t1 = N*8 bits at flash.clock
 *   flash write    t1 = transfer, t2 = pages * flash.program.time
 *   flash erase    t3 = sectors * flash.erase.time
 *   nv write       t1 = N * nv.write.cycles_per_byte at cpu.clock
 *   persist        with `sleep deep`: nv write on modules with nv, else flash
 *                  erase + write; with idle/shallow waits RAM survives, so
 *                  nothing (flag = 1)
 *   wifi send      t1 = N*8 at wifi.tx.rate (then a response wait)
 *   wifi receive   t1 = N*8 at wifi.rx.rate (after a request wait)
 *   count          t1 = the counting time (a blocking pin.read())
 *   blocks         len = body steps; chance: prob; every Nth run: n and a
 *                  counter; repeat: n
 * Default bus speeds when a scenario gives none: I2C 100 kHz (standard
 * mode, I2C specification), SPI 1 MHz, UART 115200 baud (estimates of
 * what firmware typically configures). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plan.h"
#include "window.h"

typedef struct {
    plan *p;
    const scn *s;
    const model *m;
    diag *d;
    int bad;
} pctx;

static tick_t sec(pctx *c, double s, diag_pos pos)
{
    tick_t t;
    if (ticks_from_s(s, &t)) {
        diag_error(c->d, pos, "a duration of %g s is out of the simulated time range "
                   "(0 to 38 years)", s);
        c->bad = 1;
        return 0;
    }
    return t;
}

/* Where figure `key` was given (model file line, scenario `set` or --set). */
static diag_pos mpos(const pctx *c, const char *key)
{
    const fig_entry *e = figfile_get(c->m->fig, key);
    return e ? e->pos : (diag_pos){c->m->fig->path, 0, 0};
}

static tick_t mkey(pctx *c, const char *key)
{
    return sec(c, model_num(c->m, key), mpos(c, key));
}

/* Record "need" as an error at figure `key` unless ok. */
static void mcheck(pctx *c, int ok, const char *key, const char *need)
{
    if (!ok) {
        diag_error(c->d, mpos(c, key), "%s: %s", key, need);
        c->bad = 1;
    }
}

static tick_t cycles(pctx *c, double n, double hz, diag_pos pos)
{
    tick_t t;
    if (!(n >= 0) || n > 9.2e18 || ticks_from_cycles((uint64_t)llround(n), hz, &t)) {
        diag_error(c->d, pos, "%.0f cycles at %g Hz are out of the simulated time range", n, hz);
        c->bad = 1;
        return 0;
    }
    return t;
}

static double clock_of(pctx *c, const char *module, diag_pos pos)
{
    if (!strcmp(module, model_name(c->m)))
        return model_num(c->m, "cpu.clock");
    diag *d2 = diag_new();
    model *o = model_load(module, NULL, NULL, 0, NULL, 0, d2);
    double hz = o ? model_num(o, "cpu.clock") : 0;
    if (!o) {
        diag_error(c->d, pos, "cannot load module '%s' to convert the time: %s", module,
                   diag_first(d2));
        c->bad = 1;
    }
    model_free(o);
    diag_free(d2);
    return hz;
}

static double bus_speed(const scn_periph *pr)
{
    if (pr->speed > 0)
        return pr->speed;
    return pr->kind == COMP_I2C ? 100e3 : pr->kind == COMP_SPI ? 1e6 : 115200;
}

static void step_xfer(pctx *c, const scn_action *a, plan_step *st)
{
    const scn_periph *pr = &c->s->periph[a->periph];
    double bits;
    switch (pr->kind) {
    case COMP_ADC:
        st->t1 = sec(c, a->amount * model_num(c->m, "adc.sample.time"), a->pos);
        return;
    case COMP_I2C:
        bits = 9 * (a->amount + model_num(c->m, "i2c.overhead.bytes"));
        break;
    case COMP_UART:
        bits = 10 * a->amount;
        break;
    default:
        bits = 8 * a->amount;
    }
    st->t1 = sec(c, bits / bus_speed(pr), a->pos);
}

static void step_flash(pctx *c, const scn_action *a, plan_step *st, int erase, int write)
{
    double page = model_num(c->m, "flash.page"), sector = model_num(c->m, "flash.sector");
    double clk = model_num(c->m, "flash.clock");
    if (!(page > 0 && sector > 0 && clk > 0)) {
        diag_error(c->d, a->pos, "the model's flash.page, flash.sector and flash.clock must be > 0");
        c->bad = 1;
        return;
    }
    if (erase)
        st->t3 = sec(c, ceil(a->amount / sector) * model_num(c->m, "flash.erase.time"), a->pos);
    if (write) {
        st->t1 = sec(c, a->amount * 8 / clk, a->pos);
        st->t2 = sec(c, ceil(a->amount / page) * model_num(c->m, "flash.program.time"), a->pos);
    }
}

static double rate_or_fail(pctx *c, const char *key, diag_pos pos)
{
    double r = model_num(c->m, key);
    if (!(r > 0)) {
        diag_error(c->d, pos, "the model's %s must be > 0", key);
        c->bad = 1;
        return 1;
    }
    return r;
}

static void step_build(pctx *c, const scn_action *a, plan_step *st)
{
    double hz = model_num(c->m, "cpu.clock");
    st->kind = a->kind;
    st->periph = a->periph;
    st->load = a->load;
    st->comp = a->periph >= 0 ? c->s->periph[a->periph].kind : COMP_CPU;
    st->flag = a->flag;
    switch (a->kind) {
    case A_CPU:
        st->t1 = a->on[0] ? cycles(c, a->amount * clock_of(c, a->on, a->pos), hz, a->pos)
                          : cycles(c, a->amount, hz, a->pos);
        break;
    case A_WAIT: case A_RUN:
        st->t1 = sec(c, a->amount, a->pos);
        break;
    case A_IMPSLEEP:
        st->t1 = sec(c, a->amount, a->pos);
        st->flag = a->amount <= model_num(c->m, "cpu.busywait.max");
        break;
    case A_READ: case A_WRITE:
        step_xfer(c, a, st);
        break;
    case A_FLASH_READ:
        st->t1 = sec(c, a->amount * 8 / rate_or_fail(c, "flash.clock", a->pos), a->pos);
        break;
    case A_FLASH_WRITE:
        step_flash(c, a, st, 0, 1);
        break;
    case A_FLASH_ERASE:
        step_flash(c, a, st, 1, 0);
        break;
    case A_PERSIST:
        if (c->s->sleep != SLEEP_DEEP) {
            st->flag = 1;   /* RAM survives stop/idle/shallow waits: nothing to write */
            break;
        }
        if (!model_bool(c->m, "caps.nv")) {
            step_flash(c, a, st, 1, 1);
            break;
        }
        st->kind = A_NV_WRITE;
        /* fall through */
    case A_NV_WRITE:
        st->t1 = cycles(c, a->amount * model_num(c->m, "nv.write.cycles_per_byte"), hz, a->pos);
        break;
    case A_WIFI_SEND:
        st->t1 = sec(c, a->amount * 8 / rate_or_fail(c, "wifi.tx.rate", a->pos), a->pos);
        break;
    case A_WIFI_RECV:
        st->t1 = sec(c, a->amount * 8 / rate_or_fail(c, "wifi.rx.rate", a->pos), a->pos);
        break;
    case A_COUNT:
        st->t1 = sec(c, a->amount, a->pos);
        break;
    case A_CHANCE:
        st->len = a->len;
        st->prob = a->amount;
        if (st->prob > 0 && st->prob < 1)   /* 0 % and 100 % decide nothing */
            c->p->nchance++;
        break;
    case A_NTH_RUN:
        st->counter = c->p->ncounter++;
        /* fall through */
    case A_REPEAT:
        st->len = a->len;
        st->n = (int64_t)a->amount;
        break;
    default:
        break;
    }
}

static int act_index(pctx *c, const char *name, diag_pos pos)
{
    int i = ledger_activity(&c->p->names, name);
    if (i < 0) {
        diag_error(c->d, pos, "more than %d activities; expected fewer distinct task names",
                   LEDGER_MAX_ACT);
        c->bad = 1;
        return 0;
    }
    return i;
}

/* Least time steps [from, to) can take: their own durations, `repeat`
 * bodies times their count, `chance` and `every Nth run` bodies not at all
 * (they may be skipped). Saturates at TICK_MAX. */
static tick_t plan_min_time(const plan_step *st, int from, int to)
{
    tick_t sum = 0, x;
    for (int i = from; i < to; i++) {
        const plan_step *s = &st[i];
        tick_t own = 0;
        if (s->kind == A_REPEAT) {
            tick_t body = plan_min_time(st, i + 1, i + 1 + s->len);
            own = ticks_mul(body, s->n, &x) ? TICK_MAX : x;
        } else if (s->kind != A_CHANCE && s->kind != A_NTH_RUN) {
            own = s->t1 + s->t2 + s->t3;
        }
        if (ticks_add(sum, own, &sum))
            return TICK_MAX;
        if (s->len > 0)
            i += s->len;
    }
    return sum;
}

/* An `every` task whose actions alone take at least its period cannot run
 * on schedule: an error at its header (impOS runs one thing at a time; the
 * engine would skip the runs that fall due while it works). */
static void plan_overrun(pctx *c, const scn_task *t, const plan_task *pt)
{
    if (t->kind != T_EVERY)
        return;
    tick_t need = plan_min_time(pt->step, 0, pt->nstep);
    if (need >= pt->period) {
        diag_error(c->d, t->pos, "task '%s' takes at least %.6g s per run (its actions alone), "
                   "expected less than its period of %.6g s: runs would overlap", t->name,
                   ticks_to_s(need), ticks_to_s(pt->period));
        c->bad = 1;
    }
}

/* `on pin at 08:00, 12:30 every 1 d`: times of day become times after the
 * start of the run (which is `start` seconds after Monday 00:00), in
 * ascending order: (time of day - start's time of day) mod 1 d. */
static void plan_clock_times(pctx *c, const scn_task *t, plan_task *pt)
{
    const tick_t day = (tick_t)86400 * TICKS_PER_S;
    tick_t start = (tick_t)(c->s->start % 86400) * TICKS_PER_S;
    if (!(pt->at_own = calloc((size_t)t->nat, sizeof *pt->at_own)))
        abort();
    for (int k = 0; k < t->nat; k++) {
        tick_t v = ((t->at[k] - start) % day + day) % day;
        int j = k;
        for (; j > 0 && pt->at_own[j - 1] > v; j--)
            pt->at_own[j] = pt->at_own[j - 1];
        pt->at_own[j] = v;
    }
    pt->at = pt->at_own;
    if (t->repeat % day) {
        diag_error(c->d, t->pos, "times of day repeat every whole day; found a repeat of "
                   "%.6g s, expected a multiple of 1 d", ticks_to_s(t->repeat));
        c->bad = 1;
    }
}

static void plan_tasks(pctx *c)
{
    plan *p = c->p;
    p->ntask = c->s->ntask;
    p->task = calloc((size_t)p->ntask + 1, sizeof *p->task);
    if (!p->task)
        abort();
    for (int i = 0; i < p->ntask; i++) {
        const scn_task *t = &c->s->task[i];
        plan_task *pt = &p->task[i];
        pt->kind = t->kind;
        pt->act = act_index(c, t->name, t->pos);
        pt->period = t->period;
        pt->offset = t->offset;
        if (t->kind == T_EVERY && p->rc_scale != 1.0) {
            pt->period = sec(c, ticks_to_s(t->period) * p->rc_scale, t->pos);
            pt->offset = sec(c, ticks_to_s(t->offset) * p->rc_scale, t->pos);
        }
        pt->nth = t->nth;
        pt->at = t->at;
        pt->nat = t->nat;
        /* '12 /day during 07:00-22:00': 12 on each day the window is open,
         * all inside it (window_day_share); '4 /h' holds inside the window */
        pt->rate = t->rate_daily ? t->rate / window_day_share(&t->win) : t->rate;
        pt->nstep = t->na;
        pt->step = calloc((size_t)t->na + 1, sizeof *pt->step);
        if (!pt->step)
            abort();
        pt->repeat = t->repeat;
        if (t->at_clock)
            plan_clock_times(c, t, pt);
        pt->win = t->win;
        /* a block's `as NAME` charges its body; otherwise the enclosing one's */
        int end[SCN_MAX_DEPTH], act[SCN_MAX_DEPTH], depth = 0;
        for (int k = 0; k < t->na; k++) {
            while (depth && k >= end[depth - 1])
                depth--;
            step_build(c, &t->a[k], &pt->step[k]);
            pt->step[k].act = depth ? act[depth - 1] : pt->act;
            if (t->a[k].len > 0 && depth < SCN_MAX_DEPTH) {
                end[depth] = k + 1 + t->a[k].len;
                act[depth] = t->a[k].name[0] ? act_index(c, t->a[k].name, t->a[k].pos)
                                             : pt->step[k].act;
                depth++;
            }
        }
        plan_overrun(c, t, pt);
    }
}

static void plan_module(pctx *c)
{
    plan *p = c->p;
    const model *m = c->m;
    const scn *s = c->s;
    memcpy(p->cur, m->cur, sizeof p->cur);
    p->supply = s->supply > 0 ? s->supply : model_num(m, "module.supply");
    p->has_stop = model_bool(m, "caps.stop");
    p->has_flash = model_bool(m, "caps.spiflash");
    p->has_sampler = model_bool(m, "caps.sampler");
    p->has_dac = model_bool(m, "caps.dac");
    /* a part the module does not have draws nothing (and is not reported:
     * plan_comp_name) */
    for (int k = 0; k < COMP__COUNT; k++)
        if (!plan_comp_name(p, (comp_id)k) && k < COMP_LOAD0)
            memset(p->cur[k], 0, sizeof p->cur[k]);
    p->crystal = strcmp(model_word(m, "caps.crystal"), "optional") || s->crystal != 0;
    for (int k = COMP_PERIPH_FIRST; k <= COMP_PERIPH_LAST; k++) {
        char key[48];
        snprintf(key, sizeof key, "%s.keeps_clocks", comp_name((comp_id)k));
        p->keeps_clocks[k] = model_bool(m, key);
    }
    p->rc_scale = p->crystal ? 1.0 : 1.0 + model_num(m, "clk32k.rc.error");
    p->wake_idle = mkey(c, "cpu.wake.from_idle");
    p->wake_stop = mkey(c, "cpu.wake.from_stop");
    p->wake_deep = mkey(c, "cpu.wake.from_deepsleep");
    p->boot = cycles(c, model_num(m, "boot.cycles"), model_num(m, "cpu.clock"),
                     mpos(c, "boot.cycles"));
    if (p->has_flash && model_num(m, "flash.clock") > 0)
        p->boot_flash = sec(c, model_num(m, "boot.flash_read") * 8 / model_num(m, "flash.clock"),
                            mpos(c, "boot.flash_read"));
    if (p->has_flash && model_num(m, "wifi.fwload.size") > 0) {
        double hz = model_num(m, "wifi.fwload.clock");
        mcheck(c, hz > 0, figfile_get(m->fig, "wifi.fwload.clock") ? "wifi.fwload.clock"
               : "wifi.fwload.size", "expected wifi.fwload.clock > 0 to read the radio firmware at");
        if (hz > 0)
            p->fwload = sec(c, model_num(m, "wifi.fwload.size") * 8 / hz, mpos(c, "wifi.fwload.size"));
    }
    p->powerup = mkey(c, "wifi.powerup.time");
    p->scan = mkey(c, "wifi.scan.time");
    p->join = mkey(c, "wifi.join.time");
    p->dhcp = mkey(c, "wifi.dhcp.time");
    p->tls = mkey(c, "wifi.tls.time");
    p->rtt = mkey(c, "wifi.rtt");
    p->ps_latency = mkey(c, "wifi.ps.latency");
    p->disconnect = mkey(c, "wifi.disconnect.time");
    p->dtim = mkey(c, "wifi.ps.dtim");
    p->beacon = mkey(c, "wifi.ps.beacon.time");
    p->cal = mkey(c, "wifi.cal.time");
    p->cal_interval = mkey(c, "wifi.cal.interval");
    p->ka_interval = mkey(c, "wifi.keepalive.interval");
    double kb = model_num(m, "wifi.keepalive.bytes") * 8;
    diag_pos kp = mpos(c, "wifi.keepalive.bytes");
    p->ka_tx = sec(c, kb / rate_or_fail(c, "wifi.tx.rate", kp), kp);
    p->ka_rx = sec(c, kb / rate_or_fail(c, "wifi.rx.rate", kp), kp);
    p->flash_dpd_exit = p->has_flash ? mkey(c, "flash.dpd.exit") : 0;
    p->flash_rest = p->has_flash ? FLASH_DPD : FLASH_NONE;
    if (p->has_flash && figfile_get(m->fig, "flash.rest")) {
        const char *w = model_word(m, "flash.rest");
        mcheck(c, !strcmp(w, "dpd") || !strcmp(w, "standby"), "flash.rest",
               "expected dpd or standby");
        if (!strcmp(w, "standby"))
            p->flash_rest = FLASH_STANDBY;
    }
    p->retry = mkey(c, "wifi.retry.time");
    p->snooze = mkey(c, "wifi.snooze.time");
    p->ap_down = s->ap_down;
    p->nap = s->nap;
    mcheck(c, p->dtim > 0 && p->beacon <= p->dtim, "wifi.ps.dtim",
           "expected > 0 and >= wifi.ps.beacon.time");
    mcheck(c, p->cal_interval == 0 || p->cal_interval >= p->cal, "wifi.cal.interval",
           "expected 0 (no calibration) or >= wifi.cal.time");
    mcheck(c, p->ka_interval == 0 || p->ka_interval >= p->ka_tx + p->ka_rx,
           "wifi.keepalive.interval", "expected 0 (none) or longer than one keepalive exchange");
    if (s->nap) {   /* otherwise the SUSPEND_ON_ERROR loop makes no progress */
        mcheck(c, p->retry > 0, "wifi.retry.time", "expected > 0 with access-point outages");
        mcheck(c, p->snooze > 0, "wifi.snooze.time", "expected > 0 with access-point outages");
    }
}

int plan_build(plan *p, const scn *s, const model *m, diag *d)
{
    memset(p, 0, sizeof *p);
    pctx c = {p, s, m, d, 0};
    ledger_init(&p->names);
    diag_pos top = {s->path, 1, 1};
    p->act_boot = act_index(&c, "boot", top);
    p->act_wake = act_index(&c, "wake", top);
    p->act_connect = act_index(&c, "connect", top);
    p->act_disconnect = act_index(&c, "disconnect", top);
    p->act_sleep = act_index(&c, "sleep", top);
    if (s->nap)
        p->act_offline = act_index(&c, "offline", top);
    p->duration = s->duration;
    p->sleep = s->sleep;
    p->wifi_connected = s->wifi_connected;
    p->powersave = s->powersave;
    p->latch = s->latch;
    p->seed = s->seed;
    p->start = s->start;
    p->nload = s->nload;
    for (int k = 0; k < s->nload; k++) {
        snprintf(p->load_name[k], SCN_NAME, "%s", s->load[k].name);
        p->load_always[k] = s->load[k].always;
    }
    p->nperiph = s->nperiph < 64 ? s->nperiph : 64;
    for (int i = 0; i < p->nperiph; i++)
        p->periph_comp[i] = s->periph[i].kind;
    if (s->nperiph > 64) {
        diag_error(d, s->periph[64].pos, "more than 64 peripherals declared");
        c.bad = 1;
    }
    plan_module(&c);
    for (int k = 0; k < s->nload; k++)   /* after the model's currents */
        p->cur[COMP_LOAD0 + k][LOAD_ON] = s->load[k].current;
    plan_tasks(&c);
    if (c.bad) {
        plan_free(p);
        return -1;
    }
    return 0;
}

void plan_free(plan *p)
{
    for (int i = 0; i < p->ntask; i++) {
        free(p->task[i].step);
        free(p->task[i].at_own);
    }
    free(p->task);
    p->task = NULL;
    p->ntask = 0;
}

const char *plan_aperiodic(const plan *p)
{
    if (p->nchance)
        return "its `chance` blocks draw at random each time they run (a sample of draws "
               "never repeats exactly, so no period can be multiplied)";
    for (int i = 0; i < p->ntask; i++) {
        if (p->task[i].kind == T_PIN_POISSON)
            return "its Poisson pin events come at random times (they never repeat exactly)";
        if (p->task[i].kind == T_PIN_AT && !p->task[i].repeat)
            return "its `on pin at` events are fixed in time and do not repeat";
    }
    if (p->nap)
        return "its access-point outage is fixed in time";
    return NULL;
}

const char *plan_no_period(const plan *p)
{
    const char *why = plan_aperiodic(p);
    if (why || plan_hyperperiod(p))
        return why;
    return "its tasks' periods have no common multiple within the tick range (38 years): "
           "there is no whole period to repeat (a period like 8.109392 s against a daily "
           "task has none; a rounder one, 8.1 s, has)";
}

int plan_random(const plan *p)
{
    if (p->nchance)
        return 1;
    for (int i = 0; i < p->ntask; i++)
        if (p->task[i].kind == T_PIN_POISSON)
            return 1;
    return 0;
}

tick_t plan_hyperperiod(const plan *p)
{
    tick_t h = 1, n = 1;
    int periodic = 0;
    if (plan_aperiodic(p))
        return 0;
    for (int i = 0; i < p->ntask && h && n; i++) {
        const plan_task *t = &p->task[i];
        if (t->kind == T_EVERY || t->kind == T_PIN_AT) {
            h = ticks_lcm(h, t->kind == T_EVERY ? t->period : t->repeat);
            periodic = 1;
        } else if (t->kind == T_NTH) {
            n = ticks_lcm(n, t->nth);
        }
        if (window_period(&t->win))
            h = h ? ticks_lcm(h, window_period(&t->win)) : 0;
        for (int k = 0; k < t->nstep && n; k++)
            if (t->step[k].kind == A_NTH_RUN)
                n = ticks_lcm(n, t->step[k].n);
    }
    tick_t r;
    if (!periodic || !h || !n || ticks_mul(h, n, &r))
        return 0;
    return r;
}

void plan_radio_every(const plan *p, tick_t *cal, tick_t *ka)
{
    *cal = p->cal_interval > 0 && p->cal > 0 ? p->cal_interval : 0;
    *ka = p->ka_interval > 0 && p->ka_tx + p->ka_rx > 0 ? p->ka_interval : 0;
}

tick_t plan_radio_period(const plan *p, tick_t *whole)
{
    tick_t h0 = plan_hyperperiod(p), h = h0, all = h0, x, every[2];
    plan_radio_every(p, &every[0], &every[1]);
    for (int i = 0; i < 2 && h0; i++) {
        if (!every[i])
            continue;
        if ((x = ticks_lcm(h, every[i])) && x / h0 <= PLAN_RADIO_MAX)
            h = x;
        all = all ? ticks_lcm(all, every[i]) : 0;
    }
    if (whole)
        *whole = !h0 ? 0 : all ? all : TICK_MAX;
    return h;
}

double plan_wifi_peak_A(const plan *p)
{
    int radio = p->wifi_connected || p->latch;
    for (int i = 0; i < p->ntask && !radio; i++)
        for (int k = 0; k < p->task[i].nstep && !radio; k++)
            radio = p->task[i].step[k].kind == A_WIFI_CONNECT;
    if (!radio)
        return 0;
    /* what stays on around a burst: the 32 kHz source, the flash at rest,
     * the regulator and the loads that are always on */
    double rest = p->cur[COMP_CLK32K][p->crystal ? CLK_XTAL : CLK_RC] + p->cur[COMP_REG][REG_ON]
                  + (p->has_flash ? p->cur[COMP_FLASH][p->flash_rest] : 0);
    for (int k = 0; k < p->nload; k++)
        rest += p->load_always[k] ? p->cur[COMP_LOAD0 + k][LOAD_ON] : 0;
    /* the CPU state the engine pairs with each radio state (sim/device.c):
     * busy for the TLS handshake and the firmware download (flash reading),
     * idle for the rest */
    static const int idle_states[] = {WIFI_SCAN, WIFI_JOIN, WIFI_DHCP, WIFI_ASSOC,
                                      WIFI_PS_BEACON, WIFI_TX, WIFI_RX, WIFI_CAL, WIFI_POWERUP};
    double peak = 0, idle = p->cur[COMP_CPU][CPU_IDLE] + rest;
    for (size_t i = 0; i < sizeof idle_states / sizeof *idle_states; i++)
        if (p->cur[COMP_WIFI][idle_states[i]] + idle > peak)
            peak = p->cur[COMP_WIFI][idle_states[i]] + idle;
    double tls = p->cur[COMP_WIFI][WIFI_TLS] + p->cur[COMP_CPU][CPU_RUN] + rest;
    double fw = p->fwload > 0 ? p->cur[COMP_WIFI][WIFI_POWERUP] + p->cur[COMP_CPU][CPU_RUN] + rest
                                + (p->has_flash ? p->cur[COMP_FLASH][FLASH_READ]
                                                  - p->cur[COMP_FLASH][p->flash_rest] : 0)
                              : 0;
    return peak > tls ? (peak > fw ? peak : fw) : (tls > fw ? tls : fw);
}

int plan_same_run(const plan *a, const plan *b)
{
    if (a->ntask != b->ntask || a->nap != b->nap)
        return 0;
    plan *x = malloc(sizeof *x);    /* b with a's currents, supply and pointers */
    if (!x)
        abort();
    memcpy(x, b, sizeof *x);
    memcpy(x->cur, a->cur, sizeof x->cur);
    x->supply = a->supply;
    x->task = a->task;
    x->ap_down = a->ap_down;
    int same = !memcmp(x, a, sizeof *x)
               && (!a->nap || !memcmp(a->ap_down, b->ap_down, 2 * (size_t)a->nap * sizeof *a->ap_down));
    free(x);
    for (int i = 0; same && i < a->ntask; i++) {
        const plan_task *s = &a->task[i], *t = &b->task[i];
        if (s->nstep != t->nstep || s->nat != t->nat
            || (s->nstep && memcmp(s->step, t->step, (size_t)s->nstep * sizeof *s->step))
            || (s->nat && memcmp(s->at, t->at, (size_t)s->nat * sizeof *s->at)))
            return 0;
        plan_task y;
        memcpy(&y, t, sizeof y);
        y.step = s->step;
        y.at = s->at;
        y.at_own = s->at_own;
        same = !memcmp(&y, s, sizeof y);
    }
    return same;
}

const char *plan_comp_name(const plan *p, comp_id c)
{
    int k = (int)c - COMP_LOAD0;
    if ((c == COMP_FLASH && !p->has_flash) || (c == COMP_SAMPLER && !p->has_sampler) ||
        (c == COMP_DAC && !p->has_dac))
        return NULL;    /* the module has no such part */
    if (k < 0)
        return comp_name(c);
    return k < p->nload ? p->load_name[k] : NULL;
}
