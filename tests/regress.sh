#!/bin/sh
# regress.sh — the scenario library against its expected results
# (`impsim check scenarios`), as part of make check.
: "${IMPSIM:=./impsim}" "${SRCDIR:=.}"
export IMPSIM_DATADIR="${IMPSIM_DATADIR:-$SRCDIR}"
cd "$SRCDIR" && exec "$IMPSIM" check scenarios
