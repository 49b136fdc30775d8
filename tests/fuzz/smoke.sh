#!/bin/sh
# smoke.sh B SECONDS TARGET... — for each fuzz target: runs the crash
# reproducers kept in tests/fuzz/regress/<target>/ once each, then fuzzes
# SECONDS seconds from its seeds (B/seeds/<target>), its corpus growing in
# B/corpus/<target>.  Prints one line per target (exec/s, runs, coverage;
# what crashed and where its input is) and fails when any target crashed
# or any kept reproducer still does.  A new crash's input is in
# B/crashes/<target>/, the reports in B/logs/<target>*.log.
B=$1; T=$2; shift 2
failed=0
for t in "$@"; do
    mkdir -p "$B/corpus/$t" "$B/crashes/$t" "$B/logs"
    log=$B/logs/$t.log
    kept=""
    : >"$B/logs/$t.regress.log"
    for r in tests/fuzz/regress/"$t"/*; do
        [ -f "$r" ] || continue
        "$B/$t" "$r" >>"$B/logs/$t.regress.log" 2>&1 || kept="$kept $(basename "$r")"
    done
    "$B/$t" -max_total_time="$T" -print_final_stats=1 -timeout=20 \
        -artifact_prefix="$B/crashes/$t/" "$B/corpus/$t" "$B/seeds/$t" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
    status=ok
    [ "$rc" -eq 0 ] && [ -z "$kept" ] || { status=FAIL; failed=$((failed + 1)); }
    line=$(printf '%-20s %-4s %6s exec/s %8s runs  cov %-4s' "$t" "$status" "${rate:-?}" \
           "${execs:-?}" "${cov:-?}")
    if [ "$rc" -ne 0 ]; then
        art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        what=$(grep -a -m1 -E '^(==[0-9]+==ERROR|==== fuzz_|fuzz[ _][a-z_]*:|.*runtime error|SUMMARY)' \
               "$log" | cut -c1-90)
        line="$line  crashed: ${what:-exit $rc} (input ${art:-not written}; $log)"
    fi
    [ -n "$kept" ] && line="$line  still crashing: tests/fuzz/regress/$t/{$(echo $kept | tr ' ' ',')}"
    echo "$line"
done
[ "$failed" -eq 0 ] || echo "fuzz-smoke: $failed target(s) failed"
[ "$failed" -eq 0 ]
