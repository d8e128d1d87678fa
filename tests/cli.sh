#!/bin/sh
# cli.sh — end-to-end tests of the impsim command line: exit codes, output
# formats, error positions, and that failed runs write nothing.
# Needs IMPSIM (the binary), SRCDIR and IMPSIM_DATADIR (set by make check).
: "${SRCDIR:=.}"
. "$SRCDIR/tests/tlib.sh"

S=$SRCDIR/scenarios
"$IMPSIM" --version > "$T/v" 2>&1; check "--version exits 0" '[ $? -eq 0 ] && grep -q "^impsim " "$T/v"'
"$IMPSIM" --help > "$T/h" 2>&1; check "--help lists run" 'grep -q "run FILE.scn" "$T/h"'
"$IMPSIM" run --help > "$T/h" 2>&1; check "run --help lists --trace" 'grep -q -- "--trace" "$T/h"'

for m in imp002 imp004m; do
  for s in env-sensor-15min door-sensor-wakepin; do
    "$IMPSIM" run "$S/$s.scn" --module $m --format json > "$T/$s-$m.json" 2> "$T/err"
    check "$s runs on $m" '[ $? -eq 0 ]'
    check "$s on $m: JSON has the required keys" \
      'for k in scenario module duration_s charge_C energy_J avg_current_A components activities states time_s; do grep -q "\"$k\"" "$T/$s-$m.json" || exit 1; done'
  done
done

"$IMPSIM" run "$S/env-sensor-15min.scn" > "$T/text" 2>&1
check "text report has totals with units" 'grep -q "total charge .* C" "$T/text" && grep -q "average current .*A" "$T/text"'
"$IMPSIM" run "$S/env-sensor-15min.scn" --format csv > "$T/csv" 2>&1
check "csv report has header and rows" 'head -1 "$T/csv" | grep -q "^section,name,state,time_s" && grep -q "^activity,sense" "$T/csv"'

"$IMPSIM" run "$S/env-sensor-15min.scn" --duration 1d --trace "$T/trace.csv" > /dev/null 2>&1
check "--trace writes a CSV" '[ $? -eq 0 ] && head -1 "$T/trace.csv" | grep -q "^time_s,current_A,cpu_A"'
check "trace ends at the duration" 'tail -1 "$T/trace.csv" | grep -q "^86400,"'

# --stats counts the whole command: the battery-life simulation too, and
# the whole is at least half the wall time measured from outside (a run of
# a tenth of a second or more: the process's start is not in "in all")
t0=$(date +%s.%N)
"$IMPSIM" run "$S/env-sensor-15min.scn" --no-fast-forward --duration 1y --stats -o "$T/st.txt" 2> "$T/st.err"
t1=$(date +%s.%N)
check "run --stats: the run, the battery life and the whole command's wall and CPU time" \
  'awk -v t0="$t0" -v t1="$t1" '"'"'BEGIN { outside = t1 - t0 } /the run: .* events in/ { r = $7 } /the battery life: / { l = $5 } /in all .* of CPU/ { a = $4; c = $9 } END { exit !(r != "" && l != "" && a != "" && c > 0 && a >= r + l && a >= outside / 2 && a <= outside) }'"'"' "$T/st.err"'
# a fast-forwarded run's events were mostly added, not simulated: no rate
"$IMPSIM" run "$S/env-sensor-15min.scn" --stats -o "$T/st2.txt" 2> "$T/st2.err"
check "run --stats, fast-forwarded: says so, gives no events/s" \
  'grep -q "^impsim: the run: [0-9]* events, most in whole repeated periods added without simulating them (fast-forward)" "$T/st2.err" && ! grep -q "events/s" "$T/st2.err"'

