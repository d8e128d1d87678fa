#!/bin/sh
# hostile.sh — careless inputs get a located, understandable error and the
# documented exit code instead of hours of work or a wrong answer:
# runaway work is refused before it starts (with the estimate and the flag
# that allows it); readers accept a UTF-8 byte-order mark, report NUL bytes
# at line:column, read long lines whole and never echo control bytes;
# command arguments out of their range are named. The second hostile pass
# (tests/hostile-pass-2.md: 137 inputs, before and after) added a test per
# kind it found mishandled (section "second hostile pass").
: "${SRCDIR:=.}"
. "$SRCDIR/tests/tlib.sh"
S=$SRCDIR/scenarios
E=$S/env-sensor-15min.scn

# ---- runaway work ----
printf 'module imp004m\nduration 30 d\nsleep idle\non pin poisson 1000 /s:\n    cpu 1000 cycles\n' > "$T/poisson.scn"
start=$(date +%s)
"$IMPSIM" run "$T/poisson.scn" > "$T/out" 2> "$T/err"
rc=$?
check "Poisson 1000 /s over 30 d: refused at once, exit 2" '[ $rc -eq 2 ] && [ $(($(date +%s) - start)) -lt 10 ]'
check "... with the estimate and the flag that allows it" \
  'grep -q "poisson.scn: error: the run would simulate about 1.0[0-9]e+10 events" "$T/err" && grep -q -- "--max-events" "$T/err"'
"$IMPSIM" compare "$T/poisson.scn" > /dev/null 2> "$T/err"
check "compare refuses it too (exit 2)" '[ $? -eq 2 ] && grep -q "would simulate about" "$T/err"'
printf 'module imp004m\nduration 30 d\nsleep idle\nevery 15 ms:\n    cpu 1000 cycles\n' > "$T/typo.scn"
"$IMPSIM" run "$T/typo.scn" --trace "$T/typo.csv" > /dev/null 2> "$T/err"
check "every 15 ms with a trace (event by event): refused, no trace written" \
  '[ $? -eq 2 ] && grep -q "event by event" "$T/err" && [ -z "$(ls "$T" | grep typo.csv)" ]'
"$IMPSIM" run "$E" --duration 1d --no-fast-forward --max-events 100 > /dev/null 2> "$T/err"
check "--max-events 100 refuses a 1-day run" '[ $? -eq 2 ] && grep -q "more than the limit of 100" "$T/err"'
"$IMPSIM" run "$E" --duration 1d --no-fast-forward --max-events 1e7 > "$T/out" 2> "$T/err"
check "--max-events 1e7 allows it (and the event-by-event battery life)" '[ $? -eq 0 ] && grep -q "total charge" "$T/out"'
"$IMPSIM" run "$E" --max-events lots > /dev/null 2> "$T/err"
check "--max-events lots: exit 2" '[ $? -eq 2 ] && grep -q "max-events: found .lots." "$T/err"'

