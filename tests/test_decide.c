/* test_decide.c — the decision's numbers against hand derivations: steady
 * per-period current of deep sleep and of stop mode, and the break-even
 * wake interval, for a scenario whose figures are all set in the file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "decide.h"
#include "pipeline.h"
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

/* The sensitivity's reuse (decide.c, sens_amps): a figure that only
 * scales a current leaves the plan's run unchanged (plan_same_run), the
 * two simulations give the same ledger to the bit, and the base ledger
 * under the new currents gives the simulated current exactly; a figure
 * that changes a time changes the run. */
static void test_reuse_current_figure(void)
{
    matrix_opts o;
    char *argv[] = {"decide", path, NULL};
    CU_ASSERT_FATAL(matrix_parse(2, argv, "", MX_DECIDE, &o) == 0);
    const variant *v = &o.vs.v[3];     /* imp004m-stop */
    char *sets[16];
    int n = 0;
    for (int i = 0; i < v->nsets; i++)
        sets[n++] = v->sets[i];
    diag *d = diag_new();
    pipeline base, cur, time;
    CU_ASSERT_FATAL(pipeline_load(&base, path, sets, n, d) == 0);
    sets[n] = "model.cpu.stop.current=37.5 uA";
    CU_ASSERT_FATAL(pipeline_load(&cur, path, sets, n + 1, d) == 0);
    sets[n] = "model.cpu.wake.from_stop=125 us";
    CU_ASSERT_FATAL(pipeline_load(&time, path, sets, n + 1, d) == 0);
    CU_ASSERT(plan_same_run(&base.p, &base.p));
    CU_ASSERT(plan_same_run(&base.p, &cur.p));
    CU_ASSERT(!plan_same_run(&base.p, &time.p));
    static ledger lb, lc;
    double a_cur, a_base, per;
    CU_ASSERT_FATAL(pipeline_steady_ledger(&base, &lb) == 0);
    CU_ASSERT_FATAL(pipeline_steady_ledger(&cur, &lc) == 0);
    CU_ASSERT(memcmp(&lb, &lc, sizeof lb) == 0);
    CU_ASSERT_FATAL(pipeline_steady(&cur, &a_cur, &per) == 0);
    CU_ASSERT_FATAL(pipeline_steady(&base, &a_base, &per) == 0);
    CU_ASSERT(pipeline_avg_current(&cur, &lb) == a_cur);
    CU_ASSERT(a_cur > a_base);
    pipeline_free(&base);
    pipeline_free(&cur);
    pipeline_free(&time);
    diag_free(d);
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

/* ---- the verdict on rows of hand-made results (no simulation) ---- */

#define YEAR_S (365.25 * 86400)

/* Built-in order: imp002, imp004m-deep, imp004m-deep-pin, imp004m-stop,
 * imp004m-shallow, imp004m-ps. Lives in years; <= 0: the variant did not
 * run. peak: index whose cell cannot deliver the WiFi peak, or -1. */
static void row_of(variant_result *row, const double *years, int peak)
{
    memset(row, 0, 6 * sizeof *row);
    for (int i = 0; i < 6; i++) {
        row[i].ok = years[i] > 0;
        row[i].has_life = 1;
        row[i].depleted = 1;
        row[i].life_s = years[i] * YEAR_S;
        row[i].avg_current_A = years[i] > 0 ? 1e-4 / years[i] : 0;
        row[i].ended_by = "capacity";
    }
    if (peak >= 0)
        row[peak].peak_fails = 1;
}

static verdict_answer verdict_for(const char *target, const double *years, int peak,
                                  char *sentence, size_t n, verdict *v)
{
    matrix_opts o;
    char *argv[] = {"decide", "x.scn", "--target", (char *)target, NULL};
    CU_ASSERT_FATAL(matrix_parse(target ? 4 : 2, argv, "", MX_DECIDE, &o) == 0);
    variant_result row[6];
    row_of(row, years, peak);
    verdict_answer a = verdict_of(&o, row, -1, v);
    verdict_sentence(&o, row, v, sentence, n);
    matrix_free(&o);
    return a;
}

/* The cases: a target no variant meets, with stop mode 32 % longer
 * than deep sleep (was "NO - keep deep sleep and the crystal"); deep sleep
 * missing the target too (was "NO - keep deep sleep" without saying so). */
static void test_verdict_target(void)
{
    char s[512];
    verdict v;
    const double none_stop_best[6] = {1.0, 1.076, -1, 1.42, 0.05, 0.02};
    CU_ASSERT_EQUAL(verdict_for("2y", none_stop_best, -1, s, sizeof s, &v), VERDICT_NONE);
    CU_ASSERT_EQUAL(v.best, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "NO imp004m VARIANT MEETS 2 y - the best is imp004m-stop at 1.420 y"));
    CU_ASSERT_PTR_NULL(strstr(s, "keep deep sleep"));
    const double none_deep_best[6] = {1.0, 1.6, -1, 1.4, 0.05, 0.02};
    CU_ASSERT_EQUAL(verdict_for("2y", none_deep_best, -1, s, sizeof s, &v), VERDICT_NONE);
    CU_ASSERT_EQUAL(v.best, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "the best is imp004m-deep at 1.600 y"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "would make it worse"));
    const double keep[6] = {1.0, 2.5, -1, 1.8, 0.05, 0.02};
    CU_ASSERT_EQUAL(verdict_for("2y", keep, -1, s, sizeof s, &v), VERDICT_NO);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "NO - keep deep sleep and the crystal: imp004m-deep meets "
                                     "the 2 y target with 2.500 y"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "imp004m-stop, lasts only 1.800 y"));
    CU_ASSERT_EQUAL(v.meets[1], 1);
    CU_ASSERT_EQUAL(v.meets[3], 0);
    CU_ASSERT_EQUAL(v.meets[2], -1);
    const double yes[6] = {1.0, 2.5, -1, 2.1, 0.05, 0.02};
    CU_ASSERT_EQUAL(verdict_for("2y", yes, -1, s, sizeof s, &v), VERDICT_YES);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "YES - drop deep sleep and the crystal: imp004m-stop meets "
                                     "the 2 y target with 2.100 y"));
    TUTIL_REL_EQ(v.margin, 2.1 / 2 - 1, 1e-12);
    /* the wake-pin variant meets it: keep deep sleep, drop the crystal */
    const double pin[6] = {1.0, 2.5, 2.6, 1.8, 0.05, 0.02};
    CU_ASSERT_EQUAL(verdict_for("2y", pin, -1, s, sizeof s, &v), VERDICT_NO);
    CU_ASSERT(v.crystal_can_go);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "but the crystal can go: imp004m-deep-pin meets"));
    /* no cell can power the WiFi: no variant works, whatever the lives say */
    const double dead[6] = {1.0, 1e-7, -1, 1e-7, 1e-7, 1e-7};
    matrix_opts o;
    char *argv[] = {"decide", "x.scn", NULL};
    CU_ASSERT_FATAL(matrix_parse(2, argv, "", MX_DECIDE, &o) == 0);
    variant_result row[6];
    row_of(row, dead, -1);
    for (int i = 1; i < 6; i++)
        row[i].peak_fails = 1;
    CU_ASSERT_EQUAL(verdict_of(&o, row, -1, &v), VERDICT_NONE);
    verdict_sentence(&o, row, &v, s, sizeof s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "NO VARIANT WORKS"));
    matrix_free(&o);
}

