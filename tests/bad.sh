#!/bin/sh
# bad.sh — the broken-scenario corpus: every tests/bad/NAME.scn must make
# `impsim run` exit 2, print nothing on stdout, and print as the first line
# on stderr exactly tests/bad/NAME.err (lines "==PID==..." from a sanitizer
# or valgrind are skipped). In .err files @DATADIR@ stands for
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
for scn in tests/bad/*.scn; do
  name=${scn%.scn}
  if [ -n "${BAD_UPDATE:-}" ]; then   # rewrite the .err files from impsim's output
    "$IMPSIM" run "$scn" 2>&1 > /dev/null | grep -v '^==[0-9]*==' | head -n 1 |
      sed "s|$IMPSIM_DATADIR|@DATADIR@|g" > "$name.err"
  fi
  if [ ! -f "$name.err" ]; then
    fail=$((fail + 1)); echo "FAIL - $scn: no $name.err"; continue
  fi
  "$IMPSIM" run "$scn" > "$T/out" 2> "$T/err"
  rc=$?
  got=$(grep -v '^==[0-9]*==' "$T/err" | head -n 1)   # skip sanitizer/valgrind noise
  want=$(sed "s|@DATADIR@|$IMPSIM_DATADIR|g" "$name.err")
  why=
  [ "$rc" -eq 2 ] || why="exit code $rc, expected 2"
  [ -z "$why" ] && [ -s "$T/out" ] && why="wrote to stdout"
  [ -z "$why" ] && [ "$got" != "$want" ] && why="stderr line 1:
       got:  $got
       want: $want"
  if [ -z "$why" ]; then
    pass=$((pass + 1)); echo "ok   - $scn"
  else
    fail=$((fail + 1)); echo "FAIL - $scn: $why"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
