#!/bin/sh
# numbers.sh — impsim never prints a number that is not one: every figure
# is range-checked where it is written (1e308 A is an error at its
# file:line:column, exit 2); no output holds inf or nan; every JSON output
# parses (tests/jsoncheck, strict RFC 8259); CSV and JSON numbers are the
# shortest text that reads back to the same double (one formatter, num.c);
# outputs list only the components the module has.
: "${SRCDIR:=.}"
. "$SRCDIR/tests/tlib.sh"
: "${JSONCHECK:=./tests/jsoncheck}"
S=$SRCDIR/scenarios
E=$S/env-sensor-15min.scn

# the checker itself refuses what impsim once printed
printf '{"a": inf}' | "$JSONCHECK" 2> /dev/null; check "jsoncheck refuses a bare inf" '[ $? -eq 1 ]'
printf '{"a": -nan}' | "$JSONCHECK" 2> /dev/null; check "jsoncheck refuses nan" '[ $? -eq 1 ]'
printf '{"a": [1, 2,]}' | "$JSONCHECK" 2> /dev/null; check "jsoncheck refuses a trailing comma" '[ $? -eq 1 ]'
printf '{"a": [1, -2.5e-3, "x\\n"], "b": null}' | "$JSONCHECK"; check "jsoncheck accepts valid JSON" '[ $? -eq 0 ]'

# physical ranges, at the figure's location
"$IMPSIM" run "$E" --set "model.cpu.run.current=1e308 A" > "$T/out" 2> "$T/err"
check "--set 1e308 A: exit 2, named, nothing printed" \
  '[ $? -eq 2 ] && grep -q "^--set .model.cpu.run.current=1e308 A.: error: found .1e308 A., expected a current .* at most 100 A" "$T/err" && [ ! -s "$T/out" ]'
{ echo 'set model.cpu.run.current = 1e308 A'; cat "$E"; } > "$T/big.scn"
"$IMPSIM" run "$T/big.scn" --format json > "$T/out" 2> "$T/err"
check "scenario set 1e308 A: exit 2 at line 1 column 29" '[ $? -eq 2 ] && grep -q "big.scn:1:29: error: found .1e308 A." "$T/err"'
sed 's/^cpu.run.current .*/cpu.run.current 1e308 A datasheet "x"/' "$SRCDIR/models/imp004m.model" > "$T/big.model"
"$IMPSIM" run "$E" --module "$T/big.model" > /dev/null 2> "$T/err"
check "model file 1e308 A: exit 2 at its line" '[ $? -eq 2 ] && grep -q "big.model:[0-9]*:[0-9]*: error: found .1e308 A." "$T/err"'
"$IMPSIM" battery --cell 2xAA-alkaline --load 1e300A > /dev/null 2> "$T/err"
check "battery --load 1e300A: exit 2" '[ $? -eq 2 ] && [ -s "$T/err" ]'
"$IMPSIM" run "$E" --duration 1e300s > /dev/null 2> "$T/err"
check "--duration 1e300s: exit 2" '[ $? -eq 2 ] && grep -q "^--duration .1e300s.: error" "$T/err"'

# every JSON output parses; no output holds inf or nan, with extreme but
# physical figures too
nonum() { ! grep -Eiq '(^|[^a-z])-?(inf|infinity|nan)([^a-z]|$)' "$1"; }
for set in "" "model.cpu.run.current=99A" "model.cpu.deepsleep.current=0A" "model.wifi.tx.rate=1bit/s"; do
  for f in json csv text; do
    "$IMPSIM" run "$S/door-sensor-wakepin.scn" --duration 2d ${set:+--set "$set"} --format $f > "$T/o.$f" 2> "$T/err"
    rc=$?
    check "run ${set:-defaults} --format $f: exit 0 or 2, no inf/nan" '{ [ $rc -eq 0 ] || [ $rc -eq 2 ]; } && nonum "$T/o.$f"'
    [ $f = json ] && [ $rc -eq 0 ] && { "$JSONCHECK" "$T/o.json"; check "run ${set:-defaults} JSON parses" '[ $? -eq 0 ]'; }
  done
done
"$IMPSIM" compare "$E" --set scenario.duration=2d --format json > "$T/c.json" 2> "$T/err"
check "compare JSON parses, no inf/nan" '"$JSONCHECK" "$T/c.json" && nonum "$T/c.json"'
"$IMPSIM" decide "$E" --set scenario.duration=2d --format json > "$T/d.json" 2> "$T/err"
check "decide JSON parses, no inf/nan" '"$JSONCHECK" "$T/d.json" && nonum "$T/d.json"'
"$IMPSIM" sweep "$E" --param every=5min..1h --steps 3 --format json > "$T/s.json" 2> "$T/err"
check "sweep JSON parses, no inf/nan" '"$JSONCHECK" "$T/s.json" && nonum "$T/s.json"'
"$IMPSIM" sweep "$E" --param every=5min..1h --steps 3 > "$T/s.csv" 2> "$T/err"
check "sweep CSV: no inf/nan" '[ -s "$T/s.csv" ] && nonum "$T/s.csv"'
"$IMPSIM" battery --cell 2xAA-alkaline --load pulse:80mA,1.5s,15min,5uA --format json > "$T/b.json" 2> "$T/err"
check "battery JSON parses, no inf/nan" '"$JSONCHECK" "$T/b.json" && nonum "$T/b.json"'
"$IMPSIM" battery --cell 2xAA-alkaline --load 0A --format json > "$T/b0.json" 2> "$T/err"
check "battery with no load: JSON parses, no inf/nan" '"$JSONCHECK" "$T/b0.json" && nonum "$T/b0.json"'

