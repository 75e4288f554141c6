#!/usr/bin/env bash
# The developer's entry point. Installs what is missing, configures, builds, then:
#   installer/dev.sh run [ARGS...]   build and start the console on its embedded default: the
#                                    built-in sandbox, followed live (sightline --demo ARGS...)
#   installer/dev.sh test            build and run every test (CI runs exactly this)
#   installer/dev.sh bench [NAME]    build and run the benchmarks under tests/bench
#   installer/dev.sh package         build the release preset and make the .deb and .tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:-}
[ $# -gt 0 ] && shift

jobs=$(nproc 2>/dev/null || echo 2)
bash installer/deps.sh

case "$command" in
run)
    cmake --preset release >/dev/null
    cmake --build --preset release --parallel "$jobs" --target sightline
    exec build/release/app/sightline --demo "$@"
    ;;
test)
    cmake --preset ci
    cmake --build --preset ci --parallel "$jobs"
    exec ctest --preset ci "$@"
    ;;
bench)
    cmake --preset release >/dev/null
    cmake --build --preset release --parallel "$jobs"
    exec bash tests/bench/run.sh build/release "$@"
    ;;
package)
    cmake --preset release >/dev/null
    cmake --build --preset release --parallel "$jobs"
    cd build/release
    exec cpack
    ;;
*)
    echo "usage: installer/dev.sh run|test|bench|package [ARGS...]" >&2
    exit 1
    ;;
esac
