#!/usr/bin/env bash
# Runs the benchmarks of an already built tree and prints their figures.
#   tests/bench/run.sh BUILD_DIR [NAME] [ARGS...]
# NAME is one benchmark (ingest, ...); without it every benchmark runs with its defaults.
# ARGS go to the named benchmark, e.g.: tests/bench/run.sh build/release ingest --events 10000000
# installer/dev.sh bench [NAME] [ARGS...] builds the release tree and calls this.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: tests/bench/run.sh BUILD_DIR [NAME] [ARGS...]" >&2
    exit 1
fi
build_dir=$1
shift
bench_dir=$build_dir/tests/bench
if [ ! -d "$bench_dir" ]; then
    echo "run.sh: no benchmarks in $build_dir (configure with -DSIGHTLINE_BUILD_TESTS=ON -DSIGHTLINE_BUILD_BENCHMARKS=ON and build)" >&2
    exit 1
fi

# name -> executable
declare -A benchmarks=(
    [ingest]=sightline-bench-ingest
    [sync]=sightline-bench-sync
    [exceptions]=sightline-bench-exceptions
    [sla]=sightline-bench-sla
)

run_one() {
    local name=$1
    shift
    local exe=$bench_dir/${benchmarks[$name]}
    if [ ! -x "$exe" ]; then
        echo "run.sh: $exe is not built" >&2
        return 1
    fi
    echo "== benchmark: $name ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs) =="
    "$exe" "$@"
}

if [ $# -gt 0 ]; then
    name=$1
    shift
    if [ -z "${benchmarks[$name]+x}" ]; then
        echo "run.sh: no benchmark named '$name' (known: ${!benchmarks[*]})" >&2
        exit 1
    fi
    run_one "$name" "$@"
else
    status=0
    for name in $(printf '%s\n' "${!benchmarks[@]}" | sort); do
        run_one "$name" || status=1
    done
    exit $status
fi
