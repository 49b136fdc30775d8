#!/bin/sh
# Install the Debian packages lianxi needs to build, test and run.
# With --if-missing, do nothing when every package is already installed.
# With --fuzz, also what `make fuzz` needs (clang and its libFuzzer
# runtime): CI installs them; `make test` and `make demo` do not need them.
set -e
PKGS="build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev
libzmq3-dev libczmq-dev libsqlite3-dev sqlite3 libsodium-dev libcmocka-dev
libcsv-dev libcjson-dev libxml2-dev libinih-dev gettext libxlsxwriter-dev
libzip-dev libfreexl-dev python3-openpyxl libgnutls28-dev
libmicrohttpd-dev"
# libclang-rt-dev holds libclang_rt.fuzzer: clang only recommends it.
FUZZ_PKGS="clang libclang-rt-dev"

if_missing=""
for a in "$@"; do
    case $a in
    --if-missing) if_missing=1 ;;
    --fuzz) PKGS="$PKGS $FUZZ_PKGS" ;;
    *) echo "usage: $0 [--if-missing] [--fuzz]" >&2; exit 2 ;;
    esac
done

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -z "$missing" ]; then
    [ -n "$if_missing" ] || echo "install-deps: all packages present"
    exit 0
fi
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
