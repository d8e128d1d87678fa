/* scn_check.c — validation of a parsed scenario against a module model:
 * capabilities the module lacks are errors at file:line:column that name
 * what to use instead. */
#include <string.h>
#include "scn_check.h"

static const char *kind_name(comp_id k)
{
    return comp_name(k);
}

/* "i2cNM or i2cQP": the module's buses of a kind, for messages. */
static void buses_of(const model *m, comp_id k, char *buf, size_t n)
{
    buf[0] = '\0';
    int count = 0;
    for (int i = 0; i < m->nbus; i++)
        if (m->bus[i].kind == k) {
            size_t len = strlen(buf);
            snprintf(buf + len, n - len, "%s%s", count ? " or " : "", m->bus[i].name);
            count++;
        }
}

static void check_missing_kind(const model *m, const scn_periph *p, diag *d)
{
    const char *mod = model_name(m);
    if (p->kind == COMP_SAMPLER)
        diag_error(d, p->pos, "%s has no sampler (hardware.sampler); expected a peripheral the "
                   "module has: use timed ADC reads instead (adc NAME + read NAME N) or the imp003", mod);
    else if (p->kind == COMP_DAC)
        diag_error(d, p->pos, "%s has no analog output (DAC); expected a peripheral the module "
                   "has: use PWM with an RC filter instead (pwm NAME) or the imp003", mod);
    else
        diag_error(d, p->pos, "%s has no %s peripheral", mod, kind_name(p->kind));
}

static void check_periph(const model *m, const scn_periph *p, diag *d)
{
    char alt[160];
    const char *mod = model_name(m);
    if ((p->kind == COMP_SAMPLER && !model_bool(m, "caps.sampler")) ||
        (p->kind == COMP_DAC && !model_bool(m, "caps.dac"))) {
        check_missing_kind(m, p, d);
        return;
    }
    const model_bus *b = p->bus[0] ? model_bus_find(m, p->bus) : model_bus_default(m, p->kind);
    buses_of(m, p->kind, alt, sizeof alt);
    if (!b && p->bus[0]) {
        if (alt[0])
            diag_error(d, p->bus_pos, "found '%s', expected %s %s %s of the %s: %s", p->bus,
                       strchr("aeis", kind_name(p->kind)[0]) ? "an" : "a", kind_name(p->kind),
                       p->kind == COMP_ADC || p->kind == COMP_PWM ? "pin" : "bus", mod, alt);
        else
            check_missing_kind(m, p, d);
        return;
    }
    if (!b) {
        check_missing_kind(m, p, d);
        return;
    }
    if (b->kind != p->kind) {
        diag_error(d, p->bus_pos, "'%s' on %s is a %s, expected a %s%s%s", b->name, mod,
                   kind_name(b->kind), kind_name(p->kind), alt[0] ? ": use " : "", alt);
        return;
    }
    if (p->kind == COMP_UART && b->max_baud > 0 && p->speed > b->max_baud) {
        diag_error(d, p->speed_pos, "%s on %s runs at most %.0f baud; found %.0f baud, expected "
                   "a lower rate", b->name, mod, b->max_baud, p->speed);
    }
}

static int has_timed_wake(const scn *s)
{
    for (int i = 0; i < s->ntask; i++)
        if (s->task[i].kind == T_EVERY)
            return 1;
    return 0;
}

static void check_crystal(const scn *s, const model *m, diag *d)
{
    int optional = !strcmp(model_word(m, "caps.crystal"), "optional");
    if (s->crystal == 0 && !optional)
        diag_warn(d, s->crystal_pos, "%s has an integrated 32 kHz crystal; 'crystal no' is ignored",
                  model_name(m));
    int fitted = !optional || s->crystal != 0;
    if (!fitted && s->sleep == SLEEP_DEEP && has_timed_wake(s))
        diag_error(d, s->sleep_pos.file ? s->sleep_pos : s->crystal_pos,
                   "%s without a 32 kHz crystal cannot wake from deep sleep on a timer; "
                   "expected 'crystal yes', 'sleep idle' (stop mode) or only wake-pin tasks "
                   "(on pin ...)", model_name(m));
}

