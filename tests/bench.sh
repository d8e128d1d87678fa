#!/bin/sh
# bench.sh — `make bench`: the speed targets of issue 13, each the median of
# several runs measured in this one run (wall and CPU seconds, peak resident
# memory), beside the naive SimGrid model (bench/naive_peer.c: one
# sg_actor_sleep_for per state change) on the same simulated year; then
# the measured-capture reader. Rerun at will; the machine should be quiet.
set -eu
: "${IMPSIM:=./impsim}" "${SRCDIR:=.}" "${NAIVE_PEER:=./bench/naive_peer}" "${RUNS:=3}"
export IMPSIM_DATADIR="${IMPSIM_DATADIR:-$SRCDIR}"
B=$(mktemp -d "${TMPDIR:-/tmp}/impsim-bench.XXXXXX")
trap 'rm -rf "$B"' EXIT
S="$SRCDIR/scenarios"

# bench_time N CMD...: run CMD N times; sets WALL, CPU (user + sys) to the
# medians (s) and RSS to the largest peak resident set (MB). Wall time is
# read from the clock in nanoseconds (time(1)'s is in hundredths: too
# coarse for the 30-ms runs); CPU time is the kernel's, in hundredths.
# Exit statuses 0, 1 and 4 are answers (decide's yes, no, no variant
# meets); any other returns 1 with the status in RC and the error in $B/err.
bench_time() {
  n=$1; shift
  : > "$B/runs"
  i=0
  while [ $i -lt "$n" ]; do
    RC=0
    t0=$(date +%s.%N)
    /usr/bin/time -f '%e %U %S %M' -o "$B/time" "$@" > "$B/out" 2> "$B/err" || RC=$?
    t1=$(date +%s.%N)
    case $RC in 0|1|4) ;; *) return 1 ;; esac
    # after "Command exited with non-zero status": the wall from the clock
    tail -1 "$B/time" | awk -v t0="$t0" -v t1="$t1" '{ $1 = sprintf("%.4f", t1 - t0); print }' >> "$B/runs"
    i=$((i + 1))
  done
  mid=$(( (n + 1) / 2 ))
  WALL=$(awk '{print $1}' "$B/runs" | sort -g | sed -n "${mid}p")
  CPU=$(awk '{print $2 + $3}' "$B/runs" | sort -g | sed -n "${mid}p")
  RSS=$(awk '$4 > m {m = $4} END {printf "%.1f", m / 1024}' "$B/runs")
}
fail() { cat "$B/err"; exit 1; }

# report NAME TARGET_S: one line for the last bench_time
report() {
  awk -v name="$1" -v t="$2" -v w="$WALL" -v c="$CPU" -v m="$RSS" -v nv="$NAIVE_WALL" -v nc="$NAIVE_CPU" -v r="$RUNS_USED" '
    BEGIN { printf "%-44s median wall %8.3f s  cpu %8.3f s  (target <= %g s: wall %s, cpu %s; naive/this %.1fx wall, %.1fx cpu)  peak %5.1f MB  [%d runs]\n",
              name, w, c, t, ((w <= t) ? "met" : "MISSED"), ((c <= t) ? "met" : "MISSED"), nv / w, nc / c, m, r }'
}

# the naive peer walks one minute of env-sensor-1min's own current profile
# (impsim --trace, after power-on) for a year
"$IMPSIM" run "$S/env-sensor-1min.scn" --duration 3min --trace "$B/period.csv" -o "$B/r.txt"
cat > "$B/platform.xml" <<'XML'
<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1"><zone id="impsim" routing="None"><host id="device" speed="1f"/></zone></platform>
XML
RUNS_USED=$RUNS
bench_time "$RUNS" "$NAIVE_PEER" "$B/platform.xml" "$B/period.csv" 60 60 31557600 || fail
NAIVE_WALL=$WALL NAIVE_CPU=$CPU
echo "naive SimGrid peer, env-sensor-1min 1 y ($(cut -d, -f1 "$B/out" | cut -d' ' -f1) state changes): median wall $WALL s, cpu $CPU s"
# the same peer with impsim's own SimGrid settings (engine.c): not the
# naive reference, shown so the ratio can be read without them
bench_time "$RUNS" "$NAIVE_PEER" "$B/platform.xml" "$B/period.csv" 60 60 31557600 \
  --cfg=cpu/optim:TI --cfg=network/model:Constant || fail