/* The Monte Carlo rule: a nominal YES stands only when at least half the
 * samples answer YES; below that it is NO (deep sleep meets the criterion)
 * or NONE (nothing does), and the sentence says why. */
static void test_verdict_mc_majority(void)
{
    char s[1024];
    verdict v;
    matrix_opts o;
    char *argv[] = {"decide", "x.scn", "--target", "2y", NULL};
    CU_ASSERT_FATAL(matrix_parse(4, argv, "", MX_DECIDE, &o) == 0);
    variant_result row[6];
    const double yes[6] = {1.0, 2.5, -1, 2.1, 0.05, 0.02};
    row_of(row, yes, -1);
    CU_ASSERT_EQUAL(verdict_of(&o, row, 0.5, &v), VERDICT_YES);     /* exactly half: YES */
    CU_ASSERT_EQUAL(v.mc_demoted, 0);
    CU_ASSERT_EQUAL(verdict_of(&o, row, 0.495, &v), VERDICT_NO);
    CU_ASSERT_EQUAL(v.nominal, VERDICT_YES);
    CU_ASSERT_EQUAL(v.mc_demoted, 1);
    verdict_sentence(&o, row, &v, s, sizeof s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "NO - keep deep sleep and the crystal: imp004m-stop meets the "
                                     "2 y target with 2.100 y at nominal figures (imp004m-deep: 2.500 y), but the criterion "
                                     "holds in only 49.5 % of the Monte Carlo samples (a YES needs 50 %)"));
    /* deep sleep misses the target too: nothing reliably meets it */
    const double alone[6] = {1.0, 1.9, -1, 2.1, 0.05, 0.02};
    row_of(row, alone, -1);
    CU_ASSERT_EQUAL(verdict_of(&o, row, 0.2, &v), VERDICT_NONE);
    verdict_sentence(&o, row, &v, s, sizeof s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "NO imp004m VARIANT RELIABLY MEETS THE TARGET: imp004m-stop"));
    /* a nominal NO stays NO whatever the samples say */
    const double no[6] = {1.0, 2.5, -1, 1.8, 0.05, 0.02};
    row_of(row, no, -1);
    CU_ASSERT_EQUAL(verdict_of(&o, row, 0.9, &v), VERDICT_NO);
    CU_ASSERT_EQUAL(v.mc_demoted, 0);
    matrix_free(&o);
}