# the battery sees the peaks: calibration bursts are segments of their own
printf 'module imp004m\nduration 10 min\nsleep idle\nwifi-idle connected\npowersave on\nbattery 1xAA-LiSOCl2\nregulator linear\nevery 1 min:\n  wifi send 64 B\n' > "$T/assoc.scn"
"$IMPSIM" run "$T/assoc.scn" --trace "$T/assoc.csv" > /dev/null 2>&1
check "trace shows calibration bursts at their real current (350 mA for 15 ms)" \
  'awk -F, '"'"'NR > 2 && p >= 0.349 && p < 0.351 && $1 - t > 0.0149 && $1 - t < 0.0151 { n++ } NR > 1 { t = $1; p = $2 } END { exit !(n >= 10) }'"'"' "$T/assoc.csv"'
"$IMPSIM" run "$T/assoc.scn" --set battery.cell.resistance=3.2ohm --duration 30d --format json > "$T/hr.json" 2>&1
check "a 3.2 ohm cell cannot deliver the first calibration burst (3.68 V - 3.2 ohm x 0.35 A = 2.56 V < 2.7 V): no life, a flag, the warning" \
  'grep -q "\"ended_by\": \"wifi-min-voltage\"" "$T/hr.json" && grep -q "\"life_s\": null, .*\"peak_fails\": true" "$T/hr.json" && grep -q "\"kind\": \"wifi-peak\", \"figure\": 2.5599" "$T/hr.json" && sed -n "s/.*\"ended_after_s\": \([0-9.e+-]*\),.*/\1/p" "$T/hr.json" | awk "{ n++; x = \$1 } END { exit !(n == 1 && x > 1.2 && x < 1.26) }"'
"$IMPSIM" run "$T/assoc.scn" --set battery.cell.resistance=0.5ohm --duration 30d --format json > "$T/lr.json" 2>&1
check "the same product on a 0.5 ohm cell runs for days" \
  'sed -n "s/.*\"life_s\": \([0-9.e+-]*\),.*/\1/p" "$T/lr.json" | awk "{ n++; x = \$1 } END { exit !(n == 1 && x > 86400) }"'

# held against reality: Nora (imp002, 2 x AA + boost) lasts ~60,000 WiFi wakes on
# alkaline and ~80,000 on lithium cells (EI staff, forum t/3216), at any short period
for c in alkaline:60000 lithium:80000; do
  for e in 60 120 600; do
    "$IMPSIM" run "$S/nora-${c%%:*}.scn" --set scenario.every=${e}s --format json > "$T/nora.json" 2>&1
    check "Nora on ${c%%:*} cells every $e s: wakes to empty within 15 % of ${c#*:}" \
      'sed -n "s/.*\"life_s\": \([0-9.e+-]*\),.*/\1/p" "$T/nora.json" | awk -v p=$e -v w=${c#*:} "{ n = \$1 / p; exit !(n > 0.85 * w && n < 1.15 * w) }"'
  done
done

# every figure that moves a bundled verdict, and every radio power-up cost, has a
# range with its provenance and source in the model (what --monte-carlo draws)
"$IMPSIM" models imp004m > "$T/m004.txt" 2>&1
for s in env-sensor-15min door-sensor-wakepin lost-ap soil-moisture; do
  "$IMPSIM" decide "$S/$s.scn" --format json 2> /dev/null | grep -o '"figure": "[a-z0-9_.]*"' | sed 's/"figure": "//; s/"$//'
done | sort -u > "$T/sens.txt"
check "decide names sensitive figures for the bundled scenarios" '[ "$(wc -l < "$T/sens.txt")" -ge 8 ]'
for k in $(cat "$T/sens.txt") wifi.powerup.time wifi.powerup.current wifi.fwload.size wifi.fwload.clock wifi.cal.current wifi.cal.time; do
  check "imp004m figure $k has a sourced range" \
    'grep -A1 "^$k " "$T/m004.txt" | tail -1 | grep -Eq "^  range: (uniform|choice) .* (datasheet|documented|forum|measured|estimate) +\"[^\"]{12,}\""'
done

