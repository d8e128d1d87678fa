#!/bin/sh
# outputs.sh — impsim never damages a file: outputs that are inputs or that
# share a path are refused before anything runs (exit 2); FIFOs and symbolic
# links are written through, never replaced; write errors are exit 3 with
# the path; an interrupted run leaves no temporary file and no simulation
# process behind, and its exit status says which signal ended it.
# Every output goes into a temporary directory (never to /dev/*: a /dev/full
# write is made only through a link in that directory, after the test that
# links are never replaced has passed).
: "${SRCDIR:=.}"
. "$SRCDIR/tests/tlib.sh"
S=$SRCDIR/scenarios

cp "$S/env-sensor-15min.scn" "$T/s.scn"
cp "$T/s.scn" "$T/orig.scn"

# an output that is an input
"$IMPSIM" run "$T/s.scn" --duration 1d -o "$T/s.scn" > /dev/null 2> "$T/err"
check "run -o INPUT: exit 2" '[ $? -eq 2 ] && grep -q "is the input" "$T/err"'
check "run -o INPUT: the scenario is intact" 'cmp -s "$T/s.scn" "$T/orig.scn"'
ln -s s.scn "$T/alias.scn"
"$IMPSIM" run "$T/s.scn" --duration 1d --trace "$T/alias.scn" > /dev/null 2> "$T/err"
check "--trace through a link to the input: exit 2, intact" \
  '[ $? -eq 2 ] && cmp -s "$T/s.scn" "$T/orig.scn" && [ -L "$T/alias.scn" ]'
for c in compare decide; do
  "$IMPSIM" $c "$T/s.scn" --set scenario.duration=1d -o "$T/s.scn" > /dev/null 2> "$T/err"
  check "$c -o INPUT: exit 2 before running, intact" \
    '[ $? -eq 2 ] && grep -q "is the input" "$T/err" && cmp -s "$T/s.scn" "$T/orig.scn"'
done
"$IMPSIM" sweep "$T/s.scn" --param every=5min..1h --steps 2 -o "$T/s.scn" > /dev/null 2> "$T/err"
check "sweep -o INPUT: exit 2, intact" '[ $? -eq 2 ] && cmp -s "$T/s.scn" "$T/orig.scn"'
mkdir "$T/chk"; cp "$S/door-sensor-wakepin.scn" "$S/door-sensor-wakepin.expect" "$T/chk/"
"$IMPSIM" check "$T/chk" --junit "$T/chk/door-sensor-wakepin.expect" > /dev/null 2> "$T/err"
check "check --junit EXPECT-FILE: exit 2, intact" \
  '[ $? -eq 2 ] && cmp -s "$T/chk/door-sensor-wakepin.expect" "$S/door-sensor-wakepin.expect"'
# an output that is a directory: the user's slip, exit 2 before anything runs
mkdir "$T/outdir"
for c in run compare; do
  "$IMPSIM" $c "$T/s.scn" --set scenario.duration=1d -o "$T/outdir" > /dev/null 2> "$T/err"
  check "$c -o DIRECTORY: exit 2 naming the directory" \
    '[ $? -eq 2 ] && grep -q "found a directory, expected a file path" "$T/err"'
done
printf 'time,current\n0,0.01\n10,0.02\n' > "$T/load.csv"
cp "$T/load.csv" "$T/load.orig"
"$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$T/load.csv" --trace "$T/load.csv" > /dev/null 2> "$T/err"
check "battery --trace LOAD-CSV: exit 2, intact" '[ $? -eq 2 ] && cmp -s "$T/load.csv" "$T/load.orig"'

# two outputs on one path (also spelled differently, also not existing yet)
"$IMPSIM" run "$T/s.scn" --duration 1d -o "$T/r.txt" --trace "$T/./r.txt" > /dev/null 2> "$T/err"
check "-o X --trace ./X: exit 2, nothing written" \
  '[ $? -eq 2 ] && grep -q "are the same file" "$T/err" && [ ! -e "$T/r.txt" ]'
