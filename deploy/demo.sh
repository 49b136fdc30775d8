#!/usr/bin/env bash
# make demo: a county on loopback.  Provisions keys and configs, starts the
# hub, files the police bureau's sample export, shows the receipts, the
# adapter's status and what the hub stored, and stops cleanly.
set -euo pipefail
B=${1:-build/rel}
DEMO=${LIANXI_DEMO_DIR:-$PWD/demo-county}
SAMPLES=adapters/police/samples
hub_pid=""

stop_hub() {
    if [ -n "$hub_pid" ]; then
        kill -TERM "$hub_pid" 2>/dev/null || true
        wait "$hub_pid" 2>/dev/null || true
        hub_pid=""
    fi
}
trap stop_hub EXIT

step() { printf '\n== %s\n' "$*"; }

rm -rf "$DEMO"
step "lianxi init: a county with its hub, nine units and operators in $DEMO"
"$B/lianxi" init "$DEMO"

step "start the hub (CURVE on every socket, ZAP fails closed)"
exec 3< <("$B/lianxi-hub" -c "$DEMO/hub/hub.conf" 2>"$DEMO/hub.log")
hub_pid=$!
ready=""
while read -r -t 30 line <&3; do
    echo "  $line"
    if [ "$line" = ready ]; then ready=1; break; fi
done
[ -n "$ready" ] || { echo "the hub did not start; see $DEMO/hub.log" >&2; cat "$DEMO/hub.log" >&2; exit 1; }

step "the police bureau files its November export (UTF-8, 60 rows, 5 of them bad)"
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" --wait 60 \
    submit "$SAMPLES/police-2026-11.csv"

step "rows the adapter refused, with file, line, field and reason"
cat "$DEMO/units/police/rejected/police-2026-11.csv.rejected.txt"

step "the same export saved by WPS as GB18030: recognised, nothing new to file"
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" --wait 60 \
    submit "$SAMPLES/police-2026-11.gb18030.csv"

step "the police adapter's status"
"$B/lianxi-adapter-police" -c "$DEMO/units/police/adapter.conf" status

step "what the hub stored (read-only look at its database)"
sqlite3 -readonly -column -header "$DEMO/hub/lianxi.db" \
    "SELECT unit, category, count(*) AS filings, sum(on_time) AS on_time,
            sum(1 - on_time) AS late, max(receipt_no) AS last_receipt
       FROM filings GROUP BY unit, category ORDER BY unit, category;"

step "stop the hub (SIGTERM)"
stop_hub
grep -E 'stopped' "$DEMO/hub.log" | sed 's/^/  /'
printf '\nThe county is in %s (hub log: %s/hub.log).\n' "$DEMO" "$DEMO"