# ---- readers ----
# a UTF-8 byte-order mark is accepted in every text input
bom() { printf '\357\273\277'; cat "$1"; }
bom "$E" > "$T/bom.scn"
"$IMPSIM" run "$T/bom.scn" --duration 1d > "$T/out" 2> "$T/err"
check "BOM: scenario" '[ $? -eq 0 ] && grep -q "total charge" "$T/out"'
bom "$SRCDIR/models/imp004m.model" > "$T/bom.model"
"$IMPSIM" run "$E" --module "$T/bom.model" --duration 1d > "$T/out" 2> "$T/err"
check "BOM: module model (figure file)" '[ $? -eq 0 ] && grep -q "total charge" "$T/out"'
bom "$SRCDIR/cells/2xAA-alkaline.cell" > "$T/bom.cell"
"$IMPSIM" battery --cell "$T/bom.cell" --load 5mA > "$T/out" 2> "$T/err"
check "BOM: cell" '[ $? -eq 0 ] && grep -q "^life" "$T/out"'
mkdir "$T/bc"; cp "$S/door-sensor-wakepin.scn" "$T/bc/"; bom "$S/door-sensor-wakepin.expect" > "$T/bc/door-sensor-wakepin.expect"
"$IMPSIM" check "$T/bc" > "$T/out" 2> "$T/err"
check "BOM: expect file" '[ $? -eq 0 ] && grep -q "1 passed, 0 failed" "$T/out"'
printf '\357\273\277time_s,current_A\r\n0,0.01\r\n1,0.02\r\n2,0.01\r\n' > "$T/bom.csv"
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$T/bom.csv" > "$T/out" 2> "$T/err"
check "BOM: load CSV" '[ $? -eq 0 ] && grep -q "average 15 mA" "$T/out"'
# a load CSV row longer than any buffer is read whole, and line numbers stay right
awk 'BEGIN { printf "time_s,current_A,note\n0,0.01,"; for (i = 0; i < 300000; i++) printf "x"; printf "\n1,0.02,y\n2,0.01,z\n" }' > "$T/long.csv"
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$T/long.csv" > "$T/out" 2> "$T/err"
check "a 300 KB load-CSV row is read whole" '[ $? -eq 0 ] && grep -q "average 15 mA" "$T/out"'
sed 's/^2,0.01,z$/2,oops,z/' "$T/long.csv" > "$T/long2.csv"
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$T/long2.csv" > /dev/null 2> "$T/err"
check "... an error after it is at its own line (4:3)" '[ $? -eq 2 ] && grep -q "long2.csv:4:3: error: found .oops." "$T/err"'
# messages never carry raw control bytes or newlines from the input
printf 'time_s,current_A\n0,0.01\n1,\033[2J\r\n' > "$T/esc.csv"
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$T/esc.csv" > /dev/null 2> "$T/err"
check "control bytes in an error are shown as \\xNN" '[ $? -eq 2 ] && grep -q "x1B" "$T/err" && ! grep -q "$(printf "\033")" "$T/err"'
# a .model file whose name starts with a digit
cp "$SRCDIR/models/imp004m.model" "$T/4m.model"; cp "$E" "$T/e.scn"
(cd "$T" && "$IMPSIM" run e.scn --module 4m.model --duration 1d) > "$T/out" 2> "$T/err"
check "--module 4m.model (a name starting with a digit)" '[ $? -eq 0 ] && grep -q "total charge" "$T/out"'
# flash operations larger than the part
printf 'module imp004m\nduration 1 d\nsleep idle\nevery 1 h:\n    flash read 2 MB\n' > "$T/flash.scn"
"$IMPSIM" run "$T/flash.scn" > /dev/null 2> "$T/err"
check "a flash read larger than the part: exit 2 at 5:5" '[ $? -eq 2 ] && grep -q "flash.scn:5:5: error: found a flash read of 2097152 B, expected at most the 1048576 B" "$T/err"'
# sweep ranges with zero or negative values
for r in every=0s..1h every=-5min..1h model.cpu.run.current=-1mA..5mA; do
  "$IMPSIM" sweep "$E" --param "$r" --steps 3 > "$T/out" 2> "$T/err"
  check "sweep --param $r: exit 2 naming the point, nothing printed" \
    '[ $? -eq 2 ] && grep -q "the point .* (1 of 3) is not a valid setting" "$T/err" && [ ! -s "$T/out" ]'
