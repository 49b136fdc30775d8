#!/bin/sh
# The message catalogue: every string marked for translation in the sources
# has a zh_CN translation that is neither missing nor fuzzy, and every
# translation keeps its message's printf directives (msgfmt --check).
# Prints a cmocka-like summary so that tests/run-tests.sh counts it.
cd "${LIANXI_SRC:-.}" || exit 1
passed=0; failed=0
ok() { echo "[       OK ] $1"; passed=$((passed + 1)); }
bad() { echo "[  FAILED  ] $1: $2"; failed=$((failed + 1)); }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

srcs=$(ls src/*/*.c adapters/core/*.c adapters/*/main.c | sort)
if ! xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
        -o "$tmp/lianxi.pot" $srcs 2>"$tmp/err"; then
    bad "messages_can_be_extracted" "$(cat "$tmp/err")"
else
    ok "messages_can_be_extracted"
fi
for po in po/*.po; do
    lang=$(basename "$po" .po)
    msgmerge --quiet -o "$tmp/$lang.po" "$po" "$tmp/lianxi.pot" 2>"$tmp/err" ||
        { bad "catalogue_${lang}_merges" "$(cat "$tmp/err")"; continue; }
    stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
    rc=$?
    if [ $rc -ne 0 ]; then
        bad "catalogue_${lang}_is_well_formed" "$stats"
        continue
    fi
    ok "catalogue_${lang}_is_well_formed"
    case "$stats" in
    *untranslated*|*fuzzy*)
        missing=$(msgattrib --untranslated --only-fuzzy --no-wrap "$tmp/$lang.po" 2>/dev/null;
                  msgattrib --untranslated --no-wrap "$tmp/$lang.po" | grep '^msgid' | head -20)
        bad "catalogue_${lang}_is_complete" "$stats
$missing" ;;
    *) ok "catalogue_${lang}_is_complete" ;;
    esac
done
echo "[==========] $((passed + failed)) test(s) run."
[ $failed -eq 0 ] && echo "[  PASSED  ] $passed test(s)." ||
    { echo "[  PASSED  ] $passed test(s)."; echo "[  FAILED  ] $failed test(s), listed above."; }
[ $failed -eq 0 ]
