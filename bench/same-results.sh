#!/bin/sh
# same-results.sh — a speed change must not change a result: runs two
# impsim binaries (BEFORE, AFTER) on every library scenario and compares
# their outputs byte for byte: `run --format json` with fast-forward and
# with --no-fast-forward (battery life included where the scenario has a
# cell), the --trace CSV of the first 2 days, and `run --duration 30d
# --no-fast-forward --format json` without a battery (the ledger alone).
# The scenario's absolute path is the same for both, so the assumptions
# lines match too.
#
# Usage: bench/same-results.sh BEFORE_IMPSIM AFTER_IMPSIM [SCENARIO_DIR]
# (IMPSIM_DATADIR as for impsim; default: this source tree). Prints one
# line per difference and a summary; exit 0 when everything is identical,
# 1 when anything differs or one binary fails where the other did not.
# SAME_FILTER='SED-SCRIPT' edits both outputs before they are compared,
# for a change that adds output on purpose (e.g. 's/, "method_why": "[^"]*"//').
set -u
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_IMPSIM AFTER_IMPSIM [SCENARIO_DIR]" >&2; exit 2; }
A=$1 B=$2
SRC=$(cd "$(dirname "$0")/.." && pwd)
S=${3:-$SRC/scenarios}
export IMPSIM_DATADIR="${IMPSIM_DATADIR:-$SRC}"
T=$(mktemp -d "${TMPDIR:-/tmp}/impsim-same.XXXXXX") || exit 3
trap 'rm -rf "$T"' EXIT
same=0 diff=0

# check NAME TRACE ARGS...: run both binaries with ARGS (with TRACE=1,
# plus --trace to a file per binary) and compare stdout, stderr, the exit
# status and the trace (a trace turns fast-forward off: not in the others)
check() {
  name=$1 tr=$2; shift 2
  ra=0 rb=0
  : > "$T/a.trace"; : > "$T/b.trace"
  if [ "$tr" = 1 ]; then
    "$A" "$@" --trace "$T/a.trace" > "$T/a.out" 2> "$T/a.err" || ra=$?
    "$B" "$@" --trace "$T/b.trace" > "$T/b.out" 2> "$T/b.err" || rb=$?
  else
    "$A" "$@" > "$T/a.out" 2> "$T/a.err" || ra=$?
    "$B" "$@" > "$T/b.out" 2> "$T/b.err" || rb=$?
  fi
  if [ -n "${SAME_FILTER:-}" ]; then
    for f in a b; do sed -E "$SAME_FILTER" "$T/$f.out" > "$T/$f.f" && mv "$T/$f.f" "$T/$f.out"; done
  fi
  if [ "$ra" = "$rb" ] && cmp -s "$T/a.out" "$T/b.out" && cmp -s "$T/a.trace" "$T/b.trace" &&
     cmp -s "$T/a.err" "$T/b.err"; then
    same=$((same + 1))
  else
    diff=$((diff + 1))
    echo "DIFFERENT - $name (exit $ra / $rb)"
    cmp "$T/a.out" "$T/b.out" | head -n 1
    cmp "$T/a.trace" "$T/b.trace" | head -n 1
    cmp "$T/a.err" "$T/b.err" | head -n 1
  fi
  rm -f "$T/a.trace" "$T/b.trace"
}

for scn in "$S"/*.scn; do
  n=$(basename "$scn" .scn)
  grep -v '^battery\|^regulator' "$scn" > "$T/$n.scn"
  check "$n: run (fast-forward)" 0 run "$scn" --format json
  check "$n: run --no-fast-forward" 0 run "$scn" --format json --no-fast-forward
  check "$n: 30 d --no-fast-forward, no battery" 0 run "$T/$n.scn" --duration 30d --format json --no-fast-forward
  check "$n: 30 d fast-forward, no battery" 0 run "$T/$n.scn" --duration 30d --format json
  check "$n: 2 d trace" 1 run "$scn" --duration 2d --format json
done
echo "same-results: $same identical, $diff different"
[ "$diff" -eq 0 ]
