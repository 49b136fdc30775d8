#!/bin/sh
# smoke.sh B SECONDS TARGET... — runs each fuzz target SECONDS seconds on
# its seeds (B/seeds/<target>, which hold the crash reproducers of
# tests/fuzz/regress/ too), its corpus growing in B/corpus/<target>; prints
# one line per target and fails when any target crashed (the reproducer is
# then in B/crashes/<target>/, the report in B/logs/<target>.log).
B=$1; T=$2; shift 2
failed=0
for t in "$@"; do
    mkdir -p "$B/corpus/$t" "$B/crashes/$t" "$B/logs"
    log=$B/logs/$t.log
    "$B/$t" -max_total_time="$T" -print_final_stats=1 -timeout=20 \
        -artifact_prefix="$B/crashes/$t/" "$B/corpus/$t" "$B/seeds/$t" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        printf '%-22s ok     %7s exec/s  %9s runs  cov %s\n' "$t" "${rate:-?}" "${execs:-?}" \
            "${cov:-?}"
    else
        art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        what=$(grep -m1 -E '^(==[0-9]+==ERROR|SUMMARY|==== fuzz_|.*runtime error)' "$log" |
               cut -c1-100)
        printf '%-22s CRASH  %s  (%s; log %s)\n' "$t" "${what:-exit $rc}" "${art:-no reproducer}" \
            "$log"
        failed=$((failed + 1))
    fi
done
[ "$failed" -eq 0 ] || echo "fuzz-smoke: $failed target(s) crashed"
[ "$failed" -eq 0 ]