TI_WALL=$WALL TI_CPU=$CPU
echo "  the same peer with impsim's SimGrid settings (--cfg=cpu/optim:TI --cfg=network/model:Constant): median wall $WALL s, cpu $CPU s"

grep -v '^battery\|^regulator' "$S/env-sensor-1min.scn" > "$B/es1.scn"
grep -v '^battery\|^regulator' "$S/thermostat-display.scn" > "$B/thermo.scn"
bench_time "$RUNS" "$IMPSIM" run "$B/es1.scn" --duration 1y -o "$B/r.txt" || fail
report "run env-sensor-1min 1 y (fast-forward)" 0.05
bench_time "$RUNS" "$IMPSIM" run "$B/es1.scn" --duration 10y -o "$B/r.txt" || fail
report "run env-sensor-1min 10 y (fast-forward)" 0.05
# "no slower": the instructions both execute (callgrind, every process of
# the command), which do not drift with the host; then, for the record,
# 10 y and 1 y in turn, 9 pairs, the median of the pairs' wall ratios (two
# medians of three 40-ms runs differ by 10-20 % on a shared host)
icount() {
  rm -f "$B"/cg.*
  valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$B/cg.%p" "$@" > /dev/null 2>&1 || return 1
  cat "$B"/cg.* | awk '/^summary:/ { s += $2 } END { printf "%.0f", s }'
}
if command -v valgrind > /dev/null 2>&1; then
  I1=$(icount "$IMPSIM" run "$B/es1.scn" --duration 1y -o "$B/r.txt") || fail
  I10=$(icount "$IMPSIM" run "$B/es1.scn" --duration 10y -o "$B/r.txt") || fail
  awk -v a="$I1" -v b="$I10" 'BEGIN { printf "  10 y against 1 y, instructions executed (callgrind): %.0f against %.0f, ratio %.5f (target <= 1.001: %s)\n",
    b, a, b / a, (b / a <= 1.001) ? "met" : "MISSED" }'
else
  echo "  10 y against 1 y, instructions executed: not measured (no valgrind)"
fi
: > "$B/pairs"
k=0
while [ $k -lt 9 ]; do
  bench_time 1 "$IMPSIM" run "$B/es1.scn" --duration 1y -o "$B/r.txt" || fail
  a=$WALL
  bench_time 1 "$IMPSIM" run "$B/es1.scn" --duration 10y -o "$B/r.txt" || fail
  echo "$a $WALL" >> "$B/pairs"
  k=$((k + 1))
done
awk '{ r[NR] = $2 / $1 }
  END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
        printf "  10 y against 1 y, %d pairs in turn: median wall ratio %.3f (pairs %.3f to %.3f)\n",
          NR, r[int((NR + 1) / 2)], r[1], r[NR] }' "$B/pairs"
bench_time "$RUNS" "$IMPSIM" run "$B/es1.scn" --duration 1y --no-fast-forward -o "$B/r.txt" || fail
report "run env-sensor-1min 1 y --no-fast-forward" 1
awk -v nv="$NAIVE_WALL" -v w="$WALL" -v nc="$NAIVE_CPU" -v c="$CPU" -v tc="$TI_CPU" 'BEGIN {
  printf "  event by event vs the naive peer (medians above): %.1fx faster in wall, %.1fx in cpu; vs the peer with the SimGrid settings impsim uses %.1fx in cpu\n",
    nv / w, nc / c, tc / c }'
