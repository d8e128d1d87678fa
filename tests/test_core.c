/* test_core.c — CUnit tests of the core: ticks, units, the ledger's
 * invariants, a hand-computed budget, the mode rules, the parser's errors
 * and every capability check. Runs scenarios through the real pipeline
 * (parse -> check -> plan -> SimGrid engine -> budget). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "figfile.h"
#include "pipeline.h"
#include "pool.h"
#include "sha256.h"
#include "tutil.h"
#include "units.h"

/* ---- helpers ---- */

typedef struct {
    int ok;
    budget b;
    engine_result r;
    char err[1400];
} trun;

static trun *run_text(const char *text, const char *set1)
{
    static trun t;
    memset(&t, 0, sizeof t);
    diag *d = diag_new();
    pipeline pl;
    char *sets[1] = {(char *)set1};
    if (pipeline_load_text(&pl, "t.scn", text, sets, set1 ? 1 : 0, d) == 0) {
        t.ok = pipeline_run(&pl, NULL, &t.b, &t.r) == 0;
        engine_result_free(&t.r);
        pipeline_free(&pl);
    }
    snprintf(t.err, sizeof t.err, "%s", diag_first(d));
    diag_free(d);
    return &t;
}

static tick_t st_ticks(const trun *t, comp_id c, int s)
{
    return ledger_state_ticks(&t->r.L, c, s);
}

/* ---- ticks and units ---- */

static void test_ticks_clocks(void)
{
    tick_t t;
    CU_ASSERT_EQUAL(TICKS_PER_S % 120000000, 0);
    CU_ASSERT_EQUAL(TICKS_PER_S % 96000000, 0);
    CU_ASSERT_EQUAL(TICKS_PER_S % 32768, 0);
    CU_ASSERT_EQUAL(TICKS_PER_S % 3000000, 0);
    CU_ASSERT_EQUAL(ticks_from_cycles(1, 120e6, &t), 0);
    CU_ASSERT_EQUAL(t, 64);
    CU_ASSERT_EQUAL(ticks_from_cycles(1, 96e6, &t), 0);
    CU_ASSERT_EQUAL(t, 80);
    CU_ASSERT_EQUAL(ticks_from_cycles(1, 32768, &t), 0);
    CU_ASSERT_EQUAL(t, 234375);
    /* range: 10 years of ticks fit, 40 years do not */
    CU_ASSERT_EQUAL(ticks_from_s(10 * 365.25 * 86400, &t), 0);
    CU_ASSERT_EQUAL(ticks_from_s(40 * 365.25 * 86400, &t), -1);
    CU_ASSERT_EQUAL(ticks_add(TICK_MAX - 1, 2, &t), -1);
    CU_ASSERT_EQUAL(ticks_mul(TICKS_PER_S, 2000000000, &t), -1);
    CU_ASSERT_EQUAL(ticks_from_s(-1, &t), -1);
    CU_ASSERT_EQUAL(ticks_gcd(900 * TICKS_PER_S, 600 * TICKS_PER_S), 300 * TICKS_PER_S);
    CU_ASSERT_EQUAL(ticks_gcd(7, 0), 7);
}

static void test_units(void)
{
    double v;
    units_dim d;
    CU_ASSERT_EQUAL(units_parse("8", "uA", &v, &d), 0);
    CU_ASSERT_EQUAL(d, DIM_CURRENT);
    CU_ASSERT_DOUBLE_EQUAL(v, 8e-6, 1e-18);
    CU_ASSERT_EQUAL(units_parse("15", "min", &v, &d), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 900, 0);
    CU_ASSERT_EQUAL(units_parse("2850", "mAh", &v, &d), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 2850 * 3.6, 1e-9);
    CU_ASSERT_EQUAL(units_parse("5", "/day", &v, &d), 0);
    CU_ASSERT_EQUAL(d, DIM_RATE);
    CU_ASSERT_EQUAL(units_parse("1", "furlong", &v, &d), -2);
    CU_ASSERT_EQUAL(units_parse("1e999", "A", &v, &d), -1);
    CU_ASSERT_EQUAL(units_parse("1.2.3", "A", &v, &d), -1);
}

/* ---- ledger invariants ---- */

static const char *periodic =
    "module imp004m\ncrystal yes\nduration 6 h\nsleep deep\n"
    "i2c sensor\n"
    "every 15 min as sense:\n  read sensor 6 B\n  cpu 200 kcycles\n"
    "every 4th wake as upload:\n  wifi connect\n  wifi send 512 B\n";

