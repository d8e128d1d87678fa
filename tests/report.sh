#!/bin/sh
# report.sh — `impsim report` and `impsim plot`: the report folder holds
# index.html with the verdict `impsim decide` gives, every chart as SVG and
# as a real 1600x900 PNG (read from the IHDR chunk), nothing fetched from the
# network; charts show what they claim (phases from the trace, no zero
# parts, only variants that ran, break-even, P10/P50/P90, cut-off); the
# folder policy never damages a folder that is not a report.
# Needs IMPSIM, SRCDIR and IMPSIM_DATADIR (set by make check) and gnuplot.
: "${SRCDIR:=.}"
. "$SRCDIR/tests/tlib.sh"
command -v gnuplot > /dev/null 2>&1 || { echo "SKIP: gnuplot not installed"; exit 77; }
. "$SRCDIR/tests/pngsize.sh"
S=$SRCDIR/scenarios/env-sensor-15min.scn
R=$T/rep

# png_size itself: a PNG of known size, and a file that is not one
printf 'not a png at all, just text....' > "$T/fake.png"
check "png_size rejects a file that is not a PNG" '[ "$(png_size "$T/fake.png")" = not-a-png ]'

"$IMPSIM" report "$S" -o "$R" --monte-carlo 6 --steps 6 > "$T/out" 2> "$T/err"
check "report exits 0 and names the page" '[ $? -eq 0 ] && grep -q "$R/index.html" "$T/out"'
check "report leaves no temporary folder" '[ -z "$(ls -d "$R".tmp-* 2>/dev/null)" ]'
H=$R/index.html
"$IMPSIM" decide "$S" > "$T/decide" 2>&1
answer=$(sed -n 's/^Answer: *//p' "$T/decide")
check "the page leads with decide's answer" '[ -n "$answer" ] && grep -q "class=\"answer\">$answer<" "$H"'
check "the verdict comes before the table" \
  '[ "$(grep -n "class=\"answer\"" "$H" | cut -d: -f1)" -lt "$(grep -n "Variants compared" "$H" | cut -d: -f1)" ]'
check "the page states the margin" 'grep -q "<b>Margin [+-][0-9.]* %.</b>" "$H"'
check "the page has the variant table with every variant" \
  'for v in imp002 imp004m-deep imp004m-deep-pin imp004m-stop imp004m-shallow imp004m-ps; do grep -q "<td>$v</td>" "$H" || exit 1; done'
check "a variant that cannot run shows its reason, not the CSV columns after it" \
  'grep -q "not possible: imp004m without a 32 kHz crystal cannot wake from deep sleep on a timer; expected .*(on pin \.\.\.)</td>" "$H"'
check "the page has the Monte Carlo summary" 'grep -q "<h2>Monte Carlo</h2>" "$H" && grep -q "probability that the verdict (.*) holds" "$H" && grep -q "the verdict holds in <b>[0-9.]* %</b>" "$H"'
check "the page has warnings and assumptions" 'grep -q "<h2>Warnings</h2>" "$H" && grep -q "<h2>Assumptions</h2>" "$H" && grep -q "badge\">estimate<" "$H"'
check "the page records the command and the version" \
  'grep -q "impsim report .*env-sensor-15min.scn -o" "$H" && grep -q "impsim $("$IMPSIM" --version | cut -d" " -f2)" "$H"'
check "nothing on the page comes from the network" '! grep -Eq "(src|href)=\"(https?:)?//" "$H"'
n=0
for stem in $(sed -n 's/.*<img src="\([^"]*\)\.svg".*/\1/p' "$H"); do
  n=$((n + 1))
  check "$stem.png is a 1600x900 PNG" '[ "$(png_size "$R/$stem.png")" = 1600x900 ]'
  check "$stem.svg is a 1200x675 SVG" 'grep -q "<svg" "$R/$stem.svg" && grep -q "width=\"1200\" height=\"675\"" "$R/$stem.svg"'
  check "$stem.svg fetches nothing" '! grep -Eq "(xlink:)?href=\"(https?:)?//" "$R/$stem.svg"'
