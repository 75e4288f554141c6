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
# The exception queue as a buyer sees it: the role's saved views and two of the buyer's own.
export SIGHTLINE_ROLES_FILE="$work/roles.json" SIGHTLINE_SAVED_VIEWS_FILE="$work/saved-views.json"
echo '{"default_role": "buyer"}' >"$SIGHTLINE_ROLES_FILE"
cat >"$SIGHTLINE_SAVED_VIEWS_FILE" <<'JSON'
{"version": 1, "views": [
 {"name": "Purchasing", "filter": {"statuses": ["new", "in_progress"],
  "document_kinds": ["purchase_order", "purchase_order_line", "po_acknowledgment", "asn", "supplier_invoice"]}},
 {"name": "My items", "filter": {"statuses": ["new", "in_progress"], "owner": "me"}},
 {"name": "Late acknowledgments", "filter": {"statuses": ["new", "in_progress"], "type": "po_not_acknowledged"}},
 {"name": "High and critical", "filter": {"statuses": ["new", "in_progress"], "severities": ["high", "critical"]},
  "sort": {"column": "severity", "order": "descending"}},
 {"name": "All open", "filter": {"statuses": ["new", "in_progress"]}}
]}
JSON
"$build/app/sightline" --demo --theme light \
    --open SO-10002 --screenshot-select shipment.dispatched --screenshot-search CPO-1 \
    --screenshot-second PO-10003 --screenshot "$out"
# The edit-and-resubmit dialog after a dry run, and a bulk dry-run job running and done, from the
# dialogs' own offscreen test over a real store (tests/exceptions/tst_resubmitui).
SIGHTLINE_SCREENSHOT_DIR="$out" "$build/tests/exceptions/tst_resubmitui" >/dev/null
# The Correct… dialog after a dry run, from its test against the sandbox (tst_correctionui).
SIGHTLINE_SCREENSHOT_DIR="$out" "$build/tests/exceptions/tst_correctionui" >/dev/null
ls -l "$out"/*.png