static void test_ledger_sums(void)
{
    trun *t = run_text(periodic, NULL);
    CU_ASSERT_FATAL(t->ok);
    const budget *b = &t->b;
    double comp = 0, act = 0;
    for (int c = 0; c < COMP__COUNT; c++) {
        comp += b->comp[c].charge_C;
        /* every component's state times cover the whole duration */
        CU_ASSERT_EQUAL(ledger_comp_ticks(&t->r.L, (comp_id)c), b->duration);
        double st = 0;
        for (int s = 0; s < b->comp[c].nst; s++)
            st += b->comp[c].st[s].charge_C;
        TUTIL_REL_EQ(st, b->comp[c].charge_C, 1e-12);
    }
    tick_t act_t = 0;
    for (int a = 0; a < b->nact; a++) {
        act += b->act[a].charge_C;
        act_t += b->act[a].ticks;
    }
    CU_ASSERT_EQUAL(act_t, b->duration);
    TUTIL_REL_EQ(comp, b->charge_C, 1e-12);
    TUTIL_REL_EQ(act, b->charge_C, 1e-12);
    CU_ASSERT_EQUAL(b->duration, 6 * 3600 * TICKS_PER_S);
    /* SimGrid's clock reached the same end */
    CU_ASSERT_DOUBLE_EQUAL(t->r.sg_clock, 6 * 3600.0, 1e-6);
    CU_ASSERT(b->charge_C > 0);
}

static void test_ledger_doubling(void)
{
    static ledger one;
    static budget b1;
    trun *t = run_text(periodic, "scenario.duration=3h");
    CU_ASSERT_FATAL(t->ok);
    one = t->r.L;
    b1 = t->b;
    t = run_text(periodic, "scenario.duration=6h");
    CU_ASSERT_FATAL(t->ok);
    for (int c = 0; c < COMP__COUNT; c++)
        for (int s = 0; s < COMP_MAX_STATES; s++)
            for (int a = 0; a < LEDGER_MAX_ACT; a++)
                CU_ASSERT_EQUAL(t->r.L.t[c][s][a], 2 * one.t[c][s][a]);
    /* exactly twice: the same bits, not approximately */
    CU_ASSERT(t->b.charge_C == 2 * b1.charge_C);
    CU_ASSERT(t->b.energy_J == 2 * b1.energy_J);
}

/* ---- hand-computed budget ---- */

static const char *hand =
    "module imp004m\ncrystal yes\nduration 1 h\nsleep deep\n"
    "set model.cpu.run.current = 40 mA\nset model.cpu.wake.current = 20 mA\n"
    "set model.cpu.idle.current = 4 mA\nset model.cpu.stop.current = 30 uA\n"
    "set model.cpu.deepsleep.current = 2 uA\nset model.clk32k.xtal.current = 1 uA\n"
    "set model.clk32k.rc.current = 0.5 uA\nset model.clk32k.off.current = 0 A\n"
    "set model.wifi.standby.current = 0 A\nset model.wifi.deepsleep.current = 3 uA\n"
    "set model.wifi.off.current = 8 uA\n"
    "set model.flash.standby.current = 10 uA\nset model.flash.dpd.current = 1 uA\n"
    "set model.flash.read.current = 5 mA\nset model.regulator.on.current = 0.5 uA\n"
    "set model.i2c.off.current = 0 A\nset model.spi.off.current = 0 A\n"
    "set model.uart.off.current = 0 A\nset model.adc.off.current = 0 A\n"
    "set model.pwm.off.current = 0 A\nset model.sampler.off.current = 0 A\n"
    "set model.dac.off.current = 0 A\n"
    "set model.cpu.wake.from_deepsleep = 1 ms\nset model.boot.cycles = 9.6 Mcycles\n"
    "set model.boot.flash_read = 0 B\n"
    "every 10 min as work:\n  cpu 960 kcycles\n";

static void test_hand_budget(void)
{
    trun *t = run_text(hand, NULL);
    CU_ASSERT_FATAL(t->ok);
    /* One 600 s period, derived by hand:
     *   wake 1 ms (cpu wake 20 mA, flash in deep power-down 1 uA),
     *   boot 9.6 Mcycles / 96 MHz = 100 ms + task 960 kcycles = 10 ms:
     *     110 ms at cpu run 40 mA, flash standby 10 uA, WiFi powered down 8 uA,
     *   deep sleep 600 - 0.111 = 599.889 s: cpu 2 uA, WiFi 3 uA, flash 1 uA;
     *   crystal 1 uA and regulator 0.5 uA the whole 600 s.
     * Six periods in one hour. */
    double awake = 0.111, run = 0.110, wake = 0.001, deep = 600 - awake;
    double cpu = 20e-3 * wake + 40e-3 * run + 2e-6 * deep;
    double wifi = 8e-6 * awake + 3e-6 * deep;
    double flash = 1e-6 * (wake + deep) + 10e-6 * run;
    double other = (1e-6 + 0.5e-6) * 600;
    double total = 6 * (cpu + wifi + flash + other);
    TUTIL_REL_EQ(t->b.charge_C, total, 1e-9);
    TUTIL_REL_EQ(t->b.comp[COMP_CPU].charge_C, 6 * cpu, 1e-9);
    TUTIL_REL_EQ(t->b.comp[COMP_WIFI].charge_C, 6 * wifi, 1e-9);
    TUTIL_REL_EQ(t->b.energy_J, total * 3.3, 1e-9);
    CU_ASSERT_EQUAL(t->b.boots, 6);
}

