#!/bin/sh
# capture.sh — measured captures read right: one small capture in each
# supported export format (tests/captures/*.csv: Nordic PPK2 with the bits
# as one string and as eight columns, Joulescope, Otii (quoted Arc header;
# an imported "File" recording with a UART text column holding commas in
# quotes, current not in the second column), PyMonsoon with its
# seconds-under-"Time(ms)", shared time stamps and numpy 2 values, a
# semicolon file in us/mA, a tab file in ms/nA with a byte-order mark) must
# give exactly the profile of the SI equivalent si.csv: same period, mean
# current (9.604 mA, the issue's PPK2 and Monsoon case) and battery life.
# Also: a headerless file is read only with --time-unit and --current-unit,
# and the issue's misreads are refused.
: "${SRCDIR:=.}"
. "$SRCDIR/tests/tlib.sh"
export LC_ALL=C
C=$SRCDIR/tests/captures

# period_s average_current_A life_s of a load, one line, to 12 significant
# digits (impsim prints every digit; unit conversions differ in the last bit)
profile() {
  "$IMPSIM" battery --cell 2xAA-alkaline --load "$@" --format json 2> "$T/err" |
    awk -F': ' '/"(period_s|average_current_A|life_s)"/ { gsub(/,/, "", $2); printf "%.12g ", $2 }'
}
ref=$(profile "csv:$C/si.csv")
check "the SI capture reads: period 4 ms, mean 9.604 mA" \
  '[ "$(echo $ref | cut -d" " -f1-2)" = "0.004 0.009604" ]'
steps=$(profile steps:30mA/1ms,5uA/1ms,8.4mA/1ms,11uA/1ms)
check "... and lasts as long as the same steps written by hand ($steps)" '[ "$steps" = "$ref" ]'
for f in "$C"/*.csv; do
  n=$(basename "$f" .csv)
  [ "$n" = si ] && continue
  got=$(profile "csv:$f")
  check "$n gives the profile of si.csv ($got)" '[ "$got" = "$ref" ]'
  check "$n reads without warnings" '[ ! -s "$T/err" ]'
done
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$C/ppk2.csv" > "$T/out" 2>&1
check "the PPK2 export is recognised, units named" \
  'grep -q "Nordic PPK2" "$T/out" && grep -q "in ms, current .Current(uA). in uA" "$T/out" && grep -q "average 9.604 mA" "$T/out"'
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$C/monsoon.csv" > "$T/out" 2>&1
check "the PyMonsoon export is read in seconds and mA" \
  'grep -q "Monsoon (PyMonsoon)" "$T/out" && grep -q "in s, current .Main(mA). in mA" "$T/out" && grep -q "average 9.604 mA" "$T/out"'

# headerless: only with both units given
tail -n +2 "$C/si.csv" > "$T/bare.csv"
got=$(profile "csv:$T/bare.csv" --time-unit s --current-unit A)
check "a headerless capture with --time-unit s --current-unit A reads like si.csv" '[ "$got" = "$ref" ]'
awk -F, '{ printf "%g,%g\n", $1 * 1000, $2 * 1e6 }' "$T/bare.csv" > "$T/bare-ms-uA.csv"
got=$(profile "csv:$T/bare-ms-uA.csv" --time-unit ms --current-unit uA)
check "... and in ms and uA" '[ "$got" = "$ref" ]'
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$T/bare.csv" --time-unit s > /dev/null 2> "$T/err"
check "without --current-unit it is refused, exit 2" \
  '[ $? -eq 2 ] && grep -q "bare.csv:1:1: error: found no header and no --current-unit" "$T/err"'
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$T/bare.csv" --time-unit s --current-unit V > /dev/null 2> "$T/err"
check "a unit option of the wrong dimension is refused" \
  '[ $? -eq 2 ] && grep -q "^--current-unit: error: found .V., expected A, mA, uA or nA" "$T/err"'
"$IMPSIM" battery --help > "$T/h"
check "battery --help documents the capture formats and unit options" \
  'grep -q "PPK2" "$T/h" && grep -q -- "--time-unit" "$T/h" && grep -q -- "--current-unit" "$T/h"'

tlib_done
