#!/bin/sh
# make demo in Chinese: runs deploy/demo.sh (LANG=zh_CN.UTF-8, the configs
# say language = zh) in a temp directory and checks that every line it shows
# people is Chinese: no English words left once commands, paths, codes and
# identifiers are set aside.  Lines that are not for people are skipped: the
# programs' log lines (timestamped), commands echoed ("$ …") and the audit
# trail's rows (what was recorded, as recorded).
# Prints a cmocka-like summary so that tests/run-tests.sh counts it.
cd "${LIANXI_SRC:-.}" || exit 1
B=${LIANXI_BIN:-build/rel}
passed=0; failed=0
ok() { echo "[       OK ] $1"; passed=$((passed + 1)); }
bad() { echo "[  FAILED  ] $1: $2"; failed=$((failed + 1)); }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if LIANXI_DEMO_DIR="$tmp/county" deploy/demo.sh "$B" >"$tmp/out" 2>&1; then
    ok "demo_runs"
else
    bad "demo_runs" "$(tail -n 20 "$tmp/out")"
fi

# Words a Chinese reader meets as they are: commands, options, formats, the
# operators' account names, and a unit's code beside its name.
allow=" supervisor convener auditor discipline organization politics_law police
procuratorate family_planning petitions lianxi init adapter conf submit send reply status json limit kind annual meeting
create html leadership full unit court overdue filings show review accept
supplement text due dossier audit verify checkpoint brief format period date audience
FORMAT UTF WPS Word GB OB md en SIGTERM lianxi-hub rev watch CSV JSON XML
backup timer WAL KiB MiB GiB TiB zip attachment PDF BLAKE2b attend attendance copies recall circular sent "
english=$(python3 - "$tmp/out" "$allow" <<'PY'
import re, sys
allow = set(sys.argv[2].split())
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.rstrip("\n")
    if (re.match(r"\s*\d{4}-\d\d-\d\dT\d\d:", line) or line.startswith("$ ")
            or re.match(r"\d+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+(op|unit|hub)", line)):
        continue
    # Paths, codes (police.drunk_driving, police:A…), options, numbers.
    tokens = [t for t in re.split(r"[\s，。：；（）、]+", line)
              if t and not re.search(r"[/:.=_<>*@-]", t)]
    words = [w for t in tokens for w in re.findall(r"[A-Za-z]{3,}", t)
             if w not in allow and not re.fullmatch(r"[0-9a-f]+", w)]
    if words:
        print("%s  <- %s" % (line[:160], " ".join(words)))
PY
)
if [ -z "$english" ]; then
    ok "demo_speaks_chinese"
else
    bad "demo_speaks_chinese" "lines with English words:
$english"
fi

echo "[==========] $((passed + failed)) test(s) run."
echo "[  PASSED  ] $passed test(s)."
[ "$failed" -gt 0 ] && echo "[  FAILED  ] $failed test(s), listed above."
[ "$failed" -eq 0 ]