static void test_board_loads(void)
{
    char text[2048];
    snprintf(text, sizeof text, "load pull 3 uA always\nload led 5 mA\n%s%s", hand,
             "  enable led\n  cpu 960 kcycles\n");
    trun *t = run_text(text, NULL);
    CU_ASSERT_FATAL(t->ok);
    /* The hand scenario's task now switches the LED on and runs a second
     * 10 ms of work: the LED is on for those 10 ms and goes off in deep
     * sleep (pins tri-stated); the pull-up draws 3 uA for the whole hour. */
    CU_ASSERT_STRING_EQUAL(t->b.comp[COMP_LOAD0].name, "pull");
    CU_ASSERT_STRING_EQUAL(t->b.comp[COMP_LOAD1].name, "led");
    CU_ASSERT(t->b.comp[COMP_LOAD0].fitted && t->b.comp[COMP_LOAD1].fitted);
    CU_ASSERT(!t->b.comp[COMP_LOAD2].fitted && !t->b.comp[COMP_LOAD3].fitted);
    TUTIL_REL_EQ(t->b.comp[COMP_LOAD0].charge_C, 3e-6 * 3600, 1e-9);
    TUTIL_REL_EQ(t->b.comp[COMP_LOAD1].charge_C, 6 * 5e-3 * 0.010, 1e-9);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_LOAD1, LOAD_ON), 6 * TICKS_PER_S / 100);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_LOAD1, LOAD_OFF) + st_ticks(t, COMP_LOAD1, LOAD_ON),
                    t->r.L.duration);
}

/* ---- mode rules ---- */

static const char *idle_scn =
    "module imp004m\ncrystal yes\nduration 2 h\nsleep idle\n%s\n"
    "every 10 min as work:\n  cpu 1 Mcycles\n%s";

static trun *run_idle(const char *decl, const char *task, const char *set)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, idle_scn, decl, task);
    return run_text(buf, set);
}

static void test_stop_mode_entered(void)
{
    trun *t = run_idle("", "", NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT(st_ticks(t, COMP_CPU, CPU_STOP) > 0);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CPU, CPU_DEEPSLEEP), 0);
    CU_ASSERT_EQUAL(t->b.boots, 1);     /* stop mode does not restart Squirrel */
    CU_ASSERT(st_ticks(t, COMP_WIFI, WIFI_OFF) > 0);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_WIFI, WIFI_STANDBY), 0);
}

static void test_stop_blocked_by_uart(void)
{
    trun *t = run_idle("uart gps at 9600 baud", "boot:\n  enable gps\n", NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CPU, CPU_STOP), 0);
    CU_ASSERT(st_ticks(t, COMP_CPU, CPU_IDLE) > 0);
    CU_ASSERT(st_ticks(t, COMP_UART, PERIPH_ON) > 0);
}

static void test_stop_not_blocked_by_i2c(void)
{
    trun *t = run_idle("i2c sensor", "boot:\n  read sensor 2 B\n", NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT(st_ticks(t, COMP_CPU, CPU_STOP) > 0);
}

static void test_stop_blocked_by_wifi(void)
{
    trun *t = run_idle("wifi-idle connected", "  wifi send 100 B\n", NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CPU, CPU_STOP), 0);
    CU_ASSERT(st_ticks(t, COMP_WIFI, WIFI_ASSOC) > 0);
    t = run_idle("wifi-idle connected\npowersave on", "  wifi send 100 B\n", NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT(st_ticks(t, COMP_WIFI, WIFI_PS_DOZE) > 0);
    CU_ASSERT(st_ticks(t, COMP_WIFI, WIFI_PS_BEACON) > 0);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CPU, CPU_STOP), 0);
}

static void test_imp002_no_stop(void)
{
    trun *t = run_idle("", "", "scenario.module=imp002");
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CPU, CPU_STOP), 0);
    CU_ASSERT(st_ticks(t, COMP_CPU, CPU_IDLE) > 0);
}

static void test_no_crystal_rc(void)
{
    trun *t = run_idle("", "", "scenario.crystal=no");
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CLK32K, CLK_XTAL), 0);
    CU_ASSERT(st_ticks(t, COMP_CLK32K, CLK_RC) > 0);
}

