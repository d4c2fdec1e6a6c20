#!/usr/bin/env bash
# Quick start: installs the dependencies, builds karirbot, and starts it on its embedded default.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build" -j"$(nproc)" >/dev/null
echo "karirbot built: $root/build/karirbot" >&2
exec "$root/build/karirbot" "$@"
