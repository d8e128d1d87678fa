#!/bin/sh
# language.sh — the scenario language's statements, each against a result
# worked out by hand (the arithmetic is in the comment above each check):
# power-on tasks, blocks (chance, every Nth run, repeat), time-of-day
# windows, repeating pin lists, pulse counting, an SPI flash chip on the
# imp002, scenario.NAME.FIELD settings and sweeps, paths relative to the
# scenario, warnings. Needs IMPSIM, SRCDIR and IMPSIM_DATADIR (make check).
set -u
: "${IMPSIM:=./impsim}" "${SRCDIR:=.}"
export IMPSIM_DATADIR="${IMPSIM_DATADIR:-$SRCDIR}"
export LC_ALL=C
case $IMPSIM in /*) ;; *) IMPSIM=$(pwd)/$IMPSIM ;; esac
case $IMPSIM_DATADIR in /*) ;; *) IMPSIM_DATADIR=$(pwd)/$IMPSIM_DATADIR ;; esac
. "$SRCDIR/tests/tlib.sh"
# field 4 (time_s) of a CSV row "SECTION,NAME[,STATE]"
csvt() { grep "^$2," "$1" | head -1 | cut -d, -f4; }
# |a - b| <= tol
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= t) }'; }
run() { f=$1; shift; "$IMPSIM" run "$T/$f.scn" --format csv "$@" > "$T/$f.csv" 2> "$T/$f.err"; }

# ---- power-on: once at the cold boot, boot: after every Squirrel start ----
cat > "$T/pwr.scn" <<'S'
module imp004m
crystal yes
duration 1 d
sleep deep
boot:
  cpu 9.6 Mcycles
power-on:
  cpu 96 Mcycles
every 1 h as work:
  cpu 96 Mcycles
S
run pwr
"$IMPSIM" run "$T/pwr.scn" --format json > "$T/pwr.json" 2>&1
# 24 hourly runs at 0..23 h: 23 timer wakes, 24 Squirrel starts; power-on
# work 96 Mcycles at 96 MHz = 1 s once; work 1 s x 24 = 24 s
check "power-on runs once under deep sleep (1 s of 96 Mcycles)" 'near "$(csvt "$T/pwr.csv" activity,power-on)" 1 1e-9'
check "every 1 h over 1 d runs 24 times (24 s)" 'near "$(csvt "$T/pwr.csv" activity,work)" 24 1e-9'
check "deep sleep: 24 boots, 23 wakes" 'grep -q "\"boots\": 24," "$T/pwr.json" && grep -q "\"wakes\": 23," "$T/pwr.json"'
# boot activity: 24 boots each with the boot: task's 0.1 s (9.6 Mcycles)
check "the boot: task runs at all 24 starts (boot activity >= 2.4 s)" 'awk -v x="$(csvt "$T/pwr.csv" activity,boot)" "BEGIN { exit !(x >= 2.4) }"'

# ---- blocks: every Nth run, repeat, chance ----
cat > "$T/blk.scn" <<'S'
module imp004m
duration 100 min
sleep idle
every 1 min as work:
  every 10th run as up:
    cpu 96 Mcycles
  repeat 3:
    cpu 9.6 Mcycles
  chance 0 % as never:
    cpu 96 Mcycles
  chance 100 % as always:
    cpu 9.6 Mcycles
S
run blk
# 100 runs (0..99 min): up on runs 1, 11, ..., 91 = 10 x 1 s; repeat 3 x 0.1 s
# x 100 = 30 s (charged to work); chance 100 % 0.1 s x 100 = 10 s; 0 % never
check "every 10th run: 10 of 100 runs (10 s)" 'near "$(csvt "$T/blk.csv" activity,up)" 10 1e-9'
check "repeat 3 of 0.1 s in 100 runs (30 s)" 'near "$(csvt "$T/blk.csv" activity,work)" 30 1e-9'
check "chance 100 % always runs (10 s)" 'near "$(csvt "$T/blk.csv" activity,always)" 10 1e-9'
check "chance 0 % never runs" 'near "$(csvt "$T/blk.csv" activity,never)" 0 0'

cat > "$T/ch.scn" <<'S'
module imp004m
duration 10000 min
sleep idle
every 1 min as work:
  chance 25 % as hit:
    cpu 96 Mcycles
S
run ch
run ch --set scenario.seed=2; cp "$T/ch.csv" "$T/ch2.csv"
run ch
# 10000 runs at p = 0.25: mean 2500 s, sd sqrt(10000 x 0.25 x 0.75) = 43 s;
# within 4 sd
check "chance 25 % in 10000 runs: 2500 s +- 4 sd (172 s)" 'near "$(csvt "$T/ch.csv" activity,hit)" 2500 172'
check "another seed draws other runs" '[ "$(csvt "$T/ch.csv" activity,hit)" != "$(csvt "$T/ch2.csv" activity,hit)" ]'
run ch --set scenario.hit.chance=50%
check "--set scenario.NAME.chance: 5000 s +- 4 sd (200 s)" 'near "$(csvt "$T/ch.csv" activity,hit)" 5000 200'

# chance draws have their own stream: adding a block does not move pin events
printf 'module imp004m\nduration 10 d\nsleep idle\non pin poisson 20 /day as pin:\n  cpu 96 Mcycles\n' > "$T/pp.scn"
{ cat "$T/pp.scn"; printf 'every 1 h as work:\n  chance 30 %%:\n    cpu 1 Mcycles\n'; } > "$T/pq.scn"
run pp; run pq
check "a chance block leaves the Poisson pin events where they were" '[ -n "$(csvt "$T/pp.csv" activity,pin)" ] && [ "$(csvt "$T/pp.csv" activity,pin)" = "$(csvt "$T/pq.csv" activity,pin)" ]'

# a rate per day with a time-of-day window is per day, all inside the
# window: 12 /day during 07:00-22:00 over 30 d = 360 runs (Poisson, sd 19);
# the report counts the runs of each task and named block (JSON, CSV, text)
printf 'module imp004m\nduration 30 d\nsleep idle\nseed 3\non pin poisson 12 /day during 07:00-22:00 daily as door:\n  cpu 1 Mcycles\n  chance 50 %% as alarm:\n    cpu 1 Mcycles\nevery 6 h as beat:\n  cpu 1 Mcycles\n' > "$T/rd.scn"
"$IMPSIM" run "$T/rd.scn" --format json > "$T/rd.json" 2>&1
run rd
"$IMPSIM" run "$T/rd.scn" > "$T/rd.txt" 2>&1
rn() { grep -o "\"name\": \"$2\", [^}]*\"runs\": [0-9]*" "$1" | grep -o '[0-9]*$'; }
check "12 /day during 07:00-22:00 runs 12 a day: 360 +- 4 sd (76) in 30 d" 'near "$(rn "$T/rd.json" door)" 360 76'
check "every 6 h over 30 d: 120 runs in the JSON" '[ "$(rn "$T/rd.json" beat)" = 120 ]'
check "a named chance block at 50 %: half the door runs +- 4 sd" 'd=$(rn "$T/rd.json" door); near "$(rn "$T/rd.json" alarm)" $((d / 2)) $(awk -v d=$d "BEGIN { print 4 * sqrt(d / 4) + 1 }")'
check "CSV activity rows end with the runs (same as JSON)" 'head -1 "$T/rd.csv" | grep -q ",share,runs$" && [ "$(grep "^activity,door," "$T/rd.csv" | cut -d, -f8)" = "$(rn "$T/rd.json" door)" ]'
check "text report: a runs column" 'grep -q "^beat  *[0-9.]* [a-z]*  *120 " "$T/rd.txt"'
sed 's|12 /day|0.5 /h|' "$T/rd.scn" > "$T/rh.scn"
"$IMPSIM" run "$T/rh.scn" --format json > "$T/rh.json" 2>&1
check "a rate per hour holds inside the window: 0.5 /h x 15 h x 30 d = 225 +- 4 sd (60)" 'near "$(rn "$T/rh.json" door)" 225 60'
"$IMPSIM" run "$T/rd.scn" --format json --set scenario.door.rate=24/day > "$T/rs.json" 2>&1
check "--set scenario.door.rate=24/day is per day too: 720 +- 4 sd (107)" 'near "$(rn "$T/rs.json" door)" 720 107'

# ---- fast-forward: periodic with every Nth run, not with chance ----
printf 'module imp004m\nduration 1 d\nsleep idle\nbattery 1xCR123A\nset battery.cell.capacity = 2 mAh\nevery 10 min as work:\n  every 3rd run as up:\n    wifi send 100 B\n  cpu 9.6 Mcycles\n' > "$T/ff.scn"
"$IMPSIM" run "$T/ff.scn" --format json > "$T/ff.json" 2>&1
"$IMPSIM" run "$T/ff.scn" --format json --no-fast-forward > "$T/ffn.json" 2>&1
l1=$(grep -o '"life_s": [0-9.e+]*' "$T/ff.json" | cut -d' ' -f2); l2=$(grep -o '"life_s": [0-9.e+]*' "$T/ffn.json" | cut -d' ' -f2)
check "every Nth run keeps the schedule periodic: fast-forward" 'grep -q "\"method\": \"fast-forward\"" "$T/ff.json"'
check "fast-forward and the full run agree to 0.1 %" 'awk -v a="$l1" -v b="$l2" "BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d <= 0.001 * b) }"'
check "fast-forward counts the runs: 144 work, 48 up, as the full run" '[ "$(rn "$T/ff.json" work)" = 144 ] && [ "$(rn "$T/ff.json" up)" = 48 ] && [ "$(rn "$T/ffn.json" up)" = 48 ]'
sed 's/every 3rd run as up:/chance 33 % as up:/' "$T/ff.scn" > "$T/fc.scn"
"$IMPSIM" run "$T/fc.scn" --format json > "$T/fc.json" 2>&1
check "a chance block is not periodic: battery life by the full run" 'grep -q "\"method\": \"full\"" "$T/fc.json"'
check "... and the report says why (the chance blocks' draws)" 'grep -q "\"method_why\": \"its .chance. blocks draw at random" "$T/fc.json"'
# chance 0 % never runs, 100 % always: the draws decide nothing, still periodic
sed 's/every 3rd run as up:/chance 0 % as up:/' "$T/ff.scn" > "$T/f0.scn"
printf '  chance 100 %% as sure:\n    cpu 1 Mcycles\n' >> "$T/f0.scn"
"$IMPSIM" run "$T/f0.scn" --format json > "$T/f0.json" 2>&1
check "chance 0 % and 100 % keep the schedule periodic: fast-forward" 'grep -q "\"method\": \"fast-forward\"" "$T/f0.json" && ! grep -q method_why "$T/f0.json"'
check "... 0 % never ran, 100 % ran every time (144 runs)" '[ "$(rn "$T/f0.json" sure)" = 144 ] && [ -z "$(rn "$T/f0.json" up)" -o "$(rn "$T/f0.json" up)" = 0 ]'

# ---- time-of-day windows and repeating pin lists ----
cat > "$T/win.scn" <<'S'
module imp004m
duration 14 d
sleep idle
start wed 08:30
every 10 min during 09:00-18:00 weekdays as shop:
  cpu 96 Mcycles
on pin at 7h, 19h every 1 d during weekdays as x:
  cpu 96 Mcycles
S
run win
"$IMPSIM" run "$T/win.scn" --format json > "$T/win.json" 2>&1
# 14 days from Wed 08:30 hold 10 weekdays; 09:00-18:00 on the 10-min grid
# (08:30 + k x 10 min) is 54 runs a day: 540 s. Pin events at 15:30 and
# 03:30 each day: 10 weekday afternoons + 10 weekday mornings (Thu..Wed
# twice) = 20 s; the 15:30 ones share a wake with a shop run: 550 wakes.
check "every 10 min during 09:00-18:00 weekdays: 540 runs" 'near "$(csvt "$T/win.csv" activity,shop)" 540 1e-9'
check "a daily pin list inside a weekday window: 20 events" 'near "$(csvt "$T/win.csv" activity,x)" 20 1e-9'
check "the shared wakes counted once: 550" 'grep -q "\"wakes\": 550," "$T/win.json"'
printf 'module imp004m\nduration 14 d\nsleep idle\non pin poisson 60 /h during 09:00-18:00 weekdays as press:\n  cpu 0.96 Mcycles\n' > "$T/pw.scn"
run pw
# 60 /h over 9 h x 10 weekdays = 5400 events of 10 ms = 54 s; sd sqrt(5400)
# = 73 events = 0.73 s; 4 sd. Without the window it would be 20160 (201.6 s).
check "a Poisson rate confined to a window: 54 s +- 4 sd" 'near "$(csvt "$T/pw.csv" activity,press)" 54 2.94'
run pw --set scenario.press.rate=30/h
check "--set scenario.NAME.rate halves it: 27 s +- 4 sd" 'near "$(csvt "$T/pw.csv" activity,press)" 27 2.08'

# a window over midnight belongs to the day it starts: Sat 22:00-Sun 06:00
# and Sun 22:00-Mon 06:00 (not Fri night, not Sat morning): 8 hourly runs
# each, 2 weekends in 14 days from Mon 00:00 = 32; Poisson 10 /h on Saturday
# nights only: 16 h x 10 = 160 events +- 4 sd (51)
printf 'module imp004m\nduration 14 d\nsleep idle\nevery 1 h during 22:00-06:00 weekends as night:\n  cpu 96 Mcycles\non pin poisson 10 /h during 22:00-06:00 sat as p:\n  cpu 96 Mcycles\n' > "$T/on.scn"
run on
check "every 1 h during 22:00-06:00 weekends: 32 runs" 'near "$(csvt "$T/on.csv" activity,night)" 32 1e-9'
check "Poisson 10 /h during 22:00-06:00 sat: 160 +- 51 events" 'near "$(csvt "$T/on.csv" activity,p)" 160 51'

# times of day in a pin list: start Wed 13:00, 7 days, 08:00 and 12:30 on
# weekdays: Thu, Fri, Mon, Tue twice each, and the next Wed before 13:00
# twice (that Wed's 13:00 ends the run; the first Wed's are past) = 10 events
printf 'module imp004m\nduration 7 d\nsleep idle\nstart wed 13:00\non pin at 08:00, 12:30 every 1 d during weekdays as x:\n  cpu 96 Mcycles\n' > "$T/ck.scn"
run ck
check "on pin at 08:00, 12:30 every 1 d during weekdays: 10 events in a week from Wed 13:00" 'near "$(csvt "$T/ck.csv" activity,x)" 10 1e-9'

# the fast-forward (state repeated at a wake) with a window, a daily pin list
# and an every-Nth-run counter gives the event-by-event ledger to the tick
cat > "$T/ffw.scn" <<'S'
module imp004m
duration 400 d
sleep idle
start wed 08:30
every 10 min during 09:00-18:00 weekdays as shop:
  every 7th run as up:
    wifi send 100 B
  cpu 96 Mcycles
on pin at 7h, 19h every 1 d during weekdays as x:
  cpu 96 Mcycles
every 1 h as hb:
  cpu 1 Mcycles
S
"$IMPSIM" run "$T/ffw.scn" --format csv > "$T/ffw1.csv" 2>&1
"$IMPSIM" run "$T/ffw.scn" --format csv --no-fast-forward > "$T/ffw2.csv" 2>&1
check "windows, repeating pin lists, Nth-run counters: fast-forward = event by event" 'grep -q "^activity,up," "$T/ffw1.csv" && cmp -s "$T/ffw1.csv" "$T/ffw2.csv"'

# ---- pulse counting: a blocking read, CPU in clock-gated idle, never stop ----
printf 'module imp004m\nduration 1 h\nsleep idle\npulse meter\nevery 1 min as meter-read:\n  count meter for 10 s\n' > "$T/pc.scn"
run pc
# 60 reads of 10 s = 600 s of CPU idle; the rest of the hour in stop mode
check "count: 60 reads of 10 s = 600 s of CPU idle" 'near "$(csvt "$T/pc.csv" state,cpu,idle)" 600 1e-9'
check "count: stop mode only between reads (< 3000 s)" 'awk -v x="$(csvt "$T/pc.csv" state,cpu,stop)" "BEGIN { exit !(x < 3000 && x > 2999) }"'
"$IMPSIM" run "$T/pc.scn" --module imp003 > /dev/null 2> "$T/err"
check "a module without a pulse-count pin is an error at the statement" '[ $? -eq 2 ] && grep -q "pc.scn:4:7: error: imp003 has no pulse-count pin" "$T/err"'

# ---- an SPI flash chip on an imp002 SPI bus ----
printf 'module imp002\nduration 1 d\nsleep deep\npart w25q80bv on spi189 at 8 MHz\nevery 1 h as log:\n  flash write 256 B\n' > "$T/fl.scn"
run fl
# 24 writes of 256 B at 8 MHz: 24 x 2048 bit / 8e6 = 6.144 ms of transfer
check "flash write on the imp002 with a chip on spi189: 6.144 ms of transfer" 'near "$(csvt "$T/fl.csv" state,flash,read)" 0.006144 1e-12'
check "the chip sleeps in deep power-down between writes" 'awk -v x="$(csvt "$T/fl.csv" state,flash,dpd)" "BEGIN { exit !(x > 86000) }"'

# ---- settings: scenario.NAME.FIELD, every statement, one prefix ----
run blk --set scenario.work.period=2min
check "--set scenario.NAME.period: 50 runs, 5 on the 10th (5 s)" 'near "$(csvt "$T/blk.csv" activity,up)" 5 1e-9'
run blk --set scenario.up.nth=5
check "--set scenario.NAME.nth: every 5th run of 100 (20 s)" 'near "$(csvt "$T/blk.csv" activity,up)" 20 1e-9'
"$IMPSIM" run "$T/ff.scn" --format json --set scenario.regulator.wifi-min=3.5V > "$T/wm.json" 2>&1
check "--set scenario.regulator.wifi-min: a 3 V cell is empty at once for WiFi" 'grep -q "\"ended_by\": \"wifi-min-voltage\"" "$T/wm.json"'
# a single-valued statement from --set replaces the file's line whole: the
# options the --set does not give are the defaults, not the file's
printf 'module imp004m\nduration 1 d\nsleep idle\nbattery 1xCR123A\nregulator switching efficiency 85 %% quiescent 1 mA wifi-min 1.8 V\nevery 10 min as work:\n  cpu 9.6 Mcycles\n' > "$T/rg.scn"
sed 's/^regulator .*/regulator linear/' "$T/rg.scn" > "$T/rl.scn"
run rg --set scenario.regulator=linear; run rl
# (the data rows; the assumptions at the end name the file and the --set)
check "--set scenario.regulator=linear drops the file's quiescent (same result as a file line 'regulator linear')" '[ -s "$T/rl.csv" ] && grep -v "^#" "$T/rg.csv" > "$T/rg.d" && grep -v "^#" "$T/rl.csv" > "$T/rl.d" && cmp -s "$T/rg.d" "$T/rl.d"'
run rg
check "(and the file's 1 mA quiescent did count before the --set)" 'grep -v "^#" "$T/rg.csv" > "$T/rg.d" && ! cmp -s "$T/rg.d" "$T/rl.d"'
run blk --set "scenario.load=gps 25 mA always"
# a 25 mA load always on for 100 min: 25 mA x 6000 s = 150 C
check "--set scenario.load adds a board load" 'grep -q "^component,gps,,6000,0.025" "$T/blk.csv"'
run blk --set scenario.nosuch.period=1s
check "--set of an unknown name is an error naming it, exit 2" '[ $? -eq 2 ] && grep -q "found scenario.nosuch.period, expected NAME.FIELD" "$T/blk.err"'
"$IMPSIM" models imp004m --set model.wifi.standby.current=9uA > "$T/m" 2>&1
check "models --set takes the model. prefix" 'grep -q "^wifi.standby.current  *9 uA  *override" "$T/m"'
"$IMPSIM" models imp004m --set scenario.sleep=idle > /dev/null 2> "$T/err"
check "models --set refuses another prefix, exit 2" '[ $? -eq 2 ] && grep -q "expected model.KEY=VALUE" "$T/err"'
"$IMPSIM" battery --cell 1xCR123A --load 1mA --set battery.cell.capacity=100mAh > "$T/b" 2>&1
check "battery --set takes the battery. prefix" '[ $? -eq 0 ] && grep -q "life" "$T/b"'