static void test_deep_sleep_restarts(void)
{
    trun *t = run_text("module imp004m\ncrystal yes\nduration 2 h\nsleep deep\n"
                       "every 10 min:\n  cpu 1 Mcycles\n", NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(t->b.boots, 12);    /* power-on + 11 timed wakes */
    CU_ASSERT(st_ticks(t, COMP_CPU, CPU_DEEPSLEEP) > 0);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CPU, CPU_STOP), 0);
}

static void test_pin_deep_sleep_without_crystal(void)
{
    trun *t = run_text("module imp004m\ncrystal no\nduration 1 d\nsleep deep\n"
                       "on pin at 1h, 5h, 9h as door:\n  cpu 1 Mcycles\n", NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(t->b.boots, 4);
    CU_ASSERT(st_ticks(t, COMP_CLK32K, CLK_OFF) > 0);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CLK32K, CLK_XTAL), 0);
}

/* 3000 B at 3 MHz = 8 ms of flash read per radio power-up. */
static const char *fw_text =
    "module imp004m\ncrystal yes\nduration 2 h\nsleep deep\n"
    "set model.boot.flash_read = 0 B\nset model.wifi.fwload.size = 3000 B\n"
    "set model.wifi.fwload.clock = 3 MHz\nset model.wifi.powerup.time = 150 ms\n"
    "set model.wifi.cal.time = 15 ms\nset model.wifi.cal.interval = 60 s\n"
    "every 10 min:\n  wifi send 100 B\n";
#define FW_LOAD (8 * TICKS_PER_S / 1000)

/* Every radio power-up pays the power-up wait, the firmware download and
 * one calibration burst: after each of the 12 boots with deep sleep, and
 * at each of the 12 reconnects in stop mode (the radio is powered down at
 * every disconnect), once on the imp002 too (no download: 0 B). */
static void test_radio_powerup(void)
{
    tick_t up = 150 * TICKS_PER_S / 1000, cal = 15 * TICKS_PER_S / 1000;
    trun *t = run_text(fw_text, NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(t->b.boots, 12);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_FLASH, FLASH_READ), 12 * FW_LOAD);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_WIFI, WIFI_POWERUP), 12 * (up + FW_LOAD));
    CU_ASSERT_EQUAL(st_ticks(t, COMP_WIFI, WIFI_CAL), 12 * cal);
    t = run_text(fw_text, "scenario.sleep=idle");
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(t->b.boots, 1);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_FLASH, FLASH_READ), 12 * FW_LOAD);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_WIFI, WIFI_POWERUP), 12 * (up + FW_LOAD));
    CU_ASSERT_EQUAL(st_ticks(t, COMP_WIFI, WIFI_CAL), 12 * cal);
    CU_ASSERT(st_ticks(t, COMP_CPU, CPU_STOP) > 0);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_WIFI, WIFI_STANDBY), 0);
    t = run_text(fw_text, "scenario.module=imp002");
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_WIFI, WIFI_POWERUP), 12 * up);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_WIFI, WIFI_CAL), 12 * cal);
}

/* imp.net.latchwifipower(true) keeps the radio powered and warm between
 * connections: one power-up in stop-mode-style waits, the radio in its
 * latched standby, and no stop mode (WiFi is not off). */
static void test_latched_radio(void)
{
    char text[1024];
    snprintf(text, sizeof text, "latchwifipower on\n%s", fw_text);
    trun *t = run_text(text, "scenario.sleep=idle");
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_FLASH, FLASH_READ), FW_LOAD);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_WIFI, WIFI_CAL), 15 * TICKS_PER_S / 1000);
    CU_ASSERT(st_ticks(t, COMP_WIFI, WIFI_STANDBY) > 0);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CPU, CPU_STOP), 0);
    CU_ASSERT(st_ticks(t, COMP_CPU, CPU_IDLE) > 0);
}

/* Deep sleep clears the latch. Latched once at power-on (every 4th wake
 * runs at wake 0 only in three wakes), each wake sends, disconnects,
 * waits 1 s and sends again: wake 0 powers the radio up once (it stays
 * warm across the disconnect); wakes 1 and 2, after deep sleep, twice
 * each: 5 downloads (6 without the latch, 3 if deep sleep kept it). */
static void test_deep_sleep_clears_latch(void)
{
    const char *text =
        "module imp004m\ncrystal yes\nduration 30 min\nsleep deep\n"
        "set model.boot.flash_read = 0 B\nset model.wifi.fwload.size = 3000 B\n"
        "set model.wifi.fwload.clock = 3 MHz\n"
        "every 4th wake:\n  latchwifipower on\n"
        "every 10 min:\n  wifi send 100 B\n  wifi disconnect\n  wait 1 s\n  wifi send 100 B\n";
    trun *t = run_text(text, NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(t->b.boots, 3);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_FLASH, FLASH_READ), 5 * FW_LOAD);
}

