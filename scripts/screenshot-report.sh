#!/usr/bin/env bash
# Renders the month_close example's HTML report in headless Chromium and
# saves a PNG of it to docs/report.png (not run by CI: it needs Debian's
# `chromium` package — `apt-get install chromium`).
#
#   scripts/screenshot-report.sh [REPORT.html] [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
report="${1:-target/month_close-2026-11-report.html}"
out="${2:-docs/report.png}"
if [ ! -f "$report" ]; then
    db="target/screenshot-month-close.db"
    rm -f "$db" "$db-wal" "$db-shm"
    cargo run --quiet --features sqlite,report --example month_close -- --db "$db" > /dev/null
    report="target/screenshot-month-close-2026-11-report.html"
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# the flags keep Chromium off the network and quiet on a closed machine
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars \
    --window-size=800,4400 --screenshot="$out" "file://$(pwd)/$report" 2>/dev/null
echo "wrote $out from $report"
