/* test_life.c — fast-forward: the ledger of a run that skips repeated
 * periods is bit-identical to the event-by-event run's (every library
 * scenario, and schedules with Nth-wake tasks, offsets, wake-pin events at
 * fixed times and access-point outages); battery life through `impsim
 * run`'s path agrees with the event-by-event run to 0.1 %; the hyperperiod
 * is found; the inner repeats (a 10-s wake between rare uploads, periods
 * whose `chance` draws come out alike) are really skipped; many devices
 * as actors in one simulation, and simulations one after another in a
 * pool worker, give every device what it gives alone, to the bit. */
#include <dirent.h>
#include <math.h>
#include <string.h>
#include "device.h"
#include "pipeline.h"
#include "pool.h"
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
        /* as `impsim run` does: the budget first (an event-by-event life
         * is bounded by the workload its average current implies) */
        rc = pipeline_run(&pl, NULL, &b, NULL) ? -1 : pipeline_life(&pl, ff, &b, NULL);
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

/* Battery life of scenario s (settings set, or NULL) with fast-forward
 * into *ff and event by event into *full: the fast-forward must be used
 * and agree within 0.1 % (battery_run.c's bound). */
static void ff_vs_full(const char *s, const char *set, budget_battery *ff, budget_battery *full)
{
    CU_ASSERT_FATAL(life(s, 1, set, ff) == 0);
    CU_ASSERT_FATAL(life(s, 0, set, full) == 0);
    CU_ASSERT_STRING_EQUAL(ff->method, "fast-forward");
    TUTIL_REL_EQ(ff->life_s, full->life_s, 1e-3);
}

/* ff_vs_full, and both lives ended by the same rule, the event-by-event
 * one longer than min_s (long enough to mean something). */
static void ff_vs_full_over(const char *s, double min_s, budget_battery *ff, budget_battery *full)
{
    ff_vs_full(s, NULL, ff, full);
    CU_ASSERT_STRING_EQUAL(ff->ended_by, full->ended_by);
    CU_ASSERT(full->life_s > min_s);
}

static void test_ff_idle_mode(void)
{
    budget_battery ff, full;
    ff_vs_full(periodic, "scenario.sleep=idle", &ff, &full);
}

/* Offsets: the device is asleep at the hyperperiod boundary itself. */
static void test_ff_with_offsets(void)
{
    const char *s = "module imp004m\ncrystal yes\nduration 1 d\nsleep deep\nbattery 2xAA-lithium\n"
                    "set battery.cell.capacity = 30 mAh\n"
                    "every 15 min from 5 min:\n  cpu 1 Mcycles\n"
                    "every 1 h from 5 min:\n  wifi send 100 B\n";
    budget_battery ff, full;
    ff_vs_full(s, NULL, &ff, &full);
}

/* An outage's heavy load first (the cell recovers from it afterwards),
 * then the steady period fast-forwarded. */
static void test_ff_after_outage(void)
{
    const char *s = "module imp004m\ncrystal yes\nduration 1 d\nsleep deep\nbattery 2xAA-alkaline\n"
                    "regulator switching efficiency 85 % quiescent 1 uA wifi-min 1.9 V\n"
                    "set battery.cell.capacity = 400 mAh\n"
                    "ap down from 1 d for 12 h\n"
                    "every 15 min:\n  cpu 200 kcycles\n  wifi send 512 B\n";
    budget_battery ff, full;
    ff_vs_full_over(s, 3 * 86400, &ff, &full);
}

/* A product waking every minute whose schedule repeats only every 5 h
 * (300 wakes), each period using a few % of the cell: the battery runner
 * jumps repetitions of the 1-min wake inside the period (a 10-s wake
 * would make the event-by-event reference too long for the workload
 * bound). */
