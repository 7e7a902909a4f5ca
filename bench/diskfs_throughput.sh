#!/usr/bin/env bash
# What jepsen-diskfs costs the reference store: ops per second jepsen-run records with the
# store's data on the bare disk (nemesis=none) and through the layer (nemesis=power with an
# interval longer than the run, so it mounts and never strikes), for sync=full and
# sync=normal, register workload, concurrency 10. With sync=full also the like-for-like row:
# the layer with disk-fsync=real (jepsen-diskfs --real-fsync), whose fsyncs reach the real
# disk as the bare disk's do. The runs of the rows alternate (round after round), so a
# machine whose load changes meanwhile weighs on every row alike. Needs root and /dev/fuse.
# Usage: bench/diskfs_throughput.sh [build-dir] [seconds] [runs]
set -euo pipefail
build=${1:-build}
seconds=${2:-10}
runs=${3:-3}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT
rows=("full bare" "full layer" "full layer-real-fsync" "normal bare" "normal layer")
declare -A rates
for i in $(seq "$runs"); do
  for row in "${rows[@]}"; do
    read -r sync where <<<"$row"
    args=(nemesis=none)
    [ "$where" != bare ] && args=(nemesis=power nemesis-interval=3600)
    [ "$where" = layer-real-fsync ] && args+=(disk-fsync=real)
    line=$("$build/jepsen-run" workload=register "${args[@]}" concurrency=10 \
             time-limit="$seconds" sync="$sync" seed="$i" store="$store" |
           grep '^verdict' || true)  # the layer's runs are "unknown": no fault struck
    ops=$(sed -E 's/.* ([0-9]+) ops .*/\1/' <<<"$line")
    rates[$row]="${rates[$row]:-} $(python3 -c "print(round($ops / $seconds))")"
  done
done
for row in "${rows[@]}"; do
  read -r sync where <<<"$row"
  median=$(tr ' ' '\n' <<<"${rates[$row]}" | grep . | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  echo "sync=$sync $where: ops/s per run:${rates[$row]}; median $median"
done
