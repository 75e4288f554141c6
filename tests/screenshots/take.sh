#!/usr/bin/env bash
# Takes the README's screenshots: builds a seeded demo store from a generated, realistic feed,
# then runs the console offscreen on it and saves PNGs of the main views.
# Usage: tests/screenshots/take.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/ci}"
out="${2:-$here}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$here/make_demo.py" "$work/demo.jsonl" 400
"$build/tests/ui/sightline-demo-store" "$work/demo.sqlite" "$work/demo.jsonl"

# A settings folder of its own, so the screenshots do not depend on (or change) the user's.
export XDG_CONFIG_HOME="$work/config"
export QT_QPA_PLATFORM=offscreen
"$build/app/sightline" --db "$work/demo.sqlite" --now 2026-11-20T16:00:00Z --theme light \
    --open SO-10023 --screenshot-select shipment.dispatched --screenshot-search ac \
    --screenshot-second PO-4500123 --screenshot "$out"
ls -l "$out"/*.png