static void test_verdict_ratio(void)
{
    char s[512];
    verdict v;
    const double close[6] = {1.0, 1.3, -1, 1.25, 0.05, 0.02};     /* 96 % of deep sleep */
    CU_ASSERT_EQUAL(verdict_for(NULL, close, -1, s, sizeof s, &v), VERDICT_YES);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "96.2 % of imp004m-deep's 1.300 y (bar: 90 %)"));
    const double far[6] = {1.0, 10, -1, 4, 0.05, 0.02};
    CU_ASSERT_EQUAL(verdict_for(NULL, far, -1, s, sizeof s, &v), VERDICT_NO);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "only 40.0 %"));
    /* the awake variant's cell fails at the WiFi peak: it never wins */
    const double peak[6] = {1.0, 1.3, -1, 5, 0.05, 0.02};
    CU_ASSERT_EQUAL(verdict_for(NULL, peak, 3, s, sizeof s, &v), VERDICT_NO);
}

/* Never recommend the design that does worse on the criterion: over random
 * rows, YES means the awake variant meets it; NO means a deep-sleep variant
 * meets the target and the awake one does not; NONE means nothing meets it
 * and the named best has the longest life of the imp004m designs. */
static void test_verdict_never_worse(void)
{
    unsigned long x = 12345;
    for (int k = 0; k < 2000; k++) {
        double y[6];
        for (int i = 0; i < 6; i++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            y[i] = 0.1 + (double)(x >> 33) / (double)(1UL << 31) * 4;
        }
        if (k % 3 == 0)
            y[2] = -1;
        char s[512];
        verdict v;
        verdict_answer a = verdict_for("2y", y, -1, s, sizeof s, &v);
        double top = 0;
        for (int i = 1; i < 6; i++)
            top = y[i] > top ? y[i] : top;
        if (a == VERDICT_YES)
            CU_ASSERT(y[3] >= 2 || y[4] >= 2 || y[5] >= 2);
        if (a == VERDICT_NO)
            CU_ASSERT((y[1] >= 2 || y[2] >= 2) && y[3] < 2 && y[4] < 2 && y[5] < 2);
        if (a == VERDICT_NONE) {
            CU_ASSERT(top < 2);
            CU_ASSERT_DOUBLE_EQUAL(v.best >= 0 ? y[v.best] : 0, top, 1e-12);
        }
    }
}

