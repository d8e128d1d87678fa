/* test_decide.c — the decision's numbers against hand derivations: steady
 * per-period current of deep sleep and of stop mode, and the break-even
 * wake interval, for a scenario whose figures are all set in the file. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "decide.h"
#include "tutil.h"

static char path[64];

/* Every current that flows in either variant is set; the rest are 0. */
static const char *scn_text =
    "module imp004m\nduration 1 d\nsleep deep\ncrystal yes\n"
    "set model.cpu.run.current = 40 mA\nset model.cpu.wake.current = 20 mA\n"
    "set model.cpu.idle.current = 4 mA\nset model.cpu.stop.current = 30 uA\n"
    "set model.cpu.deepsleep.current = 2 uA\n"
    "set model.clk32k.xtal.current = 0 A\nset model.clk32k.rc.current = 0 A\n"
    "set model.clk32k.off.current = 0 A\nset model.clk32k.rc.error = 0 %\n"
    "set model.wifi.standby.current = 0 A\nset model.wifi.deepsleep.current = 0 A\n"
    "set model.wifi.off.current = 0 A\n"
    "set model.flash.standby.current = 0 A\nset model.flash.dpd.current = 0 A\n"
    "set model.flash.read.current = 0 A\nset model.regulator.on.current = 0 A\n"
    "set model.i2c.off.current = 0 A\nset model.spi.off.current = 0 A\n"
    "set model.uart.off.current = 0 A\nset model.adc.off.current = 0 A\n"
    "set model.pwm.off.current = 0 A\n"
    "set model.cpu.wake.from_deepsleep = 1 ms\nset model.cpu.wake.from_stop = 100 us\n"
    "set model.boot.cycles = 9.6 Mcycles\nset model.boot.flash_read = 0 B\n"
    "every 10 min as work:\n  cpu 960 kcycles\n";

/* Hand derivation, period P (s):
 *   deep: wake 1 ms at 20 mA, boot 9.6 Mcycles / 96 MHz = 100 ms and the task
 *         960 kcycles = 10 ms at 40 mA, deep sleep P - 0.111 s at 2 uA
 *   stop: task 10 ms at 40 mA, leaving stop 0.1 ms at 20 mA, stop
 *         P - 0.0101 s at 30 uA
 *   Q_deep(P) = 20e-3*1e-3 + 40e-3*0.110 + 2e-6*(P - 0.111)
 *   Q_stop(P) = 40e-3*0.010 + 20e-3*1e-4 + 30e-6*(P - 0.0101)
 *   equal at P* = (4.42e-3 - 2.22e-7 - 4.02e-4 + 3.03e-7) / 28e-6 s */
static double q_deep(double p) { return 20e-3 * 1e-3 + 40e-3 * 0.110 + 2e-6 * (p - 0.111); }
static double q_stop(double p) { return 40e-3 * 0.010 + 20e-3 * 1e-4 + 30e-6 * (p - 0.0101); }

static int setup(void)
{
    snprintf(path, sizeof path, "/tmp/impsim-decide-XXXXXX");
    return tutil_write_temp(path, scn_text) ? 1 : 0;
}

static int teardown(void)
{
    unlink(path);
    return 0;
}

static void test_steady_current(void)
{
    matrix_opts o;
    char *argv[] = {"decide", path, NULL};
    CU_ASSERT_FATAL(matrix_parse(2, argv, "", MX_DECIDE, &o) == 0);
    diag *d = diag_new();
    double a, b;
    CU_ASSERT_FATAL(decide_steady_current(path, NULL, 0, &o.vs.v[1], 600, &a, d) == 0);
    CU_ASSERT_FATAL(decide_steady_current(path, NULL, 0, &o.vs.v[3], 600, &b, d) == 0);
    TUTIL_REL_EQ(a, q_deep(600) / 600, 1e-9);
    TUTIL_REL_EQ(b, q_stop(600) / 600, 1e-9);
    CU_ASSERT_FATAL(decide_steady_current(path, NULL, 0, &o.vs.v[3], 30, &b, d) == 0);
    TUTIL_REL_EQ(b, q_stop(30) / 30, 1e-9);
    diag_free(d);
    matrix_free(&o);
}

static void test_break_even(void)
{
    matrix_opts o;
    char *argv[] = {"decide", path, NULL};
    CU_ASSERT_FATAL(matrix_parse(2, argv, "", MX_DECIDE, &o) == 0);
    static decide_result r;
    memset(&r, 0, sizeof r);
    r.deep = 1;         /* imp004m-deep */
    r.best = 3;         /* imp004m-stop */
    r.period_s = 600;
    CU_ASSERT_STRING_EQUAL(o.vs.v[1].name, "imp004m-deep");
    CU_ASSERT_STRING_EQUAL(o.vs.v[3].name, "imp004m-stop");
    decide_break_even(&o, &r);
    double want = (4.42e-3 - 2.22e-7 - 4.02e-4 + 3.03e-7) / 28e-6;   /* 143.50 s */
    CU_ASSERT_EQUAL(r.be_status, 0);
    TUTIL_REL_EQ(r.be_period_s, want, 1e-5);
    CU_ASSERT(fabs(q_deep(want) - q_stop(want)) < 1e-12);
    matrix_free(&o);
}

static void test_verdict(void)
{
    matrix_opts o;
    char *argv[] = {"decide", path, "--min-ratio", "0.5", NULL};
    CU_ASSERT_FATAL(matrix_parse(4, argv, "", MX_DECIDE, &o) == 0);
    static decide_result r;
    CU_ASSERT_FATAL(decide_run(&o, &r) == 0);
    /* Over the scenario's 1 d: deep sleep is 144 identical periods (power-on
     * is a boot like every wake); stop mode is 144 stop periods plus the one
     * power-on boot (1 ms at 20 mA + 100 ms at 40 mA, instead of 101 ms at
     * 30 uA), less the last period's wake from stop, which falls at the end
     * of the run (0.1 ms at 20 mA instead of 30 uA). No battery: the merit
     * ratio is the inverse average current. */
    double deep = 144 * q_deep(600);
    double stop = 144 * q_stop(600) + 20e-3 * 1e-3 + 40e-3 * 0.1 - 30e-6 * 0.101
                  - (20e-3 - 30e-6) * 1e-4;
    TUTIL_REL_EQ(r.ratio, deep / stop, 1e-9);
    CU_ASSERT_EQUAL(r.can_drop, r.ratio >= 0.5);
    CU_ASSERT_STRING_EQUAL(o.vs.v[r.best].name, "imp004m-stop");
    CU_ASSERT(r.nsens > 0);
    CU_ASSERT_STRING_EQUAL(r.sens[0].key, "cpu.stop.current");
    matrix_free(&o);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("decide", setup, teardown);
    CU_add_test(s, "steady current per period, by hand", test_steady_current);
    CU_add_test(s, "break-even wake interval, by hand", test_break_even);
    CU_add_test(s, "verdict and sensitivity", test_verdict);
    return tutil_run_all();
}