done
# check: empty directory, a symbolic-link loop, a missing path
mkdir "$T/empty"
"$IMPSIM" check "$T/empty" > /dev/null 2> "$T/err"
check "check on an empty directory: exit 2 with a message" '[ $? -eq 2 ] && grep -q "found no scenario" "$T/err"'
mkdir -p "$T/loop/sub"; cp "$S/door-sensor-wakepin.scn" "$S/door-sensor-wakepin.expect" "$T/loop/"; ln -s .. "$T/loop/sub/up"
"$IMPSIM" check "$T/loop" > /dev/null 2> "$T/err"
check "check through a symbolic-link loop: exit 2, located" '[ $? -eq 2 ] && grep -q "loop/sub/up: error: found a symbolic-link loop" "$T/err"'
ln -s b "$T/a"; ln -s a "$T/b"
"$IMPSIM" check "$T/a" > /dev/null 2> "$T/err"
check "check on a link cycle: exit 2 (too many levels of links)" '[ $? -eq 2 ] && grep -q "/a: error: cannot read: Too many levels" "$T/err"'
# --variant with a bad key: an error, not a "not possible" row
"$IMPSIM" compare "$E" --set scenario.duration=1d --variant 'x: model.cpu.frob=1mA' > "$T/out" 2> "$T/err"
check "--variant with an unknown key: exit 2 naming the variant" '[ $? -eq 2 ] && grep -q "^--variant .x: model.cpu.frob=1mA.: error: setting .model.cpu.frob=1mA.: found .cpu.frob." "$T/err" && [ ! -s "$T/out" ]'
"$IMPSIM" compare "$E" --set scenario.duration=1d --variant 'x: scenario.crystal=no' > "$T/out" 2> "$T/err"
check "--variant the module cannot run: still a row (exit 0)" '[ $? -eq 0 ] && grep -q "not possible" "$T/out"'

# ---- --help ----
"$IMPSIM" --help > "$T/h" 2>&1
check "--help names no placeholder address, points to the README" '! grep -Eqi "example\.|invalid|TODO" "$T/h" && grep -q "README" "$T/h"'

# ---- check: what it is given ----
mkdir "$T/ck"; cp "$E" "$T/ck/a.scn"
"$IMPSIM" check "$T/ck/a.scn" > "$T/out" 2> "$T/err"
check "check with no expect file: FAIL with the command that creates it" \
  '[ $? -eq 1 ] && grep -q "missing expect file" "$T/out" && grep -q "impsim check --update .*a.scn" "$T/out"'
"$IMPSIM" check --update "$T/ck/a.scn" > "$T/out" 2> "$T/err"
check "check --update on a missing expect file says 'created', not 'N figures changed'" \
  '[ $? -eq 0 ] && grep -q "^created .*a.expect ([0-9]* figures)" "$T/out" && ! grep -q changed "$T/out"'
"$IMPSIM" check --update "$T/ck/a.scn" > "$T/out" 2> "$T/err"
check "check --update again: the same (0 figures changed)" '[ $? -eq 0 ] && grep -q "^same .*(0 figures changed)" "$T/out"'
"$IMPSIM" check "$T/ck/a.expect" > "$T/out" 2> "$T/err"
check "check FILE.expect: refused (not run as a scenario), its scenario suggested, exit 2" \
  '[ $? -eq 2 ] && grep -q "a.expect: error: found a file whose name does not end in .scn.*did you mean .*a.scn" "$T/err" && [ ! -s "$T/out" ]'
cp "$E" "$T/ck/notes.txt"
"$IMPSIM" check "$T/ck/notes.txt" > "$T/out" 2> "$T/err"
check "check FILE.txt: refused, exit 2" '[ $? -eq 2 ] && grep -q "notes.txt: error: found a file whose name does not end in .scn, expected a scenario file" "$T/err"'
"$IMPSIM" check "$T/ck" > "$T/out" 2> "$T/err"
check "check DIR: only the .scn files are taken (notes.txt ignored)" '[ $? -eq 0 ] && grep -qx "1 passed, 0 failed" "$T/out"'

# ---- newcomers' slips ----
# time-unit words of one fixed length are read; "month" is refused with a hint
printf 'module imp004m\nduration 2 weeks\nsleep idle\nevery 3 hours:\n  cpu 1000\n' > "$T/words.scn"
"$IMPSIM" run "$T/words.scn" > "$T/out" 2> "$T/err"
check "'2 weeks', '3 hours': read as 14 d and 3 h (112 runs; the one at the start is no wake)" '[ $? -eq 0 ] && grep -q "duration 14 d" "$T/out" && grep -q " 111 wakes" "$T/out"'
for w in "90 seconds" "2 minutes" "1 hour" "1 week" "1 year" "30 secs" "2 hrs"; do
  printf 'module imp004m\nduration 2 y\nsleep idle\nevery %s:\n  cpu 1000\n' "$w" > "$T/w1.scn"
  "$IMPSIM" run "$T/w1.scn" --duration 1d > /dev/null 2> "$T/err"
  check "every $w: accepted" '[ $? -eq 0 ]'
