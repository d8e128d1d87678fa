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
      --format csv -o /dev/null 2> bench.err || { cat bench.err; exit 1; }
    end=$(date +%s.%N)
    printf '%-18s %-8s 1 y simulated: wall %.3f s (whole command); %s\n' "$s" "$m" \
      "$(awk "BEGIN{print $end - $start}")" "$(sed 's/^impsim: //' bench.err)"
  done
done
rm -f bench.err

# battery fast-forward alone: a 15-minute pulse train to depletion
start=$(date +%s.%N)
"$IMPSIM" battery --cell 1xAA-LiSOCl2 --load pulse:80mA,1.5s,15min,5uA --format json > bench.out 2>&1 || { cat bench.out; exit 1; }
end=$(date +%s.%N)
printf 'battery fast-forward 1xAA-LiSOCl2, 15-min pulses to depletion: wall %s s; %s\n' \
  "$(awk "BEGIN{print $end - $start}")" "$(grep -o '"life_s": [0-9.e+]*' bench.out)"
rm -f bench.out
