#!/usr/bin/env bash
# system=redis: how often each unsafe configuration is caught, and the safe ones hold, over
# `seeds` runs of `seconds` each (one fault every `interval` s), with the throughput (ops/s:
# every op recorded over the run's elapsed time, faults included). Prints a Markdown table
# (README's Redis section, docs/redis.md). power needs root and /dev/fuse.
# Usage: bench/redis_detection.sh [build-dir] [seeds] [seconds] [interval]
#   CONFIGS="everysec fencing-off" (environment) narrows it to those rows.
# The README's figures: bench/redis_detection.sh build 10 4 1   (8 rows x 10 x ~6 s: ~8 min)
set -euo pipefail
build=${1:-build}
seeds=${2:-10}
seconds=${3:-4}
interval=${4:-1}
[ -x "$build/jepsen-run" ] || { echo "redis_detection: $build/jepsen-run missing" >&2; exit 2; }
command -v redis-server > /dev/null || { echo "redis_detection: no redis-server" >&2; exit 2; }
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT

# name | expected | jepsen-run arguments
rows=(
  "everysec|unsafe|workload=checkpoints nemesis=power appendfsync=everysec"
  "fsync-no|unsafe|workload=checkpoints nemesis=power appendfsync=no"
  "always|safe|workload=checkpoints nemesis=power appendfsync=always"
  "aof-off|unsafe|workload=checkpoints nemesis=kill appendonly=off"
  "aof-on-kill|safe|workload=checkpoints nemesis=kill"
  "fencing-off|unsafe|workload=leases nemesis=client-pause fencing=off"
  "fencing-on|safe|workload=leases nemesis=client-pause fencing=on"
  "register-kill|safe|workload=register nemesis=kill,pause"
)
wanted=${CONFIGS:-}

echo "$seeds seeds x $seconds s, nemesis-interval=$interval, system=redis (redis-server" \
     "$(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'))"
echo
echo "| configuration | run | expected | invalid | valid | unknown | violations | ops/s |"
echo "|---|---|---|---|---|---|---|---|"
for row in "${rows[@]}"; do
  IFS='|' read -r name expected args <<< "$row"
  if [ -n "$wanted" ] && [[ " $wanted " != *" $name "* ]]; then continue; fi
  invalid=0 valid=0 unknown=0 errors=0
  : > "$store/$name.stats"
  for seed in $(seq "$seeds"); do
    dir=$store/$name-$seed
    code=0
    # shellcheck disable=SC2086  # the row's arguments are words
    "$build/jepsen-run" system=redis $args seed="$seed" time-limit="$seconds" \
      nemesis-interval="$interval" store="$dir" > "$dir.out" 2>&1 || code=$?
    case $code in
      0) valid=$((valid + 1)) ;;
      1) invalid=$((invalid + 1)) ;;
      2) unknown=$((unknown + 1)) ;;
      *) errors=$((errors + 1)); echo "!! $name seed=$seed: exit $code" >&2
         tail -n 5 "$dir.out" >&2; continue ;;
    esac
    # This run's violations by kind, and its ops and seconds.
    python3 - "$dir/latest/results.json" >> "$store/$name.stats" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
kinds = {}
for check in r["checks"]:
    for kind, n in ((check.get("details") or {}).get("counts") or {}).items():
        if n:
            kinds[kind] = kinds.get(kind, 0) + n
print(json.dumps({"kinds": kinds, "ops": r["counts"]["ops"], "s": r["elapsed_s"]}))
PY
    echo "$name seed=$seed: exit $code" >&2
  done
  IFS="|" read -r kinds rate < <(python3 - "$store/$name.stats" <<'PY'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
kinds, ops, s = {}, 0, 0.0
for run in runs:
    for kind, n in run["kinds"].items():
        kinds[kind] = kinds.get(kind, 0) + n
    ops += run["ops"]
    s += run["s"]
text = ",".join(f"{k} x{n}" for k, n in sorted(kinds.items())) or "-"
print(f"{text}|{round(ops / s) if s else '-'}")
PY
  )
  echo "| $name | \`${args}\` | $expected | $invalid | $valid | $unknown | ${kinds//,/, } | $rate |"
  [ "$errors" -eq 0 ] || echo "!! $name: $errors runs did not finish" >&2
done
