#!/bin/sh
# hostile.sh — careless inputs get a located, understandable error and the
# documented exit code instead of hours of work or a wrong answer:
# runaway work is refused before it starts (with the estimate and the flag
# that allows it); readers accept a UTF-8 byte-order mark, report NUL bytes
# at line:column, read long lines whole and never echo control bytes;
# command arguments out of their range are named.
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

tlib_done
