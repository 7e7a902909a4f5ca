#!/usr/bin/env bash
# How often nemesis=clock finds double grants (L1) on the reference store's leases, by the rate
# n1's clock runs at: for each rate, `seeds` runs (1 key, 5 clients, ttl 400 ms, a fault every
# 0.6 s, 3 s each, drift 0.01: rates above 1/(1 - 0.01) = 1.0101 can end leases early), and per
# rate the runs that found L1, the median L1 count, and any run with L3 (fencing broken: never
# expected) or another verdict than invalid/valid.
# Usage: bench/clock_double_grants.sh [build-dir] [seeds] [rates...]
set -euo pipefail
build=${1:-build}
seeds=${2:-10}
shift $(( $# > 2 ? 2 : $# ))
rates=("$@")
((${#rates[@]})) || rates=(0.5 1.005 1.02 1.1 2 4)
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
printf '%-8s %-12s %-10s %-6s %s\n' rate "runs with L1" "median L1" L3 verdicts
for rate in "${rates[@]}"; do
  counts=() l3=0 verdicts=""
  for seed in $(seq "$seeds"); do
    out=$("$build/jepsen-run" workload=leases nemesis=clock clock-rate="$rate" keys=1 ttl-ms=400 \
            nemesis-interval=0.6 time-limit=3 seed="$seed" store="$store" 2>&1 || true)
    dir=$(printf '%s\n' "$out" | sed -n 's/^store: \([^ ]*\) .*/\1/p' | tail -1)
    read -r verdict l1 l3run < <(python3 - "$dir/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
counts = next(c for c in r["checks"] if c["checker"] == "leases")["details"]["counts"]
print(r["verdict"], counts.get("L1", 0), counts.get("L3", 0))
PY
)
    counts+=("$l1")
    l3=$((l3 + l3run))
    verdicts+="${verdict:0:1}"
  done
  found=0
  for c in "${counts[@]}"; do ((c > 0)) && found=$((found + 1)); done
  median=$(printf '%s\n' "${counts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-8s %-12s %-10s %-6s %s\n' "$rate" "$found/$seeds" "$median" "$l3" "$verdicts"
done