static void test_ff_long_period(void)
{
    const char *s = "module imp004m\ncrystal yes\nduration 1 d\nsleep deep\nbattery 2xAA-lithium\n"
                    "regulator switching efficiency 85 % quiescent 1 uA wifi-min 1.8 V\n"
                    "set battery.cell.capacity = 20 mAh\n"
                    "i2c meter at 400 kHz\n"
                    "every 1 min as log:\n  read meter 4 B\n  cpu 20 kcycles\n"
                    "every 1 h from 7 s as upload:\n  wifi send 2 kB\n"
                    "every 50 min as calibrate:\n  cpu 5 Mcycles\n";
    budget_battery ff, full;
    ff_vs_full_over(s, 10 * 5 * 3600.0, &ff, &full);    /* over 10 periods */
    TUTIL_REL_EQ(ff.delivered_C, full.delivered_C, 1e-3);
}

/* A radio that stays associated (power-save) calibrates every 61.37 s,
 * an interval with no common multiple with the 1-h schedule in the tick
 * range: the whole state never repeats. The life's run records whole
 * hours up to the calibration counter's phase (device_hooks.quasi) and
 * draws the event-by-event run's mean current within 1e-4 (the
 * recording's bound is one burst in 1e4 of its charge). The budget stays exact: a run
 * without a battery never takes the quasi-repeat (its ledger is compared
 * with the event-by-event one in test_ff_ledger_*). */
static void test_ff_quasi_repeat(void)
{
    const char *s = "module imp004m\nduration 1 d\nsleep idle\nwifi-idle connected\n"
                    "powersave on\nbattery 2xAA-lithium\n"
                    "regulator switching efficiency 85 % quiescent 1 uA wifi-min 1.8 V\n"
                    "set battery.cell.capacity = 1200 mAh\n"
                    "set model.wifi.cal.interval = 61.37 s\n"
                    "i2c sensor at 400 kHz\n"
                    "every 10 min as sense:\n  read sensor 6 B\n  cpu 200 kcycles\n"
                    "every 1 h as upload:\n  wifi send 512 B\n";
    budget_battery ff, full;
    ff_vs_full_over(s, 3 * 86400, &ff, &full);   /* many hours recorded, many more repeated */
    /* the end is found at a burst's peak, and the recording's bursts fall
     * elsewhere than the real ones: up to a calibration interval or two
     * away */
    CU_ASSERT(fabs(ff.life_s - full.life_s) <= 1e-4 * full.life_s + 2 * 61.37);
    /* the charge, apart from the ends' offset: the mean current over the
     * life (the charge at the ends differs by the offset's charge, 84 s
     * here, 2e-4 of it; at equal times the runs are within 2e-5) */
    TUTIL_REL_EQ(ff.delivered_C / ff.life_s, full.delivered_C / full.life_s, 1e-4);
}

/* Where the whole state repeats soon (a 25-s wake against the 60-s
 * calibration: every 5 min), the quasi-repeat is not taken: the life is
 * the event-by-event one to the tick. And a wake every 5 ms whose
 * quasi-repeat would need more than the recording's cap of segments is
 * still fast-forwarded, by the exact repeat (at 61 s), not run event by
 * event (the review's two cases). */
static void test_ff_quasi_not_taken(void)
{
    const char *s = "module imp004m\nduration 1 d\nsleep idle\nwifi-idle connected\n"
                    "powersave on\nbattery 2xAA-lithium\n"
                    "set battery.cell.capacity = 300 mAh\n"
                    "every 25 s:\n  wifi send 64 B\n";
    budget_battery ff, full;
    ff_vs_full(s, NULL, &ff, &full);
    TUTIL_REL_EQ(ff.life_s, full.life_s, 1e-12);
    TUTIL_REL_EQ(ff.delivered_C, full.delivered_C, 1e-9);
    const char *fast = "module imp004m\nduration 1 d\nsleep idle\nwifi-idle connected\n"
                       "powersave on\nbattery 2xAA-lithium\n"
                       "set battery.cell.capacity = 24 mAh\n"
                       "set model.wifi.cal.interval = 61 s\n"
                       "set model.wifi.keepalive.interval = 61 s\n"
                       "boot:\n  wifi send 64 B\n"
                       "every 5 ms:\n  cpu 1 kcycles\n";
    CU_ASSERT_FATAL(life(fast, 1, NULL, &ff) == 0);
    CU_ASSERT_STRING_EQUAL(ff.method, "fast-forward");
    CU_ASSERT(ff.life_s > 2 * 3600);
}

