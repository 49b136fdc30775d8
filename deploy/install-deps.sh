#!/bin/sh
# Install the Debian packages lianxi needs to build, test and run.
# With --if-missing, do nothing when every package is already installed.
# With --fuzz, also what `make fuzz` needs (clang and its libFuzzer
# runtime): CI installs them; `make test` and `make demo` do not need them.
# With --deb, also what `make deb` and `make test-deb` need (dpkg-buildpackage,
# debhelper, fakeroot, lintian).
#
# The browser tests (tests/browser) need Chromium (Debian's package), Node.js
# and the npm package playwright-core, pinned in tests/browser/package.json:
# installed here for the tests only (the console itself needs none of them).
# When they cannot be installed, this says so and carries on: `make test`
# then skips the browser tests with a line that says why, and CI fails.
set -e
PKGS="build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev
libzmq3-dev libczmq-dev libsqlite3-dev sqlite3 libsodium-dev libcmocka-dev
libcsv-dev libcjson-dev libxml2-dev libinih-dev gettext libxlsxwriter-dev
libzip-dev libfreexl-dev python3-openpyxl libgnutls28-dev
libmicrohttpd-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk python3-docx"
# libcairo2-dev and libpango1.0-dev draw the official document's charts into
# its .docx; fonts-noto-cjk stands in for the office's fonts (仿宋, 黑体) in
# the charts and in the printed HTML; python3-docx reads the .docx back in
# the tests.
# For the browser tests and the printed briefing (Chromium prints the PDF,
# poppler-utils turns pages into images); node and npm only when no node is
# installed.
BROWSER_PKGS="chromium chromium-l10n poppler-utils"
command -v node >/dev/null 2>&1 || BROWSER_PKGS="$BROWSER_PKGS nodejs npm"
# libclang-rt-dev holds libclang_rt.fuzzer: clang only recommends it.
FUZZ_PKGS="clang libclang-rt-dev"
# The Debian packages: dpkg-dev has dpkg-buildpackage, debhelper dh and
# dh_installsystemd; lintian checks the .debs; adduser is what their
# maintainer scripts call; systemd-container's systemd-nspawn boots the
# container in which tests/deb.sh starts the installed services; curl asks
# the console there for a page.
DEB_PKGS="dpkg-dev debhelper fakeroot lintian adduser systemd-container curl"

if_missing=""
fuzz=""
deb=""
for a in "$@"; do
    case $a in
    --if-missing) if_missing=1 ;;
    --fuzz) fuzz=1 ;;
    --deb) deb=1 ;;
    *) echo "usage: $0 [--if-missing] [--fuzz] [--deb]" >&2; exit 2 ;;
    esac
done
[ -n "$fuzz" ] && PKGS="$PKGS $FUZZ_PKGS"
[ -n "$deb" ] && PKGS="$PKGS $DEB_PKGS"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
updated=""
missing_of() {
    m=""
    for p in $1; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
            m="$m $p"
    done
    echo "$m"
}
install() {
    [ -n "$updated" ] || $SUDO apt-get update -q
    updated=1
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@"
}

missing=$(missing_of "$PKGS")
if [ -n "$missing" ]; then
    echo "install-deps: installing:$missing"
    # shellcheck disable=SC2086
    install $missing
fi

# The browser tests: best effort.
bmissing=$(missing_of "$BROWSER_PKGS")
if [ -n "$bmissing" ]; then
    echo "install-deps: installing for the browser tests:$bmissing"
    # shellcheck disable=SC2086
    install $bmissing || echo "install-deps: could not install$bmissing: the browser tests will be skipped"
fi
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$here/tests/browser/package.json" ] && [ ! -d "$here/tests/browser/node_modules/playwright-core" ]; then
    if command -v npm >/dev/null 2>&1; then
        echo "install-deps: npm ci in tests/browser (playwright-core, for the browser tests)"
        (cd "$here/tests/browser" && npm ci --no-audit --no-fund --loglevel=error) ||
            echo "install-deps: npm ci failed: the browser tests will be skipped"
    else
        echo "install-deps: no npm: the browser tests will be skipped"
    fi
fi
[ -n "$missing$bmissing" ] || [ -n "$if_missing" ] || echo "install-deps: all packages present"
exit 0