# errors: file:line:col, exit 2, nothing written
printf 'module imp004m\nduration 1 d\nevery 15 parsecs:\n  cpu 1\n' > "$T/bad.scn"
echo previous > "$T/out.json"; echo previous > "$T/tr.csv"
"$IMPSIM" run "$T/bad.scn" -o "$T/out.json" --trace "$T/tr.csv" > /dev/null 2> "$T/err"
check "syntax error exits 2" '[ $? -eq 2 ]'
check "syntax error names file:line:col" 'grep -q "bad.scn:3:7: error: found unknown unit" "$T/err"'
check "failed run leaves outputs untouched" 'grep -qx previous "$T/out.json" && grep -qx previous "$T/tr.csv"'
check "no temporary files left" '[ -z "$(ls "$T" | grep tmp)" ]'
# the wrong kind of file (a CSV saved as .txt: a .csv is named at once):
# 20 errors shown, the rest counted
awk 'BEGIN { print "time_s,current_A"; for (i = 0; i < 30; i++) print i ",0.001" }' > "$T/some.txt"
"$IMPSIM" run "$T/some.txt" > /dev/null 2> "$T/err"
check "errors past 20 are counted, not shown (31 bad lines: 20 shown, '11 more errors not shown')" \
  '[ $? -eq 2 ] && [ "$(grep -c ": error: " "$T/err")" -eq 20 ] && grep -qx "impsim: 11 more errors not shown" "$T/err"'
# a bad task or block header is one error; its body is skipped silently,
# and the lines after the body are checked again (line 11's error is named)
printf 'module imp004m\nduration 1 d\nevery 6 h\n  cpu 1 Mcycles\n  wait 1 ms\nevery 1 h:\n  chance 150 %%:\n    cpu 1 Mcycles\n    wait 1 ms\n  cpu 1 Mcycles\n  wait 1 parsec\n' > "$T/hdr.scn"
"$IMPSIM" run "$T/hdr.scn" > /dev/null 2> "$T/err"
check "a bad header is one error, not one per body line (3 errors: lines 3, 7, 11)" \
  '[ $? -eq 2 ] && [ "$(grep -c ": error: " "$T/err")" -eq 3 ] && [ "$(grep -c -e "hdr.scn:3:" -e "hdr.scn:7:" -e "hdr.scn:11:" "$T/err")" -eq 3 ]'

"$IMPSIM" run "$S/env-sensor-15min.scn" --set model.cpu.run.current=3V > /dev/null 2> "$T/err"
check "bad --set exits 2 with a message" '[ $? -eq 2 ] && grep -q "expected a current" "$T/err"'
"$IMPSIM" run "$S/env-sensor-15min.scn" --format xml > /dev/null 2> "$T/err"
check "bad --format exits 2" '[ $? -eq 2 ] && grep -q "expected text, json or csv" "$T/err"'
"$IMPSIM" run /nonexistent.scn > /dev/null 2> "$T/err"
check "missing file exits 2" '[ $? -eq 2 ] && grep -q "/nonexistent.scn: error: cannot open" "$T/err"'
mkdir "$T/adir"; "$IMPSIM" run "$T/adir" > /dev/null 2> "$T/err"
check "a directory given to run is named as one, exit 2" '[ $? -eq 2 ] && grep -q "adir: error: found a directory, expected a file" "$T/err"'
"$IMPSIM" frob > /dev/null 2>&1; check "unknown command exits 2" '[ $? -eq 2 ]'

"$IMPSIM" run "$S/env-sensor-15min.scn" --module imp009 > /dev/null 2> "$T/err"
check "a bad --module is named in the error, exit 2" '[ $? -eq 2 ] && grep -q "^--module .imp009.: error: found module .imp009." "$T/err"'
"$IMPSIM" run "$S/env-sensor-15min.scn" --duration 5 > /dev/null 2> "$T/err"
check "a bad --duration gives one error naming it, exit 2" '[ $? -eq 2 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q "^--duration .5.: error: found .5., expected a time" "$T/err"'
"$IMPSIM" run "$S/env-sensor-15min.scn" --module imp004m --set scenario.crystal=no > /dev/null 2> "$T/err"
check "timed deep sleep without crystal is refused" '[ $? -eq 2 ] && grep -q "without a 32 kHz crystal" "$T/err"'

