#!/usr/bin/env bash
# system=postgres: over `seeds` runs each (5 clients, a fault every second, 5 s), how often each
# unsafe configuration is caught and each safe one stays valid, with the violations found, and
# the ops/s of each workload with no fault. Needs root (jepsen-diskfs, the postgres user) and
# the Debian postgresql package.
# Usage: bench/postgres_detection.sh [build-dir] [seeds]
set -euo pipefail
build=${1:-build}
seeds=${2:-10}
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT

# The run's verdict, its violation counts (kind=count,...), and its ops per second.
summary() {
  python3 - "$1/results.json" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except OSError:
    print("error - ?")  # the run did not start
    sys.exit()
counts = {}
for c in r["checks"]:
    for kind, n in ((c.get("details") or {}).get("counts") or {}).items():
        if kind[0] in "LC" and kind[1:].isdigit() and n:
            counts[kind] = counts.get(kind, 0) + n
ops = r["counts"]["ops"]
elapsed = r["elapsed_s"]
print(r["verdict"], ",".join(f"{k}={v}" for k, v in sorted(counts.items())) or "-",
      f"{ops / elapsed:.0f}" if elapsed else "?")
PY
}

run() {  # prints the run's directory (jepsen-run exits 1 for invalid: not an error here)
  { "$build/jepsen-run" system=postgres time-limit=5 nemesis-interval=1 store="$store" "$@" \
      </dev/null 2>&1 || true; } | sed -n 's/^store: \([^ ]*\) .*/\1/p' | tail -1
}

printf '%-62s %-9s %-10s %s\n' configuration caught verdicts "violations (all runs)"
while IFS='|' read -r label expect args; do
  caught=0 verdicts="" kinds=""
  for seed in $(seq "$seeds"); do
    # shellcheck disable=SC2086
    dir=$(run $args seed="$seed")
    read -r verdict counts _ < <(summary "$dir")
    verdicts+="${verdict:0:1}"
    [[ $verdict == "$expect" ]] && caught=$((caught + 1))
    [[ $counts != - ]] && kinds+="$counts "
  done
  printf '%-62s %-9s %-10s %s\n' "$label" "$caught/$seeds" "$verdicts" "${kinds:--}"
done <<'CONFIGS'
checkpoints, power, synchronous-commit=off (unsafe)|invalid|workload=checkpoints nemesis=power synchronous-commit=off
checkpoints, power, fsync=off (unsafe)|invalid|workload=checkpoints nemesis=power fsync=off
checkpoints, power, defaults (safe: counts valid runs)|valid|workload=checkpoints nemesis=power
leases, server clock x4, fencing on (L1 expected, no L3)|invalid|workload=leases nemesis=clock clock-rate=4 keys=1 ttl-ms=400
leases, server clock x4, fencing=off (unsafe)|invalid|workload=leases nemesis=clock clock-rate=4 keys=1 ttl-ms=400 fencing=off
register, kill (safe: counts valid runs)|valid|workload=register nemesis=kill
CONFIGS

echo
printf '%-12s %s\n' workload "ops/s (nemesis=none, 5 clients)"
for workload in register leases checkpoints; do
  dir=$(run workload="$workload" nemesis=none seed=1)
  read -r _ _ rate < <(summary "$dir")
  printf '%-12s %s\n' "$workload" "$rate"
done