/* Steady periods the search could not reach before: a hyperperiod whose
 * eight times pass the tick range (the water meter waking every 5000 s:
 * 8.6 years, found by skipping the inner repeats), a radio that stays on
 * (its 60-s calibration timer: the period is lcm(10 s, 60 s)); and one
 * out of the range: code 2. */
static void steady_of(const char *rel, const char *set, const char *set2, int want_rc,
                      double want_period_s)
{
    /* with set2, the imp004m-ps variant's settings (variant.c) too */
    const char *src = getenv("SRCDIR");
    char file[4096];
    snprintf(file, sizeof file, "%s/%s", src ? src : ".", rel);
    char *sets[5] = {(char *)set, (char *)set2, "scenario.crystal=no", "scenario.sleep=idle",
                     "scenario.wifi-idle=connected"};
    diag *d = diag_new();
    pipeline pl;
    CU_ASSERT_FATAL(pipeline_load(&pl, file, sets, set2 ? 5 : 1, d) == 0);
    double a = 0, per = 0;
    CU_ASSERT_EQUAL(pipeline_steady(&pl, &a, &per), want_rc);
    if (want_rc == 0) {
        TUTIL_REL_EQ(per, want_period_s, 1e-12);
        CU_ASSERT(a > 0);
    }
    pipeline_free(&pl);
    diag_free(d);
}

static void test_steady_long(void)
{
    steady_of("bench/water-meter.scn", "scenario.every=5000 s", NULL, 0, 150 * 3600.0 * 500);
    steady_of("bench/water-meter.scn", "scenario.every=30000 s", NULL, 2, 0);
    steady_of("tests/calib/sensor-10s.scn", "scenario.module=imp004m", "scenario.powersave=on",
              0, 60);
}

/* No break-even where the awake variant's state never repeats (its radio
 * stays on, its 60-s timers against wake intervals of arbitrary seconds):
 * the note says which variant and why. */
static void test_break_even_why(void)
{
    const char *src = getenv("SRCDIR");
    char file[4096];
    snprintf(file, sizeof file, "%s/tests/calib/sensor-10s.scn", src ? src : ".");
    matrix_opts o;
    char *argv[] = {"decide", file, NULL};
    CU_ASSERT_FATAL(matrix_parse(2, argv, "", MX_DECIDE, &o) == 0);
    static decide_result r;
    memset(&r, 0, sizeof r);
    r.deep = 1;
    r.best = 5;
    r.period_s = 10;
    CU_ASSERT_STRING_EQUAL(o.vs.v[5].name, "imp004m-ps");
    decide_break_even(&o, &r);
    CU_ASSERT_EQUAL(r.be_status, -1);
    CU_ASSERT(strstr(r.be_note, "the state of imp004m-ps does not repeat") != NULL);
    CU_ASSERT(strstr(r.be_note, "its radio stays on") != NULL);
    matrix_free(&o);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("decide", setup, teardown);
    CU_add_test(s, "steady current per period, by hand", test_steady_current);
    CU_add_test(s, "break-even wake interval, by hand", test_break_even);
    CU_add_test(s, "steady periods past 8 hyperperiods' range, radio timers", test_steady_long);
    CU_add_test(s, "break-even: why it could not be computed", test_break_even_why);
    CU_add_test(s, "a current-only figure reuses the base ledger, to the bit", test_reuse_current_figure);
    CU_add_test(s, "verdict and sensitivity", test_verdict);
    CU_add_test(s, "verdict against a target", test_verdict_target);
    CU_add_test(s, "verdict against the min-ratio", test_verdict_ratio);
    CU_add_test(s, "verdict with Monte Carlo: YES needs a majority", test_verdict_mc_majority);
    CU_add_test(s, "verdict never recommends the worse design", test_verdict_never_worse);
    return tutil_run_all();
}
