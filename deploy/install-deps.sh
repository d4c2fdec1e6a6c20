#!/usr/bin/env bash
# Installs what karirbot needs to build, run and test on Debian 12, from Debian's packages.
# Run as root (or through sudo). Safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  build-essential cmake pkg-config          # toolchain
  libuv1-dev libcurl4-openssl-dev libcjson-dev libsqlite3-dev   # the four libraries
  libsodium-dev                             # activation codes: random, hashed (BLAKE2b)
  libxlsxwriter-dev                         # karirbot report --format xlsx
  libcsv-dev                                # CSV files HR imports (holidays, import)
  ca-certificates                           # TLS verification of api.telegram.org
  python3 sqlite3 valgrind                  # the test suite: fake Bot API server, checks
  clang libclang-rt-14-dev                  # the test suite: libFuzzer targets (tests/fuzz)
  dpkg-dev groff-base                       # cpack -G DEB (dpkg-shlibdeps: Depends), man page
)
if [ "$(id -u)" -ne 0 ]; then
  exec sudo "$0" "$@"
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