done
# a Poisson task at rate 0 is left out (exact: no events), with a warning;
# a period of 0 is refused with how to leave a task out (tests/bad)
printf 'module imp004m\nduration 7 d\nsleep idle\non pin poisson 0 /day as door:\n  cpu 1000\nevery 1 h:\n  cpu 1000\n' > "$T/p0.scn"
"$IMPSIM" run "$T/p0.scn" > "$T/out" 2> "$T/err"
check "on pin poisson 0 /day: runs, warned at file:line:column, never runs" \
  '[ $? -eq 0 ] && grep -q "p0.scn:4:16: warning: rate 0: this task never runs" "$T/err" && ! grep -q "^ *door" "$T/out"'
"$IMPSIM" run "$T/p0.scn" --set scenario.door.rate=0/h > /dev/null 2> "$T/err"
check "--set scenario.NAME.rate=0/h: warned at the argument" \
  '[ $? -eq 0 ] && grep -q "^--set .scenario.door.rate=0/h.: warning: scenario.door.rate: rate 0" "$T/err"'
# sweep's text table names rates per s, min, h, day (never "m/s")
"$IMPSIM" sweep "$T/p0.scn" --param scenario.door.rate=2/h..20/h --steps 2 --format text > "$T/out" 2> "$T/err"
check "sweep over a rate: '2 /h' and '20 /h' in the text table, no 'm/s'" \
  '[ $? -eq 0 ] && grep -q "^2 /h " "$T/out" && grep -q "^20 /h " "$T/out" && ! grep -q "m/s" "$T/out"'
# the trace prints model figures as written (0.8 uA is 8e-07, not
# 8.000000000000001e-07): no unit-conversion noise in the component columns
"$IMPSIM" run "$E" --duration 1d --trace "$T/tr.csv" > /dev/null 2> "$T/err"
check "trace: component columns hold the figures as written (8e-07, 2e-07)" \
  '[ $? -eq 0 ] && sed -n 2p "$T/tr.csv" | grep -q ",8e-07," && ! cut -d, -f3- "$T/tr.csv" | grep -Eq "[0-9]{15}"'
check "README documents the trace's phase column" 'grep -q "^| .phase. | text |" "$SRCDIR/README.md"'
check "the READMEs name no --mc option (it is --monte-carlo)" \
  '! grep -q -- "--mc\b" "$SRCDIR/README.md" "$SRCDIR/scenarios/README.md" "$SRCDIR/models/README.md"'
"$IMPSIM" decide --help > "$T/out"
check "decide --help: --figures is layered before --set" 'grep -A1 -- "--figures FILE" "$T/out" | grep -q "layered before --set"'

# ---- second hostile pass: one test per kind that was mishandled ----
# classic Mac OS line ends (a lone CR) end lines in every text reader
tr '\n' '\r' < "$E" > "$T/cr.scn"
"$IMPSIM" run "$T/cr.scn" --duration 1d > "$T/out" 2> "$T/err"
check "CR-only line ends: scenario read line by line" '[ $? -eq 0 ] && grep -q "total charge" "$T/out"'
printf 'time_s,current_A\r0,0.01\r1,0.02\r2,0.01\r' > "$T/cr.csv"
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$T/cr.csv" > "$T/out" 2> "$T/err"
check "CR-only line ends: load CSV read row by row" '[ $? -eq 0 ] && grep -q "^life" "$T/out"'
# empty file names (an unset shell variable) are named as such, exit 2
"$IMPSIM" run "" > /dev/null 2> "$T/err"
check "run '': an empty file name, exit 2" '[ $? -eq 2 ] && grep -q "found an empty file name" "$T/err"'
"$IMPSIM" run "$E" --duration 1d -o "" > /dev/null 2> "$T/err"
check "run -o '': an empty file name, exit 2 (not 3)" '[ $? -eq 2 ] && grep -q "found an empty file name" "$T/err"'
"$IMPSIM" battery --cell 2xAA-alkaline --load csv: > /dev/null 2> "$T/err"
check "--load csv: (no file): an empty file name, exit 2" '[ $? -eq 2 ] && grep -q "found an empty file name" "$T/err"'
"$IMPSIM" report "$E" -o "" > /dev/null 2> "$T/err"
check "report -o '': exit 2 before anything runs, no .tmp-* left" \
  '[ $? -eq 2 ] && grep -q "found an empty folder name" "$T/err" && [ -z "$(ls -a . | grep "^\.tmp-")" ]'