"$IMPSIM" run "$T/s.scn" --duration 1d --trace - > /dev/null 2> "$T/err"
check "--trace - with the report on standard output: exit 2" '[ $? -eq 2 ]'
"$IMPSIM" run "$T/s.scn" --duration 1d --trace "$T/t1.csv" -o "$T/o1.txt" > /dev/null 2> "$T/err"
check "distinct outputs still work" '[ $? -eq 0 ] && [ -s "$T/t1.csv" ] && [ -s "$T/o1.txt" ]'

# a regular file keeps its mode when replaced
echo old > "$T/m.txt"; chmod 640 "$T/m.txt"
"$IMPSIM" run "$T/s.scn" --duration 1d -o "$T/m.txt" > /dev/null 2>&1
check "a replaced file keeps its mode" '[ "$(stat -c %a "$T/m.txt")" = 640 ] && grep -q "total charge" "$T/m.txt"'

# FIFOs and links are written through, never replaced
mkfifo "$T/fifo"
cat "$T/fifo" > "$T/from-fifo" &
reader=$!
"$IMPSIM" run "$T/s.scn" --duration 1d -o "$T/fifo" > /dev/null 2> "$T/err"
rc=$?
wait $reader
check "-o FIFO: exit 0, the FIFO is still a FIFO" '[ $rc -eq 0 ] && [ -p "$T/fifo" ]'
check "-o FIFO: the reader got the report" 'grep -q "total charge" "$T/from-fifo"'
echo old > "$T/target.txt"; ln -s target.txt "$T/link.txt"
"$IMPSIM" run "$T/s.scn" --duration 1d --trace "$T/link.txt" > /dev/null 2> "$T/err"
check "--trace LINK: exit 0, still a link, the target has the trace" \
  '[ $? -eq 0 ] && [ -L "$T/link.txt" ] && head -1 "$T/target.txt" | grep -q "^time_s,current_A"'
if [ -L "$T/link.txt" ] && [ -c /dev/full ]; then
  ln -s /dev/full "$T/full"
  "$IMPSIM" run "$T/s.scn" --duration 1d -o "$T/full" > /dev/null 2> "$T/err"
  check "write error (ENOSPC): exit 3 naming the path" \
    '[ $? -eq 3 ] && grep -q "cannot write .*full: No space left on device" "$T/err" && [ -L "$T/full" ]'
  "$IMPSIM" run "$T/s.scn" --duration 1d > "$T/full" 2> "$T/err"
  check "write error on standard output: exit 3" '[ $? -eq 3 ] && grep -q "standard output" "$T/err"'
fi

# charts go through the same path (gnuplot draws into a scratch file)
if command -v gnuplot > /dev/null 2>&1; then
  "$IMPSIM" run "$T/s.scn" --duration 1d --format csv -o "$T/b.csv" 2> /dev/null
  cp "$T/b.csv" "$T/b.png"
  "$IMPSIM" plot budget "$T/b.png" -o "$T/b.png" > /dev/null 2> "$T/err"
  check "plot -o DATA: exit 2, intact" '[ $? -eq 2 ] && cmp -s "$T/b.csv" "$T/b.png"'
  echo old > "$T/chart-target.png"; ln -s chart-target.png "$T/chart.png"
  "$IMPSIM" plot budget "$T/b.csv" -o "$T/chart.png" > /dev/null 2> "$T/err"
  check "plot -o LINK: still a link, the target is the chart" \
    '[ $? -eq 0 ] && [ -L "$T/chart.png" ] && [ "$(head -c 4 "$T/chart-target.png" | tail -c 3)" = PNG ]'
fi