/* persist keeps state across deep sleep the module's way (flash erase +
 * program on the imp004m, nv on the imp002); across stop/idle/shallow
 * waits RAM survives and it costs nothing at all. */
static void test_persistence(void)
{
    const char *s = "module imp004m\ncrystal yes\nduration 1 h\nsleep deep\n"
                    "every 10 min:\n  persist 200 B\n";
    trun *t = run_text(s, NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT(st_ticks(t, COMP_FLASH, FLASH_PROGRAM) > 0);
    CU_ASSERT(st_ticks(t, COMP_FLASH, FLASH_ERASE) > 0);
    double q004 = t->b.charge_C;
    t = run_text(s, "scenario.module=imp002");
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_FLASH, FLASH_PROGRAM), 0);
    CU_ASSERT(q004 > 0);
    const char *mods[] = {"imp004m", "imp002"}, *sleeps[] = {"idle", "shallow"};
    for (int m = 0; m < 2; m++)
        for (int k = 0; k < 2; k++) {
            char text[512], none[512], set[64];
            snprintf(text, sizeof text, "module %s\ncrystal yes\nduration 1 h\nsleep %s\n"
                     "every 10 min:\n  cpu 1 Mcycles\n  persist 200 B\n", mods[m], sleeps[k]);
            snprintf(none, sizeof none, "module %s\ncrystal yes\nduration 1 h\nsleep %s\n"
                     "every 10 min:\n  cpu 1 Mcycles\n", mods[m], sleeps[k]);
            snprintf(set, sizeof set, "scenario.module=%s", mods[m]);
            t = run_text(text, set);
            CU_ASSERT_FATAL(t->ok);
            CU_ASSERT_EQUAL(st_ticks(t, COMP_FLASH, FLASH_PROGRAM), 0);
            CU_ASSERT_EQUAL(st_ticks(t, COMP_FLASH, FLASH_ERASE), 0);
            double with = t->b.charge_C;
            t = run_text(none, set);
            CU_ASSERT_FATAL(t->ok);
            CU_ASSERT_EQUAL(with, t->b.charge_C);
        }
}

/* impOS puts the imp004m's SPI flash in deep power-down while it waits,
 * not the imp003's, which idles in standby (impOS 37.32, t/3392). */
