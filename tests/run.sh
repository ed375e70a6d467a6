#!/bin/sh
# The whole test suite, as README's second command runs it:
# installs what is missing, builds the normal and the ASan+UBSan presets and
# runs ctest in both. Ends with ctest's summary line of the sanitizer run.
#   tests/run.sh            everything
#   tests/run.sh -L core    only one area (arguments go to ctest)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

./image/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

# No display on CI: the kiosk tests use SDL's dummy driver (software
# framebuffer, no GL stack; tests/kiosk/CMakeLists.txt sets it per test too).
export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-dummy}"
# Sanitizer reports are failures, leaks included.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
for preset in default asan; do
	echo "=== build: $preset ==="
	cmake --preset "$preset" >/dev/null
	cmake --build --preset "$preset" -j "$jobs"
	echo "=== test: $preset ==="
	# Benchmarks print figures; they are run by hand (tests/bench/README.md),
	# not as part of the pass/fail suite.
	ctest --test-dir "build/$preset" --output-on-failure -j "$jobs" -LE bench "$@" || status=1
done
exit $status