# the ratio side by side: impsim and the naive peer in turn, PAIRS times,
# the median of the pairs' CPU ratios (a shared machine's speed drifts by
# tens of per cent over minutes; each pair sees the same machine)
PAIRS=${PAIRS:-5}
: > "$B/pairs"
k=0
while [ $k -lt "$PAIRS" ]; do
  bench_time 1 "$IMPSIM" run "$B/es1.scn" --duration 1y --no-fast-forward -o "$B/r.txt" || fail
  a=$CPU
  bench_time 1 "$NAIVE_PEER" "$B/platform.xml" "$B/period.csv" 60 60 31557600 || fail
  echo "$a $CPU" >> "$B/pairs"
  k=$((k + 1))
done
awk -v n="$PAIRS" '{ r[NR] = $2 / $1; a = a " " $1; b = b " " $2 }
  END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
        m = r[int((NR + 1) / 2)]
        printf "  event by event vs the naive peer, %d pairs in turn: median ratio %.1fx in cpu (pairs %.1fx to %.1fx; impsim cpu%s s, peer cpu%s s) (target >= 10x: %s)\n",
          n, m, r[1], r[NR], a, b, (m >= 10) ? "met" : "MISSED" }' "$B/pairs"
bench_time "$RUNS" "$IMPSIM" run "$B/es1.scn" --duration 30d --no-fast-forward -o "$B/r.txt" || fail
report "  same, 30 d (memory flat in duration?)" 1
bench_time "$RUNS" "$IMPSIM" run "$B/thermo.scn" --duration 1y --no-fast-forward -o "$B/r.txt" || fail
report "run thermostat-display 1 y --no-fast-forward" 2
for f in "$S"/*.scn; do
  if bench_time "$RUNS" "$IMPSIM" decide "$f" -o "$B/r.txt"; then
    report "decide $(basename "$f")" 2
  else      # an imp002-only product: no imp004m variant to decide about
    printf '%-44s exit %s: %s\n' "decide $(basename "$f")" "$RC" "$(head -1 "$B/err" | cut -c1-90)"
  fi
done
RUNS_USED=1
bench_time 1 "$IMPSIM" decide "$SRCDIR/bench/water-meter.scn" -o "$B/r.txt" || fail
report "decide bench/water-meter.scn (10 s, H 150 h)" 2
bench_time 1 "$IMPSIM" decide "$S/env-sensor-15min.scn" --monte-carlo 200 -o "$B/r.txt" || fail
report "decide env-sensor-15min --monte-carlo 200" 10
bench_time 1 "$IMPSIM" sweep "$S/env-sensor-15min.scn" --param every=1min..24h --steps 100 --log -o "$B/r.csv" || fail
report "sweep env-sensor-15min, 100 steps" 3
# the same three on a product outside the library whose schedule repeats
# only daily and whose every day moves the state of charge by more than
# 0.1 % (bench/tide-gauge.scn); its variant that stays associated
# (imp004m-ps) runs event by event wherever its radio's 60-s calibration
# timer does not divide the schedule (a Monte Carlo draw of
# wifi.cal.interval, a sweep point's wake period)
bench_time 1 "$IMPSIM" decide "$SRCDIR/bench/tide-gauge.scn" --target 18mo -o "$B/r.txt" || fail
report "decide bench/tide-gauge.scn (6 min, daily)" 2
bench_time 1 "$IMPSIM" decide "$SRCDIR/bench/tide-gauge.scn" --target 18mo --monte-carlo 200 -o "$B/r.txt" || fail
report "  the same --monte-carlo 200" 10
bench_time 1 "$IMPSIM" sweep "$SRCDIR/bench/tide-gauge.scn" --param every=2min..1h --steps 100 --log -o "$B/r.csv" || fail
report "  sweep bench/tide-gauge.scn, 100 steps" 3
RUNS_USED=$RUNS
bench_time "$RUNS" "$IMPSIM" check "$S" || fail
report "check scenarios" 3

# measured captures (issue 12): 100 s at 100 kS/s in the Nordic PPK2 export
# format, 10 M rows each, generated into the bench's temporary directory
# (deleted with it). Target: read at >= 5 M rows/s in CPU time, in bounded
# memory (< 64 MB peak resident, the whole impsim process); median of $RUNS.
#  - square.csv: a noisy 5 uA floor and a 15 ms, 80 mA burst every second;
#  - sensor.csv: impsim's own trace of tests/calib/sensor-10s.scn resampled
#    with noise and 0.2 uA quantisation (tests/calib/synth.awk), the capture
#    calibrate is made for.
# battery --load is the whole command (read, segment, battery to depletion);
# calibrate --fit wifi.ps.dtim (a figure the cycle does not depend on, so
# nothing is fitted) is its capture passes: two reads of the file, one with
# its SHA-256, and three simulations; calibrate with five figures is the
# whole calibration, for its memory (its fit does not grow with the rows).
N=10000000
awk -v N=$N 'BEGIN { print "Timestamp(ms),Current(uA),D0-D7"; srand(1)
  for (k = 0; k < N; k++) {
    t = k % 100000
    if (t < 1500) { i = 80000 + (rand() - 0.5) * 2000; b = "00000001" }
    else { i = 5 + (rand() - 0.5) * 2; b = "00000000" }
    printf "%.2f,%.3f,%s\n", k * 0.01, i, b } }' > "$B/square.csv"
SCN="$SRCDIR/tests/calib/sensor-10s.scn"
"$IMPSIM" run "$SCN" --duration 106s --trace "$B/sensor-trace.csv" -o "$B/r.txt"
awk -v RATE=100000 -v T0=5 -v T1=105 -v SEED=3 -f "$SRCDIR/tests/calib/synth.awk" \
  "$B/sensor-trace.csv" > "$B/sensor.csv"
# capture_report NAME FILE [info]: one line for the last bench_time over
# FILE; with `info` the rate is shown without the target (a whole
# calibration's fit does not depend on the rows)
capture_report() {
  awk -v name="$1" -v n="$N" -v mb="$(($(wc -c < "$2") / 1000000))" -v c="$CPU" -v w="$WALL" -v m="$RSS" -v r="$RUNS_USED" -v info="${3:-}" '
    BEGIN { rate = n / c
            printf "%-48s %d M rows (%d MB): median cpu %6.3f s (wall %6.3f s) = %5.2f M rows/s", name, n / 1e6, mb, c, w, rate / 1e6
            if (info == "") printf " (target >= 5: %s, ratio %.2f)", (rate >= 5e6) ? "met" : "MISSED", rate / 5e6
            printf "; peak %5.1f MB (target < 64: %s) [%d runs]\n", m, (m < 64) ? "met" : "MISSED", r }'
}
RUNS_USED=$RUNS
bench_time "$RUNS" "$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$B/square.csv" || fail
capture_report "battery --load square.csv" "$B/square.csv"
bench_time "$RUNS" "$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$B/sensor.csv" || fail
capture_report "battery --load sensor.csv" "$B/sensor.csv"
bench_time "$RUNS" "$IMPSIM" calibrate "$SCN" --measured "$B/sensor.csv" --fit wifi.ps.dtim || fail
capture_report "calibrate sensor.csv, capture passes (no fit)" "$B/sensor.csv"
RUNS_USED=1
bench_time 1 "$IMPSIM" calibrate "$SCN" --measured "$B/sensor.csv" --fit cpu.run.current \
  --fit cpu.idle.current --fit wifi.fwload.size --fit cpu.deepsleep.current --fit wifi.tls.time || fail
capture_report "calibrate sensor.csv, 5 figures (whole)" "$B/sensor.csv" info
rm -f "$B/square.csv" "$B/sensor.csv" "$B/sensor-trace.csv"