# ---- sweep of one named thing ----
"$IMPSIM" sweep "$T/ch.scn" --param scenario.hit.chance=0%..100% --steps 3 --variant "one: scenario.module=imp004m" -j 2 --format csv > "$T/sw.csv" 2> "$T/err"
check "sweep of a probability runs and names it" '[ $? -eq 0 ] && head -1 "$T/sw.csv" | grep -q "^scenario.hit.chance_"'
"$IMPSIM" sweep "$T/pw.scn" --param scenario.press.rate=10/h..60/h --steps 2 --variant "one: scenario.module=imp004m" -j 2 --format csv > "$T/sw2.csv" 2> "$T/err"
check "sweep of a pin rate runs" '[ $? -eq 0 ] && [ "$(grep -vc "^#" "$T/sw2.csv")" -eq 3 ]'

# ---- paths inside a scenario are relative to its file ----
mkdir -p "$T/proj/cells" "$T/elsewhere"
cp "$SRCDIR/cells/1xCR123A.cell" "$T/proj/cells/mine.cell"
printf 'module imp004m\nduration 1 d\nsleep idle\nbattery cells/mine.cell\nevery 1 h:\n  cpu 1 Mcycles\n' > "$T/proj/p.scn"
(cd "$T/elsewhere" && "$IMPSIM" run ../proj/p.scn > /dev/null 2> "$T/err")
check "a cell file named in a scenario is found next to the scenario" '[ $? -eq 0 ]'