done
check "every chart is on the page (9)" '[ $n -eq 9 ]'
for c in cycle-imp004m-deep cycle-imp004m-stop day-imp004m-deep day-imp004m-stop budget-by-activity \
         budget-by-component battery sweep mc; do
  check "chart $c is there" '[ -s "$R/$c.svg" ] && grep -q "src=\"$c.svg\"" "$H"'
done
check "wake cycle: phases named from the trace" \
  'grep -q ",phase$" "$R/trace-imp004m-deep.csv" && grep -q ",connect: scan$" "$R/trace-imp004m-deep.csv" && grep -q ">scan<" "$R/cycle-imp004m-deep.svg"'
check "wake cycle: the whole connect cycle, every phase named in review terms" \
  'for p in boot sense "radio power-up" "firmware load" "radio calibration" scan join DHCP TLS "upload: send" "upload: receive reply" disconnect sleep; do grep -q ">$p<" "$R/cycle-imp004m-deep.svg" || { echo "no $p"; exit 1; }; done; grep -q ">wake<" "$R/cycle-imp004m-stop.svg"'
check "wake cycle: the title names the variant and what it is" \
  'grep -q ">One wake cycle on imp004m-deep (imp004m, 32 kHz crystal, timed deep sleep)<" "$R/cycle-imp004m-deep.svg"'
check "wake cycle: average and peak marked, in µA/mA" \
  'grep -q ">cycle average [0-9.]* µA" "$R/cycle-imp004m-deep.svg" && grep -q ">peak [0-9.]* mA" "$R/cycle-imp004m-deep.svg" && grep -q ">100 µA<" "$R/cycle-imp004m-deep.svg"'
check "day: the average line and hours" 'grep -q ">average [0-9.]* µA over 1 d<" "$R/day-imp004m-deep.svg" && grep -q ">time (h)<" "$R/day-imp004m-deep.svg"'
check "budget by component: drawing parts shown, zero parts left out" \
  'grep -Eq ">wifi [0-9.]+ µA \([0-9]+ %\)<" "$R/budget-by-component.svg" && ! grep -q ">spi " "$R/budget-by-component.svg" && ! grep -q ">dac " "$R/budget-by-component.svg"'
check "budget by activity: every part of every bar named with its value and share, the small ones too" \
  'for a in boot wake connect disconnect sleep sense upload; do [ "$(grep -Ec ">$a [0-9.]+ [pnµm]?A \((&lt;)?[0-9.]+ %\)<" "$R/budget-by-activity.svg")" -eq 3 ] || { echo "$a"; exit 1; }; done'
check "battery: cut-off and WiFi minimum marked, days" \
  'grep -q ">cell cut-off [0-9.]* V<" "$R/battery.svg" && grep -q ">WiFi minimum 1.90 V<" "$R/battery.svg" && grep -q ">time (d)<" "$R/battery.svg"'
# the battery curve of a product whose schedule repeats daily: the runner
# jumps up to 2 % of charge between days run segment by segment, so most
# of the 400 bins get no row or a day's edge only; they are interpolated
# from well-covered bins. Its load is the same every day, so the loaded
# voltage (the day's lowest) only falls: a bin that saw a day's edge
# without its uploads stood 0.1 V above its neighbours
"$IMPSIM" report "$SRCDIR/bench/tide-gauge.scn" -o "$T/tg" --steps 3 > /dev/null 2>&1
check "battery curve of a daily-repeating product: 400 rows per variant, the loaded voltage never rising" \
  'ls "$T"/tg/battery-*.csv > /dev/null && for f in "$T"/tg/battery-*.csv; do awk -F, "NR > 1 { if (NR > 2 && \$3 > p + 0.005) exit 1; p = \$3; n = NR } END { exit n != 401 }" "$f" || exit 1; done'