# a directory where a capture is expected
mkdir -p "$T/adir"
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$T/adir" > /dev/null 2> "$T/err"
check "--load csv:DIR: found a directory, exit 2" '[ $? -eq 2 ] && grep -q "adir: error: found a directory, expected a capture" "$T/err"'
# names that are none: the presets or modules are listed, not a made-up path
"$IMPSIM" battery --cell 2xAA-alkalin --load 5mA > /dev/null 2> "$T/err"
check "--cell with a misspelt preset: the presets are named" \
  '[ $? -eq 2 ] && grep -q "^--cell .2xAA-alkalin.: error: found .2xAA-alkalin., expected a preset (2xAA-alkaline" "$T/err"'
"$IMPSIM" models imp999 > /dev/null 2> "$T/err"
check "models imp999: the modules are named" '[ $? -eq 2 ] && grep -q "^models .imp999.: error: found .imp999., expected a module" "$T/err"'
# control bytes in a file name or an argument never reach the terminal raw
"$IMPSIM" run "$(printf 'a\033[31m\nb.scn')" > /dev/null 2> "$T/err"
check "a file name with ESC and a newline: shown as \\xNN, one line" \
  '[ $? -eq 2 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -qF "a\\x1B[31m\\x0Ab.scn: error" "$T/err"'
# the wrong part of a time of day is named whole
printf 'module imp004m\nduration 1 d\nsleep idle\non pin at 25:00 every daily:\n  cpu 1000\n' > "$T/pin25.scn"
"$IMPSIM" run "$T/pin25.scn" > /dev/null 2> "$T/err"
check "on pin at 25:00: found '25:00' (not '25')" '[ $? -eq 2 ] && grep -q "pin25.scn:4:11: error: found .25:00., expected a time of day" "$T/err"'
# a comma in a number: a decimal comma or a thousands separator, named
printf 'module imp004m\nduration 1 d\nsleep idle\nevery 1,5 h:\n  cpu 1000\n' > "$T/comma.scn"
"$IMPSIM" run "$T/comma.scn" > /dev/null 2> "$T/err"
check "every 1,5 h: found '1,5', a number without a comma expected" \
  '[ $? -eq 2 ] && grep -q "comma.scn:4:7: error: found .1,5., expected a number without a comma (decimals after a point: 1.5" "$T/err"'
# a 100 KB token is named by its start and length
printf 'module imp004m\nduration 1 d\nsleep idle\nevery 1 h as %s:\n  cpu 1000\n' "$(head -c 100000 /dev/zero | tr '\0' a)" > "$T/long.scn"
"$IMPSIM" run "$T/long.scn" > /dev/null 2> "$T/err"
check "a 100 KB name: named by its start and its length" \
  '[ $? -eq 2 ] && grep -q "found .a*\.\.\.. (100000 characters), expected an activity name after .as. (ASCII letters" "$T/err" && [ "$(wc -c < "$T/err")" -lt 400 ]'