/* A daily window makes the time of day state, not the time of the week:
 * the state repeats after a day, and a 4.75-d life is fast-forwarded (it
 * went event by event while the key held the time of the week). */
static void test_ff_daily_window(void)
{
    const char *s = "module imp004m\ncrystal yes\nduration 1 d\nsleep deep\n"
                    "battery 2xAA-lithium\nset battery.cell.capacity = 20 mAh\n"
                    "every 10 min during 06:00-20:00 daily as send:\n  wifi send 64 B\n"
                    "every 1 h as tick:\n  cpu 1 kcycles\n";
    budget_battery ff, full;
    ff_vs_full(s, NULL, &ff, &full);
    CU_ASSERT(full.life_s > 4 * 86400 && full.life_s < 7 * 86400);
    TUTIL_REL_EQ(ff.life_s, full.life_s, 1e-4);
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

/* Run pl both ways; the ledgers must be equal byte for byte. Returns
 * whether the fast run skipped periods. */
static int ledger_both_ways(pipeline *pl, const char *what)
{
    static engine_result ev, ff;
    engine_opts o = {0};
    CU_ASSERT_FATAL(engine_run(&pl->p, &o, &ev) == 0);
    o.fast_forward = 1;
    CU_ASSERT_FATAL(engine_run(&pl->p, &o, &ff) == 0);
    int same = memcmp(&ev.L, &ff.L, sizeof ev.L) == 0;
    if (!same)
        fprintf(stderr, "\n%s: the fast-forwarded ledger differs from the event-by-event one\n",
                what);
    CU_ASSERT(same);
    CU_ASSERT_EQUAL(ff.L.duration, pl->p.duration);
    return ff.fast_forwarded;
}

static void test_ff_ledger_library(void)
{
    const char *src = getenv("SRCDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/scenarios", src ? src : ".");
    DIR *dp = opendir(dir);
    CU_ASSERT_FATAL(dp != NULL);
    int n = 0, skipped = 0;
    for (struct dirent *e; (e = readdir(dp));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".scn"))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        diag *d = diag_new();
        pipeline pl;
        CU_ASSERT_FATAL(pipeline_load(&pl, path, NULL, 0, d) == 0);
        skipped += ledger_both_ways(&pl, e->d_name);
        n++;
        pipeline_free(&pl);
        diag_free(d);
    }
    closedir(dp);
    CU_ASSERT(n >= 10);
    CU_ASSERT(skipped >= n / 2);    /* most library products repeat */
}

static void ledger_text(const char *text, const char *set, int expect_ff)
{
    diag *d = diag_new();
    pipeline pl;
    char *sets[1] = {(char *)set};
    CU_ASSERT_FATAL(pipeline_load_text(&pl, "t.scn", text, sets, set ? 1 : 0, d) == 0);
    CU_ASSERT_EQUAL(ledger_both_ways(&pl, text), expect_ff);
    pipeline_free(&pl);
    diag_free(d);
}

/* Repeats broken by absolute-time events: the skips stop before them and
 * resume after. */
