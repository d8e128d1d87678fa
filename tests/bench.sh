#!/bin/sh
# bench.sh — `make bench`: simulated events per second and the wall time of
# one simulated year of env-sensor-15min.scn and of the same product at a
# 1-minute period (env-sensor-1min.scn), on each module. Rerun at will.
set -eu
: "${IMPSIM:=./impsim}" "${SRCDIR:=.}"
export IMPSIM_DATADIR="${IMPSIM_DATADIR:-$SRCDIR}"
for s in env-sensor-15min env-sensor-1min; do
  for m in imp004m imp002; do
    start=$(date +%s.%N)
    "$IMPSIM" run "$SRCDIR/scenarios/$s.scn" --module "$m" --duration 1y --stats \
      --format csv -o bench.csv 2> bench.err || { cat bench.err; exit 1; }
    end=$(date +%s.%N)
    printf '%-18s %-8s 1 y simulated: wall %.3f s (whole command); %s\n' "$s" "$m" \
      "$(awk "BEGIN{print $end - $start}")" "$(sed 's/^impsim: //' bench.err)"
  done
done
rm -f bench.err bench.csv

# battery fast-forward alone: a 15-minute pulse train to depletion
start=$(date +%s.%N)
"$IMPSIM" battery --cell 1xAA-LiSOCl2 --load pulse:80mA,1.5s,15min,5uA --format json > bench.out 2>&1 || { cat bench.out; exit 1; }
end=$(date +%s.%N)
printf 'battery fast-forward 1xAA-LiSOCl2, 15-min pulses to depletion: wall %s s; %s\n' \
  "$(awk "BEGIN{print $end - $start}")" "$(grep -o '"life_s": [0-9.e+]*' bench.out)"
rm -f bench.out

# a measured capture: 100 s at 100 kS/s in the Nordic PPK2 export format
# (10 M rows, ~240 MB: a noisy 5 uA floor and a 15 ms, 80 mA burst every
# second), generated here and deleted afterwards. Target: read in bounded
# memory (< 64 MB peak resident, the whole impsim process) at >= 5 M rows/s.
# The command is the whole `impsim battery` run to depletion; median of 3.
cap=bench-capture.csv
awk 'BEGIN { print "Timestamp(ms),Current(uA),D0-D7"; srand(1)
  for (k = 0; k < 10000000; k++) {
    t = k % 100000
    if (t < 1500) { i = 80000 + (rand() - 0.5) * 2000; b = "00000001" }
    else { i = 5 + (rand() - 0.5) * 2; b = "00000000" }
    printf "%.2f,%.3f,%s\n", k * 0.01, i, b } }' > "$cap"
bytes=$(wc -c < "$cap")
for r in 1 2 3; do
  /usr/bin/time -f '%e %M' -o bench.time "$IMPSIM" battery --cell 2xAA-alkaline \
    --load "csv:$cap" --format json > bench.out 2>&1 || { cat bench.out; rm -f "$cap"; exit 1; }
  cat bench.time
done > bench.runs
rm -f "$cap"
sort -n bench.runs | awk -v bytes="$bytes" -v life="$(grep -o '"life_s": [0-9.e+]*' bench.out)" '
  { w[NR] = $1; if ($2 > m) m = $2 }
  END { med = w[2]; rate = 10e6 / med
        printf "capture 10 M rows (%.0f MB, PPK2 format) to battery life: median wall %.3f s = %.2f M rows/s (target 5, ratio %.2f); peak RSS %.1f MB (target < 64, ratio %.2f); %s\n",
          bytes / 1e6, med, rate / 1e6, rate / 5e6, m / 1024, m / 1024 / 64, life
        if (rate < 5e6 || m / 1024 >= 64) print "capture bench: TARGET MISSED" }'
rm -f bench.time bench.runs bench.out
