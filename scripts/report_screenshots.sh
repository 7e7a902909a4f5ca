#!/usr/bin/env bash
# Screenshots of reports at 1280 px, to check by eye (issue 15): a lease L1 and
# an L3 (each violation's picture), a checkpoint C1, and a jepsen-run run page
# with its store index. Nothing here is committed: the pictures go to OUT.
# Usage: scripts/report_screenshots.sh [BUILD_DIR=build] [OUT=/tmp/jepsen-report-shots]
# Needs chromium, BUILD_DIR/jepsen-check, and for the run page BUILD_DIR/jepsen-run
# (skipped when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=${2:-/tmp/jepsen-report-shots}
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shot() {  # <html> <height in px> <png>: the page's top, 1280 px wide
  rm -rf "${profile:?}"/*
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --no-first-run --user-data-dir="$profile" --virtual-time-budget=5000 --hide-scrollbars \
    --window-size="1280,$2" --screenshot="$out/$3" "file://$(realpath "$1")" 2>/dev/null
  echo "$out/$3"
}

"$build/jepsen-check" examples/histories/leases-overlap.jsonl --html "$out/leases.html" >/dev/null || true
# Tall enough to reach the violations: the L1's picture, then the L3's.
shot "$out/leases.html" 1900 lease-L1.png
shot "$out/leases.html" 3000 lease-L3.png
"$build/jepsen-check" examples/histories/checkpoints-lost-ack.jsonl --html "$out/checkpoints.html" >/dev/null || true
shot "$out/checkpoints.html" 1500 checkpoint-C1.png

if [[ -x "$build/jepsen-run" ]]; then
  store="$out/store"
  rm -rf "$store"
  "$build/jepsen-run" system=refstore workload=leases nemesis=client-pause,kill concurrency=4 \
    time-limit=6 seed=3 store="$store" >/dev/null || true
  shot "$store/latest/report.html" 1000 run-page.png
  shot "$store/index.html" 600 store-index.png
fi