# a time shorter than the simulator's step is not silently 0
printf 'module imp004m\nduration 1 d\nsleep idle\nevery 1 h:\n  wait 1e-12 s\n' > "$T/tiny.scn"
"$IMPSIM" run "$T/tiny.scn" > /dev/null 2> "$T/err"
check "wait 1e-12 s: below the simulator's step, exit 2" '[ $? -eq 2 ] && grep -q "tiny.scn:5:8: error: found .1e-12., a time shorter than the simulator.s step" "$T/err"'
# a cell figure out of range is named as written, with its unit
sed 's/^cell.capacity .*/cell.capacity -2850 mAh datasheet "x"/' "$SRCDIR/cells/2xAA-alkaline.cell" > "$T/neg.cell"
"$IMPSIM" battery --cell "$T/neg.cell" --load 5mA > /dev/null 2> "$T/err"
check "cell.capacity -2850 mAh: named as written (not -10260)" '[ $? -eq 2 ] && grep -q "cell.capacity: found .-2850 mAh., expected a positive charge" "$T/err"'
# --min-ratio 90 (meant as 90 %): found and expected
"$IMPSIM" decide "$E" --min-ratio 90 > /dev/null 2> "$T/err"
check "--min-ratio 90: found '90', a fraction expected (0.9 or 90 %)" '[ $? -eq 2 ] && grep -q "min-ratio: found .90., expected a fraction" "$T/err"'

# a 100 KB argument is named by its start and length, not echoed whole
"$IMPSIM" run "$E" --set "scenario.sleep=$(head -c 100000 /dev/zero | tr '\0' x)" > /dev/null 2> "$T/err"
check "a 100 KB --set: named by its start and length, refused as too long" \
  '[ $? -eq 2 ] && grep -q "^--set .scenario.sleep=x*\.\.\.. (100015 characters): error: found a setting of 100015 characters" "$T/err" && [ "$(wc -c < "$T/err")" -lt 400 ]'

# ---- misspellings: a guess when one known name is close, none otherwise ----
"$IMPSIM" run "$E" --set model.cpu.run.curent=1mA > /dev/null 2> "$T/err"
check "--set model.cpu.run.curent: did you mean cpu.run.current" \
  '[ $? -eq 2 ] && grep -q "found .cpu.run.curent., expected a model figure .*did you mean .cpu.run.current.?" "$T/err"'
"$IMPSIM" run "$E" --set model.zzz=1mA > /dev/null 2> "$T/err"
check "--set model.zzz: no guess" '[ $? -eq 2 ] && grep -q "expected a model figure" "$T/err" && ! grep -q "did you mean" "$T/err"'
"$IMPSIM" run "$E" --set scenario.batery=2xAA-alkaline > /dev/null 2> "$T/err"
check "--set scenario.batery: did you mean scenario.battery" \
  '[ $? -eq 2 ] && grep -q "did you mean .scenario.battery.?" "$T/err"'
"$IMPSIM" run "$E" --set scenario.upload.perod=2h > /dev/null 2> "$T/err"
check "--set scenario.upload.perod: did you mean scenario.upload.period" \
  '[ $? -eq 2 ] && grep -q "did you mean .scenario.upload.period.?" "$T/err"'
"$IMPSIM" run "$E" --set scenario.uplod.period=2h > /dev/null 2> "$T/err"
check "--set scenario.uplod.period: did you mean scenario.upload.period" \
  '[ $? -eq 2 ] && grep -q "did you mean .scenario.upload.period.?" "$T/err"'
"$IMPSIM" battery --cell 2xAA-alkaline --set cell.capcity=3Ah --load 5mA > /dev/null 2> "$T/err"
check "battery --set cell.capcity: the argument named, did you mean cell.capacity" \
  '[ $? -eq 2 ] && grep -q "^--set .cell.capcity=3Ah.: error: found .cell.capcity., expected a cell figure.*did you mean .cell.capacity.?" "$T/err"'
"$IMPSIM" battery --cell 2xAA-alkaline --set battery.capacity=3Ah --load 5mA > /dev/null 2> "$T/err"
check "battery --set battery.capacity: did you mean battery.cell.capacity" \
  '[ $? -eq 2 ] && grep -q "did you mean .battery.cell.capacity.?" "$T/err"'
"$IMPSIM" battery --cell 2xAA-alkaline --set cell.capacity=abc --load 5mA > /dev/null 2> "$T/err"
check "battery --set cell.capacity=abc: the argument named" \
  '[ $? -eq 2 ] && grep -q "^--set .cell.capacity=abc.: error: cell.capacity: found .abc., expected a charge" "$T/err"'
