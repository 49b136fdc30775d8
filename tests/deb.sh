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
    stale=$(find Makefile debian deploy/systemd deploy/calendar deploy/categories.tsv deploy/*.example \
            deploy/console.conf src adapters po proto -type f -newer "$oldest" 2>/dev/null | head -n 1)
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

# 10. The installed units under systemd itself (systemd is not PID 1 here):
#     a container booted by systemd-nspawn from this machine's /usr and /etc
#     starts the hardened hub, the police adapter's watch (an export dropped
#     in drop/ gets its receipts), the console (a page for the supervisor's
#     browser certificate; a PDF briefing for the convener's, printed by
#     Chromium, when it is installed), and a second hub on the first one's port, which
#     exits 75 and is restarted.  Skipped (said, not counted) without
#     systemd-nspawn (package systemd-container).
if command -v systemd-nspawn >/dev/null 2>&1 && [ -x /lib/systemd/systemd ]; then
    ns=$work/ns; root=$work/nsroot
    mkdir -p "$ns" "$root/usr/lib" "$root/etc" "$root/var" "$root/tmp" "$root/dev" \
        "$root/proc" "$root/sys" "$root/run" "$root/root"
    for l in bin lib lib64 sbin; do [ -L "/$l" ] && ln -s "usr/$l" "$root/$l"; done
    cp /usr/lib/os-release "$root/usr/lib/"   # what nspawn looks for (hidden by /usr)
    cp adapters/police/samples/police-2026-11.csv "$ns/"
    cat >"$ns/verify.target" <<'UNIT'
[Unit]
Description=the lianxi services under systemd
Requires=lianxi-verify.service basic.target
After=lianxi-verify.service
UNIT
    cat >"$ns/verify.service" <<'UNIT'
[Unit]
Description=start the lianxi services and check them
After=basic.target
[Service]
Type=oneshot
ExecStart=/bin/sh /tmp/ns/check.sh
ExecStopPost=/bin/systemctl poweroff --no-block
UNIT
    cat >"$ns/check.sh" <<'CHECK'
exec >/tmp/ns/result.txt 2>/tmp/ns/check.err
ok() { echo "OK $1"; }
bad() { echo "FAILED $1: $2"; }
# Waits up to $1 seconds for "$@" to succeed.
secs() { n=$(($1 * 10)); shift; while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done; return 1; }
install -d -o lianxi -g lianxi -m 0755 /var/lib/lianxi
lianxi init /var/lib/lianxi >/dev/null
systemctl start lianxi-hub
if secs 30 test -s /var/lib/lianxi/hub/run/control.endpoint; then ok systemd_runs_the_hardened_hub
else bad systemd_runs_the_hardened_hub "$(journalctl -u lianxi-hub --no-pager | tail -n 5)"; fi
ep=$(cat /var/lib/lianxi/hub/run/units.endpoint); cep=$(cat /var/lib/lianxi/hub/run/control.endpoint)
# The police unit's machine: its files in /var/lib/lianxi-police, root's until
# systemd gives them to lianxi (StateDirectory=).
mkdir -p /var/lib/lianxi-police
cp -a /var/lib/lianxi/units/police/. /var/lib/lianxi-police/
sed -i "s|^hub_endpoint_file = .*|hub = $ep|; s|^categories = .*|categories = /usr/share/lianxi/categories.tsv|" /var/lib/lianxi-police/adapter.conf
chown -R root:root /var/lib/lianxi-police
systemctl start lianxi-adapter@police
secs 30 test -d /var/lib/lianxi-police/drop
cp /tmp/ns/police-2026-11.csv /var/lib/lianxi-police/drop/.police.part
chown lianxi:lianxi /var/lib/lianxi-police/drop/.police.part
mv /var/lib/lianxi-police/drop/.police.part /var/lib/lianxi-police/drop/police-2026-11.csv
filed() { ls /var/lib/lianxi-police/done/ 2>/dev/null | grep -q '回执单'; }
if secs 60 filed; then ok systemd_runs_the_hardened_adapter
else bad systemd_runs_the_hardened_adapter "$(journalctl -u lianxi-adapter@police --no-pager | tail -n 5)"; fi
sed -i "s|^hub_endpoint_file = .*|hub = $cep|" /var/lib/lianxi/console/console.conf
systemctl start lianxi-console
if ! secs 30 test -s /var/lib/lianxi/console/run/console.url; then
    bad systemd_runs_the_hardened_console "$(journalctl -u lianxi-console --no-pager | tail -n 5)"
elif command -v curl >/dev/null && command -v openssl >/dev/null; then
    url=$(cat /var/lib/lianxi/console/run/console.url); d=/var/lib/lianxi/operators/supervisor
    openssl pkcs12 -in $d/supervisor.p12 -passin file:$d/supervisor.p12.pass -nodes -out /tmp/sup.pem 2>/dev/null
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 --cacert /var/lib/lianxi/console/ca.crt \
           --cert /tmp/sup.pem "${url}api/filings")
    [ "$code" = 200 ] && ok systemd_runs_the_hardened_console || bad systemd_runs_the_hardened_console "HTTP $code"
    # Chromium, started by the hardened console, prints a briefing.
    if [ -x /usr/bin/chromium ]; then
        d=/var/lib/lianxi/operators/convener
        openssl pkcs12 -in $d/convener.p12 -passin file:$d/convener.p12.pass -nodes -out /tmp/conv.pem 2>/dev/null
        code=$(curl -s -o /tmp/brief.pdf -w '%{http_code}' --max-time 120 \
               --cacert /var/lib/lianxi/console/ca.crt --cert /tmp/conv.pem \
               -H 'Content-Type: application/json' -H 'X-Lianxi-Request: 1' -H "Origin: ${url%/}" \
               --data '{"from":"2026-01-01","to":"2026-12-31","audience":"full","format":"pdf"}' \
               "${url}api/brief")
        if [ "$code" = 200 ] && [ "$(head -c 5 /tmp/brief.pdf)" = "%PDF-" ]; then
            ok the_hardened_console_prints_a_pdf_briefing
        else
            bad the_hardened_console_prints_a_pdf_briefing "HTTP $code: $(head -c 200 /tmp/brief.pdf)"
        fi
    fi
else
    ok systemd_runs_the_hardened_console
fi
# A second hub on the first one's units port: 75, and systemd tries again.
sed 's|/var/lib/lianxi/hub/hub.conf|/var/lib/lianxi2/hub/hub.conf|; s|^StateDirectory=lianxi$|StateDirectory=lianxi2|' \
    /lib/systemd/system/lianxi-hub.service >/run/systemd/system/lianxi-hub2.service
mkdir -p /var/lib/lianxi2/hub
cp -a /var/lib/lianxi/hub/hub.conf /var/lib/lianxi/hub/hub.cert /var/lib/lianxi/hub/hub.cert_secret \
    /var/lib/lianxi/hub/hub.sign_secret /var/lib/lianxi/hub/keys /var/lib/lianxi2/hub/
cp -a /var/lib/lianxi/share /var/lib/lianxi2/
sed -i "s|^units = .*|units = $ep|" /var/lib/lianxi2/hub/hub.conf
systemctl daemon-reload
systemctl start lianxi-hub2
retried() { [ "$(systemctl show -p NRestarts --value lianxi-hub2)" -ge 1 ]; }
if secs 30 retried && journalctl -u lianxi-hub2 --no-pager | grep -q 'status=75'; then
    ok systemd_retries_a_port_in_use
else
    bad systemd_retries_a_port_in_use "$(journalctl -u lianxi-hub2 --no-pager | tail -n 4)"
fi
systemctl kill -s KILL lianxi-hub2
systemctl stop lianxi-console lianxi-adapter@police lianxi-hub
echo END
CHECK
    echo "booting a container with systemd-nspawn (about a minute)"
    timeout 300 systemd-nspawn -q -M lianxi-deb-test -D "$root" --register=no --keep-unit \
        --link-journal=no --uuid="$(tr -d - </proc/sys/kernel/random/uuid)" --private-network \
        --bind-ro=/usr --bind-ro=/etc --bind="$ns:/tmp/ns" \
        --bind-ro="$ns/verify.service:/run/systemd/system/lianxi-verify.service" \
        --bind-ro="$ns/verify.target:/run/systemd/system/lianxi-verify.target" \
        -b -- systemd.unit=lianxi-verify.target >"$work/nspawn.log" 2>&1
    if grep -q '^END' "$ns/result.txt" 2>/dev/null; then
        while read -r word name why; do
            case $word in
            OK) ok "$name" ;;
            FAILED) bad "${name%:}" "$why" ;;
            esac
        done <"$ns/result.txt"
    else
        bad "systemd_runs_the_services" "the container did not finish: $(tail -n 5 "$work/nspawn.log") $(tail -n 5 "$ns/check.err" 2>/dev/null)"
    fi
else
    echo "(the services under systemd skipped: no systemd-nspawn; apt-get install systemd-container)"
fi

# 11. Purged: nothing of the packages left installed.
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