static void test_ff_ledger_edges(void)
{
    const char *meter =
        "module imp004m\ncrystal yes\nduration 3 d\nsleep deep\n"
        "every 10 s as log:\n  cpu 20 kcycles\n"
        "every 17 s from 3 s as blink:\n  cpu 1 kcycles\n"
        "every 7th wake as upload:\n  wifi send 64 B\n"
        "on pin at 1 d, 30 h, 108001 s as door:\n  wifi send 10 B\n"
        "ap down from 40 h for 3 h\n";
    ledger_text(meter, NULL, 1);
    ledger_text(meter, "scenario.sleep=idle", 1);
    ledger_text(meter, "scenario.wifi-idle=connected", 1);
    /* found long before the outage: skips must stop at its start and end */
    const char *outage = "module imp004m\ncrystal yes\nduration 3 d\nsleep deep\n"
                         "every 1 min:\n  cpu 20 kcycles\nevery 5th wake:\n  wifi send 64 B\n"
                         "ap down from 1 d for 150 min\n";
    ledger_text(outage, NULL, 1);
    ledger_text(outage, "scenario.sleep=idle", 1);
    /* random wake-pin events never repeat; the 1-min wakes between two of
     * them do (the pin's next event left out of the key): skipped up to it */
    ledger_text("module imp004m\nduration 2 d\nsleep deep\nseed 5\n"
                "every 1 min:\n  cpu 1 kcycles\n"
                "on pin poisson 20 /day:\n  wifi send 100 B\n", NULL, 1);
    /* `chance 0 %` never runs and `chance 100 %` always does: the draws
     * decide nothing, the schedule repeats; any other chance is random:
     * the runs of periods whose draws come out alike are skipped (the
     * generator drawn ahead), with the same ledger */
    const char *sure = "module imp004m\ncrystal yes\nduration 2 d\nsleep deep\nseed 5\n"
                       "every 1 min:\n  cpu 1 kcycles\n  chance 0 % as never:\n    wifi send 9 B\n"
                       "  chance 100 % as always:\n    cpu 2 kcycles\n";
    ledger_text(sure, NULL, 1);
    ledger_text(sure, "scenario.always.chance=30%", 1);
    ledger_text(sure, "scenario.always.chance=99.9%", 1);
    ledger_text(sure, "scenario.never.chance=0.1%", 1);
    /* a duration shorter than two periods: nothing to skip */
    ledger_text("module imp004m\nduration 90 min\nevery 1 h:\n  cpu 1\n", NULL, 0);
}

/* device_run without SimGrid: counts the waits it simulated. */
static long dev_waits;
static void dev_count(void *ctx, tick_t now)
{
    (void)ctx;
    (void)now;
    dev_waits++;
}

static int64_t dev_skip_all(void *ctx, tick_t now, tick_t period, tick_t until, const ledger *at)
{
    (void)ctx;
    (void)now;
    (void)period;
    (void)until;
    (void)at;
    return INT64_MAX;
}

/* Scenario `rel` (under SRCDIR) with duration `dur` (and setting more), run by the device
 * both ways: the ledgers must be equal byte for byte, and the fast run
 * must have simulated under 1/ratio of the event-by-event run's waits. */
static void inner_skips(const char *rel, const char *dur, const char *more, long ratio)
{
    const char *src = getenv("SRCDIR");
    char path[4096], set[64];
    snprintf(path, sizeof path, "%s/%s", src ? src : ".", rel);
    snprintf(set, sizeof set, "scenario.duration=%s", dur);
    char *sets[2] = {set, (char *)more};
    diag *d = diag_new();
    pipeline pl;
    CU_ASSERT_FATAL(pipeline_load(&pl, path, sets, more ? 2 : 1, d) == 0);
    static ledger ev, ff;
    device_hooks h = {dev_count, NULL, NULL, NULL, NULL, 0};
    ev = pl.p.names;
    dev_waits = 0;
    CU_ASSERT_FATAL(device_run(&pl.p, &ev, &h) == 0);
    long ev_waits = dev_waits;
    h.repeat = dev_skip_all;
    ff = pl.p.names;
    dev_waits = 0;
    CU_ASSERT_FATAL(device_run(&pl.p, &ff, &h) == 0);
    int same = memcmp(&ev, &ff, sizeof ev) == 0;
    if (!same)
        fprintf(stderr, "\n%s: the fast-forwarded ledger differs from the event-by-event one\n", rel);
    CU_ASSERT(same);
    CU_ASSERT(ev.wakes > 1000);
    if (dev_waits * ratio >= ev_waits)
        fprintf(stderr, "\n%s: %ld waits simulated of %ld\n", rel, dev_waits, ev_waits);
    CU_ASSERT(dev_waits * ratio < ev_waits);
    pipeline_free(&pl);
    diag_free(d);
}