static void test_flash_rest(void)
{
    const char *text = "module imp004m\ncrystal yes\nduration 1 h\nsleep idle\n"
                       "every 10 min:\n  flash read 1 KB\n";
    trun *t = run_text(text, NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT(st_ticks(t, COMP_FLASH, FLASH_DPD) > 50 * 60 * TICKS_PER_S);
    t = run_text(text, "scenario.module=imp003");
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT_EQUAL(st_ticks(t, COMP_FLASH, FLASH_DPD), 0);
    CU_ASSERT(st_ticks(t, COMP_FLASH, FLASH_STANDBY) > 50 * 60 * TICKS_PER_S);
}

/* A restart during an outage (SUSPEND_ON_ERROR snooze) sets the boot
 * task's peripherals up again: the UART keeps stop mode away after it. */
static void test_outage_restart(void)
{
    const char *s = "module imp004m\ncrystal yes\nduration 1 d\nsleep idle\n"
                    "uart gps at 9600 baud\nap down from 1 h for 1 h\n"
                    "boot:\n  enable gps\nevery 15 min:\n  wifi send 100 B\n";
    trun *t = run_text(s, NULL);
    CU_ASSERT_FATAL(t->ok);
    CU_ASSERT(t->b.boots > 1);                          /* snoozes restarted */
    CU_ASSERT_EQUAL(st_ticks(t, COMP_CPU, CPU_STOP), 0);
    /* the UART is off only while the module snoozes in deep sleep and
     * boots (7 starts of ~71 ms each here: well under 1 s) */
    CU_ASSERT(st_ticks(t, COMP_UART, PERIPH_OFF) <=
              st_ticks(t, COMP_CPU, CPU_DEEPSLEEP) + TICKS_PER_S);
    int off = ledger_activity(&t->r.L, "offline");
    CU_ASSERT(off >= 0 && t->b.act[off].ticks >= 3600 * TICKS_PER_S);
}

static void test_poisson_deterministic(void)
{
    const char *s = "module imp004m\nduration 5 d\nsleep deep\nseed 11\n"
                    "on pin poisson 6 /day:\n  cpu 1 Mcycles\n";
    trun *t = run_text(s, NULL);
    CU_ASSERT_FATAL(t->ok);
    uint64_t w = t->b.wakes;
    double q = t->b.charge_C;
    CU_ASSERT(w > 10 && w < 60);        /* 30 expected; P(outside) < 1e-6 */
    t = run_text(s, NULL);
    CU_ASSERT_EQUAL(t->b.wakes, w);
    CU_ASSERT(t->b.charge_C == q);
    t = run_text(s, "scenario.seed=12");
    CU_ASSERT(t->b.charge_C != q);
}

/* ---- parser and capability errors ---- */

typedef struct {
    const char *text, *set, *want;
} err_case;

static const err_case err_cases[] = {
    {"module imp004m\nduration 1 d\nevery 15 parsecs:\n  cpu 1\n", NULL,
     "t.scn:3:7: error: found unknown unit 'parsecs', expected a time"},
    {"module imp004m\nduration 1 d\nevery 15 min\n", NULL,
     "t.scn:3:13: error: found 'end of line', expected 'during WINDOW', 'as NAME' or ':' at the end of the task header"},
    {"module imp004m\nduration 1 d\n  cpu 1\n", NULL, "t.scn:3:3: error: found an indented line"},
    {"module imp004m\nduration 1 d\nfrobnicate 3\n", NULL, "t.scn:3:1: error: found 'frobnicate'"},
    {"module imp004m\nduration -1 d\n", NULL, "t.scn:2:10: error: found '-1', expected a time > 0"},
    {"module imp004m\nduration 1 d\nsleep forever\n", NULL,
     "t.scn:3:7: error: found 'forever', expected one of: deep idle shallow"},
    {"module imp004m\nduration 1 d\nscenario \"oops\n", NULL,
     "t.scn:3:10: error: found an unterminated string"},
    {"module imp004m\nduration 1 d\nevery 1 h:\n  read nothing 2 B\n", NULL,
     "t.scn:4:8: error: found 'nothing', expected the name of a declared peripheral"},
    {"module imp004m\nduration 1 d\nsupply 3.3 A\n", NULL,
     "t.scn:3:8: error: found '3.3 A', expected a voltage"},
    {"module imp004m\nduration 1 d\nset model.cpu.run.current = 3 V\n", NULL,
     "cpu.run.current: found '3 V', expected a current"},
    {"module imp004m\nduration 1 d\nset model.cpu.jogging = 3 mA\n", NULL,
     "found 'cpu.jogging', expected a model figure"},
    {"module imp004m\nduration 1 d\n", "scenario.sleep=forever",
     "--set 'scenario.sleep=forever': error: found 'forever', expected one of: deep idle shallow"},
    {"duration 1 d\nevery 1 h:\n  cpu 1\n", NULL, "t.scn:1:1: error: no module"},
    {"module imp004m\nevery 1 h:\n  cpu 1\n", NULL, "t.scn:1:1: error: no duration"},
    /* capability checks */
    {"module imp004m\nduration 1 d\nsampler mic\n", NULL,
     "t.scn:3:9: error: imp004m has no sampler (hardware.sampler)"},
    {"module imp004m\nduration 1 d\ndac out\n", NULL,
     "t.scn:3:5: error: imp004m has no analog output (DAC)"},
    {"module imp004m\nduration 1 d\ni2c sensor on i2c89\n", NULL,
     "t.scn:3:15: error: found 'i2c89', expected an i2c bus of the imp004m: i2cNM or i2cQP"},
    {"module imp004m\ncrystal no\nsleep deep\nduration 1 d\nevery 1 h:\n  cpu 1\n", NULL,
     "t.scn:3:7: error: imp004m without a 32 kHz crystal cannot wake from deep sleep on a timer"},
    {"module imp004m\nduration 1 d\nuart gps on uartQ at 6 Mbaud\n", NULL,
     "t.scn:3:22: error: uartQ on imp004m runs at most 3000000 baud; found 6000000 baud"},
    {"module imp004m\nduration 1 d\nevery 1 h:\n  nv write 10 B\n", NULL,
     "t.scn:4:3: error: imp004m has no nv table; expected 'persist N B'"},
    {"module imp002\nduration 1 d\nevery 1 h:\n  flash write 10 B\n", NULL,
     "t.scn:4:3: error: imp002 has no SPI flash (hardware.spiflash)"},
    {"module imp002\nduration 1 d\ni2c s on i2cNM\n", NULL,
     "t.scn:3:10: error: found 'i2cNM', expected an i2c bus of the imp002: "},
};

/* A figure file loaded again is copied from its first parse: the same
 * entries, positions in the copy; a file whose text changed is parsed
 * again, and a broken one still reports its error every time. */
static void test_figfile_reload(void)
{
    char path[] = "/tmp/impsim-fig-XXXXXX";
    CU_ASSERT_FATAL(tutil_write_temp(path, "cpu.run.current 5 mA datasheet \"x\"\n"
                                           "wifi.tx.time 2 ms estimate \"y\"\n") == 0);
    diag *d = diag_new();
    figfile *a = figfile_load(path, d), *b = figfile_load(path, d);
    CU_ASSERT_FATAL(a && b && a != b);
    CU_ASSERT_EQUAL(b->n, 2);
    for (int i = 0; i < 2 && b->n == 2; i++) {
        CU_ASSERT_STRING_EQUAL(a->v[i].key, b->v[i].key);
        CU_ASSERT_STRING_EQUAL(a->v[i].text, b->v[i].text);
        CU_ASSERT_STRING_EQUAL(a->v[i].source, b->v[i].source);
        CU_ASSERT_EQUAL(a->v[i].value, b->v[i].value);
        CU_ASSERT_EQUAL(a->v[i].pos.line, b->v[i].pos.line);
        CU_ASSERT(b->v[i].pos.file == b->path);
    }
    figfile_free(a);
    CU_ASSERT_STRING_EQUAL(b->v[1].key, "wifi.tx.time");    /* b owns its own copy */
    figfile_free(b);
    FILE *fp = fopen(path, "w");
    CU_ASSERT_FATAL(fp != NULL);
    fputs("cpu.run.current 7 mA datasheet \"x\"\n", fp);
    fclose(fp);
    figfile *c = figfile_load(path, d);
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT_EQUAL(c->n, 1);
    CU_ASSERT_DOUBLE_EQUAL(c->v[0].value, 7e-3, 1e-15);
    figfile_free(c);
    CU_ASSERT_EQUAL(diag_count(d), 0);
    fp = fopen(path, "w");
    CU_ASSERT_FATAL(fp != NULL);
    fputs("cpu.run.current 7 parsecs datasheet \"x\"\n", fp);
    fclose(fp);
    for (int k = 0; k < 2; k++) {
        diag *e = diag_new();
        CU_ASSERT(figfile_load(path, e) == NULL);
        CU_ASSERT(diag_count(e) > 0);
        diag_free(e);
    }
    diag_free(d);
    unlink(path);
}

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof err_cases / sizeof err_cases[0]; i++) {
        trun *t = run_text(err_cases[i].text, err_cases[i].set);
        CU_ASSERT_FALSE(t->ok);
        if (!strstr(t->err, err_cases[i].want)) {
            fprintf(stderr, "\n  case %zu: got    '%s'\n          wanted '%s'\n", i, t->err,
                    err_cases[i].want);
            CU_FAIL("error message");
        }
    }
}

