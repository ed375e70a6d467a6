#!/bin/sh
# README's first command: install what is missing, build, create the demo
# school and start it: poortd on the network and, when a display is
# present, the kiosk in a window.
#   app/run-demo.sh [--seed N]
# The demo store lives in $POORT_DATA, default build/demo-data (never the
# box's real /var/lib/poort), and is made anew on every run. poortd listens
# on $POORT_LISTEN (default 0.0.0.0:8443); Ctrl-C stops everything.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

./image/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc 2>/dev/null || echo 2)"

bin="$top/build/default/app"
data="${POORT_DATA:-$top/build/demo-data}"
listen="${POORT_LISTEN:-0.0.0.0:8443}"
"$bin/cli/poortctl" --data "$data" demo --force "$@"

kiosk_pid=""
stop() {
	[ -z "$kiosk_pid" ] || kill "$kiosk_pid" 2>/dev/null || true
}
trap stop EXIT INT TERM
if [ -x "$bin/kiosk/poort-kiosk" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
	"$bin/kiosk/poort-kiosk" --data "$data" --window 1280x800 &
	kiosk_pid=$!
	echo "poort-kiosk: started in a window (pid $kiosk_pid)"
else
	echo "poort-kiosk: no display here; start it on the box with: $bin/kiosk/poort-kiosk --data $data"
fi
echo "poortd: open https://<this machine>:${listen##*:}/ (self-signed certificate; Ctrl-C stops)"
"$bin/web/poortd" --data "$data" --listen "$listen"
