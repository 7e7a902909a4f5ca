#!/usr/bin/env bash
# etcd under faults, measured over seeds (never asserted in tests):
#  1. how often serializable reads are caught stale (a positive control: the
#     checker must find real stale reads), with no fault as a baseline and under
#     pause and partition of the leader, over SEEDS seeds each; for each caught
#     run, whether the first stale read came before or after the first fault
#     (followers answer serializable reads a few ms behind even with no fault);
#  2. leader failover: from each kill or pause of the leader to the first write
#     invoked after it that etcd acknowledged, from the histories of linearizable runs.
# Usage: bench/etcd_bench.sh [SEEDS=10] (BUILD=dir, default build/; partition needs root)
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${1:-10}
BUILD=${BUILD:-build}
RUN="$BUILD/jepsen-run"
STORE=bench/out/etcd-store
mkdir -p "$STORE"
[ -x "$RUN" ] || { echo "no $RUN: build first (cmake --build $BUILD --target jepsen-run)"; exit 1; }

common=(system=etcd workload=register time-limit=10 nemesis-interval=2.5 target=leader
        store="$STORE")

# "before" or "after": the first stale read a run's check reports, against its first fault.
when() {
  python3 - "$1" <<'PY'
import json, sys
d = sys.argv[1]
r = json.load(open(d + "/results.json"))
t = next((c["details"]["failure"]["op"]["complete"]["time"] for c in r["checks"]
          if "failure" in c.get("details", {})), None)
faults = [json.loads(l)["time"] for l in open(d + "/history.jsonl") if '"process":"nemesis"' in l]
print("?" if t is None else "after" if faults and t >= faults[0] else "before")
PY
}

echo "== serializable reads, leader faulted, $SEEDS seeds each"
for nemesis in none pause partition; do
  caught=0
  after=0
  verdicts=""
  for seed in $(seq 1 "$SEEDS"); do
    code=0
    "$RUN" "${common[@]}" reads=serializable nemesis=$nemesis seed=$seed >/dev/null 2>&1 || code=$?
    case $code in
      0) verdicts+=" valid" ;;
      1) w=$(when "$(readlink -f "$STORE/latest")")
         verdicts+=" INVALID($w)"; caught=$((caught + 1))
         [ "$w" = after ] && after=$((after + 1)) ;;
      *) verdicts+=" exit-$code" ;;
    esac
  done
  echo "nemesis=$nemesis: caught $caught/$SEEDS, first stale read after the first fault in $after:$verdicts"
done

echo "== linearizable reads (control: must be valid), and leader failover times"
dirs=()
for nemesis in kill pause; do
  valid=0
  for seed in $(seq 1 "$SEEDS"); do
    code=0
    "$RUN" "${common[@]}" reads=linearizable nemesis=$nemesis seed=$seed >/dev/null 2>&1 || code=$?
    [ $code -eq 0 ] && valid=$((valid + 1))
    dirs+=("$(readlink -f "$STORE/latest")")
  done
  echo "nemesis=$nemesis: valid $valid/$SEEDS"
done

python3 - "${dirs[@]}" <<'PY'
import json, statistics, sys
gaps = {"kill": [], "pause": []}
for d in sys.argv[1:]:
    events = [json.loads(l) for l in open(d + "/history.jsonl") if l.strip()]
    events = [e for e in events if "type" in e]
    invokes = {}
    for i, e in enumerate(events):
        if e["process"] == "nemesis" and e["f"] in gaps and e.get("value"):
            t0 = e["time"]
            # the first write or cas invoked after the fault that came back ok
            pending = {}
            for e2 in events[i + 1:]:
                if e2["process"] == "nemesis":
                    continue
                if e2["type"] == "invoke" and e2["f"] in ("write", "cas"):
                    pending[e2["process"]] = e2["time"]
                elif e2["type"] == "ok" and e2["f"] in ("write", "cas") and e2["process"] in pending:
                    gaps[e["f"]].append((e2["time"] - t0) / 1e9)
                    break
                elif e2["type"] != "invoke":
                    pending.pop(e2["process"], None)
for f, g in gaps.items():
    if g:
        g.sort()
        print(f"leader {f}: first acknowledged write after {statistics.median(g):.2f} s median, "
              f"{g[0]:.2f}..{g[-1]:.2f} s over {len(g)} faults")
PY