/* The water meter's whole state repeats every 150 h (54 000 wakes), its
 * 10-s wake between two uploads: skipped. A freezer alarm's `chance 2 %`
 * never lets the whole state repeat; the runs of readings whose draws
 * come out alike are skipped, the generator left where the event-by-event
 * run leaves it (the ledgers, alarms included, are the same). */
static void test_ff_inner_repeats(void)
{
    inner_skips("bench/water-meter.scn", "14 d", NULL, 100);
    /* two periods: the whole state's repeat is found but no whole period
     * is left to skip; the inner ones still are */
    inner_skips("bench/water-meter.scn", "300 h", "scenario.sleep=idle", 100);
    inner_skips("scenarios/freezer-alarm.scn", "60 d", NULL, 4);
}

/* The change points reported, folded into one hash (FNV-1a over their
 * bytes), and their count. */
static uint64_t pts_hash;
static long pts_n;
static void dev_points(void *ctx, tick_t t, const double cur[COMP__COUNT], int radio, int act,
                       const int st[COMP__COUNT])
{
    (void)ctx;
    const void *part[5] = {&t, cur, &radio, &act, st};
    size_t len[5] = {sizeof t, COMP__COUNT * sizeof *cur, sizeof radio, sizeof act,
                     COMP__COUNT * sizeof *st};
    for (int k = 0; k < 5; k++)
        for (size_t i = 0; i < len[k]; i++)
            pts_hash = (pts_hash ^ ((const unsigned char *)part[k])[i]) * UINT64_C(1099511628211);
    pts_n++;
}

static int64_t dev_skip_none(void *ctx, tick_t now, tick_t period, tick_t until, const ledger *at)
{
    (void)ctx;
    (void)now;
    (void)period;
    (void)until;
    (void)at;
    return 0;       /* as the engine with a battery: never skips */
}

/* An engine that follows every segment and skips nothing (a battery): the
 * device replays inner repeats of a schedule that never repeats whole
 * (chance draws, Poisson pin events). The change points it reports must
 * be the event-by-event run's, in the same order, with fewer waits. */
static void replay_same(const char *text, long ratio)
{
    diag *d = diag_new();
    pipeline pl;
    CU_ASSERT_FATAL(pipeline_load_text(&pl, "t.scn", text, NULL, 0, d) == 0);
    static ledger ev, ff;
    device_hooks h = {dev_count, dev_points, NULL, NULL, NULL, 0};
    uint64_t hash[2];
    long n[2], waits[2];
    for (int k = 0; k < 2; k++) {
        ledger *L = k ? &ff : &ev;
        *L = pl.p.names;
        h.repeat = k ? dev_skip_none : NULL;
        pts_hash = UINT64_C(14695981039346656037);
        pts_n = dev_waits = 0;
        CU_ASSERT_FATAL(device_run(&pl.p, L, &h) == 0);
        hash[k] = pts_hash;
        n[k] = pts_n;
        waits[k] = dev_waits;
    }
    CU_ASSERT(n[0] > 10000);
    CU_ASSERT_EQUAL(n[0], n[1]);
    CU_ASSERT(hash[0] == hash[1]);
    CU_ASSERT(memcmp(&ev, &ff, sizeof ev) == 0);
    if (waits[1] * ratio >= waits[0])
        fprintf(stderr, "\nreplay: %ld waits simulated of %ld\n", waits[1], waits[0]);
    CU_ASSERT(waits[1] * ratio < waits[0]);
    pipeline_free(&pl);
    diag_free(d);
}

