#!/usr/bin/env bash
# Runs every benchmark of bench/README.md in order -- (a) the public corpora,
# (b) a 1M-op history, reading speed on it and on a ~100 MB one, (c) the
# register sweep -- and prints a compact summary. Timings are medians.
#
# Environment (all optional):
#   BUILD     build directory (default build); NO_BUILD=1 uses it as it is
#   RUNS      repetitions for (a), (b) and reading (default 5)
#   SEEDS     seeds per configuration for (c) (default 10)
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-5}
OUT=bench/out
mkdir -p "$OUT"

if [ "${NO_BUILD:-0}" != 1 ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null &&
    cmake --build "$BUILD" --target jepsen-check corpus_bench read_bench | tail -n 1 || exit 2
fi
for tool in jepsen-check bench/corpus_bench bench/read_bench; do
  [ -x "$BUILD/$tool" ] || { echo "run_all: $BUILD/$tool missing" >&2; exit 2; }
done

median() { sort -g | awk '{v[NR] = $1} END {
  print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== (a) Porcupine + Knossos corpora, one process, $RUNS runs"
: > "$OUT/corpus.txt"
for _ in $(seq "$RUNS"); do
  "$BUILD/bench/corpus_bench" > "$OUT/corpus_run.txt" || {
    cat "$OUT/corpus_run.txt"; echo "!! corpus_bench: verdicts differ from the manifests"; }
  cat "$OUT/corpus_run.txt" >> "$OUT/corpus.txt"
done
tail -n 9 "$OUT/corpus_run.txt"
a_total=$(awk '$1 == "total" {print $4}' "$OUT/corpus.txt" | median)
a_porc=$(awk '$1 == "porcupine" {print $4}' "$OUT/corpus.txt" | median)
a_knos=$(awk '$1 == "knossos" {print $4}' "$OUT/corpus.txt" | median)
a_rss=$(awk '$1 == "total" {print $8}' "$OUT/corpus.txt" | median)

echo "== (b) 1,000,000 ops, 1,000 keys, 10 processes, 5% indeterminate"
big=$OUT/register_1m.jsonl
if [ ! -s "$big" ]; then
  python3 bench/gen_register_history.py --shape jsonl --ops 1000000 --keys 1000 \
    --processes 10 --info 0.05 --info-of ops --seed 1 > "$big"
fi
: > "$OUT/big_times.txt"
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f '%e %M' -a -o "$OUT/big_times.txt" \
    "$BUILD/jepsen-check" --model cas-register "$big" > "$OUT/big_check.txt" 2>&1 ||
    { echo "!! jepsen-check on $big did not say valid:"; cat "$OUT/big_check.txt"; }
done
cat "$OUT/big_check.txt"
b_wall=$(grep -v Command "$OUT/big_times.txt" | awk '{print $1}' | median)
b_rss=$(grep -v Command "$OUT/big_times.txt" | awk '{printf "%.0f\n", $2 / 1024}' | median)

echo "== reading speed (LoadHistory alone)"
mid=$OUT/register_100mb.jsonl
if [ ! -s "$mid" ]; then
  python3 bench/gen_register_history.py --shape jsonl --ops 617000 --keys 1000 \
    --processes 10 --info 0.05 --info-of ops --seed 2 > "$mid"
fi
"$BUILD/bench/read_bench" "$big" --repeat "$RUNS" | tee "$OUT/read_big.txt"
"$BUILD/bench/read_bench" "$mid" --repeat "$RUNS" | tee "$OUT/read_mid.txt"
r_big=$(awk '/MB\/s/ {print $(NF - 1)}' "$OUT/read_big.txt")
r_mid=$(awk '/MB\/s/ {print $(NF - 1)}' "$OUT/read_mid.txt")
r_mid_mb=$(awk 'NR == 1 {print $2}' "$OUT/read_mid.txt")
r_mid_rss=$(awk '/peak RSS/ {print $3}' "$OUT/read_mid.txt")
r_mid_x=$(awk '/peak RSS/ {gsub(/[(x]/, "", $5); print $5}' "$OUT/read_mid.txt")

echo "== (c) single-register etcd-log histories, 2,000 ops"
JEPSEN_CHECK=$BUILD/jepsen-check bench/register_sweep.sh | tee "$OUT/sweep.txt"

cat <<SUMMARY

== summary (medians; targets from the issue in brackets)
(a) both corpora, one process     ${a_total} ms total, ${a_rss} MiB peak RSS
    Porcupine corpus (109 files)  ${a_porc} ms   [<= 120 ms: a fifth of Porcupine's 0.6 s]
    Knossos corpus (122 files)    ${a_knos} ms
(b) 1M ops, jepsen-check          ${b_wall} s, ${b_rss} MiB peak RSS   [< 10 s]
    reading it                    ${r_big} MB/s   [>= 200 MB/s]
    reading a ${r_mid_mb} MB one      ${r_mid} MB/s, peak RSS ${r_mid_rss} MiB = ${r_mid_x}x the file
(c) register sweep                see the table above   [all decided; 30, 50 procs < 10 s, < 1 GB]
SUMMARY
