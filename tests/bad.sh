#!/bin/sh
# bad.sh — the broken-input corpus, one directory per reader: every
# tests/bad/NAME.scn must make `impsim run` (every tests/bad-capture/NAME.csv
# `impsim battery --load csv:NAME.csv` with the options in NAME.args; every
# tests/bad-model/NAME.model `impsim run --module`; every
# tests/bad-cell/NAME.cell `impsim battery --cell`; every
# tests/bad-expect/NAME.expect `impsim check` beside a valid scenario; every
# tests/bad-plot/NAME.csv `impsim plot trace`) exit 2, print nothing on stdout, and print as the first error line on stderr exactly NAME.err
# (warnings and lines "==PID==..." from a sanitizer or valgrind are
# skipped). In .err files @DATADIR@ stands for
# $IMPSIM_DATADIR (messages that name a data file). Runs from $SRCDIR so
# messages show tests/bad/NAME.scn. Needs IMPSIM, SRCDIR and IMPSIM_DATADIR
# (set by make check). BAD_UPDATE=1 rewrites every .err from impsim's
# current output (review the diff before committing it).
set -u
: "${IMPSIM:=./impsim}" "${SRCDIR:=.}"
export IMPSIM_DATADIR="${IMPSIM_DATADIR:-$SRCDIR}"
export LC_ALL=C
case $IMPSIM in /*) ;; *) IMPSIM=$(pwd)/$IMPSIM ;; esac
T=$(mktemp -d) || exit 99
trap 'rm -rf "$T"' EXIT
cd "$SRCDIR" || exit 99
pass=0 fail=0
# judge INPUT NAME CMD...: run CMD; it must exit 2, print nothing on stdout
# and print as its first error line (warnings and sanitizer/valgrind noise
# skipped) exactly NAME.err (rewritten first when BAD_UPDATE is set).
judge() {
  input=$1 name=$2
  shift 2
  "$@" > "$T/out" 2> "$T/err"
  rc=$?
  got=$(grep -v -e '^==[0-9]*==' -e ': warning: ' "$T/err" | head -n 1)
  if [ -n "${BAD_UPDATE:-}" ]; then   # rewrite the .err file from impsim's output
    printf '%s\n' "$got" | sed "s|$IMPSIM_DATADIR|@DATADIR@|g" > "$name.err"
  fi
  if [ ! -f "$name.err" ]; then
    fail=$((fail + 1)); echo "FAIL - $input: no $name.err"; return
  fi
  want=$(sed "s|@DATADIR@|$IMPSIM_DATADIR|g" "$name.err")
  why=
  [ "$rc" -eq "${want_rc:-2}" ] || why="exit code $rc, expected ${want_rc:-2}"
  [ -z "$why" ] && [ -s "$T/out" ] && why="wrote to stdout"
  [ -z "$why" ] && [ "$got" != "$want" ] && why="stderr line 1:
       got:  $got
       want: $want"
  if [ -z "$why" ]; then
    pass=$((pass + 1)); echo "ok   - $input"
  else
    fail=$((fail + 1)); echo "FAIL - $input: $why"
  fi
}
for scn in tests/bad/*.scn; do
  judge "$scn" "${scn%.scn}" "$IMPSIM" run "$scn"
done
# broken measured captures (tests/bad-capture/NAME.csv, options in NAME.args)
for csv in tests/bad-capture/*.csv; do
  name=${csv%.csv}
  args=
  [ -f "$name.args" ] && args=$(cat "$name.args")
  # shellcheck disable=SC2086
  judge "$csv" "$name" "$IMPSIM" battery --cell 2xAA-alkaline --load "csv:$csv" $args
done
# broken figure files: module models (also parts: the same reader), cells
for f in tests/bad-model/*.model; do
  judge "$f" "${f%.model}" "$IMPSIM" run scenarios/door-sensor-wakepin.scn --module "$f"
done
# broken traces given to plot (the chart readers check every row first)
for f in tests/bad-plot/*.csv; do
  judge "$f" "${f%.csv}" "$IMPSIM" plot trace "$f" -o "$T/plot.png"
done
for f in tests/bad-cell/*.cell; do
  judge "$f" "${f%.cell}" "$IMPSIM" battery --cell "$f" --load 5mA
done
# broken expect files: checked beside a copy of base.scn.in (the FAIL line
# goes to stdout, the located error to stderr; check exits 2: bad input)
for f in tests/bad-expect/*.expect; do
  n=$(basename "$f" .expect)
  cp tests/bad-expect/base.scn.in "$T/$n.scn" && cp "$f" "$T/$n.expect"
  judge "$f" "${f%.expect}" sh -c 'cd "$1" && "$2" check "$3.scn" > /dev/null' _ "$T" "$IMPSIM" "$n"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
