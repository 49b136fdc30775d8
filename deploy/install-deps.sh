#!/bin/sh
# Install the Debian packages lianxi needs to build, test and run.
# With --if-missing, do nothing when every package is already installed.
set -e
PKGS="build-essential pkg-config protobuf-c-compiler libprotobuf-c-dev
libzmq3-dev libczmq-dev libsqlite3-dev sqlite3 libsodium-dev libcmocka-dev
libcsv-dev libcjson-dev libxml2-dev libinih-dev gettext libzip-dev libfreexl-dev"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -z "$missing" ]; then
    [ "$1" = "--if-missing" ] || echo "install-deps: all packages present"
    exit 0
fi
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
