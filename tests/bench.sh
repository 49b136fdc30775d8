#!/usr/bin/env bash
# make bench: intake rate of the real hub from nine real adapters on
# loopback (CURVE, Ed25519 verified, synchronous=FULL, receipts after
# commit), with the single-core verification rate measured in the same run.
set -euo pipefail
B=${1:-build/rel}
PER_UNIT=${BENCH_PER_UNIT:-4000}
SIZE=${BENCH_SIZE:-1500}
UNITS="discipline organization politics_law court procuratorate police audit family_planning petitions"
work=$(mktemp -d /tmp/lianxi-bench-XXXXXX)
hub_pid=""
cleanup() { [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$B/lianxi" init "$work/county" >/dev/null
echo "bench: queueing $PER_UNIT filings of ~$SIZE bytes in each of 9 outboxes (signed, before the hub starts)"
for u in $UNITS; do
    "$B/lianxi-loadgen" -q --wait 0 -c "$work/county/units/$u/adapter.conf" submit "$PER_UNIT@$SIZE" \
        >/dev/null 2>&1 || true   # exits 75: nothing delivered yet, as intended
done

echo "bench: export parse rates (check: read, decode, validate, map, canonical encoding; 100,000 rows each)"
ROWS=${BENCH_ROWS:-100000}
for spec in police:csv audit:json petitions:xml; do
    u=${spec%%:*}; kind=${spec##*:}
    "$B/lianxi-genexport" "$u" "$ROWS" > "$work/export.$kind"
    t0=$(date +%s.%N)
    filed=$("$B/lianxi-adapter-$u" -c "$work/county/units/$u/adapter.conf" -q --json check \
            "$work/export.$kind" | sed -n 's/.*"filings":\([0-9]*\).*/\1/p')
    t1=$(date +%s.%N)
    awk -v u="$u" -v k="$kind" -v n="$filed" -v r="$ROWS" -v a="$t0" -v b="$t1" 'BEGIN {
        printf "parse %-9s %-4s %d of %d rows filed, %.2f s, %.0f rows/s%s\n", u, k, n, r, b - a,
               r / (b - a), k == "csv" ? " (target >= 100000)" : "" }'
    rm -f "$work/export.$kind"
done

echo "bench: briefing over ${BRIEF_FILINGS:-1000000} generated filings (ten years), the last year's annual briefing"
"$B/lianxi-briefbench" "$work/brief.db" "${BRIEF_FILINGS:-1000000}" deploy/categories.tsv

exec 3< <("$B/lianxi-hub" -c "$work/county/hub/hub.conf" 2>"$work/hub.log")
hub_pid=$!
while read -r -t 30 line <&3; do [ "$line" = ready ] && break; done

# The WAL's size while the hub takes the load (sampled), and after it.
wal="$work/county/hub/lianxi.db-wal"
( while kill -0 "$hub_pid" 2>/dev/null; do stat -c %s "$wal" 2>/dev/null || echo 0; sleep 0.1; done ) \
    > "$work/wal-sizes" &
sampler=$!
start=$(date +%s.%N)
pids=()
for u in $UNITS; do
    LIANXI_LATENCY_FILE="$work/lat-$u" "$B/lianxi-loadgen" -q --wait 600 \
        -c "$work/county/units/$u/adapter.conf" send 2>>"$work/adapters.log" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
end=$(date +%s.%N)
# The hub cuts the WAL back once it has been idle for a moment.
for _ in $(seq 100); do [ "$(stat -c %s "$wal" 2>/dev/null || echo 0)" = 0 ] && break; sleep 0.1; done
wal_idle=$(stat -c %s "$wal" 2>/dev/null || echo 0)
db_size=$(stat -c %s "$work/county/hub/lianxi.db")
kill "$sampler" 2>/dev/null || true
wal_max=$(sort -n "$work/wal-sizes" | tail -n 1)
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true; hub_pid=""

total=$((PER_UNIT * 9))
stored=$(sqlite3 "$work/county/hub/lianxi.db" "SELECT count(*) FROM filings")
cat "$work"/lat-* | sort -n > "$work/lat"
n=$(wc -l < "$work/lat")
p50=$(sed -n "$(( (n + 1) / 2 ))p" "$work/lat")
p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$work/lat")
verify=$("$B/lianxi-verify-rate" 2 "$SIZE" | sed 's/verify_rate=//')
awk -v t="$total" -v s="$stored" -v a="$start" -v b="$end" -v p50="$p50" -v p99="$p99" \
    -v v="$verify" 'BEGIN {
    rate = t / (b - a);
    printf "intake: %d filings stored of %d, %.2f s, %.0f filings/s (target >= 20000)\n", s, t, b - a, rate;
    printf "receipt latency: p50 %.1f ms, p99 %.1f ms\n", p50 / 1000, p99 / 1000;
    printf "single-core Ed25519 verify rate: %.0f /s\n", v;
    printf "intake / verify ratio: %.2f (target >= 0.8)\n", rate / v;
}'
awk -v m="$wal_max" -v i="$wal_idle" -v d="$db_size" 'BEGIN {
    printf "WAL: at most %.1f MB during intake, %.1f MB once idle; database file %.1f MB\n",
           m / 1048576, i / 1048576, d / 1048576 }'
tests/bench-attach.sh "$B"