static void test_sampler_ok_on_imp002(void)
{
    trun *t = run_text("module imp002\nduration 1 h\nsampler mic\n"
                       "every 10 min:\n  run mic for 2 s\n", NULL);
    CU_ASSERT(t->ok);
    CU_ASSERT(st_ticks(t, COMP_SAMPLER, PERIPH_ACTIVE) > 0);
}

/* ---- worker pool ---- */

typedef struct {
    long square;
    pid_t pid;
} pool_t_out;

/* Job j: j squared and the worker's pid; job 5 crashes its worker, job 9
 * exits in the middle of its result. */
static void pool_t_job(int j, void *ctx, void *out)
{
    (void)ctx;
    pool_t_out *r = out;
    if (j == 5)
        abort();
    if (j == 9)
        _exit(0);
    r->square = (long)j * j;
    r->pid = getpid();
}

/* Every job's result lands in its place; a job whose worker dies fails
 * alone (zeroed) and the jobs after it still run; workers run several
 * jobs each (fewer processes than jobs). */
static void test_pool(void)
{
    enum { N = 40 };
    pool_t_out out[N];
    int ok[N];
    CU_ASSERT_FATAL(pool_run(N, 2, sizeof *out, pool_t_job, NULL, out, ok) == 0);
    int pids = 0;
    for (int j = 0; j < N; j++) {
        if (j == 5 || j == 9) {
            CU_ASSERT(!ok[j]);
            CU_ASSERT(out[j].square == 0 && out[j].pid == 0);
            continue;
        }
        CU_ASSERT(ok[j]);
        CU_ASSERT_EQUAL(out[j].square, (long)j * j);
        int seen = 0;
        for (int k = 0; k < j; k++)
            seen |= ok[k] && out[k].pid == out[j].pid;
        pids += !seen;
    }
    CU_ASSERT(pids >= 1 && pids <= 4);   /* 2 workers, 2 replaced after the deaths */
}

/* Job j of a pool inside a worker: j squared, in the worker itself. */
static void pool_t_inner(int j, void *ctx, void *out)
{
    (void)ctx;
    pool_t_out *r = out;
    r->square = (long)j * j;
    r->pid = getpid();
}

/* Job j: a pool of j + 1 jobs of its own; the sum of their squares, and
 * -1 as the pid when any ran outside this worker. */
static void pool_t_outer(int j, void *ctx, void *out)
{
    (void)ctx;
    pool_t_out in[8], *r = out;
    int ok[8];
    r->pid = pool_run(j + 1, 2, sizeof *in, pool_t_inner, NULL, in, ok) ? -1 : getpid();
    for (int k = 0; k <= j; k++) {
        r->square += ok[k] ? in[k].square : -1000;
        if (in[k].pid != getpid())
            r->pid = -1;
    }
}