# ---- warnings at the statement ----
printf 'module imp004m\ncrystal yes\nduration 1 d\nsleep deep\nwifi-idle connected\nevery 1 h:\n  cpu 1 Mcycles\n' > "$T/w1.scn"
"$IMPSIM" run "$T/w1.scn" > /dev/null 2> "$T/err"
check "sleep deep with wifi-idle connected: a warning at wifi-idle, exit 0" '[ $? -eq 0 ] && grep -q "w1.scn:5:11: warning: .wifi-idle connected. has no effect with .sleep deep." "$T/err"'
printf 'module imp004m\nduration 1 d\nsleep idle\nbattery 1xCR123A\non pin at 1h, 5h as press:\n  cpu 1 Mcycles\n' > "$T/w2.scn"
"$IMPSIM" run "$T/w2.scn" > /dev/null 2> "$T/err"
check "a pin list that does not repeat, with a battery: a warning at the task" 'grep -q "w2.scn:5:1: warning: the pin events of .press. end at 5 h" "$T/err"'
printf 'module imp002\nduration 1 d\nsleep deep\npulse meter\non pin poisson 3 /day:\n  count meter for 1 s\n' > "$T/w3.scn"
"$IMPSIM" run "$T/w3.scn" > /dev/null 2> "$T/err"
check "the imp002 pulse pin is the deep-sleep wake pin: a warning" 'grep -q "w3.scn:4:7: warning: pin1 on imp002 is both the pulse-count pin and the deep-sleep wake pin" "$T/err"'

