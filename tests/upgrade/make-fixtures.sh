#!/usr/bin/env bash
# make-fixtures.sh — makes tests/upgrade/hub-schema-N.sql and
# outbox-schema-N.sql again from git history: for each earlier schema
# version, the last commit of main at which it was the current one is
# checked out in a temporary worktree, its hub, CLI and one or two adapters
# are built, a small county is provisioned with that era's `lianxi init`,
# the hub runs, the police (and, from schema 2, the discipline commission)
# file their sample exports and a small export of today, and where the era
# had them an operator accepts a filing, asks a supplement the police
# answer, verifies the audit trail and the convener schedules a meeting and
# compiles its briefing.  The hub is stopped with SIGTERM and the database
# is kept as a text dump (sqlite3 .dump).  The tests (test_upgrade) only
# read the dumps; they never run this.
#
#   tests/upgrade/make-fixtures.sh [N ...]     (default: every era below)
#
# FIXTURE_OUT=DIR writes the dumps there instead; FIXTURE_WT=PREFIX names the
# worktrees PREFIX-N (default /tmp/lx-fixture-wt-N; an existing one and its
# build are reused); KEEP_COUNTY=1 keeps /tmp/lx-fixture-county-N.
#
# Takes a few minutes per era (build included); needs the build deps of
# each era (deploy/install-deps.sh) and sqlite3.
set -euo pipefail

ROOT=$(git rev-parse --show-toplevel)
OUT=${FIXTURE_OUT:-$ROOT/tests/upgrade}
JOBS=${JOBS:-2}

# hub schema : commit (the last commit of main with that STORE_SCHEMA_VERSION)
# : outbox schema that commit's police adapter writes (kept when listed in
# OUTBOX_FROM below).  Schema 6 never shipped: 2eaab4d took 5 to 7 at once.
ERAS=(
    "1:d26fede"   # 2026-11-22 filings, receipt counters, rejections; outbox 1
    "2:c89bbcb"   # obligations, hub messages (deadline rule); outbox 2
    "3:033f03e"   # reviews, audit trail and checkpoints (operators); outbox 3
    "4:8eaa695"   # meetings and briefings
    "5:c2f7655"   # real name in the filing (protocol 2); e2a7637, the last with schema 5,
                  # does not build by itself (judge_time arrives in 2eaab4d)
    "7:96f5573"   # matters (one counting model), schema 6 inside the same commit
    "8:83d3c50"   # meetings' marks (secrecy, urgency)
    "9:d92847f"   # joint reviews; outbox 4 (the last commit before outbox 5)
    "10:8eda6a0"  # archives; outbox 5 (signed receipts: the last commit before attachments)
)
# Which era's police outbox is kept as outbox-schema-M.sql (M: era's outbox
# version).  Outbox 3 is the schema from dbb3167 to edb1f93; era 5's is one
# such outbox.
OUTBOX_FROM=" 1:1 2:2 5:3 9:4 10:5 "
# Only earlier schemas are kept: the current ones are what the tests
# migrate to.
CURRENT_HUB=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$ROOT/src/hub/store.h")

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(1 2 3 4 5 7 8 9 10)