/* A pool inside a worker runs its jobs in that worker (no fork of a
 * process that may hold a started SimGrid), results in place. */
static void test_pool_nested(void)
{
    enum { N = 6 };
    pool_t_out out[N];
    int ok[N];
    CU_ASSERT_FATAL(pool_run(N, 2, sizeof *out, pool_t_outer, NULL, out, ok) == 0);
    for (int j = 0; j < N; j++) {
        CU_ASSERT(ok[j]);
        CU_ASSERT_EQUAL(out[j].square, (long)j * (j + 1) * (2 * j + 1) / 6);
        CU_ASSERT(out[j].pid > 0 && out[j].pid != getpid());
    }
}

/* SHA-256 (the capture's checksum): the FIPS 180-2 examples, the empty
 * message, and the same digest whatever the pieces the bytes come in. */
static void test_sha256(void)
{
    static const struct { const char *msg, *hex; } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char hex[65];
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        sha256_ctx c;
        sha256_init(&c);
        sha256_update(&c, v[k].msg, strlen(v[k].msg));
        sha256_hex(&c, hex);
        CU_ASSERT_STRING_EQUAL(hex, v[k].hex);
        /* byte by byte */
        sha256_init(&c);
        for (const char *p = v[k].msg; *p; p++)
            sha256_update(&c, p, 1);
        sha256_hex(&c, hex);
        CU_ASSERT_STRING_EQUAL(hex, v[k].hex);
    }
    /* a million 'a' (FIPS 180-2, appendix B.3) in pieces of 1000 */
    char a[1000];
    memset(a, 'a', sizeof a);
    sha256_ctx c;
    sha256_init(&c);
    for (int k = 0; k < 1000; k++)
        sha256_update(&c, a, sizeof a);
    sha256_hex(&c, hex);
    CU_ASSERT_STRING_EQUAL(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* released without a digest: nothing left behind (ASan's leak check) */
    sha256_init(&c);
    sha256_update(&c, a, 10);
    sha256_free(&c);
    sha256_free(&c);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("core", NULL, NULL);
    CU_add_test(s, "ticks: clocks exact, range, overflow", test_ticks_clocks);
    CU_add_test(s, "worker pool: results in place, a dying job fails alone", test_pool);
    CU_add_test(s, "worker pool inside a worker: jobs run in it", test_pool_nested);
    CU_add_test(s, "units", test_units);
    CU_add_test(s, "SHA-256: FIPS 180-2 examples, any pieces", test_sha256);
    CU_add_test(s, "figure file loaded again: the same, or parsed again when changed", test_figfile_reload);
    CU_add_test(s, "ledger: sums and coverage", test_ledger_sums);
    CU_add_test(s, "ledger: 2xD is exactly twice D", test_ledger_doubling);
    CU_add_test(s, "hand-computed budget to 1e-9", test_hand_budget);
    CU_add_test(s, "board loads: enabled, always, off in deep sleep", test_board_loads);
    CU_add_test(s, "mode: stop entered on imp004m", test_stop_mode_entered);
    CU_add_test(s, "mode: UART blocks stop", test_stop_blocked_by_uart);
    CU_add_test(s, "mode: I2C does not block stop", test_stop_not_blocked_by_i2c);
    CU_add_test(s, "mode: WiFi associated blocks stop", test_stop_blocked_by_wifi);
    CU_add_test(s, "mode: imp002 has no stop", test_imp002_no_stop);
    CU_add_test(s, "mode: no crystal runs timers on RC", test_no_crystal_rc);
    CU_add_test(s, "mode: deep sleep restarts Squirrel", test_deep_sleep_restarts);
    CU_add_test(s, "mode: pin wake without crystal", test_pin_deep_sleep_without_crystal);
    CU_add_test(s, "mode: persist costs flash/nv across deep sleep only", test_persistence);
    CU_add_test(s, "mode: every radio power-up pays wait, firmware, calibration", test_radio_powerup);
    CU_add_test(s, "mode: a latched radio stays warm, no stop mode", test_latched_radio);
    CU_add_test(s, "mode: deep sleep clears the latch", test_deep_sleep_clears_latch);
    CU_add_test(s, "mode: flash at rest: DPD on imp004m, standby on imp003", test_flash_rest);
    CU_add_test(s, "outage: restart keeps the boot task's setup", test_outage_restart);
    CU_add_test(s, "poisson pin events: seeded", test_poisson_deterministic);
    CU_add_test(s, "errors: parser and capabilities", test_errors);
    CU_add_test(s, "capability: sampler on imp002", test_sampler_ok_on_imp002);
    return tutil_run_all();
}