# a task that overruns at run time (each send connects first: longer than
# its 2 s period) is a warning at the task, with the count of skipped runs
printf 'module imp004m\nduration 1 h\nsleep idle\nevery 2 s as up:\n  wifi send 10 B\n' > "$T/w4.scn"
"$IMPSIM" run "$T/w4.scn" > /dev/null 2> "$T/err"
check "runs skipped at run time: a warning at the task, exit 0" '[ $? -eq 0 ] && grep -q "w4.scn:4:1: warning: [0-9]* timed runs fell due while the device was still busy and were skipped (the first of .up.)" "$T/err"'

# a declaration whose figure is wrong still declares its name: one error
# for the bad unit, none for the uses of the load or the peripheral below
printf 'module imp004m\nduration 1 d\nload led 3 mX\ni2c sensor at 400 kXz\nevery 1 min:\n    enable led\n    read sensor 6 B\n    disable led\n' > "$T/bd.scn"
"$IMPSIM" run "$T/bd.scn" > /dev/null 2> "$T/bd.err"; rc=$?
check "bad figure in a load and a peripheral: two errors, no follow-on 'not declared' errors" \
  '[ $rc -eq 2 ] && [ "$(grep -c ": error: " "$T/bd.err")" -eq 2 ] && grep -q "bd.scn:3:10: error: found unknown unit .mX." "$T/bd.err" && grep -q "bd.scn:4:15: error: found unknown unit .kXz." "$T/bd.err"'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
