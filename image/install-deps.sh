#!/bin/sh
# Installs every Debian 12 package Poort's build, tests and demo need.
# Idempotent: installs only what is missing, so it is cheap to call from
# README's commands and from CI. Must run as root (or with sudo available).
set -eu
here=$(cd "$(dirname "$0")" && pwd)

wanted=$(cat "$here/packages-build.txt" "$here/packages-test.txt" | sed 's/#.*//' | tr -s ' \n' '\n' | sed '/^$/d')
missing=""
for pkg in $wanted; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $pkg"
	fi
done

# The browser tests install playwright-core with npm. Debian ships npm as its
# own package; a machine whose Node.js comes with npm already (NodeSource)
# must not get Debian's, which conflicts with it.
if ! command -v npm >/dev/null 2>&1; then
	missing="$missing npm"
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# Dutch messages come from gettext, which needs the nl_NL.UTF-8 locale.
if ! locale -a 2>/dev/null | grep -qi '^nl_NL\.utf-\?8$'; then
	echo "install-deps: generating nl_NL.UTF-8 locale"
	$SUDO sed -i 's/^# *\(nl_NL.UTF-8 UTF-8\)/\1/' /etc/locale.gen
	grep -q '^nl_NL.UTF-8 UTF-8' /etc/locale.gen || echo 'nl_NL.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
	$SUDO locale-gen >/dev/null
fi
echo "install-deps: all Debian packages present"