be=$(sed -n 's/.*break-even wake interval: \([0-9.]*\) min .*/\1/p' "$T/decide")
check "sweep: only variants that ran, decide's break-even labelled, minutes" \
  'grep -q ">imp004m-stop<" "$R/sweep.svg" && ! grep -q ">imp004m-deep-pin<" "$R/sweep.svg" && grep -q ">break-even.\{1,2\}$be.\{1,2\}min<" "$R/sweep.svg" && grep -q ">wake period (min)<" "$R/sweep.svg"'
check "sweep: the scenario's own wake period marked" 'grep -q ">this scenario: 15 min<" "$R/sweep.svg"'
check "Monte Carlo: P10/P50/P90 per variant" 'grep -q ">P10 [0-9]* d    P50 [0-9]* d    P90 [0-9]* d<" "$R/mc.svg"'
check "no chart holds inf or nan" '! grep -Eiq "(^|[^a-z])(inf|nan)([^a-z]|$)" "$R"/*.csv'

# with a target: drawn on the sweep and the Monte Carlo chart; rerun into the
# same report folder replaces it
"$IMPSIM" report "$S" -o "$R" --target 12mo --monte-carlo 4 --steps 4 > /dev/null 2> "$T/err"
check "a rerun replaces an earlier report" '[ $? -eq 0 ] && [ -f "$R/.impsim-report" ] && grep -q "target of 1 y" "$R/index.html"'
check "the target is drawn" 'grep -q ">target 1 y<" "$R/sweep.svg" && grep -q ">target 1 y<" "$R/mc.svg"'

# the physical warnings (physwarn, as decide prints them) and the
# assumptions (assume_collect, as decide writes them) are on the page
"$IMPSIM" report "$S" -o "$T/weak" --monte-carlo 2 --steps 3 --set battery.cell.resistance=3ohm \
  > /dev/null 2> "$T/err"
W=$T/weak/index.html
check "a cell that cannot deliver the WiFi peak: the report is still written" '[ $? -eq 0 ] && [ -s "$W" ]'
"$IMPSIM" decide "$S" --set battery.cell.resistance=3ohm > "$T/wd" 2>&1
wtext=$(sed -n "s/^warning: \(the cell cannot deliver the WiFi peak: .*\) (imp002's figures; also .*/\1/p" "$T/wd" | head -1)
check "the page has decide's WiFi-peak warning, word for word, with its variants" \
  '[ -n "$wtext" ] && grep -F "data-kind=\"wifi-peak\"" "$W" | grep -F "<b>imp002'"'"'s figures; also imp004m-deep," | grep -Fq "$wtext."'
check "the default report has no WiFi-peak warning" '! grep -q "data-kind=\"wifi-peak\"" "$H"'
sum=$(sed -n 's/^  impsim .*; scenario .* (\(fnv1a64:[0-9a-f]*\))$/\1/p' "$T/wd")
check "the assumptions are decide's: checksum, override with its source, cell, seed" \
  '[ -n "$sum" ] && grep -q "($sum)" "$W" && grep -q "<code>battery.cell.resistance=3ohm</code> (command line (--set))" "$W" && grep -q "2xAA-alkaline (2 x AA alkaline" "$W" && grep -q "Monte Carlo 2 samples, seed 1" "$W"'
check "the assumptions keep the model figures, estimates flagged" \
  'grep -q "<b>Model figures</b>" "$W" && grep -q "badge\">estimate<" "$W"'

# --measured: the overlay chart and calibrate's result on the page, from a
# synthetic PPK2 capture of tests/calib/sensor-10s.scn whose cpu.run.current
# is 30 % above the model's (as tests/calibrate.sh makes them, smaller)
C=$SRCDIR/tests/calib
"$IMPSIM" run "$C/sensor-10s.scn" --duration 31s --trace "$T/truth.csv" --set model.cpu.run.current=39mA > /dev/null 2>&1
awk -v RATE=10000 -v T0=5 -v T1=30.5 -v SEED=7 -f "$C/synth.awk" "$T/truth.csv" > "$T/cap.csv"
M=$T/meas
"$IMPSIM" report "$C/sensor-10s.scn" -o "$M" --measured "$T/cap.csv" --fit cpu.run.current \
  --set scenario.duration=2h --monte-carlo 2 --steps 3 > /dev/null 2> "$T/err"
