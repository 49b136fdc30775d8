#!/bin/sh
# The console's page in Chromium: provisions a county in a temp directory,
# starts the hub and the console, files the samples in samples/ through the
# units' adapters, and runs console.test.mjs (Playwright, each operator by
# browser certificate).  Prints cmocka's summary lines for run-tests.sh.
#
#   LIANXI_BIN=$PWD/build/rel LIANXI_SRC=$PWD sh tests/browser/run.sh
#
# Needs node, Chromium (LX_CHROMIUM, else chromium on the PATH) and
# playwright-core in tests/browser/node_modules (npm ci in tests/browser).
# Without them it says why and passes nothing, unless CI is set: then that
# is a failure.  Screenshots go to $LIANXI_BIN/screenshots.

here=$(cd "$(dirname "$0")" && pwd)
LIANXI_SRC=${LIANXI_SRC:-$(cd "$here/../.." && pwd)}
LIANXI_BIN=${LIANXI_BIN:-$LIANXI_SRC/build/rel}
export LIANXI_SRC LIANXI_BIN

skip() {
    if [ -n "${CI:-}" ]; then
        echo "browser tests cannot run: $1"
        echo "[  FAILED  ] 1 test(s)."
        exit 1
    fi
    echo "browser tests skipped: $1"
    echo "[  PASSED  ] 0 test(s)."
    exit 0
}

fail() {
    echo "browser tests: $1"
    echo "[  PASSED  ] 0 test(s)."
    echo "[  FAILED  ] 1 test(s)."
    exit 1
}

node=$(command -v node 2>/dev/null) || skip "node is not installed"
chromium=${LX_CHROMIUM:-}
if [ -z "$chromium" ]; then
    for c in chromium chromium-browser google-chrome; do
        chromium=$(command -v "$c" 2>/dev/null) && break
        chromium=
    done
fi
[ -n "$chromium" ] && [ -x "$chromium" ] || skip "Chromium is not installed (or set LX_CHROMIUM)"
[ -f "$here/node_modules/playwright-core/package.json" ] ||
    skip "playwright-core is not installed (npm ci in tests/browser)"
for p in lianxi lianxi-hub lianxi-console lianxi-adapter-police lianxi-adapter-discipline; do
    [ -x "$LIANXI_BIN/$p" ] || fail "$LIANXI_BIN/$p is not built (make)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/lianxi-browser.XXXXXX") || fail "no temp directory"
county=$work/county
hub_pid=
console_pid=
cleanup() {
    for pid in $console_pid $hub_pid; do
        kill "$pid" 2>/dev/null
    done
    for pid in $console_pid $hub_pid; do
        wait "$pid" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits until FILE exists (and is not empty) while PID lives, up to SECONDS.
wait_for() {
    file=$1; pid=$2; n=$(($3 * 10))
    while [ "$n" -gt 0 ]; do
        [ -s "$file" ] && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}

"$LIANXI_BIN/lianxi" init "$county" >"$work/init.log" 2>&1 ||
    { cat "$work/init.log"; fail "lianxi init failed"; }
[ -f "$county/console/console.conf" ] || fail "lianxi init wrote no console/console.conf"

"$LIANXI_BIN/lianxi-hub" -c "$county/hub/hub.conf" >"$work/hub.log" 2>&1 &
hub_pid=$!
wait_for "$county/hub/run/control.endpoint" "$hub_pid" 30 ||
    { cat "$work/hub.log"; fail "the hub did not start"; }

"$LIANXI_BIN/lianxi-console" -c "$county/console/console.conf" >"$work/console.log" 2>&1 &
console_pid=$!
wait_for "$county/console/run/console.url" "$console_pid" 30 ||
    { cat "$work/console.log"; fail "the console did not start"; }
url=$(head -n 1 "$county/console/run/console.url")

# The samples, filed as the units' clerks would: each adapter submits its
# export and waits for the receipts.
mkdir -p "$work/samples"
for unit in police discipline; do
    cp "$here/samples/$unit.csv" "$work/samples/$unit.csv"
    "$LIANXI_BIN/lianxi-adapter-$unit" -c "$county/units/$unit/adapter.conf" --wait 60 \
        submit "$work/samples/$unit.csv" >"$work/$unit.log" 2>&1 ||
        { cat "$work/$unit.log"; fail "the $unit adapter could not file its sample"; }
done

shots=$LIANXI_BIN/screenshots
mkdir -p "$shots" && rm -f "$shots"/*.png "$shots"/*.pdf

LX_COUNTY=$county LX_CONSOLE_URL=$url LX_CHROMIUM=$chromium LX_WORK=$work LX_SHOTS=$shots \
LX_SAMPLE_POLICE=$work/samples/police.csv LX_SAMPLE_DISCIPLINE=$work/samples/discipline.csv \
    "$node" "$here/console.test.mjs" >"$work/test.out" 2>&1
rc=$?
cat "$work/test.out"
if ! grep -q '^\[  PASSED  \] [0-9]* test' "$work/test.out"; then
    echo "--- hub log"; tail -n 20 "$work/hub.log"
    echo "--- console log"; tail -n 20 "$work/console.log"
    echo "[  FAILED  ] 1 test(s)."
    exit 1
fi
if [ "$rc" -ne 0 ]; then
    echo "--- console log"; tail -n 20 "$work/console.log"
fi
exit "$rc"
