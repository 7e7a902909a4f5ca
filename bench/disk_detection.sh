#!/usr/bin/env bash
# How often each disk fault finds the reference store's mistake: for each fault and each
# refstore sync mode, `seeds` runs of `seconds` (workload=checkpoints, one fault at a time every
# `interval` s), counted by verdict: invalid (the run found a lost acknowledged checkpoint, or
# another violation: the kinds are summed), valid, unknown. sync=full should be valid under
# every fault; sync=normal and off acknowledge commits before they are durable. Prints a
# Markdown table (bench/README.md, docs/disk-faults.md). Needs root and /dev/fuse.
# Usage: bench/disk_detection.sh [build-dir] [seeds] [seconds] [interval]
#   SYNCS="full normal" FAULTS="power torn corrupt fsync-error disk-full" (environment) narrow it.
# Full sweep: bench/disk_detection.sh build 10 20 1   (5 faults x 2 modes x 10 x ~25 s: 42 min)
# A quick look: bench/disk_detection.sh build 3 10 1  (~6 min)
set -euo pipefail
build=${1:-build}
seeds=${2:-10}
seconds=${3:-20}
interval=${4:-1}
syncs=${SYNCS:-full normal}
faults=${FAULTS:-power torn corrupt fsync-error disk-full}
[ -x "$build/jepsen-run" ] || { echo "disk_detection: $build/jepsen-run missing" >&2; exit 2; }
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT

echo "$seeds seeds x $seconds s, nemesis-interval=$interval, workload=checkpoints, refstore"
echo
echo "| fault | sync | invalid | valid | unknown | violations (C1/C2/C3/C4) | faults per run |"
echo "|---|---|---|---|---|---|---|"
for fault in $faults; do
  for sync in $syncs; do
    invalid=0 valid=0 unknown=0 errors=0 kinds="0 0 0 0" faults_sum=0
    for seed in $(seq "$seeds"); do
      dir=$store/$fault-$sync-$seed
      code=0
      "$build/jepsen-run" workload=checkpoints nemesis="$fault" sync="$sync" seed="$seed" \
        time-limit="$seconds" nemesis-interval="$interval" store="$dir" > "$dir.out" 2>&1 ||
        code=$?
      case $code in
        0) valid=$((valid + 1)) ;;
        1) invalid=$((invalid + 1)) ;;
        2) unknown=$((unknown + 1)) ;;
        *) errors=$((errors + 1)); echo "!! $fault sync=$sync seed=$seed: exit $code" >&2
           tail -n 5 "$dir.out" >&2; continue ;;
      esac
      # This run's violations by kind and its faults, added to the totals.
      read -r kinds faults_sum < <(python3 - "$dir/latest/results.json" "$kinds" \
                                     "$faults_sum" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))
kinds = [int(n) for n in sys.argv[2].split()]
for check in results["checks"]:
    counts = check.get("details", {}).get("counts", {})
    for i, kind in enumerate(["C1", "C2", "C3", "C4"]):
        kinds[i] += counts.get(kind, 0)
print(" ".join(map(str, kinds)).replace(" ", "/"), int(sys.argv[3]) + results["counts"]["faults"])
EOF
      )
      kinds=${kinds//\// }
      echo "$fault sync=$sync seed=$seed: exit $code" >&2
    done
    runs=$((seeds - errors))
    per_run=$(python3 -c "print(round($faults_sum / $runs, 1) if $runs else '-')")
    echo "| $fault | $sync | $invalid | $valid | $unknown | ${kinds// //} | $per_run |"
    [ "$errors" -eq 0 ] || echo "!! $fault sync=$sync: $errors runs did not finish" >&2
  done
done