check "report --measured exits 0" '[ $? -eq 0 ]' || cat "$T/err"
check "--measured: the overlay chart is on the page, PNG and SVG at size" \
  'grep -q "src=\"overlay.svg\"" "$M/index.html" && [ "$(png_size "$M/overlay.png")" = 1600x900 ] && grep -q "width=\"1200\" height=\"675\"" "$M/overlay.svg" && grep -q ">One wake cycle measured (cap.csv) against the model<" "$M/overlay.svg"'
check "--measured: the fit is on the page and beside it: cpu.run.current 30 mA fitted to 39 mA" \
  'grep -q "<h2>Measured against simulated</h2>" "$M/index.html" && grep -Eq "^cpu.run.current +30 mA +3[89](\.[0-9]+)? mA" "$M/calibrate.txt" && grep -Eq "^cpu.run.current +30 mA +3[89](\.[0-9]+)? mA" "$M/index.html" && grep -q "^residual  rms" "$M/calibrate.txt"'
check "--measured: the fitted figures beside the page (provenance measured), no temporary path in the text" \
  'grep -q "^cpu.run.current .* measured \"impsim calibrate: cap.csv sha256" "$M/fitted.figures" && ! grep -q "tmp-" "$M/calibrate.txt" "$M/index.html"'
check "sweep caption says its range in a reader's units, not SI seconds" \
  'grep -q "against the wake period, 1.000 min to 4.000 h;" "$R/index.html" && ! grep -q "every=[0-9]" "$R/index.html"'
# the sweep's caption names a break-even line only where the chart draws one
for dir in "$R" "$M"; do
  if grep -q "break-even" "$dir/sweep.svg"; then want="the dotted line marks where"; else want="do not break even in this range"; fi
  check "sweep caption agrees with the chart (${dir##*/}: $want)" 'grep -q "$want" "$dir/index.html"'
done

printf 'time,current\n0,1\n' > "$T/nounits.csv"
"$IMPSIM" report "$C/sensor-10s.scn" -o "$T/badmeas" --measured "$T/nounits.csv" --fit cpu.run.current \
  --monte-carlo 2 --steps 3 > /dev/null 2> "$T/err"
check "--measured with a capture that cannot be read: exit 2, calibrate's error, no folder" \
  '[ $? -eq 2 ] && grep -q "nounits.csv:1:" "$T/err" && [ ! -e "$T/badmeas" ] && [ -z "$(ls -d "$T"/badmeas.tmp-* 2>/dev/null)" ]'

# the folder policy: never damage what is not a report
mkdir "$T/mine" && echo keep > "$T/mine/notes.txt"
"$IMPSIM" report "$S" -o "$T/mine" --monte-carlo 2 > /dev/null 2> "$T/err"
check "a folder that is not a report is refused (exit 2), untouched" \
  '[ $? -eq 2 ] && grep -q "not an impsim report" "$T/err" && [ "$(ls -A "$T/mine")" = notes.txt ] && [ "$(cat "$T/mine/notes.txt")" = keep ]'
echo keep > "$T/afile"
"$IMPSIM" report "$S" -o "$T/afile" --monte-carlo 2 > /dev/null 2> "$T/err"
check "a file as -o is refused (exit 2), untouched" '[ $? -eq 2 ] && [ "$(cat "$T/afile")" = keep ]'
printf 'scenario "x"\nmodule imp004m\nsleep sideways\n' > "$T/bad.scn"
"$IMPSIM" report "$T/bad.scn" -o "$T/badrep" > /dev/null 2> "$T/err"
check "a bad scenario: exit 2, error at its line, no folder" \
  '[ $? -eq 2 ] && grep -q "bad.scn:3:" "$T/err" && [ ! -e "$T/badrep" ] && [ -z "$(ls -d "$T"/badrep.tmp-* 2>/dev/null)" ]'
