#!/bin/sh
# verdict.sh — `impsim decide` and `compare` on products outside the
# library (tests/verdict/*.scn), each case one the issue found answered
# wrongly, with the answer a careful engineer would give; and the Monte
# Carlo summary being one computation in decide and compare.
# Needs IMPSIM, SRCDIR and IMPSIM_DATADIR (set by make check).
. "${SRCDIR:-.}/tests/tlib.sh"
: "${JSONCHECK:=tests/jsoncheck}"
V=$SRCDIR/tests/verdict
S=$SRCDIR/scenarios

# water meter: stop mode lasts longer than deep sleep, neither reaches 2 y
# (was: "NO - keep deep sleep and the crystal", exit 1)
"$IMPSIM" decide "$V/water-meter.scn" --target 2y > "$T/wm" 2>&1; rc=$?
check "water meter, 2 y: no variant meets it, exit 4" '[ $rc -eq 4 ]'
check "water meter, 2 y: names stop mode as the best design" \
  'grep -q "^Answer:   NO imp004m VARIANT MEETS 2 y - the best is imp004m-stop at 179.2 d (imp004m-deep: 173.7 d); dropping deep sleep and the crystal is the better design but does not reach the target" "$T/wm"'
check "water meter, 2 y: never says keep deep sleep" '! grep -q "keep deep sleep" "$T/wm"'
check "water meter, 2 y: lists who meets the target" 'grep -q "meets the 2 y target: no variant" "$T/wm"'
"$IMPSIM" decide "$V/water-meter.scn" --target 5mo --format json > "$T/wm.json" 2>&1; rc=$?
check "water meter, 5 months: yes (exit 0), both meet it" \
  '[ $rc -eq 0 ] && grep -q "\"answer\": \"yes\"" "$T/wm.json" && grep -q "\"meets_target\": \[.*\"imp004m-deep\".*\"imp004m-stop\"" "$T/wm.json"'
check "decide JSON parses" '"$JSONCHECK" "$T/wm.json"'

# retail button on the wake pin: timed deep sleep misses 4.2 y, deep sleep
# until the pin meets it (was: "NO - keep deep sleep" without saying that
# the crystal variant misses the target too)
"$IMPSIM" decide "$V/retail-button.scn" --target 4.2y > "$T/rb" 2>&1; rc=$?
check "retail button, 4.2 y: keep deep sleep, drop the crystal (exit 1)" \
  '[ $rc -eq 1 ] && grep -q "^Answer:   NO - keep deep sleep, but the crystal can go: imp004m-deep-pin meets the 4.2 y target with 4.263 y; without deep sleep the best, imp004m-stop, lasts only 2.718 y" "$T/rb"'
check "retail button, 4.2 y: the crystal variant is not listed as meeting it" \
  'grep -q "meets the 4.2 y target: imp002, imp004m-deep-pin$" "$T/rb"'
"$IMPSIM" decide "$V/retail-button.scn" --target 5y > "$T/rb5" 2>&1; rc=$?
check "retail button, 5 y: no imp004m variant meets it; dropping deep sleep would make it worse (exit 4)" \
  '[ $rc -eq 4 ] && grep -q "NO imp004m VARIANT MEETS 5 y - the best is imp004m-deep-pin at 4.263 y (imp004m-stop: 2.718 y); dropping deep sleep and the crystal would make it worse" "$T/rb5"'

# one Monte Carlo summary: decide and compare agree for the same seed
# (was: 67.5 % against 32.5 %, and "can be dropped: 100 %" next to
# "verdict holds: 0.0 %")
"$IMPSIM" decide "$S/env-sensor-15min.scn" --monte-carlo 8 --seed 3 --format json > "$T/d.json" 2>&1
"$IMPSIM" compare "$S/env-sensor-15min.scn" --monte-carlo 8 --seed 3 --format json > "$T/c.json" 2>&1
mcof() { sed -n '/"monte_carlo": /,/"p_verdict_holds"/p' "$1" | sed 's/.*"monte_carlo": //'; }
check "decide and compare JSON parse" '"$JSONCHECK" "$T/d.json" "$T/c.json"'
check "decide and compare give the same Monte Carlo summary" \
  'mcof "$T/d.json" > "$T/d.mc" && mcof "$T/c.json" > "$T/c.mc" && [ -s "$T/d.mc" ] && cmp -s "$T/d.mc" "$T/c.mc"'
check "P(can drop) and P(verdict holds) agree with the nominal verdict" \
  'grep -q "\"verdict_nominal\": \"yes\", \"p_can_drop\": \([0-9.e-]*\), \"p_verdict_holds\": \1," "$T/d.json" ||
   { grep -q "\"verdict_nominal\": \"no\", \"p_can_drop\": \([0-9.e-]*\), \"p_verdict_holds\": " "$T/d.json" &&
     awk -F"\"p_can_drop\": |, \"p_verdict_holds\": |, \"samples_with" "NF>2 { exit !(\$2 + \$3 > 0.999999 && \$2 + \$3 < 1.000001) }" "$T/d.json"; }'
"$IMPSIM" decide "$S/env-sensor-15min.scn" --monte-carlo 8 --seed 3 --target 12mo > "$T/d.txt" 2>&1
check "uncertainty comes first, the nominal figures are labelled" \
  'a=$(grep -n "^Uncertainty" "$T/d.txt" | cut -d: -f1); b=$(grep -n "^Nominal" "$T/d.txt" | cut -d: -f1); [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] && grep -q "P(>= target)" "$T/d.txt"'

tlib_done