static void test_replay(void)
{
    replay_same("module imp004m\ncrystal no\nduration 30 d\nsleep idle\nseed 3\n"
                "i2c probe at 400 kHz\nload buzzer 15 mA\n"
                "every 5 min as reading:\n  read probe 4 B\n  cpu 50 kcycles\n"
                "  chance 2 % as alarm:\n    enable buzzer\n    wifi send 200 B\n"
                "    wait 5 s\n    disable buzzer\n"
                "every 1 d from 12 h as heartbeat:\n  wifi send 128 B\n", 4);
    replay_same("module imp004m\ncrystal yes\nduration 30 d\nsleep deep\nseed 5\n"
                "every 1 min:\n  cpu 1 kcycles\n"
                "on pin poisson 20 /day:\n  wifi send 100 B\n", 4);
}

/* As the engine with a battery (engine.c): at the whole state's repeat it
 * records the next period and stops at its end. */
static tick_t rec_end;
static int64_t dev_record_period(void *ctx, tick_t now, tick_t period, tick_t until,
                                 const ledger *at)
{
    (void)ctx;
    (void)at;
    if (until == TICK_MAX && !rec_end)
        rec_end = now + period;
    return 0;
}

static int dev_stop_at_end(void *ctx, tick_t now)
{
    (void)ctx;
    return rec_end && now >= rec_end;
}

/* The water meter's battery period (150 h, 54 000 wakes) is recorded with
 * its inner repeats replayed: the change points up to the period's end are
 * the event-by-event run's, with far fewer waits. */
static void test_replay_record(void)
{
    const char *src = getenv("SRCDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/bench/water-meter.scn", src ? src : ".");
    char *sets[1] = {"scenario.duration=1 y"};
    diag *d = diag_new();
    pipeline pl;
    CU_ASSERT_FATAL(pipeline_load(&pl, path, sets, 1, d) == 0);
    static ledger L;
    device_hooks h = {dev_count, dev_points, dev_stop_at_end, dev_record_period, NULL, 0};
    uint64_t hash[2];
    long n[2], waits[2];
    rec_end = 0;
    for (int k = 0; k < 2; k++) {   /* k = 1: event by event to the same end */
        L = pl.p.names;
        h.repeat = k ? NULL : dev_record_period;
        pts_hash = UINT64_C(14695981039346656037);
        pts_n = dev_waits = 0;
        CU_ASSERT_FATAL(device_run(&pl.p, &L, &h) == 0);
        CU_ASSERT_EQUAL(L.duration, rec_end);
        hash[k] = pts_hash;
        n[k] = pts_n;
        waits[k] = dev_waits;
    }
    CU_ASSERT(rec_end > 2 * 150 * 3600 * TICKS_PER_S);
    CU_ASSERT(n[0] > 100000);
    CU_ASSERT_EQUAL(n[0], n[1]);
    CU_ASSERT(hash[0] == hash[1]);
    if (3 * waits[0] >= 2 * waits[1])
        fprintf(stderr, "\nrecord: %ld waits simulated of %ld\n", waits[0], waits[1]);
    CU_ASSERT(3 * waits[0] < 2 * waits[1]);
    pipeline_free(&pl);
    diag_free(d);
}

/* The freezer alarm's battery life (chance blocks: no whole period) with
 * fast-forward is the event-by-event one to the bit: replayed segments. */
static void test_replay_life(void)
{
    const char *src = getenv("SRCDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/scenarios/freezer-alarm.scn", src ? src : ".");
    budget_battery b[2];
    for (int k = 0; k < 2; k++) {
        diag *d = diag_new();
        pipeline pl;
        static budget bu;
        memset(&bu, 0, sizeof bu);
        CU_ASSERT_FATAL(pipeline_load(&pl, path, NULL, 0, d) == 0);
        bu.avg_current_A = 1e-4;
        CU_ASSERT_FATAL(pipeline_life(&pl, k, &bu, d) == 0);
        b[k] = bu.battery;
        pipeline_free(&pl);
        diag_free(d);
    }
    CU_ASSERT(b[0].depleted);
    CU_ASSERT(b[0].life_s > 100 * 86400.0);
    CU_ASSERT(b[0].life_s == b[1].life_s);
    CU_ASSERT(b[0].delivered_C == b[1].delivered_C);
    CU_ASSERT(b[0].soc_end == b[1].soc_end);
    CU_ASSERT(b[0].wifi_peak_A == b[1].wifi_peak_A);
    CU_ASSERT_STRING_EQUAL(b[0].ended_by, b[1].ended_by);
}

