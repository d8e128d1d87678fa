/* test_life.c — battery life through `impsim run`'s path: the fast-forward
 * over the steady period agrees with the event-by-event run to 0.1 %, and
 * the hyperperiod is found. */
#include <math.h>
#include <string.h>
#include "pipeline.h"
#include "tutil.h"

static int life(const char *text, int ff, const char *set, budget_battery *out)
{
    diag *d = diag_new();
    pipeline pl;
    char *sets[1] = {(char *)set};
    static budget b;
    int rc = -1;
    memset(&b, 0, sizeof b);
    if (pipeline_load_text(&pl, "t.scn", text, sets, set ? 1 : 0, d) == 0) {
        rc = pipeline_life(&pl, ff, &b);
        pipeline_free(&pl);
    }
    if (rc || diag_count(d))
        fprintf(stderr, "\n%s\n", diag_first(d));
    diag_free(d);
    *out = b.battery;
    return rc;
}

static const char *periodic =
    "module imp004m\ncrystal yes\nduration 1 d\nsleep deep\nbattery 2xAA-lithium\n"
    "regulator switching efficiency 85 % quiescent 1 uA wifi-min 1.8 V\n"
    "set battery.cell.capacity = 60 mAh\n"
    "i2c sensor at 400 kHz\n"
    "every 5 min as sense:\n  read sensor 6 B\n  cpu 200 kcycles\n"
    "every 3th wake as upload:\n  wifi send 512 B\n";

static void test_ff_matches_full(void)
{
    budget_battery ff, full;
    CU_ASSERT_FATAL(life(periodic, 1, NULL, &ff) == 0);
    CU_ASSERT_FATAL(life(periodic, 0, NULL, &full) == 0);
    CU_ASSERT_STRING_EQUAL(ff.method, "fast-forward");
    CU_ASSERT_STRING_EQUAL(full.method, "full");
    CU_ASSERT_STRING_EQUAL(ff.ended_by, full.ended_by);
    CU_ASSERT(full.life_s > 5 * 86400);     /* long enough to mean something */
    TUTIL_REL_EQ(ff.life_s, full.life_s, 1e-3);
    TUTIL_REL_EQ(ff.delivered_C, full.delivered_C, 1e-3);
}

static void test_ff_idle_mode(void)
{
    budget_battery ff, full;
    const char *set = "scenario.sleep=idle";
    CU_ASSERT_FATAL(life(periodic, 1, set, &ff) == 0);
    CU_ASSERT_FATAL(life(periodic, 0, set, &full) == 0);
    CU_ASSERT_STRING_EQUAL(ff.method, "fast-forward");
    TUTIL_REL_EQ(ff.life_s, full.life_s, 1e-3);
}

/* Offsets: the device is asleep at the hyperperiod boundary itself. */
static void test_ff_with_offsets(void)
{
    const char *s = "module imp004m\ncrystal yes\nduration 1 d\nsleep deep\nbattery 2xAA-lithium\n"
                    "set battery.cell.capacity = 30 mAh\n"
                    "every 15 min from 5 min:\n  cpu 1 Mcycles\n"
                    "every 1 h from 5 min:\n  wifi send 100 B\n";
    budget_battery ff, full;
    CU_ASSERT_FATAL(life(s, 1, NULL, &ff) == 0);
    CU_ASSERT_FATAL(life(s, 0, NULL, &full) == 0);
    CU_ASSERT_STRING_EQUAL(ff.method, "fast-forward");
    TUTIL_REL_EQ(ff.life_s, full.life_s, 1e-3);
}

static void test_poisson_runs_full(void)
{
    budget_battery b;
    const char *s = "module imp004m\nduration 1 d\nsleep deep\nseed 3\nbattery 1xCR123A\n"
                    "set battery.cell.capacity = 20 mAh\n"
                    "on pin poisson 20 /day:\n  wifi send 100 B\n";
    CU_ASSERT_FATAL(life(s, 1, NULL, &b) == 0);
    CU_ASSERT_STRING_EQUAL(b.method, "full");
    CU_ASSERT(b.life_s > 0);
    CU_ASSERT_STRING_NOT_EQUAL(b.ended_by, "not-depleted");
}

static void test_no_battery(void)
{
    budget_battery b;
    CU_ASSERT(life("module imp004m\nduration 1 d\nevery 1 h:\n  cpu 1\n", 1, NULL, &b) == 0);
    CU_ASSERT_EQUAL(b.present, 0);
}

static void test_hyperperiod(void)
{
    diag *d = diag_new();
    pipeline pl;
    CU_ASSERT_FATAL(pipeline_load_text(&pl, "t.scn", periodic, NULL, 0, d) == 0);
    /* lcm(5 min) x lcm(3) = 15 min */
    CU_ASSERT_EQUAL(plan_hyperperiod(&pl.p), 15 * 60 * TICKS_PER_S);
    pipeline_free(&pl);
    CU_ASSERT_FATAL(pipeline_load_text(&pl, "t.scn",
        "module imp004m\nduration 1 d\nevery 10 min:\n  cpu 1\nevery 15 min:\n  cpu 1\n",
        NULL, 0, d) == 0);
    CU_ASSERT_EQUAL(plan_hyperperiod(&pl.p), 30 * 60 * TICKS_PER_S);
    pipeline_free(&pl);
    diag_free(d);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("life", NULL, NULL);
    CU_add_test(s, "fast-forward = full run to 0.1 % (deep sleep)", test_ff_matches_full);
    CU_add_test(s, "fast-forward = full run to 0.1 % (stop mode)", test_ff_idle_mode);
    CU_add_test(s, "fast-forward = full run with offsets", test_ff_with_offsets);
    CU_add_test(s, "stochastic schedule runs in full", test_poisson_runs_full);
    CU_add_test(s, "no battery, no life", test_no_battery);
    CU_add_test(s, "hyperperiod", test_hyperperiod);
    return tutil_run_all();
}
