#!/bin/sh
# README's first command: install what is missing, build, create the demo
# school and start what exists.
#   app/run-demo.sh [--seed N]
# The demo store lives in $POORT_DATA, default build/demo-data (never the
# box's real /var/lib/poort), and is made anew on every run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

./image/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc 2>/dev/null || echo 2)"

bin="$top/build/default/app"
data="${POORT_DATA:-$top/build/demo-data}"
"$bin/cli/poortctl" --data "$data" demo --force "$@"