/* Every library scenario's simulations as impsim makes them: the
 * fast-forwarded budget run, the battery life (periodic schedules: an
 * event-by-event life to depletion takes seconds) and the steady period. */
enum { BATCH_MAX_PL = 40, BATCH_MAX = 3 * BATCH_MAX_PL };
typedef struct {
    pipeline pl[BATCH_MAX_PL];
    int npl, n;
    const plan *p[BATCH_MAX];
    engine_opts o[BATCH_MAX];
    const engine_opts *op[BATCH_MAX];
    char what[BATCH_MAX][96];
    engine_result single[BATCH_MAX];
} batch_set;

static void batch_add(batch_set *b, const plan *p, const engine_opts *o, const char *name,
                      const char *kind)
{
    CU_ASSERT_FATAL(b->n < BATCH_MAX);
    b->p[b->n] = p;
    b->o[b->n] = *o;
    b->op[b->n] = &b->o[b->n];
    snprintf(b->what[b->n], sizeof b->what[b->n], "%s (%s)", name, kind);
    b->n++;
}

static void batch_library(batch_set *b)
{
    const char *src = getenv("SRCDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/scenarios", src ? src : ".");
    DIR *dp = opendir(dir);
    CU_ASSERT_FATAL(dp != NULL);
    for (struct dirent *e; (e = readdir(dp));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".scn"))
            continue;
        CU_ASSERT_FATAL(b->npl < BATCH_MAX_PL);
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        diag *d = diag_new();
        pipeline *pl = &b->pl[b->npl];
        CU_ASSERT_FATAL(pipeline_load(pl, path, NULL, 0, d) == 0);
        diag_free(d);
        b->npl++;
        engine_opts o = {.fast_forward = 1};
        batch_add(b, &pl->p, &o, e->d_name, "budget");
        tick_t h = plan_hyperperiod(&pl->p);
        if (pl->cell && h) {
            engine_opts l = {.cell = pl->cell, .fast_forward = 1};
            pipeline_regulator(pl, &l.reg);
            CU_ASSERT_FATAL(ticks_from_s(PIPELINE_HORIZON_S, &l.duration) == 0);
            batch_add(b, &pl->p, &l, e->d_name, "battery life");
        }
        tick_t lim;
        if (h && !ticks_mul(h, 8, &lim)) {
            engine_opts st = {.duration = lim, .fast_forward = 1, .steady = 1};
            batch_add(b, &pl->p, &st, e->d_name, "steady");
        }
    }
    closedir(dp);
    CU_ASSERT(b->npl >= 10);
    for (int i = 0; i < b->n; i++)
        CU_ASSERT_FATAL(engine_run(b->p[i], b->op[i], &b->single[i]) == 0);
}

static void batch_free(batch_set *b)
{
    for (int i = 0; i < b->npl; i++)
        pipeline_free(&b->pl[i]);
}

/* r is what the single run s gave, to the bit (SimGrid's clock, which
 * only carries the devices' times, to 1e-9 s). */