# newcomer trial 4: an unknown unit, option or file kind gets the likely
# one; check shows a new scenario's error before asking for its expect file
"$IMPSIM" run "$E" --set scenario.supply=3.3v > /dev/null 2> "$T/err"
check "unit 'v': did you mean 'V'" '[ $? -eq 2 ] && grep -q "found unknown unit .v., expected a voltage (e.g. 3.3 V); did you mean .V.?" "$T/err"'
"$IMPSIM" decide "$E" --target 18months > /dev/null 2> "$T/err"
check "--target 18months: a month has no fixed length, 'mo'" '[ $? -eq 2 ] && grep -q "target: found .18months., expected a time .* a month has no fixed length.*.mo." "$T/err"'
"$IMPSIM" decide "$E" --target 2yrs > /dev/null 2> "$T/err"
check "--target 2yrs: did you mean 'yr'" '[ $? -eq 2 ] && grep -q "did you mean .yr.?" "$T/err"'
"$IMPSIM" decide "$E" --montecarlo 200 > /dev/null 2> "$T/err"
check "--montecarlo: did you mean --monte-carlo" '[ $? -eq 2 ] && grep -q "unknown option .--montecarlo.; did you mean .--monte-carlo.?" "$T/err"'
"$IMPSIM" decide "$E" --steps 5 > /dev/null 2> "$T/err"
check "decide --steps 5: sweep's option, named (not '5')" '[ $? -eq 2 ] && grep -q "option .--steps. does not apply to this command" "$T/err"'
"$IMPSIM" decide "$E" --stats > /dev/null 2> "$T/err"
check "decide --stats: no guess of an option decide refuses" '[ $? -eq 2 ] && grep -q "unknown option .--stats.$" "$T/err"'
"$IMPSIM" run "$E" --zork > /dev/null 2> "$T/err"
check "--zork: unknown, no guess" '[ $? -eq 2 ] && grep -q "unknown option .--zork.$" "$T/err"'
printf 'section imp004m\n' > "$T/x.expect"
"$IMPSIM" run "$T/x.expect" > /dev/null 2> "$T/err"
check "run NAME.expect: named as an expect file, one error" \
  '[ $? -eq 2 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q "x.expect: error: found an expect file .*expected a scenario (NAME.scn)" "$T/err"'
"$IMPSIM" decide "$SRCDIR/cells/2xAA-lithium.cell" > /dev/null 2> "$T/err"
check "decide NAME.cell: named as a cell file" '[ $? -eq 2 ] && grep -q "error: found a cell file" "$T/err"'
mkdir -p "$T/new"
sed 's/^    wait 15 ms/    wait 15 mS/' "$SRCDIR/scenarios/env-sensor-1min.scn" > "$T/new/bad.scn"
"$IMPSIM" check "$T/new/bad.scn" > "$T/out" 2> "$T/err"
check "check, a new scenario with an error and no expect file: the error is shown" \
  '[ $? -eq 1 ] && grep -q "FAIL  .*bad.scn: not valid (error on stderr)" "$T/out" && grep -q "bad.scn:[0-9]*:[0-9]*: error: found unknown unit .mS., expected a time.*did you mean .ms.?" "$T/err"'
"$IMPSIM" check --update "$T/new/bad.scn" > "$T/out" 2> "$T/err"
check "check --update on it: the error, no empty [] module" \
  '[ $? -eq 1 ] && grep -q "^FAIL  .*bad.scn: .*found unknown unit" "$T/out" && ! grep -q "\[\]" "$T/out" && [ ! -e "$T/new/bad.expect" ]'

# a scenario given as figures is named as a scenario, not 20 provenance errors
"$IMPSIM" run "$E" --figures "$S/env-sensor-1min.scn" > /dev/null 2> "$T/err"
check "--figures a .scn: one error, it is a scenario" \
  '[ $? -eq 2 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q "found scenario .*env-sensor-1min.scn., expected a figure file" "$T/err"'

tlib_done
