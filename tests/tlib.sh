# tlib.sh — the shared start of the shell tests (sourced, not run): the
# environment make check sets (IMPSIM, SRCDIR, IMPSIM_DATADIR), a temporary
# directory $T removed at exit, and the ok/bad/check reporters counted in
# $pass and $fail. A test ends with `tlib_done`.
set -u
: "${IMPSIM:=./impsim}" "${SRCDIR:=.}"
export IMPSIM_DATADIR="${IMPSIM_DATADIR:-$SRCDIR}"
T=$(mktemp -d) || exit 99
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "ok   - $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL - $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
tlib_done() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; }