static int batch_same(const engine_result *r, const engine_result *s, const char *what)
{
    int same = !memcmp(&r->L, &s->L, sizeof r->L) && !memcmp(&r->one, &s->one, sizeof r->one) &&
               r->period == s->period && r->fast_forwarded == s->fast_forwarded &&
               r->batt.life_s == s->batt.life_s && r->batt.ended_by == s->batt.ended_by &&
               r->batt.delivered_C == s->batt.delivered_C && r->batt.soc == s->batt.soc &&
               r->batt.voltage_V == s->batt.voltage_V && r->batt.periods == s->batt.periods &&
               r->batt.wifi_peak_A == s->batt.wifi_peak_A &&
               fabs(r->sg_clock - s->sg_clock) <= 1e-9 * (1 + fabs(s->sg_clock));
    if (!same)
        fprintf(stderr, "\n%s: differs from its single run\n", what);
    CU_ASSERT(same);
    return same;
}

/* All the library's simulations as actors in one simulation (one fork,
 * one SimGrid start): each device's ledger, battery life and steady period
 * are those of its own run. */
static void test_batch_equals_single(void)
{
    static batch_set b;
    static engine_result r[BATCH_MAX];
    int ok[BATCH_MAX];
    batch_library(&b);
    CU_ASSERT_FATAL(b.n >= 30);
    CU_ASSERT_FATAL(engine_run_batch(b.n, b.p, b.op, r, ok) == 0);
    int lives = 0, steady = 0;
    for (int i = 0; i < b.n; i++) {
        CU_ASSERT(ok[i]);
        batch_same(&r[i], &b.single[i], b.what[i]);
        lives += b.o[i].cell != NULL && r[i].batt.life_s > 0;
        steady += b.o[i].steady && r[i].period > 0;
    }
    CU_ASSERT(lives >= 5 && steady >= 5);   /* the comparison covers each kind */
    batch_free(&b);
}

static void batch_pool_job(int j, void *ctx, void *out)
{
    const batch_set *b = ctx;
    if (engine_run(b->p[j], b->op[j], out))
        memset(out, 0, sizeof(engine_result));
}

/* A pool worker runs its simulations itself, one after another on one
 * SimGrid clock: each gives what it gives in a process of its own. */
static void test_worker_equals_single(void)
{
    static batch_set b;
    static engine_result r[BATCH_MAX];
    int ok[BATCH_MAX];
    batch_library(&b);
    CU_ASSERT_FATAL(pool_run(b.n, 2, sizeof *r, batch_pool_job, &b, r, ok) == 0);
    for (int i = 0; i < b.n; i++) {
        CU_ASSERT(ok[i]);
        r[i].sg_clock = b.single[i].sg_clock;   /* offset by the worker's earlier runs */
        batch_same(&r[i], &b.single[i], b.what[i]);
    }
    batch_free(&b);
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
    CU_add_test(s, "fast-forward = full run after an outage", test_ff_after_outage);
    CU_add_test(s, "fast-forward = full run, 1-min wakes in a 5-h period", test_ff_long_period);
    CU_add_test(s, "quasi-repeat (calibration off the grid) = full run to 1e-4",
                test_ff_quasi_repeat);
    CU_add_test(s, "quasi-repeat not taken where the exact one comes first",
                test_ff_quasi_not_taken);
    CU_add_test(s, "a daily window repeats daily", test_ff_daily_window);
    CU_add_test(s, "stochastic schedule runs in full", test_poisson_runs_full);
    CU_add_test(s, "no battery, no life", test_no_battery);
    CU_add_test(s, "hyperperiod", test_hyperperiod);
    CU_add_test(s, "fast-forward ledger = event by event (library)", test_ff_ledger_library);
    CU_add_test(s, "fast-forward ledger = event by event (edges)", test_ff_ledger_edges);
    CU_add_test(s, "inner repeats are skipped, ledger exact", test_ff_inner_repeats);
    CU_add_test(s, "inner repeats replayed: the same change points", test_replay);
    CU_add_test(s, "chance blocks: battery life replayed = event by event", test_replay_life);
    CU_add_test(s, "a battery's period recorded with inner repeats replayed", test_replay_record);
    CU_add_test(s, "devices as actors in one simulation = single runs", test_batch_equals_single);
    CU_add_test(s, "simulations in a pool worker = single runs", test_worker_equals_single);
    return tutil_run_all();
}
