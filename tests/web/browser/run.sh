#!/bin/sh
# Browser tests: installs playwright-core (package-lock.json, never a
# browser download) into the build tree and drives Debian's chromium.
#   run.sh <source dir of this script> <work dir> <poortd> <poortctl>
set -eu
src=$1 work=$2 poortd=$3 poortctl=$4
mkdir -p "$work"
cp "$src/package.json" "$src/package-lock.json" "$src/browser.test.js" "$work/"
cd "$work"
if [ ! -d node_modules/playwright-core ]; then
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
exec node browser.test.js "$poortd" "$poortctl" "$work/screenshots"