"$IMPSIM" report "$S" > /dev/null 2> "$T/err"
check "report without -o is a usage error" '[ $? -eq 2 ] && grep -q "expected -o DIR" "$T/err"'
"$IMPSIM" report --help > "$T/h"
check "report --help states the folder policy" 'grep -q "impsim-report" "$T/h" && grep -q "nothing" "$T/h"'

# impsim plot: the same charts from the CLI, at the stated size
"$IMPSIM" plot cycle "$R/trace-imp004m-deep.csv" -o "$T/c.png" --name imp004m-deep > /dev/null 2>&1
check "plot cycle writes a 1600x900 PNG" '[ $? -eq 0 ] && [ "$(png_size "$T/c.png")" = 1600x900 ]'
# wakes that differ (sense every wake, upload every 4th): the chart shows the
# wake that connects, says so, and averages over the whole 4-wake cycle
printf 'scenario "x"\nmodule imp004m\ncrystal yes\nduration 1 d\nsleep deep\nevery 30 min as sense:\n    cpu 100 kcycles\nevery 4th wake as upload:\n    wifi connect\n    wifi send 256 B\n' > "$T/nth.scn"
"$IMPSIM" run "$T/nth.scn" --trace "$T/nth.csv" > /dev/null 2>&1
"$IMPSIM" plot cycle "$T/nth.csv" -o "$T/nth.svg" --name nth > /dev/null 2> "$T/err"
check "plot cycle: of wakes that differ, the one that connects, averaged over the whole cycle" \
  '[ $? -eq 0 ] && grep -q ">The wake that connects (1 of every 4 wakes) on nth<" "$T/nth.svg" && grep -q ">average [0-9.]* µA over the whole cycle: 4 wakes in 2 h<" "$T/nth.svg" && grep -q ">firmware load<" "$T/nth.svg" && grep -q ">upload: send<" "$T/nth.svg"'
"$IMPSIM" plot budget "$R/budget-imp002.csv" "$R/budget-imp004m-deep.csv" --by component -o "$T/b.png" > /dev/null 2>&1
check "plot budget of two runs writes a 1600x900 PNG" '[ $? -eq 0 ] && [ "$(png_size "$T/b.png")" = 1600x900 ]'
"$IMPSIM" plot sweep "$R/sweep.csv" --target 12mo -o "$T/s.svg" > /dev/null 2>&1
check "plot sweep writes an SVG with the target" '[ $? -eq 0 ] && grep -q ">target 1 y<" "$T/s.svg"'
# a run not depleted within the horizon is drawn as such (at the horizon), not dropped
printf 'scenario.every_s,a_life_s,a_avg_current_A,b_life_s,b_avg_current_A,break_even,a_ended_by,b_ended_by\n60,3e7,1e-4,,,,wifi-min-voltage,\n600,,1e-6,,,,not-depleted,\n' > "$T/nd.csv"
"$IMPSIM" plot sweep "$T/nd.csv" -o "$T/nd.svg" > /dev/null 2> "$T/err"
check "plot sweep: a not-depleted run drawn as such, a variant that never ran left out" \
  '[ $? -eq 0 ] && grep -q ">not depleted within 30 y (drawn at it)<" "$T/nd.svg" && grep -q ">a<" "$T/nd.svg" && ! grep -q ">b<" "$T/nd.svg"'
check "plot sweep: no break-even in the key when there is none" '! grep -q "break-even" "$T/nd.svg"'
check "plot sweep: the target named on the chart and in the key, in black, not a variant's red" \
  '[ "$(grep -c ">target 1 y<" "$T/s.svg")" -eq 2 ] && grep -q "stroke=\"rgb( 17,  17,  17)\"" "$T/s.svg" && ! grep -q "c0392b\|rgb(192,  57,  43)" "$T/s.svg"'
"$IMPSIM" plot budget "$R/budget-imp002.csv" --name a --name b -o "$T/x.png" > /dev/null 2> "$T/err"
check "plot budget: a --name per file" '[ $? -eq 2 ] && [ ! -e "$T/x.png" ]'

tlib_done