# interrupted: the temporary file is removed, no simulation runs on, and the
# exit status is 128 + the signal number
for sig in INT:2 TERM:15 HUP:1; do
  num=${sig#*:}; sig=${sig%:*}
  rm -f "$T"/sig.csv*
  env --default-signal=INT "$IMPSIM" run "$SRCDIR/scenarios/env-sensor-1min.scn" --duration 1y \
    --no-fast-forward --trace "$T/sig.csv" -o "$T/sig.txt" > /dev/null 2> "$T/err" &
  p=$!
  n=0
  while [ $n -lt 100 ] && ! ls "$T" | grep -q "^sig.csv.tmp"; do sleep 0.1; n=$((n + 1)); done
  had=$(ls "$T" | grep -c "^sig.csv.tmp")
  kill -$sig $p
  wait $p
  rc=$?
  sleep 0.5
  want=$((128 + num))
  check "SIG$sig: exit $want, the temporary file is removed" \
    '[ "$had" -eq 1 ] && [ $rc -eq $want ] && [ -z "$(ls "$T" | grep "^sig")" ] && grep -q interrupted "$T/err"'
  check "SIG$sig: no simulation process left running" 'command -v pgrep > /dev/null && ! pgrep -f "$T/sig.csv" > /dev/null'
done

# an interrupted report leaves no DIR.tmp-* folder behind, whatever is in it
# by then (a sub-folder and a link made here while it runs: the folder is
# removed recursively, the link removed and its target kept)
if command -v gnuplot > /dev/null 2>&1; then
  mkdir "$T/rep"; echo keep > "$T/rep-keep"
  for sig in INT:2 TERM:15 HUP:1; do
    num=${sig#*:}; sig=${sig%:*}
    env --default-signal=INT "$IMPSIM" report "$T/s.scn" -o "$T/rep/out/" > /dev/null 2> "$T/err" &
    p=$!
    n=0
    while [ $n -lt 150 ] && [ -z "$(ls "$T"/rep/out.tmp-*/ 2>/dev/null)" ]; do sleep 0.1; n=$((n + 1)); done
    tmpd=$(ls -d "$T"/rep/out.tmp-* 2>/dev/null)
    [ -n "$tmpd" ] && mkdir -p "$tmpd/sub/deeper" && echo x > "$tmpd/sub/deeper/f" &&
      ln -s "$T/rep-keep" "$tmpd/sub/link"
    kill -$sig $p
    wait $p
    rc=$?
    sleep 0.3
    check "report SIG$sig: exit $((128 + num)), no out.tmp-* folder left, a link's target kept" \
      '[ -n "$tmpd" ] && [ $rc -eq $((128 + num)) ] && [ -z "$(ls "$T/rep")" ] &&
       grep -q interrupted "$T/err" && [ "$(cat "$T/rep-keep")" = keep ]'
  done
  "$IMPSIM" report "$T/s.scn" -o "$T/rep/out/" > /dev/null 2> "$T/err"
  check "report -o DIR/: the folder is built beside DIR and renamed into place" \
    '[ $? -eq 0 ] && [ -s "$T/rep/out/index.html" ] && [ "$(ls "$T/rep")" = out ]'
  # an interrupted plot leaves no scratch chart (gnuplot draws in a folder
  # $TMPDIR/impsim-chart-*, then the chart is copied into place), and
  # gnuplot does not run on: a 10-day trace keeps gnuplot busy long enough
  # to be interrupted while it draws
  mkdir "$T/scratch"
  "$IMPSIM" run "$SRCDIR/scenarios/env-sensor-1min.scn" --duration 10d --trace "$T/long.csv" -o "$T/long.txt"
  TMPDIR="$T/scratch" env --default-signal=INT "$IMPSIM" plot trace "$T/long.csv" -o "$T/long.png" \
    > /dev/null 2> "$T/err" &
  p=$!
  n=0
  while [ $n -lt 150 ] && [ -z "$(ls "$T/scratch")" ]; do sleep 0.05; n=$((n + 1)); done
  had=$(ls "$T/scratch" | grep -c "^impsim-chart-")
  kill -INT $p
  wait $p
  rc=$?
  sleep 0.3
  sleep 1
  check "plot SIGINT while gnuplot draws: exit 130, no scratch chart left, gnuplot ended" \
    '[ "$had" -eq 1 ] && [ $rc -eq 130 ] && [ -z "$(ls "$T/scratch")" ] && [ ! -e "$T/long.png" ] &&
     command -v pgrep > /dev/null && ! pgrep -f "$T/scratch" > /dev/null'
fi

tlib_done
