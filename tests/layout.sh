#!/bin/sh
# The architecture, checked: one owner per table of the hub's database, no
# statement prepared outside the store, the operators' command and the
# console linking none of the hub, no include cycles, and a second make that
# does nothing.
# Prints a cmocka-like summary so that tests/run-tests.sh counts it.
cd "${LIANXI_SRC:-.}" || exit 1
B=${LIANXI_BIN:-build/rel}
passed=0; failed=0
ok() { echo "[       OK ] $1"; passed=$((passed + 1)); }
bad() { echo "[  FAILED  ] $1: $2"; failed=$((failed + 1)); }

# 1. Only the store prepares statements on the hub's database.
out=$(grep -n 'sqlite3_prepare' src/hub/*.c src/cli/*.c | grep -v '^src/hub/store.c:')
[ -z "$out" ] && ok "only_the_store_prepares_statements" ||
    bad "only_the_store_prepares_statements" "$out"

# 2. Each table is written by its owner only.
owners="filings:store matters:store receipt_counters:store rejections:store hub_runs:store store_meta:store
obligations:oblig hub_messages:oblig reviews:review meetings:meeting
audit_log:audit audit_checkpoints:audit joint_reviews:jointreview
joint_review_candidates:jointreview joint_review_units:jointreview opinions:jointreview
opinion_answers:jointreview archives:archive"
msg=""
for pair in $owners; do
    table=${pair%%:*}; owner=${pair##*:}
    hits=$(grep -lE "(INSERT INTO|UPDATE|DELETE FROM) $table\b" src/hub/*.c src/cli/*.c src/lib/*.c |
           grep -v "^src/hub/$owner.c$")
    [ -n "$hits" ] && msg="$msg $table written in $hits;"
done
[ -z "$msg" ] && ok "each_table_is_written_by_its_owner" || bad "each_table_is_written_by_its_owner" "$msg"

# 3. The operators' command links nothing of the hub.
syms=$(nm "$B/lianxi" 2>/dev/null | grep -E ' T (store|audit|oblig|control|intake|deliver|jobs|query|review|meeting|board|brief)_')
if [ ! -x "$B/lianxi" ]; then bad "cli_links_no_hub_code" "$B/lianxi missing"
elif [ -z "$syms" ]; then ok "cli_links_no_hub_code"
else bad "cli_links_no_hub_code" "$syms"; fi

# 3b. Nor does the console (lianxi-console): a gateway holding none of the
#     hub's code, secrets or database.
syms=$(nm "$B/lianxi-console" 2>/dev/null | grep -E ' T (store|audit|oblig|control|intake|deliver|jobs|query|review|meeting|board|brief|zap|matters|refusals|vpool)_|sqlite3_open')
if [ ! -x "$B/lianxi-console" ]; then bad "console_links_no_hub_code" "$B/lianxi-console missing"
elif [ -z "$syms" ]; then ok "console_links_no_hub_code"
else bad "console_links_no_hub_code" "$syms"; fi

# 4. No include cycles among the project's own headers.
pairs=$(for f in src/*/*.[ch] adapters/*/*.[ch]; do
    base=$(basename "$f" | sed 's/\.[ch]$//')
    sed -n 's/^#include "\([a-z_0-9]*\)\.h".*/\1/p' "$f" | while read -r h; do
        [ "$h" != "$base" ] && [ "$h" != lianxi.pb-c ] && echo "$base $h"
    done
done)
loops=$(echo "$pairs" | tsort 2>&1 >/dev/null)
[ -z "$loops" ] && ok "no_include_cycles" || bad "no_include_cycles" "$loops"

# 5. A second make does nothing.
san=""; case "$B" in *san*) san="SANITIZE=1" ;; esac
if make -q $san all >/dev/null 2>&1; then ok "a_second_make_does_nothing"
else bad "a_second_make_does_nothing" "make -q $san all says something is out of date"; fi

echo "[==========] $((passed + failed)) test(s) run."
echo "[  PASSED  ] $passed test(s)."
[ "$failed" -gt 0 ] && echo "[  FAILED  ] $failed test(s), listed above."
[ "$failed" -eq 0 ]
