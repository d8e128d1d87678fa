#!/bin/sh
# tests/fuzz/build.sh — build and run impsim's libFuzzer targets.
#
#   tests/fuzz/build.sh            build the fuzzers (scenario, figure files,
#                                  load CSVs / captures, expect files)
#   tests/fuzz/build.sh replay     build, then replay every kept crash
#                                  (tests/fuzz/crashes/) as a regression
#   tests/fuzz/build.sh run SECS   build, replay, then fuzz each target for
#                                  SECS seconds (default 60)
#
# Exits non-zero when a kept crash reproduces or fuzzing finds a new one
# (it is left in $FUZZ_OUT/artifacts/; see tests/fuzz/README.md).
# Needs clang with libFuzzer (Debian 12: clang libclang-rt-14-dev) and GSL.
# Environment: CC (default clang), FUZZ_OUT (default tests/fuzz/out in the
# source tree).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
OUT=${FUZZ_OUT:-$HERE/out}
CC=${CC:-clang}
mode=${1:-build}
secs=${2:-60}

# The parser, checker and planner with what they link against; everything
# that needs SimGrid (engine.c, pipeline.c, cmd_*.c, main.c) is left out.
SIM="ticks diag units num lex figfile paths comp model model_schema scn_parse
     scn_check plan ledger battery_cell battery_core battery_diffusion
     battery_kibam battery_peukert battery_shepherd battery_voltage outfile
     capture sha256 expect budget scn_param window"
srcs=
for f in $SIM; do srcs="$srcs $SRC/sim/$f.c"; done

if ! command -v "$CC" > /dev/null 2>&1; then
  echo "build.sh: $CC not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 77
fi
GSL_CFLAGS=$(pkg-config --cflags gsl)
GSL_LIBS="$(pkg-config --libs gsl) $(pkg-config --libs libgcrypt)"
CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
  -I$SRC/sim -DFUZZ_DATADIR=\"$SRC\" -DIMPSIM_PKGDATADIR=\"$SRC\" $GSL_CFLAGS
  $(pkg-config --cflags libgcrypt)"

TARGETS="scenario figfile capture expect"
mkdir -p "$OUT/artifacts"
for t in $TARGETS; do
  # shellcheck disable=SC2086
  $CC $CFLAGS -o "$OUT/fuzz_$t" "$HERE/fuzz_$t.c" $srcs $GSL_LIBS -lm
done
echo "built: $(for t in $TARGETS; do printf "%s " "$OUT/fuzz_$t"; done)"
[ "$mode" = build ] && exit 0

export IMPSIM_DATADIR="$SRC"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
status=0

# Regressions: every kept crash, run once through its target.
for t in $TARGETS; do
  set -- "$HERE"/crashes/$t-*
  [ -e "$1" ] || continue
  if "$OUT/fuzz_$t" -runs=1 "$@" > "$OUT/replay-$t.log" 2>&1; then
    echo "ok   - replay $# kept $t inputs"
  else
    echo "FAIL - replay of kept $t inputs (see $OUT/replay-$t.log)"
    tail -30 "$OUT/replay-$t.log"
    status=1
  fi
done
[ "$mode" = replay ] && exit $status

# Dictionaries: the languages' keywords and units.
cat > "$OUT/scenario.dict" <<'DICT'
"scenario" "module" "crystal" "part" "supply" "duration" "sleep" "wifi-idle"
"powersave" "seed" "battery" "regulator" "ap" "set" "i2c" "spi" "uart" "adc"
"pwm" "sampler" "dac" "boot:" "every" "from" "as" "on" "pin" "at" "poisson"
"wake" "th" "cpu" "wait" "imp.sleep" "read" "write" "enable" "disable" "run"
"for" "flash" "erase" "nv" "persist" "wifi" "connect" "send" "receive"
"disconnect" "yes" "no" "deep" "idle" "shallow" "off" "connected" "linear"
"switching" "efficiency" "quiescent" "wifi-min" "down" "imp002" "imp003"
"imp004m" "i2c89" "i2cNM" "i2cQP" "uart57" "w25q80bv" "tps62740" "mcp1700"
"2xAA-alkaline" "1x18650" "model.cpu.clock" "model.wifi.tx.rate"
"model.flash.page" "model.bus.uart57.max_baud" "battery.cell.capacity" "="
"min" "ms" "us" "ns" "h" "d" "w" "mo" "y" "s" "Hz" "kHz" "MHz" "V" "mV" "B"
"KB" "MB" "kcycles" "Mcycles" "baud" "Mbaud" "/s" "/day" "/h" "%" "ppm" "uA"
"mA" "1e308" "1e-300" "9223372036854775807" "-0" "\x22"
DICT
tr ' ' '\n' < "$OUT/scenario.dict" | grep . > "$OUT/scenario.dict.tmp" && mv "$OUT/scenario.dict.tmp" "$OUT/scenario.dict"
cat > "$OUT/figfile.dict" <<'DICT'
"datasheet" "documented" "forum" "measured" "estimate" "module.name" "cpu.clock"
"cpu.run.current" "caps.crystal" "optional" "yes" "no" "bus.i2c89" "i2c" "uart"
"max_baud" "cell.model" "ideal" "peukert" "kibam" "diffusion" "voltage.model"
"ocv" "shepherd" "constant" "ocv.soc" "ocv.voltage" "cell.capacity" "pack.series"
"pack.parallel" "kibam.c" "kibam.k" "kibam.k_prime" "peukert.n"
"peukert.rated_time" "diffusion.alpha" "shepherd.q" "flash.page" "=" "mAh" "%/y"
"ohm" "/h" "uA" "mA" "MHz" "V" "ms" "1e308" "-1" "0" "\x22"
DICT
tr ' ' '\n' < "$OUT/figfile.dict" | grep . > "$OUT/figfile.dict.tmp" && mv "$OUT/figfile.dict.tmp" "$OUT/figfile.dict"

