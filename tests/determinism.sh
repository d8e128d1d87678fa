#!/bin/sh
# determinism.sh — the same inputs and seed give byte-identical outputs:
# for every scenario in scenarios/ that runs, two runs each of the text,
# JSON and CSV reports and of the --trace CSV must be equal byte for byte;
# for the stochastic ones (on pin poisson) a different seed must change the
# JSON report. Needs IMPSIM, SRCDIR and IMPSIM_DATADIR (set by make check).
# DETERMINISM_DURATION=7d (any TIME) caps every run's simulated time.
set -u
: "${IMPSIM:=./impsim}" "${SRCDIR:=.}"
export IMPSIM_DATADIR="${IMPSIM_DATADIR:-$SRCDIR}"
T=$(mktemp -d) || exit 99
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0
ok()  { pass=$((pass + 1)); echo "ok   - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }
cap=
[ -n "${DETERMINISM_DURATION:-}" ] && cap="--duration $DETERMINISM_DURATION"

for scn in "$SRCDIR"/scenarios/*.scn; do
  name=$(basename "$scn" .scn)
  # shellcheck disable=SC2086
  if ! "$IMPSIM" run "$scn" $cap --format json --trace "$T/a.trace" > "$T/a.json" 2> "$T/err"; then
    skip=$((skip + 1)); echo "skip - $name does not run: $(head -n 1 "$T/err")"; continue
  fi
  # shellcheck disable=SC2086
  "$IMPSIM" run "$scn" $cap --format json --trace "$T/b.trace" > "$T/b.json" 2>> "$T/err"
  for f in text csv; do
    # shellcheck disable=SC2086
    "$IMPSIM" run "$scn" $cap --format $f > "$T/a.$f" 2>> "$T/err"
    # shellcheck disable=SC2086
    "$IMPSIM" run "$scn" $cap --format $f > "$T/b.$f" 2>> "$T/err"
  done
  for f in json text csv trace; do
    if [ -s "$T/a.$f" ] && cmp -s "$T/a.$f" "$T/b.$f"; then
      ok "$name: $f identical across runs"
    else
      bad "$name: $f differs between two runs (or is empty)"
      cmp "$T/a.$f" "$T/b.$f" | head -n 1
    fi
  done
  if grep -q '^on *pin *poisson' "$scn"; then
    seed=$(sed -n 's/^seed *\([0-9][0-9]*\).*/\1/p' "$scn" | tail -n 1)
    other=$(( ${seed:-1} + 1 ))
    # shellcheck disable=SC2086
    "$IMPSIM" run "$scn" $cap --format json --set scenario.seed=$other > "$T/c.json" 2>> "$T/err"
    # shellcheck disable=SC2086
    "$IMPSIM" run "$scn" $cap --format json --set scenario.seed=$other > "$T/d.json" 2>> "$T/err"
    if [ -s "$T/c.json" ] && ! cmp -s "$T/a.json" "$T/c.json" && cmp -s "$T/c.json" "$T/d.json"; then
      ok "$name: seed $other changes the stochastic result, reproducibly"
    else
      bad "$name: seed $other gives the same result as seed ${seed:-1}, or differs between runs"
    fi
  fi
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