"$IMPSIM" models > "$T/models" 2>&1
check "models lists the three modules" 'grep -q imp002 "$T/models" && grep -q imp004m "$T/models" && grep -q imp003 "$T/models"'
"$IMPSIM" models imp004m > "$T/m" 2>&1
check "models imp004m prints sources" 'grep -q "wifi.standby.current" "$T/m" && grep -q "documented\|datasheet\|forum\|estimate" "$T/m"'

# impsim check: regression runs against .expect files
mkdir -p "$T/reg/sub"
cp "$S/door-sensor-wakepin.scn" "$T/reg/door.scn"
printf 'module imp004m\nduration 1 d\nsleep idle\nevery 1 h as work:\n  cpu 2 Mcycles\n' > "$T/reg/sub/tiny.scn"
printf 'module imp004m\nduration 1 d\nevery 1 h:\n  cpu 1 parsecs\n' > "$T/reg/broken.scn"
"$IMPSIM" check --update "$T/reg" > "$T/upd" 2>&1
check "check --update creates expect files" '[ -f "$T/reg/door.expect" ] && [ -f "$T/reg/sub/tiny.expect" ] && grep -q "charge_C" "$T/reg/sub/tiny.expect"'
check "check --update reports the broken scenario" 'grep -q "FAIL.*broken.scn.*parsecs" "$T/upd"'
rm "$T/reg/broken.scn"
{ printf '# tiny: our own words\n\n'; cat "$T/reg/sub/tiny.expect"; } > "$T/x" && mv "$T/x" "$T/reg/sub/tiny.expect"
"$IMPSIM" check --update "$T/reg/sub" > /dev/null 2>&1
check "check --update keeps the comments above the first section" '[ "$(head -1 "$T/reg/sub/tiny.expect")" = "# tiny: our own words" ] && grep -q "^module imp004m" "$T/reg/sub/tiny.expect"'
"$IMPSIM" check "$T/reg" > "$T/chk" 2>&1
check "check passes on fresh expectations" '[ $? -eq 0 ] && grep -qx "2 passed, 0 failed" "$T/chk"'
sed -i 's/^\(  charge_C *\)[0-9.]*/\1 1/' "$T/reg/sub/tiny.expect"
printf 'module imp004m\nduration 1 d\nevery 1 h:\n  cpu 1 parsecs\n' > "$T/reg/broken.scn"
printf 'module imp004m\n  charge_C 12 furlongs rel 1 %%\n' > "$T/reg/door.expect"
"$IMPSIM" check "$T/reg" --junit "$T/junit.xml" > "$T/chk" 2>&1
check "check exits 2 when an expect file is not valid (bad input), after running the others" '[ $? -eq 2 ]'
check "check says which figure moved, from what to what" 'grep -q "charge_C moved from 1 C to" "$T/chk"'
check "a malformed expect file is a failure with its position" 'grep -q "door.expect:2:" "$T/chk"'
check "a scenario that fails to parse is a failure, others still run" 'grep -q "FAIL.*broken.scn" "$T/chk" && grep -qx "0 passed, 2 failed, 1 with an expect file that is not valid" "$T/chk"'
check "check writes JUnit XML" 'grep -q "<testsuite" "$T/junit.xml" && grep -q "<failure" "$T/junit.xml"'
printf 'module imp004m\nmodule imp002 error "no such thing"\n' > "$T/reg/door.expect"
"$IMPSIM" check "$T/reg/door.scn" > "$T/chk" 2>&1
check "an expected error that does not happen fails" '[ $? -eq 1 ] && grep -q "an error containing" "$T/chk"'