one_era() {
    local n=$1 c=$2 W=${FIXTURE_WT:-/tmp/lx-fixture-wt}-$1 D=/tmp/lx-fixture-county-$1 B=build/rel
    local hub_pid=""
    echo "== hub schema $n from $c"
    rm -rf "$D"
    [ -d "$W" ] || git -C "$ROOT" worktree add --detach "$W" "$c" >/dev/null
    local ads="$B/lianxi-adapter-police"
    [ "$n" -ge 2 ] && ads="$ads $B/lianxi-adapter-discipline"
    (cd "$W" && make -j"$JOBS" $B/lianxi-hub $B/lianxi $ads) > "/tmp/lx-fixture-build-$n.log" 2>&1 ||
        { echo "build failed: /tmp/lx-fixture-build-$n.log" >&2; return 1; }
    cd "$W"
    "$B/lianxi" init "$D" > /dev/null
    coproc HUB { exec "$B/lianxi-hub" -c "$D/hub/hub.conf" 2> "$D/hub.log"; }
    hub_pid=$HUB_PID
    local line ready=""
    while read -r -t 30 line <&"${HUB[0]}"; do
        [ "$line" = ready ] && { ready=1; break; }
    done
    [ -n "$ready" ] || { echo "hub did not start: $D/hub.log" >&2; kill "$hub_pid"; return 1; }

    local PA="$D/units/police/adapter.conf" DA="$D/units/discipline/adapter.conf"
    "$B/lianxi-adapter-police" -c "$PA" -q --wait 60 submit adapters/police/samples/police-2026-11.csv || true
    local today yesterday
    today=$(date +%F) yesterday=$(date -d yesterday +%F)
    mkdir -p "$D/exports"
    cat > "$D/exports/police-today.csv" <<CSV
案件编号,姓名,公民身份号码,工作单位,职务,职级,案件类别,知悉日期,办理状态,简要案情,知悉范围
A4416232026119001,黄海燕,441623198703150029,上坪镇人民政府,副镇长,副科级,行政拘留,$yesterday,已受理,,党政机关
A4416232026119002,刘国强,441623197911200030,县自然资源局,股长,科员,饮酒后驾驶机动车,$today,已办结,饮酒后驾驶机动车被查获，处暂扣驾驶证六个月并罚款。,党政机关
CSV
    "$B/lianxi-adapter-police" -c "$PA" -q --wait 60 submit "$D/exports/police-today.csv" || true
    if [ -x "$B/lianxi-adapter-discipline" ]; then
        local s
        s=$(ls adapters/discipline/samples/discipline-2026-11.* | grep -v -e gb18030 -e bom | head -n 1)
        head -n 21 "$s" > "$D/exports/discipline-2026-11.csv"    # the header and 20 rows
        "$B/lianxi-adapter-discipline" -c "$DA" -q --wait 60 submit "$D/exports/discipline-2026-11.csv" || true
    fi
    local SUP="$D/operators/supervisor/operator.conf" AUD="$D/operators/auditor/operator.conf"
    local CON="$D/operators/convener/operator.conf"
    if [ -f "$SUP" ]; then
        local first second ob
        first=$(sqlite3 -readonly "$D/hub/lianxi.db" \
                "SELECT receipt_no FROM filings WHERE unit = 'discipline' ORDER BY id LIMIT 1")
        "$B/lianxi" -c "$SUP" review "$first" accept || true
        second=$(sqlite3 -readonly "$D/hub/lianxi.db" \
                 "SELECT receipt_no FROM filings WHERE unit = 'police' AND stage = 2 ORDER BY id LIMIT 1")
        ob=$("$B/lianxi" -c "$SUP" review "$second" supplement --text "请补充处理决定书。" --due 3 |
             grep -o 'OB-[0-9]*') || true
        "$B/lianxi-adapter-police" -c "$PA" -q --wait 30 send || true
        [ -z "$ob" ] || "$B/lianxi-adapter-police" -c "$PA" -q --wait 60 \
            answer "$ob" "已补充处理决定书：罚款二千元，暂扣机动车驾驶证六个月。" || true
        "$B/lianxi" -c "$AUD" audit checkpoint > /dev/null 2>&1 || true
        "$B/lianxi" -c "$AUD" audit verify || true
    fi
    if [ -f "$CON" ] && "$B/lianxi" -c "$CON" meeting list > /dev/null 2>&1; then
        local year
        year=$(date +%Y)
        "$B/lianxi" -c "$CON" meeting create --date "$year-12-18" --kind annual \
            --period "$year-01-01..$year-12-31" || true
        "$B/lianxi" -c "$CON" brief 1 --audience full --format md -o "$D/briefing.md" > /dev/null || true
    fi
    kill -TERM "$hub_pid"
    wait "$hub_pid" || true
    grep -q stopped "$D/hub.log" || { echo "hub did not stop cleanly: $D/hub.log" >&2; return 1; }

    local db
    db=$(find "$D/hub" -name '*.db' | head -n 1)
    [ "$n" -lt "$CURRENT_HUB" ] && {
        echo "-- hub schema $n: made by tests/upgrade/make-fixtures.sh at commit $c"
        echo "-- ($(git log -1 --format='%h %ad' --date=short "$c")); county of lianxi init, police sample export"
        # The hub's public signing key, for audit verify of the checkpoints.
        echo "-- hub $(grep -o 'sign-public-key = "[0-9a-f]*"' "$D/hub/hub.cert" | tr -d '"' | tr -d ' ' | tr = ' ')"
        sqlite3 "$db" .dump
        echo "PRAGMA user_version = $(sqlite3 "$db" 'PRAGMA user_version');"   # .dump leaves it out
    } > "$OUT/hub-schema-$n.sql"
    [ "$n" -lt "$CURRENT_HUB" ] && echo "   $(sqlite3 "$db" 'PRAGMA user_version') / $(sqlite3 "$db" 'SELECT count(*) FROM filings') filings -> hub-schema-$n.sql"
    local m
    for m in $OUTBOX_FROM; do
        [ "${m%%:*}" = "$n" ] || continue
        local ob_db v=${m#*:}
        ob_db=$(find "$D/units/police" -name '*.db' | head -n 1)
        [ "$(sqlite3 "$ob_db" 'PRAGMA user_version')" = "$v" ] ||
            { echo "police outbox of era $n is not schema $v" >&2; return 1; }
        {
            echo "-- outbox schema $v: the police adapter's outbox, made by tests/upgrade/make-fixtures.sh"
            echo "-- at commit $c ($(git log -1 --format='%h %ad' --date=short "$c"))"
            sqlite3 "$ob_db" .dump
            echo "PRAGMA user_version = $v;"
        } > "$OUT/outbox-schema-$v.sql"
        echo "   outbox $v -> outbox-schema-$v.sql"
    done
    cd "$ROOT"
    git worktree remove --force "$W"
    [ -n "${KEEP_COUNTY:-}" ] || rm -rf "$D"
}

for e in "${ERAS[@]}"; do
    n=${e%%:*}
    for w in "${want[@]}"; do
        [ "$w" = "$n" ] && one_era "$n" "${e#*:}"
    done
done
