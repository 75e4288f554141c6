#!/usr/bin/env bash
# Takes the README's screenshots of the living demo: runs `sightline --demo` offscreen (the built-in
# sandbox with seed 42, followed live into a fresh demo store), waits for its backfill to arrive,
# then saves PNGs of the main views (traces, search, the exception queue and the audit log) and quits.
# Usage: tests/screenshots/take.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/ci}"
out="${2:-$here}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Settings and the demo store in folders of their own: the screenshots neither depend on nor change
# the user's.
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
export QT_QPA_PLATFORM=offscreen
export SIGHTLINE_SANDBOX="$build/app/sandbox/sightline-sandbox"
# let the exception and SLA engines catch up with the backfill before the pictures
export SIGHTLINE_SCREENSHOT_DELAY_MS=10000
"$build/app/sightline" --demo --theme light \
    --open SO-10002 --screenshot-select shipment.dispatched --screenshot-search CPO-1 \
    --screenshot-second PO-10003 --screenshot "$out"
ls -l "$out"/*.png