# compare / decide / sweep
"$IMPSIM" compare "$S/env-sensor-15min.scn" --format json > "$T/cmp.json" 2> "$T/err"
check "compare runs and lists the variants" '[ $? -eq 0 ] && grep -q "imp004m-stop" "$T/cmp.json" && grep -q "change_vs_baseline" "$T/cmp.json"'
check "compare reports a variant the scenario cannot run on" 'grep -q "cannot wake from deep sleep on a timer" "$T/cmp.json"'
"$IMPSIM" compare "$S/env-sensor-15min.scn" --variant "fast: scenario.every=5min" --format csv > "$T/cmp.csv" 2>&1
check "compare --variant adds a row" 'grep -q "^fast,imp004m,1," "$T/cmp.csv"'
"$IMPSIM" compare "$S/env-sensor-15min.scn" --variant "lin: scenario.regulator=linear quiescent 2 uA wifi-min 1.8 V" \
  --format json > "$T/cmp-lin.json" 2> "$T/err"
check "compare --variant: a value with spaces (words without = go on the value before)" \
  '[ $? -eq 0 ] && grep -q "scenario.regulator=linear quiescent 2 uA wifi-min 1.8 V" "$T/cmp-lin.json"'
"$IMPSIM" decide "$S/env-sensor-15min.scn" > "$T/dec" 2>&1; rc=$?
check "decide says no for the 15-min sensor (exit 1): every reconnect powers the radio up" '[ $rc -eq 1 ] && grep -q "Answer:   NO" "$T/dec" && grep -q "break-even wake interval" "$T/dec"'
"$IMPSIM" decide "$S/env-sensor-15min.scn" --min-ratio 1.2 --format json > "$T/dec.json" 2>&1; rc=$?
check "decide says no at a higher bar (exit 1)" '[ $rc -eq 1 ] && grep -q "\"can_drop\": false" "$T/dec.json"'
"$IMPSIM" decide "$S/env-sensor-15min.scn" --target 12parsecs > /dev/null 2> "$T/err"; rc=$?
check "decide with a bad target exits 2" '[ $rc -eq 2 ] && grep -q "expected a time" "$T/err"'
"$IMPSIM" decide "$S/env-sensor-15min.scn" --format csv > "$T/out" 2> "$T/err"; rc=$?
check "decide --format csv: exit 2, text or json expected, nothing printed" \
  '[ $rc -eq 2 ] && grep -q "found .csv., expected text or json" "$T/err" && [ ! -s "$T/out" ]'
"$IMPSIM" sweep "$S/env-sensor-15min.scn" --param every=30s..10min --steps 4 --log > "$T/sw.csv" 2>&1
check "sweep writes CSV with a marked break-even" '[ $? -eq 0 ] && head -1 "$T/sw.csv" | grep -q "^scenario.every_s,imp002_life_s" && awk -F, "NR == 1 { for (i = 1; i <= NF; i++) if (\$i == \"break_even\") c = i } NR > 1 && !/^#/ && \$c != \"\" { n++ } END { exit !(c && n == 1) }" "$T/sw.csv" && [ "$(grep -vc "^#" "$T/sw.csv")" -eq 5 ]'
check "sweep's points: the ends as given, between them 4 significant digits" \
  '[ "$(grep -v "^#" "$T/sw.csv" | sed 1d | cut -d, -f1 | tr "\n" " ")" = "30 81.43 221 600 " ]'
"$IMPSIM" sweep "$S/env-sensor-15min.scn" --param every=100s..100.3s --steps 5 > "$T/sw5.csv" 2>&1
check "sweep's points: more digits where 4 would merge two" \
  '[ "$(grep -v "^#" "$T/sw5.csv" | sed 1d | cut -d, -f1 | tr "\n" " ")" = "100 100.08 100.15 100.22 100.3 " ]'
"$IMPSIM" sweep "$S/env-sensor-15min.scn" --param every=600s..600.05s --steps 6 --format text > "$T/sw6.txt" 2>&1
check "sweep's text table: points closer than 4 digits keep theirs" \
  '[ "$(sed -n "3,8p" "$T/sw6.txt" | cut -c1-9 | tr -s " " | tr "\n" "|")" = "600 s |600.01 s |600.02 s |600.03 s |600.04 s |600.05 s |" ]'