cat > "$OUT/capture.dict" <<'DICT'
"Timestamp(ms)" "Current(uA)" "D0-D7" "time_s" "current_A" "Time(ms)" "Main(mA)"
"[s]" "[A]" "t[us]" "(nA)" "," ";" "\x09" "\x0d\x0a" "\xef\xbb\xbf"
"1e308" "-0" "nan" "inf" "0x1p3" "\x22" "1,5" "00000000"
DICT
tr ' ' '\n' < "$OUT/capture.dict" | grep . > "$OUT/capture.dict.tmp" && mv "$OUT/capture.dict.tmp" "$OUT/capture.dict"
cat > "$OUT/expect.dict" <<'DICT'
"module" "imp004m" "imp002" "error" "rel" "abs" "%" "charge_C" "energy_J"
"avg_current_A" "wakes" "boots" "battery.life_s" "activity." ".charge_C"
"component." "C" "J" "uA" "d" "s" "1e308" "-1" "\x22"
DICT
tr ' ' '\n' < "$OUT/expect.dict" | grep . > "$OUT/expect.dict.tmp" && mv "$OUT/expect.dict.tmp" "$OUT/expect.dict"

# Working corpora: the seeds in the tree plus what earlier runs found.
mkdir -p "$OUT/corpus-scenario" "$OUT/corpus-figfile" "$OUT/corpus-capture" "$OUT/corpus-expect"
cp "$SRC"/scenarios/*.scn "$HERE"/corpus-scenario/* "$OUT/corpus-scenario/" 2>/dev/null || true
[ -d "$SRC/tests/bad" ] && cp "$SRC"/tests/bad/*.scn "$OUT/corpus-scenario/" 2>/dev/null || true
cp "$SRC"/models/*.model "$SRC"/models/parts/*.part "$SRC"/cells/*.cell \
   "$HERE"/corpus-figfile/* "$OUT/corpus-figfile/" 2>/dev/null || true
[ -d "$SRC/tests/bad-model" ] && cp "$SRC"/tests/bad-model/*.model "$SRC"/tests/bad-cell/*.cell \
   "$OUT/corpus-figfile/" 2>/dev/null || true
# captures: the supported exports (small ones: max_len) and the broken ones
cp "$SRC"/tests/captures/*.csv "$SRC"/tests/bad-capture/*.csv "$OUT/corpus-capture/" 2>/dev/null || true
cp "$SRC"/scenarios/*.expect "$SRC"/tests/bad-expect/*.expect "$OUT/corpus-expect/" 2>/dev/null || true

for t in $TARGETS; do
  echo "fuzzing $t for $secs s"
  if "$OUT/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -max_len=8192 -dict="$OUT/$t.dict" -print_final_stats=1 \
       -artifact_prefix="$OUT/artifacts/$t-" \
       "$OUT/corpus-$t" > "$OUT/fuzz-$t.log" 2>&1; then
    echo "ok   - $t: $(grep -h 'stat::number_of_executed_units' "$OUT/fuzz-$t.log" | tail -1)"
  else
    echo "FAIL - $t: crash found, kept in $OUT/artifacts/ (log $OUT/fuzz-$t.log)"
    grep -h -A25 'ERROR\|runtime error\|deadly signal' "$OUT/fuzz-$t.log" | head -60
    status=1
  fi
done
exit $status
