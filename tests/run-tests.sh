#!/bin/sh
# Runs every test binary given and ends with one line "N passed, N failed".
B=$1; shift
export LIANXI_BIN="$PWD/$B" LIANXI_SRC="$PWD"
passed=0; failed=0
for t in "$@"; do
    name=$(basename "$t")
    out=$(mktemp)
    "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
    rm -f "$out"
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "$name: exited $rc without a cmocka summary"
        f=1
    fi
    passed=$((passed + p)); failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