"$IMPSIM" sweep "$S/env-sensor-15min.scn" --param every=10min..1min > /dev/null 2> "$T/err"
check "sweep with a reversed range exits 2" '[ $? -eq 2 ] && grep -q "expected NAME=LOW..HIGH" "$T/err"'

"$IMPSIM" compare "$S/env-sensor-15min.scn" --monte-carlo 3 --seed 5 --format json > "$T/mc1" 2>&1
"$IMPSIM" compare "$S/env-sensor-15min.scn" --monte-carlo 3 --seed 5 --format json -j 1 > "$T/mc2" 2>&1
check "monte carlo: same seed, same bytes (any number of workers)" 'grep -q life_s_p10_p50_p90 "$T/mc1" && cmp -s "$T/mc1" "$T/mc2"'
"$IMPSIM" compare "$S/env-sensor-15min.scn" --monte-carlo 3 --seed 6 --format json > "$T/mc3" 2>&1
check "monte carlo: another seed, other numbers" '! cmp -s "$T/mc1" "$T/mc3"'

# charts (gnuplot)
if command -v gnuplot > /dev/null 2>&1; then
  "$IMPSIM" plot trace "$T/trace.csv" -o "$T/trace.png" > /dev/null 2>&1
  check "plot trace writes a PNG" '[ $? -eq 0 ] && head -c 8 "$T/trace.png" | grep -q PNG'
  "$IMPSIM" plot sweep "$T/sw.csv" -o "$T/sweep.svg" > /dev/null 2>&1
  check "plot sweep writes an SVG" '[ $? -eq 0 ] && grep -q "<svg" "$T/sweep.svg"'
  "$IMPSIM" plot trace "$T/nonexistent.csv" -o "$T/x.png" > /dev/null 2>&1
  check "plot of a missing file exits 2 and writes nothing" '[ $? -eq 2 ] && [ ! -e "$T/x.png" ]'
  "$IMPSIM" plot sweep "$T/trace.csv" -o "$T/x.png" > /dev/null 2> "$T/err"
  check "plot of the wrong kind of CSV exits 2 and writes nothing" '[ $? -eq 2 ] && [ ! -e "$T/x.png" ] && grep -q "trace.csv:1:1: error: found .time_s,current_A" "$T/err"'
fi

# progress: on a terminal only (script(1) gives the run a pty), cleared at the end
IMPSIM_PROGRESS_AFTER=0 "$IMPSIM" run "$S/env-sensor-1min.scn" --duration 60d --no-fast-forward \
  -o "$T/pr.txt" 2> "$T/pr.err"
check "no progress when stderr is not a terminal" '[ $? -eq 0 ] && [ ! -s "$T/pr.err" ]'
if command -v script > /dev/null 2>&1; then
  IMPSIM_PROGRESS_AFTER=0 script -qc "'$IMPSIM' run '$S/env-sensor-1min.scn' --duration 60d \
    --no-fast-forward -o '$T/pr2.txt'" "$T/typescript" > "$T/pr.tty" 2>&1
  check "progress on a terminal, then the line cleared" \
    'grep -q "impsim: simulating .* d simulated" "$T/pr.tty" && cmp -s "$T/pr.txt" "$T/pr2.txt" &&
     [ "$(tail -c 4 "$T/pr.tty" | od -An -c | tr -d " ")" = "\\r033[K" ]'
fi

# same inputs, same bytes
"$IMPSIM" run "$S/door-sensor-wakepin.scn" --format json > "$T/a" 2>/dev/null
"$IMPSIM" run "$S/door-sensor-wakepin.scn" --format json > "$T/b" 2>/dev/null
check "deterministic output" 'cmp -s "$T/a" "$T/b"'

tlib_done
