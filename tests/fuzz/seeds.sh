#!/bin/sh
# seeds.sh B TARGET... — makes the seed corpus of each fuzz target in
# B/seeds/<target>/, from what the project has: the adapters' samples (cut
# to their first records: a small seed fuzzes faster), deploy/, a county
# made by `B/lianxi init` (configs and key files), messages written by
# B/fuzz-seedgen, and any hand-made seeds in tests/fuzz/seeds/<target>/.
# (The crash reproducers of tests/fuzz/regress/ are run apart by smoke.sh:
# a target still crashing on one is fuzzed all the same.)
# Writes only under B.  Run by `make fuzz`.
set -eu
B=$1; shift
S=$B/seeds
W=$B/seedwork
export LC_ALL=C ASAN_OPTIONS=detect_leaks=0
rm -rf "$S" "$W"
mkdir -p "$S" "$W"

# The first n records of a CSV export (any encoding: records are lines).
csv() { # unit target
    for f in adapters/$1/samples/*.csv; do
        head -n 12 "$f" >"$S/$2/$(basename "$f")"
    done
}
# An audit export with its first three findings, still valid JSON.
json3() { # file out
    awk '{ print } /^    },?$/ { if (++n == 3) { print "  ]"; print "}"; exit } }' "$1" |
        sed '$!N;s/^\(    }\),\n  \]$/\1\n  ]/;P;D' >"$2"
}
# A petitions export with its first three petitions, still well-formed.
xml3() { # file out
    awk '{ print } /<\/petition>/ { if (++n == 3) { print "</petitions>"; exit } }' "$1" >"$2"
}

for t in "$@"; do
    mkdir -p "$S/$t"
    if [ -d "tests/fuzz/seeds/$t" ]; then
        cp "tests/fuzz/seeds/$t"/* "$S/$t/"
    fi
    case $t in
    fuzz_csv_police) csv police "$t" ;;
    fuzz_csv_discipline) csv discipline "$t" ;;
    fuzz_encoding)
        # Texts in UTF-8: the target makes the GB18030 and BOM variants.
        head -n 12 adapters/police/samples/police-2026-11.csv >"$S/$t/police-2026-11.csv"
        cp adapters/police/samples/police-malformed.csv "$S/$t/" ;;
    fuzz_audit)
        for f in adapters/audit/samples/*.json; do
            case $f in
            *-2026-11*) json3 "$f" "$S/$t/$(basename "$f")" ;;
            *) cp "$f" "$S/$t/" ;;
            esac
        done ;;
    fuzz_petitions)
        for f in adapters/petitions/samples/*.xml; do
            case $f in
            *-2026-11*) xml3 "$f" "$S/$t/$(basename "$f")" ;;
            *) cp "$f" "$S/$t/" ;;
            esac
        done ;;
    fuzz_intake) "$B/fuzz-seedgen" intake "$S/$t" ;;
    fuzz_control) "$B/fuzz-seedgen" control "$S/$t" ;;
    fuzz_calendar)
        cp deploy/calendar/cn-holidays.tsv "$S/$t/"
        head -n 20 deploy/calendar/cn-holidays.tsv >"$S/$t/head.tsv" ;;
    fuzz_categories) cp deploy/categories.tsv "$S/$t/" ;;
    fuzz_conf|fuzz_keys)
        if [ ! -d "$W/county" ]; then
            "$B/lianxi" init "$W/county" >/dev/null
        fi
        C=$W/county
        if [ "$t" = fuzz_conf ]; then
            cp "$C/hub/hub.conf" "$S/$t/hub.conf"
            cp "$C/units/police/adapter.conf" "$S/$t/adapter.conf"
            for o in "$C"/operators/*/operator.conf; do
                cp "$o" "$S/$t/operator-$(basename "$(dirname "$o")").conf"
            done
        else
            # Two files a %% line apart (see fuzz_keys.c).
            for k in "$C"/hub/keys/*.cert; do
                n=$(basename "$k" .cert)
                u=${n#op-}
                s=$(ls "$C"/units/"$u"/"$u".sign_secret 2>/dev/null || true)
                { cat "$k"; echo "%%"; [ -n "$s" ] && cat "$s"; } >"$S/$t/$n.pub"
            done
            { cat "$C/units/police/police.cert_secret"; echo "%%";
              cat "$C/units/police/police.sign_secret"; } >"$S/$t/police.secret"
            { cat "$C/hub/keys/police.cert"; echo "%%"; cat "$C/hub/keys/court.cert"; } \
                >"$S/$t/two-units"
            { cat "$C/hub/keys/police.cert"; echo "%%"; cat "$C/hub/keys/police.cert"; } \
                >"$S/$t/same-key-twice"
            cp "$C/hub/hub.cert_secret" "$S/$t/hub.secret"
        fi ;;
    esac
    echo "  SEEDS $t: $(ls "$S/$t" | wc -l)"
done
rm -rf "$W"
