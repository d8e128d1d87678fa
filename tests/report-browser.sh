#!/bin/sh
# report-browser.sh — the design-review page renders in a real browser:
# headless Chromium (Debian's `chromium`) opens DIR/index.html from an
# `impsim report`, every chart on it loads (the page's own check sets
# data-charts-loaded="N/N" on <html>), the console shows no error, and a
# screenshot of the stated size is taken. A page with a missing chart must
# fail the same checks (the check can fail). Skipped (77) only when
# chromium is not installed; CI installs it (.ci/run).
: "${SRCDIR:=.}"
. "$SRCDIR/tests/tlib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "SKIP: chromium not installed"; exit 77; }
. "$SRCDIR/tests/pngsize.sh"
# the browser's own files go to $T, never to the user's home
export HOME=$T XDG_CONFIG_HOME=$T/.config XDG_CACHE_HOME=$T/.cache
browse() {  # browse URL DUMP ERR [extra flags]: dump the DOM after the load event
  url=$1 dump=$2 err=$3
  shift 3
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --no-first-run --user-data-dir="$T/profile" --enable-logging=stderr --v=0 \
    --virtual-time-budget=10000 "$@" "$url" > "$dump" 2> "$err"
}

R=$T/rep
"$IMPSIM" report "$SRCDIR/scenarios/env-sensor-15min.scn" -o "$R" --monte-carlo 4 --steps 4 \
  > /dev/null 2> "$T/rerr"
check "report written" '[ $? -eq 0 ] && [ -s "$R/index.html" ]'
nimg=$(grep -c "<img src=" "$R/index.html")

browse "file://$R/index.html" "$T/dom" "$T/log" --dump-dom
check "chromium opened the page" '[ $? -eq 0 ] && grep -q "class=\"answer\"" "$T/dom"'
check "every chart loaded ($nimg of $nimg)" '[ "$nimg" -ge 9 ] && grep -q "data-charts-loaded=\"$nimg/$nimg\"" "$T/dom"'
check "no console message from the page" '! grep -q "CONSOLE" "$T/log"'
check "no failed load" '! grep -Eiq "ERR_FILE_NOT_FOUND|Failed to load resource|net::ERR" "$T/log"'

timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --no-first-run --user-data-dir="$T/profile" --hide-scrollbars --window-size=1280,4000 \
  --screenshot="$T/shot.png" "file://$R/index.html" > /dev/null 2>&1
check "screenshot taken: a 1280x4000 PNG" '[ "$(png_size "$T/shot.png")" = 1280x4000 ]'
# the screenshot is not blank: a PNG of a page with charts compresses to
# far more than an empty page's
check "screenshot shows content" '[ "$(wc -c < "$T/shot.png")" -gt 100000 ]'

# the same checks catch a broken page: one chart removed
rm "$R/sweep.svg"
browse "file://$R/index.html" "$T/dom2" "$T/log2" --dump-dom
check "a missing chart is caught (charts loaded < all)" \
  '! grep -q "data-charts-loaded=\"$nimg/$nimg\"" "$T/dom2" && grep -q "data-charts-loaded=\"$((nimg - 1))/$nimg\"" "$T/dom2"'
check "a missing chart is an error on the console" 'grep -q "CONSOLE.*chart did not load: sweep.svg" "$T/log2"'

tlib_done
