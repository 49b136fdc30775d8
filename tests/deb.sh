#!/bin/sh
# The Debian packages, installed and used: builds them (make deb) unless
# build/deb/ holds packages newer than the sources, runs lintian on them
# (no E: line), installs them on this machine with dpkg -i, then with the
# installed programs only (/usr/bin): `lianxi init` as root in a directory
# the lianxi user owns, the hub started as lianxi on loopback, the police
# adapter (as lianxi) filing its sample export and getting its receipts, the
# hub's count of filings through the operators' command, a clean stop; at
# the end the packages are purged and what was started is stopped.
# Prints cmocka's summary lines for run-tests.sh.
#
#   sudo make test-deb      (or: LIANXI_SRC=$PWD sh tests/deb.sh)
#
# Needs root, dpkg-buildpackage, debhelper and lintian (deploy/install-deps.sh
# --deb).  Without them it says why it skipped and passes nothing, unless CI
# is set: then that is a failure.  It refuses to run where lianxi packages are
# installed already (it would purge them).

here=$(cd "$(dirname "$0")" && pwd)
LIANXI_SRC=${LIANXI_SRC:-$(cd "$here/.." && pwd)}
cd "$LIANXI_SRC" || exit 1
DEBS=${LIANXI_DEB_DIR:-$LIANXI_SRC/build/deb}
PKGS="lianxi-common lianxi-hub lianxi-adapter lianxi-console lianxi-tools"
passed=0; failed=0
ok() { echo "[       OK ] $1"; passed=$((passed + 1)); }
bad() { echo "[  FAILED  ] $1: $2"; failed=$((failed + 1)); }
finish() {
    echo "[==========] $((passed + failed)) test(s) run."
    echo "[  PASSED  ] $passed test(s)."
    [ "$failed" -gt 0 ] && echo "[  FAILED  ] $failed test(s), listed above."
    [ "$failed" -eq 0 ]
    exit
}
skip() {
    if [ -n "${CI:-}" ]; then
        echo "package tests cannot run: $1"
        echo "[  FAILED  ] 1 test(s)."
        exit 1
    fi
    echo "package tests skipped: $1"
    echo "[  PASSED  ] 0 test(s)."
    exit 0
}

[ "$(id -u)" = 0 ] || skip "not root (dpkg -i needs root: sudo make test-deb)"
for c in dpkg-buildpackage dh lintian dpkg setpriv; do
    command -v "$c" >/dev/null 2>&1 || skip "$c is missing (deploy/install-deps.sh --deb)"
done
for p in $PKGS; do
    if dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'installed$'; then
        skip "$p is installed on this machine already: this test would purge it"
    fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/lianxi-deb.XXXXXX") || exit 1
