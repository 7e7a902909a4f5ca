#!/usr/bin/env bash
# Ops per second that jepsen-run records against the reference store with no
# faults, concurrency 10 (issue target: 20,000 ops/s or more on 2 cores), for
# both durability settings; then the recorder's own cost per op.
# Usage: bench/runner_throughput.sh [build-dir] [seconds] [runs]
set -euo pipefail
build=${1:-build}
seconds=${2:-10}
runs=${3:-3}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
for fsync in off on; do
  rates=()
  for i in $(seq "$runs"); do
    line=$("$build/jepsen-run" workload=register nemesis=none concurrency=10 time-limit="$seconds" \
             fsync="$fsync" seed="$i" store="$store" | grep '^verdict')
    ops=$(sed -E 's/.* ([0-9]+) ops .*/\1/' <<<"$line")
    rates+=("$(python3 -c "print(round($ops / $seconds))")")
  done
  median=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  echo "fsync=$fsync: ops/s per run: ${rates[*]}; median $median"
done
"$build/bench/recorder_bench" --benchmark_min_time=1
