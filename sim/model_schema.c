/* model_schema.c — every key a module model file may hold: its dimension,
 * whether it is required, and what it means. The loader rejects keys that
 * are not listed here, so a typo in a model file or a --set is an error. */
#include <string.h>
#include "model.h"

#define R 1   /* required in every model file */
#define O 0   /* optional: needed only when the module has the feature */

static const model_key model_keys[] = {
    /* identity */
    {"module.name", MK_WORD, DIM_NONE, R, "short name, e.g. imp004m"},
    {"module.title", MK_STRING, DIM_NONE, R, "one-line description"},
    {"module.supply", MK_NUM, DIM_VOLTAGE, R, "supply voltage at which the currents below are given"},
    /* capabilities */
    {"caps.stop", MK_BOOL, DIM_NONE, R, "has the low-power stop mode (entered automatically when allowed)"},
    {"caps.nv", MK_BOOL, DIM_NONE, R, "has the nv table that survives deep sleep"},
    {"caps.spiflash", MK_BOOL, DIM_NONE, R, "has an external SPI flash usable from Squirrel (hardware.spiflash)"},
    {"caps.sampler", MK_BOOL, DIM_NONE, R, "has hardware.sampler"},
    {"caps.dac", MK_BOOL, DIM_NONE, R, "has analog output / fixed-frequency DAC"},
    {"caps.crystal", MK_WORD, DIM_NONE, R, "32 kHz crystal: integrated or optional"},
    {"caps.wake_pin", MK_WORD, DIM_NONE, R, "the deep-sleep wake pin"},
    {"caps.pulse_pin", MK_WORD, DIM_NONE, 0, "the pin that counts pulses (pin.configure(PULSE_COUNTER)); absent: none"},
    {"nv.size", MK_NUM, DIM_BYTES, O, "size of the nv table"},
    {"nv.write.cycles_per_byte", MK_NUM, DIM_CYCLES, O, "CPU work to serialise one byte into nv"},
    /* CPU and clocks */
    {"cpu.core", MK_STRING, DIM_NONE, R, "CPU core"},
    {"cpu.clock", MK_NUM, DIM_FREQ, R, "CPU clock while running"},
    {"cpu.run.current", MK_NUM, DIM_CURRENT, R, "module current, CPU busy at cpu.clock, radio off"},
    {"cpu.wake.current", MK_NUM, DIM_CURRENT, R, "while oscillators and PLL restart after a low-power state"},
    {"cpu.idle.current", MK_NUM, DIM_CURRENT, R, "Squirrel idle / shallow sleep: clock-gated, radio off"},
    {"cpu.stop.current", MK_NUM, DIM_CURRENT, O, "stop mode (imp004m), radio excluded"},
    {"cpu.deepsleep.current", MK_NUM, DIM_CURRENT, R, "deep sleep, radio excluded"},
    {"cpu.wake.from_idle", MK_NUM, DIM_TIME, R, "latency to leave idle (clock gating)"},
    {"cpu.wake.from_stop", MK_NUM, DIM_TIME, O, "latency to leave stop: HSE/PLL restart"},
    {"cpu.wake.from_deepsleep", MK_NUM, DIM_TIME, R, "oscillator start before the boot loader runs"},
    {"cpu.busywait.max", MK_NUM, DIM_TIME, R, "imp.sleep() at or below this busy-waits"},
    {"boot.cycles", MK_NUM, DIM_CYCLES, R, "impOS + Squirrel VM start, after power-on or deep sleep"},
    {"boot.flash_read", MK_NUM, DIM_BYTES, R, "bytes read from SPI flash while booting (0 if none)"},
    {"clk32k.xtal.current", MK_NUM, DIM_CURRENT, R, "32.768 kHz crystal oscillator (LSE) running"},
    {"clk32k.rc.current", MK_NUM, DIM_CURRENT, R, "internal RC oscillator (LSI) running"},
    {"clk32k.off.current", MK_NUM, DIM_CURRENT, R, "no low-speed clock running"},
    {"clk32k.rc.error", MK_NUM, DIM_RATIO, R, "timer error when timing from the RC oscillator (+ = slow)"},
    /* WiFi */
    {"wifi.chip", MK_STRING, DIM_NONE, R, "WiFi part"},
    {"wifi.off.current", MK_NUM, DIM_CURRENT, R, "radio powered down (after a disconnect, unless latched): held in reset, firmware lost"},
    {"wifi.standby.current", MK_NUM, DIM_CURRENT, R, "radio kept powered and warm between connections by imp.net.latchwifipower(true)"},
    {"wifi.deepsleep.current", MK_NUM, DIM_CURRENT, R, "radio while the module deep-sleeps"},
    {"wifi.powerup.current", MK_NUM, DIM_CURRENT, R, "radio powering up: regulators on, reset, firmware download"},
    {"wifi.powerup.time", MK_NUM, DIM_TIME, R, "wait after powering the radio before the host may talk to it"},
    {"wifi.scan.current", MK_NUM, DIM_CURRENT, R, "scanning for the access point"},
    {"wifi.scan.time", MK_NUM, DIM_TIME, R, "scan duration"},
    {"wifi.join.current", MK_NUM, DIM_CURRENT, R, "authenticating / associating (WPA2)"},
    {"wifi.join.time", MK_NUM, DIM_TIME, R, "join duration"},
    {"wifi.dhcp.current", MK_NUM, DIM_CURRENT, R, "obtaining an address"},
    {"wifi.dhcp.time", MK_NUM, DIM_TIME, R, "DHCP (+DNS) duration"},
    {"wifi.tls.current", MK_NUM, DIM_CURRENT, R, "TCP + TLS handshake with the cloud"},
    {"wifi.tls.time", MK_NUM, DIM_TIME, R, "cloud connect duration"},
    {"wifi.assoc.current", MK_NUM, DIM_CURRENT, R, "associated, power-save off, listening"},
    {"wifi.ps_doze.current", MK_NUM, DIM_CURRENT, R, "associated, power-save on, dozing between beacons"},
    {"wifi.ps_beacon.current", MK_NUM, DIM_CURRENT, R, "power-save on, awake for a DTIM beacon"},
    {"wifi.ps.dtim", MK_NUM, DIM_TIME, R, "DTIM interval the radio wakes at"},
    {"wifi.ps.beacon.time", MK_NUM, DIM_TIME, R, "awake time per DTIM beacon"},
    {"wifi.ps.latency", MK_NUM, DIM_TIME, R, "wait for a server response with power-save on"},
    {"wifi.rtt", MK_NUM, DIM_TIME, R, "wait for a server response with power-save off"},
    {"wifi.tx.current", MK_NUM, DIM_CURRENT, R, "transmitting"},
    {"wifi.tx.rate", MK_NUM, DIM_BITRATE, R, "effective upload rate incl. protocol overhead"},
    {"wifi.rx.current", MK_NUM, DIM_CURRENT, R, "receiving"},
    {"wifi.rx.rate", MK_NUM, DIM_BITRATE, R, "effective download rate"},
    {"wifi.cal.current", MK_NUM, DIM_CURRENT, R, "radio calibration burst (at every radio power-up, then periodically)"},
    {"wifi.cal.time", MK_NUM, DIM_TIME, R, "calibration burst length"},
    {"wifi.cal.interval", MK_NUM, DIM_TIME, R, "calibration period while the radio is on"},
    {"wifi.keepalive.interval", MK_NUM, DIM_TIME, R, "keepalive period while connected and quiet"},
    {"wifi.keepalive.bytes", MK_NUM, DIM_BYTES, R, "bytes sent (and received) per keepalive"},
    {"wifi.disconnect.time", MK_NUM, DIM_TIME, R, "flush and disassociate"},
    {"wifi.fwload.size", MK_NUM, DIM_BYTES, O, "radio firmware read from SPI flash into the radio at every radio power-up (0 if none)"},
    {"wifi.fwload.clock", MK_NUM, DIM_FREQ, O, "SPI clock of that read"},
    {"wifi.retry.time", MK_NUM, DIM_TIME, R, "SUSPEND_ON_ERROR: how long impOS retries a lost connection"},
    {"wifi.snooze.time", MK_NUM, DIM_TIME, R, "SUSPEND_ON_ERROR: deep sleep between retries (wake reason SNOOZE)"},
    /* SPI flash */
    {"flash.part", MK_STRING, DIM_NONE, O, "flash part fitted"},
    {"flash.none.current", MK_NUM, DIM_CURRENT, R, "no flash fitted (0)"},
    {"flash.standby.current", MK_NUM, DIM_CURRENT, O, "flash selected-off standby"},
    {"flash.dpd.current", MK_NUM, DIM_CURRENT, O, "flash deep power-down"},
    {"flash.read.current", MK_NUM, DIM_CURRENT, O, "flash reading"},
    {"flash.program.current", MK_NUM, DIM_CURRENT, O, "flash page program"},
    {"flash.erase.current", MK_NUM, DIM_CURRENT, O, "flash sector erase"},
    {"flash.clock", MK_NUM, DIM_FREQ, O, "SPI clock to the flash"},
    {"flash.page", MK_NUM, DIM_BYTES, O, "program page size"},
    {"flash.sector", MK_NUM, DIM_BYTES, O, "smallest erase unit"},
    {"flash.size", MK_NUM, DIM_BYTES, O, "capacity of the flash part: no read, write or erase is larger"},
    {"flash.program.time", MK_NUM, DIM_TIME, O, "time to program one page"},
    {"flash.erase.time", MK_NUM, DIM_TIME, O, "time to erase one sector"},
    {"flash.endurance", MK_NUM, DIM_NONE, O, "rated erase/program cycles per sector (wear-out)"},
    {"flash.dpd.exit", MK_NUM, DIM_TIME, O, "release from deep power-down (tRES1)"},
    {"flash.rest", MK_WORD, DIM_NONE, O, "state impOS leaves the flash in while it waits and in deep sleep: dpd (default) or standby"},
    /* peripherals */
#define PERIPH_KEYS(p) \
    {p ".off.current", MK_NUM, DIM_CURRENT, O, "not configured"}, \
    {p ".on.current", MK_NUM, DIM_CURRENT, O, "configured, clock running, idle"}, \
    {p ".active.current", MK_NUM, DIM_CURRENT, O, "transferring / converting"}, \
    {p ".keeps_clocks", MK_BOOL, DIM_NONE, O, "while configured, blocks clock gating and stop mode"}
    PERIPH_KEYS("i2c"), PERIPH_KEYS("spi"), PERIPH_KEYS("uart"),
    PERIPH_KEYS("adc"), PERIPH_KEYS("pwm"), PERIPH_KEYS("sampler"),
    PERIPH_KEYS("dac"),
    {"adc.sample.time", MK_NUM, DIM_TIME, O, "one ADC conversion as seen from Squirrel"},
    {"i2c.overhead.bytes", MK_NUM, DIM_BYTES, O, "address and register bytes per transaction"},
    /* regulator */
    {"regulator.on.current", MK_NUM, DIM_CURRENT, R, "module regulator quiescent current"},
    {"regulator.part", MK_STRING, DIM_NONE, O, "regulator fitted"},
    /* buses: bus.NAME = kind word; bus.NAME.max_baud for UARTs */
    {"bus.*", MK_WORD, DIM_NONE, O, "a bus or pin of the module and its kind (i2c, spi, uart, adc, pwm, dac, sampler)"},
    {"bus.*.max_baud", MK_NUM, DIM_BITRATE, O, "highest UART baud rate"},
    /* uncertainty (--monte-carlo) */
    {"mc.spread", MK_NUM, DIM_RATIO, O, "estimate figures without an mc.KEY vary uniformly by +-this"},
    {"mc.**", MK_STRING, DIM_NONE, O, "distribution of figure KEY: \"uniform LO HI\", \"normal MEAN SD\" or \"choice V1 V2 ...\" (values with units)"},
};

const model_key *model_schema(int *n)
{
    *n = (int)(sizeof model_keys / sizeof model_keys[0]);
    return model_keys;
}

static int model_key_match(const char *pat, const char *key)
{
    const char *star = strchr(pat, '*');
    if (!star)
        return strcmp(pat, key) == 0;
    if (star[1] == '*')     /* "**": any non-empty rest, dots included */
        return strncmp(pat, key, (size_t)(star - pat)) == 0 && key[star - pat];
    size_t pre = (size_t)(star - pat);
    if (strncmp(pat, key, pre) != 0)
        return 0;
    const char *rest = key + pre;
    const char *suffix = star + 1;
    const char *dot = strchr(rest, '.');
    if (!*suffix)
        return dot == NULL && *rest;
    return dot && dot != rest && strcmp(dot, suffix) == 0;
}

const model_key *model_schema_find(const char *key)
{
    int n;
    const model_key *k = model_schema(&n);
    for (int i = 0; i < n; i++)
        if (model_key_match(k[i].key, key))
            return &k[i];
    return NULL;
}
