#!/bin/sh
# Times jepsen-check's lease and checkpoint checkers on million-op histories:
#   leases:      1,000,000 ops over 1,000 resources (valid, and with 1,000 injected double grants)
#   checkpoints: 1,000,000 ops over 10,000 streams  (valid, and with 1,000 injected lost acks)
# The histories are generated once (bench/gen_*_history.py, seed 1) into OUT_DIR. Printed per
# history: read_bench (loading alone, when built), lease_checkpoint_bench (checking alone, one
# thread and all cores), and RUNS end-to-end jepsen-check runs with wall/CPU/peak RSS from /usr/bin/time.
#
# Usage: bench/lease_checkpoint_bench.sh [BUILD_DIR=build] [OUT_DIR=/tmp/jepsen-bench] [RUNS=3]
set -e
cd "$(dirname "$0")/.."
BUILD=${1:-build}
OUT=${2:-/tmp/jepsen-bench}
RUNS=${3:-3}
mkdir -p "$OUT"

gen() {  # file generator args...
  file=$1; shift
  if [ ! -s "$OUT/$file" ]; then
    echo "generating $OUT/$file"
    python3 "$@" > "$OUT/$file.tmp" && mv "$OUT/$file.tmp" "$OUT/$file"
  fi
}
gen leases-1m.jsonl bench/gen_lease_history.py --ops 1000000 --resources 1000 --seed 1
gen leases-1m-invalid.jsonl bench/gen_lease_history.py --ops 1000000 --resources 1000 --seed 1 \
  --violations 1000
gen checkpoints-1m.jsonl bench/gen_checkpoint_history.py --ops 1000000 --streams 10000 --seed 1
gen checkpoints-1m-invalid.jsonl bench/gen_checkpoint_history.py --ops 1000000 --streams 10000 \
  --seed 1 --violations 1000

CHECK_BENCH="$BUILD/bench/lease_checkpoint_bench"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for f in leases-1m leases-1m-invalid checkpoints-1m checkpoints-1m-invalid; do
  echo "== $f.jsonl ($(du -m "$OUT/$f.jsonl" | cut -f1) MB)"
  if [ -x "$BUILD/bench/read_bench" ]; then
    "$BUILD/bench/read_bench" "$OUT/$f.jsonl" 2>&1 | grep -E "^(read|cpu)" | sed 's/^/  load: /'
  fi
  "$CHECK_BENCH" "$OUT/$f.jsonl" "${f%%-*}" --repeat "$RUNS" | grep "^check" | sed 's/^/  /'
  i=0
  while [ $i -lt "$RUNS" ]; do
    /usr/bin/time -f "  %e s wall, %U s user, %S s sys, %M KiB peak" \
      "$BUILD/jepsen-check" "$OUT/$f.jsonl" > "$OUT/$f.out" 2> "$OUT/$f.time" || true
    head -2 "$OUT/$f.out" | sed 's/^/  /'
    tail -1 "$OUT/$f.time"
    i=$((i + 1))
  done
done
