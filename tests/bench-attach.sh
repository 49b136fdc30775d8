#!/usr/bin/env bash
# make bench, attachments: one unit (police) sends a filing with 50 MB of
# documents (20 + 20 + 10 MB, the default limits) while another (court)
# sends ordinary filings through loadgen, both queued before the hub
# starts and sent at once: the documents' MB/s, the ordinary filings/s and
# their receipt latency while the documents go, beside the same number of
# ordinary filings of a third unit (procuratorate) sent alone first.
set -euo pipefail
B=${1:-build/rel}
FILINGS=${BENCH_ATT_FILINGS:-20000}
SIZE=${BENCH_SIZE:-1500}
work=$(mktemp -d /tmp/lianxi-bench-att-XXXXXX)
hub_pid=""
cleanup() { [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$B/lianxi" init "$work/county" >/dev/null
units="$work/county/units"
mkdir -p "$work/exports"
pdf() { { printf '%%PDF-1.4'; head -c $(($2 - 8)) /dev/urandom; } > "$work/exports/$1"; }
pdf a.pdf 20000000
pdf b.pdf 20000000
pdf c.pdf 10000000
{
    echo "案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围,附件"
    echo "A4416232026119001,杨志明,44162319851208185X,县农业农村局,股长,科员,醉酒驾驶机动车,2026-10-12,已办结,醉酒驾驶机动车被查获。,党政机关,a.pdf;b.pdf;c.pdf"
} > "$work/exports/police.csv"
echo "bench: queueing 1 police filing with 50 MB of documents and $FILINGS court filings of ~$SIZE bytes"
"$B/lianxi-adapter-police" -q --wait 0 -c "$units/police/adapter.conf" submit \
    "$work/exports/police.csv" >/dev/null 2>&1 || true     # 75: queued, not yet delivered
for u in court procuratorate; do
    "$B/lianxi-loadgen" -q --wait 0 -c "$units/$u/adapter.conf" submit "$FILINGS@$SIZE" \
        >/dev/null 2>&1 || true
done

exec 3< <("$B/lianxi-hub" -c "$work/county/hub/hub.conf" 2>"$work/hub.log")
hub_pid=$!
while read -r -t 30 line <&3; do [ "$line" = ready ] && break; done

# The baseline: the procuratorate's filings alone.
b0=$(date +%s.%N)
LIANXI_LATENCY_FILE="$work/lat-alone" "$B/lianxi-loadgen" -q --wait 600 \
    -c "$units/procuratorate/adapter.conf" send 2>>"$work/adapters.log"
b1=$(date +%s.%N)
sort -n "$work/lat-alone" > "$work/lat-a"
na=$(wc -l < "$work/lat-a")
awk -v a="$b0" -v b="$b1" -v f="$FILINGS" -v p50="$(sed -n "$(( (na + 1) / 2 ))p" "$work/lat-a")" \
    -v p99="$(sed -n "$(( (na * 99 + 99) / 100 ))p" "$work/lat-a")" 'BEGIN {
    printf "alone: %d procuratorate filings in %.2f s, %.0f filings/s; receipt latency p50 %.1f ms, p99 %.1f ms\n",
           f, b - a, f / (b - a), p50 / 1000, p99 / 1000 }'

t0=$(date +%s.%N)
( "$B/lianxi-adapter-police" -q --wait 600 -c "$units/police/adapter.conf" send \
      2>>"$work/adapters.log"; date +%s.%N > "$work/police.end" ) &
ppid_=$!
( LIANXI_LATENCY_FILE="$work/lat-court" "$B/lianxi-loadgen" -q --wait 600 \
      -c "$units/court/adapter.conf" send 2>>"$work/adapters.log"; date +%s.%N > "$work/court.end" ) &
cpid=$!
wait "$ppid_" "$cpid"
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true; hub_pid=""

db="$work/county/hub/lianxi.db"
police=$(sqlite3 "$db" "SELECT count(*) FROM filings WHERE unit = 'police'")
docs=$(sqlite3 "$db" "SELECT count(*) FROM attachments")
court=$(sqlite3 "$db" "SELECT count(*) FROM filings WHERE unit = 'court'")
sort -n "$work/lat-court" > "$work/lat"
n=$(wc -l < "$work/lat")
p50=$(sed -n "$(( (n + 1) / 2 ))p" "$work/lat")
p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$work/lat")
awk -v a="$t0" -v pe="$(cat "$work/police.end")" -v ce="$(cat "$work/court.end")" \
    -v p="$police" -v d="$docs" -v c="$court" -v f="$FILINGS" -v p50="$p50" -v p99="$p99" 'BEGIN {
    printf "attachments: %d filing with %d documents (50 MB) stored in %.2f s, %.1f MB/s\n",
           p, d, pe - a, 50 / (pe - a);
    printf "meanwhile: %d of %d court filings stored in %.2f s, %.0f filings/s; receipt latency p50 %.1f ms, p99 %.1f ms\n",
           c, f, ce - a, c / (ce - a), p50 / 1000, p99 / 1000;
}'
