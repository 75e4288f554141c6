#!/usr/bin/env bash
# Takes the README's SLA screenshots: builds the demo store from make_demo.py's feed, then shows the
# SLA dashboard offscreen as of the demo's now (30 days), saves PNGs and the PDF report, and renders
# the report's first page with pdftoppm (poppler-utils).
# Usage: tests/screenshots/take_sla.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/ci}"
out="${2:-$here}"
work="$(mktemp -d)"
mkdir -p "$out"
trap 'rm -rf "$work"' EXIT

export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
export QT_QPA_PLATFORM=offscreen
python3 "$here/make_demo.py" "$work/demo.jsonl" 400
"$build/tests/ui/sightline-demo-store" "$work/demo.sqlite" "$work/demo.jsonl"
"$build/tests/sla/sightline-sla-shots" --db "$work/demo.sqlite" --now 2026-11-20T16:00:00Z --out "$work"
cp "$work"/sla-*.png "$out"/
pdftoppm -png -r 70 -f 1 -l 2 "$work/sla-report.pdf" "$out/sla-report-page"
ls -l "$out"/sla-*.png