static void check_action(const scn *s, const model *m, const scn_action *a, diag *d)
{
    const char *mod = model_name(m);
    switch (a->kind) {
    case A_NV_WRITE:
        if (!model_bool(m, "caps.nv"))
            diag_error(d, a->pos, "%s has no nv table; expected 'persist N B' (SPI flash on "
                       "this module) or 'flash write N B'", mod);
        else if (a->amount > model_num(m, "nv.size"))
            diag_error(d, a->pos, "nv holds %.0f B on %s; found a write of %.0f B",
                       model_num(m, "nv.size"), mod, a->amount);
        break;
    case A_FLASH_READ: case A_FLASH_WRITE: case A_FLASH_ERASE:
        if (!model_bool(m, "caps.spiflash"))
            diag_error(d, a->pos, "%s has no SPI flash (hardware.spiflash); expected 'nv write "
                       "N B' or 'persist N B' to keep data across deep sleep, or an SPI flash "
                       "chip on an SPI bus (e.g. 'part w25q80bv on spi189')", mod);
        else if (model_has(m, "flash.size") && a->amount > model_num(m, "flash.size"))
            diag_error(d, a->pos, "found a flash %s of %.0f B, expected at most the %.0f B the "
                       "flash part holds (flash.size)", a->kind == A_FLASH_READ ? "read"
                       : a->kind == A_FLASH_WRITE ? "write" : "erase", a->amount,
                       model_num(m, "flash.size"));
        break;
    case A_PERSIST:
        if (!model_bool(m, "caps.nv") && !model_bool(m, "caps.spiflash"))
            diag_error(d, a->pos, "%s has neither nv nor SPI flash to persist to", mod);
        break;
    case A_CPU:
        if (a->on[0] && strcmp(a->on, "imp002") && strcmp(a->on, "imp003") &&
            strcmp(a->on, "imp004m"))
            diag_error(d, a->pos, "found module '%s', expected imp002, imp003 or imp004m", a->on);
        break;
    default:
        break;
    }
    (void)s;
}

/* `pulse NAME [on PIN]`: the module must have a pulse-count pin, and it is
 * the one named. On the imp002 it is pin 1, the wake pin too. */
static void check_pulse(const scn *s, const model *m, diag *d)
{
    if (!s->pulse[0])
        return;
    const char *pin = model_word(m, "caps.pulse_pin"), *mod = model_name(m);
    if (!pin[0]) {
        diag_error(d, s->pulse_pos, "%s has no pulse-count pin; expected a module that has one "
                   "(imp002 pin1, imp004m pinJ) or pin events (on pin ...) counting each pulse",
                   mod);
        return;
    }
    if (s->pulse_pin[0] && strcmp(s->pulse_pin, pin)) {
        diag_error(d, s->pulse_pin_pos, "found '%s', expected %s's pulse-count pin %s",
                   s->pulse_pin, mod, pin);
        return;
    }
    int pin_tasks = 0;
    for (int i = 0; i < s->ntask; i++)
        pin_tasks |= s->task[i].kind == T_PIN_AT || s->task[i].kind == T_PIN_POISSON;
    if (pin_tasks && s->sleep == SLEEP_DEEP && !strcmp(pin, model_word(m, "caps.wake_pin")))
        diag_warn(d, s->pulse_pos, "%s on %s is both the pulse-count pin and the deep-sleep "
                  "wake pin: the 'on pin' tasks need another wiring", pin, mod);
}

/* `part NAME on BUS`: an SPI flash chip on one of the module's SPI buses. */
static void check_parts(const scn *s, const model *m, diag *d)
{
    for (int i = 0; i < s->nparts; i++) {
        if (!s->part_bus[i][0])
            continue;
        const model_bus *b = model_bus_find(m, s->part_bus[i]);
        if (!b || b->kind != COMP_SPI) {
            char alt[160];
            buses_of(m, COMP_SPI, alt, sizeof alt);
            diag_error(d, s->part_bus_pos[i], "found '%s', expected an SPI bus of the %s%s%s",
                       s->part_bus[i], model_name(m), alt[0] ? ": " : "", alt);
        }
        if (!model_has(m, "flash.part"))
            diag_error(d, s->part_pos[i], "part '%s' on a bus: expected an SPI flash part "
                       "(a .part file with flash.* figures)", s->parts[i]);
    }
}

int scn_check(const scn *s, const model *m, diag *d)
{
    int before = diag_count(d);
    diag_pos top = {s->path, 1, 1};
    if (!s->duration)
        diag_error(d, top, "no duration: expected a 'duration' statement (e.g. duration 30 d) "
                   "or --duration");
    for (int i = 0; i < s->nperiph; i++)
        check_periph(m, &s->periph[i], d);
    check_crystal(s, m, d);
    check_pulse(s, m, d);
    for (int i = 0; i < s->ntask && s->battery[0]; i++)
        if (s->task[i].kind == T_PIN_AT && !s->task[i].repeat)
            diag_warn(d, s->task[i].pos, "the pin events of '%s' end at %.6g h and the battery "
                      "life counts none after; expected 'every 1 d' (or another period) after "
                      "the times if they repeat", s->task[i].name,
                      ticks_to_s(s->task[i].at[s->task[i].nat - 1]) / 3600);
    check_parts(s, m, d);
    if (s->sleep == SLEEP_DEEP && s->wifi_connected)
        diag_warn(d, s->wifi_idle_pos.file ? s->wifi_idle_pos : s->sleep_pos,
                  "'wifi-idle connected' has no effect with 'sleep deep': deep sleep turns WiFi "
                  "off and every wake connects again; expected 'sleep idle' to stay associated");
    for (int i = 0; i < s->ntask; i++)
        for (int k = 0; k < s->task[i].na; k++)
            check_action(s, m, &s->task[i].a[k], d);
    return diag_count(d) > before ? -1 : 0;
}