chmod 755 "$work"            # the lianxi user reaches the county in it
hub_pid=
installed=
had_varlib=; [ -d /var/lib/lianxi ] && had_varlib=1
cleanup() {
    if [ -n "$hub_pid" ]; then
        kill "$hub_pid" 2>/dev/null
        wait "$hub_pid" 2>/dev/null
    fi
    if [ -n "$installed" ]; then
        # shellcheck disable=SC2086
        dpkg --purge $PKGS >"$work/purge.log" 2>&1
    fi
    # What the hub's postinst made for this test (nothing is in it).
    [ -z "$had_varlib" ] && rmdir /var/lib/lianxi 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs "$@" as the lianxi user (the services' User=), in its own groups.
as_lianxi() { setpriv --reuid=lianxi --regid=lianxi --init-groups -- "$@"; }

# Waits until the command "$@" succeeds, up to $secs seconds (wake every 0.1 s).
secs=30
wait_until() {
    n=$((secs * 10))
    while [ "$n" -gt 0 ]; do
        "$@" && return 0
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}

# 1. The packages: built unless every one is there and newer than the tree.
have_all() {
    for p in $PKGS; do
        ls "$DEBS/${p}_"*.deb >/dev/null 2>&1 || return 1
    done
}
stale=""
if have_all; then
    oldest=$(ls -tr "$DEBS"/*.deb | head -n 1)
    stale=$(find Makefile debian deploy src adapters po proto -type f -newer "$oldest" 2>/dev/null | head -n 1)
fi
if ! have_all || [ -n "$stale" ]; then
    echo "building the packages (make deb)${stale:+: $stale is newer than $oldest}"
    if make deb >"$work/deb.log" 2>&1 && have_all; then
        ok "packages_build"
    else
        bad "packages_build" "make deb failed: $(tail -n 15 "$work/deb.log")"
        finish
    fi
else
    ok "packages_build"
    echo "(the packages in $DEBS are newer than the tree: not built again)"
fi
debs=""
for p in $PKGS; do debs="$debs $(ls -t "$DEBS/${p}_"*.deb | head -n 1)"; done

# 2. lintian: warnings are allowed, errors are not.
# shellcheck disable=SC2086
lintian --allow-root $debs >"$work/lintian.log" 2>&1
errs=$(grep '^E:' "$work/lintian.log")
if [ -z "$errs" ] && ! grep -q '^[a-z].*: \(fatal\|error\)' "$work/lintian.log"; then
    ok "lintian_reports_no_errors"
    grep -c '^W:' "$work/lintian.log" | sed 's/^/lintian warnings: /'
else
    bad "lintian_reports_no_errors" "$errs $(grep -i 'fatal\|error' "$work/lintian.log" | head -n 5)"
fi

# 3. dpkg -i (apt-get -f install brings what this machine lacks).
installed=1
# shellcheck disable=SC2086
if dpkg -i $debs >"$work/dpkg.log" 2>&1 ||
   DEBIAN_FRONTEND=noninteractive apt-get -f install -y -q --no-install-recommends \
       >>"$work/dpkg.log" 2>&1; then
    ok "packages_install"
else
    bad "packages_install" "$(tail -n 15 "$work/dpkg.log")"
    finish
fi

# 4. What they installed: programs, units naming them, data, users, examples.
msg=""
for f in /usr/bin/lianxi /usr/bin/lianxi-hub /usr/bin/lianxi-console \
         /usr/bin/lianxi-adapter-police /usr/bin/lianxi-adapter-petitions \
         /usr/share/lianxi/categories.tsv /usr/share/lianxi/calendar/cn-holidays.tsv \
         /usr/share/locale/zh_CN/LC_MESSAGES/lianxi.mo \
         /usr/share/doc/lianxi-hub/examples/hub.conf.example \
         /usr/share/doc/lianxi-adapter/examples/adapter.conf.example \
         /usr/share/doc/lianxi-console/examples/console.conf; do
    [ -e "$f" ] || msg="$msg $f is missing;"
done
for u in lianxi-hub.service lianxi-adapter@.service lianxi-console.service; do
    f=/lib/systemd/system/$u
    if [ ! -f "$f" ]; then msg="$msg $f is missing;"; continue; fi
    grep -q '^ExecStart=/usr/bin/lianxi-' "$f" || msg="$msg $f: ExecStart is not /usr/bin: $(grep ExecStart "$f");"
done
grep -q /usr/local/ /usr/share/doc/lianxi-console/examples/console.conf 2>/dev/null &&
    msg="$msg the console's example names /usr/local;"
for u in lianxi lianxi-console; do
    getent passwd "$u" >/dev/null || msg="$msg no user $u;"
done
[ "$(stat -c %U /var/lib/lianxi 2>/dev/null)" = lianxi ] || msg="$msg /var/lib/lianxi is not lianxi's;"
# Installed, neither enabled nor started (a hub needs setting up first).
ls /etc/systemd/system/multi-user.target.wants/lianxi-* >/dev/null 2>&1 &&
    msg="$msg a lianxi service was enabled at install;"
[ -z "$msg" ] && ok "installed_files_users_and_units" || bad "installed_files_users_and_units" "$msg"

if command -v systemd-analyze >/dev/null 2>&1; then
    v=$(systemd-analyze verify --man=no /lib/systemd/system/lianxi-hub.service \
        /lib/systemd/system/lianxi-console.service 2>&1)
    cp /lib/systemd/system/lianxi-adapter@.service "$work/lianxi-adapter@police.service"
    v="$v$(systemd-analyze verify --man=no "$work/lianxi-adapter@police.service" 2>&1)"
    [ -z "$v" ] && ok "installed_units_verify" || bad "installed_units_verify" "$v"
fi

# 5. A county made by root in a directory lianxi owns is lianxi's.
county=$work/county
install -d -o lianxi -g lianxi -m 0755 "$county"
if ! (unset LIANXI_DATA; /usr/bin/lianxi init "$county" >"$work/init.log" 2>&1); then
    bad "init_as_root_makes_the_county_lianxis" "lianxi init failed: $(tail -n 5 "$work/init.log")"
    finish
fi
notmine=$(find "$county" ! -user lianxi | head -n 5)
[ -z "$notmine" ] && ok "init_as_root_makes_the_county_lianxis" ||
    bad "init_as_root_makes_the_county_lianxis" "not lianxi's: $notmine"

# 6. The hub, as lianxi, on loopback (init's wildcard ports).
# setpriv execs the hub: $! is the hub's pid (a shell function here would
# put a subshell between them).
setpriv --reuid=lianxi --regid=lianxi --init-groups -- \
    /usr/bin/lianxi-hub -c "$county/hub/hub.conf" >"$work/hub.out" 2>"$work/hub.log" &
hub_pid=$!
ready() { grep -qx ready "$work/hub.out" || ! kill -0 "$hub_pid" 2>/dev/null; }
wait_until ready
if grep -qx ready "$work/hub.out" && kill -0 "$hub_pid" 2>/dev/null; then
    ok "hub_runs_as_lianxi"
else
    bad "hub_runs_as_lianxi" "no ready line in 30 s: $(tail -n 5 "$work/hub.log")"
    finish
fi

# 7. The police adapter (as lianxi) files its sample export: every filing
#    answered (exit 0) and a receipt in its status.
cp adapters/police/samples/police-2026-11.csv "$work/" && chmod 644 "$work/police-2026-11.csv"
adir=$county/units/police
if (cd "$adir" && as_lianxi timeout 180 /usr/bin/lianxi-adapter-police -c "$adir/adapter.conf" \
        submit --wait 120 "$work/police-2026-11.csv") >"$work/submit.log" 2>&1; then
    ok "adapter_files_the_sample"
else
    bad "adapter_files_the_sample" "exit $?: $(tail -n 8 "$work/submit.log")"
fi
as_lianxi /usr/bin/lianxi-adapter-police -c "$adir/adapter.conf" status --json \
    >"$work/status.json" 2>"$work/status.err"
if grep -q '"last_receipt":[[:space:]]*"[^"]' "$work/status.json"; then
    ok "adapter_holds_a_receipt"
else
    bad "adapter_holds_a_receipt" "$(head -c 400 "$work/status.json") $(tail -n 3 "$work/status.err")"
fi

# 8. The hub holds what the sample's EXPECTED says was filed.
want=$(sed -n 's/^filed=//p' adapters/police/samples/EXPECTED)
/usr/bin/lianxi -c "$county/operators/supervisor/operator.conf" filings --json \
    >"$work/filings.json" 2>"$work/filings.err"
count=$(sed -n 's/.*"count"[^0-9]*\([0-9]*\).*/\1/p' "$work/filings.json" | head -n 1)
[ -n "$want" ] && [ "$count" = "$want" ] && ok "hub_holds_the_filings" ||
    bad "hub_holds_the_filings" "count ${count:-none}, expected $want: $(tail -n 3 "$work/filings.err")"

# 9. SIGTERM: a clean stop (exit 0) within 30 s.
kill "$hub_pid"
gone() { ! kill -0 "$hub_pid" 2>/dev/null; }
if wait_until gone; then
    wait "$hub_pid"; rc=$?; hub_pid=
    [ "$rc" -eq 0 ] && ok "hub_stops_cleanly" || bad "hub_stops_cleanly" "exit $rc"
else
    bad "hub_stops_cleanly" "still running 30 s after SIGTERM"
fi

# 10. Purged: nothing of the packages left installed.
# shellcheck disable=SC2086
dpkg --purge $PKGS >"$work/purge.log" 2>&1
installed=
left=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'installed$' && left="$left $p"
done
[ -z "$left" ] && [ ! -e /usr/bin/lianxi-hub ] && ok "packages_purge" ||
    bad "packages_purge" "still installed:$left $(tail -n 5 "$work/purge.log")"

finish