# shortest round-trip text: 30 mA is 0.03, not 0.029999999999999999
"$IMPSIM" run "$E" --duration 1d --set model.cpu.run.current=30mA --format csv > "$T/r.csv" 2>&1
check "CSV prints 30 mA as 0.03" 'grep -q "^state,cpu,run,[^,]*,0.03," "$T/r.csv" && ! grep -q "0.0299999" "$T/r.csv"'
"$IMPSIM" run "$E" --duration 1d --set model.cpu.run.current=30mA --format json > "$T/r.json" 2>&1
check "JSON prints 30 mA as 0.03" 'grep -q "\"current_A\": 0.03," "$T/r.json" && ! grep -q "0.0299999" "$T/r.json"'
check "JSON prints 1 d as 86400" 'grep -q "\"duration_s\": 86400," "$T/r.json"'

# only the components the module has
"$IMPSIM" run "$E" --module imp004m --duration 1d --format csv > "$T/4.csv" 2>&1
check "imp004m budget: no sampler or dac rows, a flash row" \
  '! grep -Eq "^(component|state),(sampler|dac)," "$T/4.csv" && grep -q "^component,flash," "$T/4.csv"'
"$IMPSIM" run "$E" --module imp004m --duration 1d --trace "$T/4.trace" > /dev/null 2>&1
check "imp004m trace: no sampler_A or dac_A column" \
  'head -1 "$T/4.trace" | grep -q "^time_s,current_A" && ! head -1 "$T/4.trace" | grep -Eq "sampler_A|dac_A"'
"$IMPSIM" run "$E" --module imp002 --duration 1d --format json > "$T/2.json" 2>&1
check "imp002 budget: no flash, has sampler and dac" \
  '! grep -q "\"name\": \"flash\"" "$T/2.json" && grep -q "\"name\": \"sampler\"" "$T/2.json" && grep -q "\"name\": \"dac\"" "$T/2.json"'
# values that are not finite numbers, or beyond a double, in every number
# reader: named with what was found and what was expected, at the argument
# (command line) or file:line:column (files); "-0" is zero
for v in "nan A" "inf A" "NaN" "-Infinity mA"; do
  w=${v%% *}
  "$IMPSIM" run "$E" --set "model.cpu.run.current=$v" > "$T/out" 2> "$T/err"
  check "--set '$v': exit 2 at the argument, '$w' named as not a finite number" \
    '[ $? -eq 2 ] && grep -q "^--set .model.cpu.run.current=$v.: error: found .$w. (not a finite number), expected a finite number" "$T/err" && [ ! -s "$T/out" ]'
done
"$IMPSIM" run "$E" --set "model.cpu.run.current=1e999 A" > /dev/null 2> "$T/err"
check "--set 1e999 A: too large to hold, a current expected" \
  '[ $? -eq 2 ] && grep -q "^--set .model.cpu.run.current=1e999 A.: error: found .1e999., a number too large to hold .*expected a current" "$T/err"'
"$IMPSIM" run "$E" --set "model.cpu.run.current=1e-999 A" > /dev/null 2> "$T/err"
check "--set 1e-999 A: too small to hold (write 0)" \
  '[ $? -eq 2 ] && grep -q "found .1e-999., a number too small to hold .*write 0" "$T/err"'
"$IMPSIM" run "$E" --set "model.cpu.run.current=0x10 A" > /dev/null 2> "$T/err"
check "--set 0x10 A: a decimal number expected (not 'unknown unit x10')" \
  '[ $? -eq 2 ] && grep -q "found .0x10., expected a decimal number" "$T/err"'
"$IMPSIM" run "$E" --set scenario.every=inf > /dev/null 2> "$T/err"
check "--set scenario.every=inf: at the argument" \
  '[ $? -eq 2 ] && grep -q "^--set .scenario.every=inf.: error: found .inf. (not a finite number), expected a time" "$T/err"'
"$IMPSIM" run "$E" --set scenario.duration=nan > /dev/null 2> "$T/err"
check "--set scenario.duration=nan: at the argument" \
  '[ $? -eq 2 ] && grep -q "^--set .scenario.duration=nan.: error: found .nan. (not a finite number), expected a time" "$T/err"'
{ sed 1q "$E"; echo 'set model.cpu.run.current = nan mA'; sed 1d "$E"; } > "$T/nan.scn"
"$IMPSIM" run "$T/nan.scn" > /dev/null 2> "$T/err"
check "scenario 'set ... = nan mA': at file:line:column" \
  '[ $? -eq 2 ] && grep -q "nan.scn:2:[0-9]*: error: found .nan. (not a finite number)" "$T/err"'
sed 's/^\(cpu.run.current *\)[^ ]* *[^ ]*/\1 inf mA/' "$SRCDIR/models/imp004m.model" > "$T/inf.model"
"$IMPSIM" run "$E" --module "$T/inf.model" > /dev/null 2> "$T/err"
check "model file 'inf mA': at file:line:column" \
  '[ $? -eq 2 ] && grep -q "inf.model:[0-9]*:[0-9]*: error: found .inf. (not a finite number)" "$T/err"'
"$IMPSIM" run "$E" --duration 1d --set "model.cpu.run.current=-0 mA" --format csv > "$T/out" 2> "$T/err"
check "--set -0 mA is zero: runs, no '-0' in the output" '[ $? -eq 0 ] && ! grep -Eq "(^|,)-0(,|$)" "$T/out"'

tlib_done
