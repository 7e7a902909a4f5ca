#!/usr/bin/env bash
# (c) of the benchmark issue: single-register histories in the etcd-log shape
# (values 0-4, reads, writes and cas, linearizable by construction) of 2,000
# ops, checked one per jepsen-check process under /usr/bin/time. Prints per
# configuration: how many were decided (valid), median and max wall time,
# median and max peak RSS. An undecided (unknown) or invalid history is
# reported by name, never dropped.
#
# Environment (all optional):
#   JEPSEN_CHECK  the binary (default build/jepsen-check)
#   CONFIGS       "procs:info ..." (default "10:0.05 20:0.10 30:0.15 50:0.20")
#   SEEDS         seeds per configuration (default 10)
#   OPS           ops per history (default 2000)
#   INFO_OF       mutations | ops: what the info fraction is of (default mutations,
#                 i.e. of writes and cas; see gen_register_history.py)
#   TIME_LIMIT    seconds per history (default 60)
#   OUT           where histories go (default bench/out/sweep)
set -u
cd "$(dirname "$0")/.."
CHECK=${JEPSEN_CHECK:-build/jepsen-check}
CONFIGS=${CONFIGS:-"10:0.05 20:0.10 30:0.15 50:0.20"}
SEEDS=${SEEDS:-10}
OPS=${OPS:-2000}
INFO_OF=${INFO_OF:-mutations}
TIME_LIMIT=${TIME_LIMIT:-60}
OUT=${OUT:-bench/out/sweep}
mkdir -p "$OUT"
[ -x "$CHECK" ] || { echo "register_sweep: $CHECK not built" >&2; exit 2; }

# Median and max of the numbers on stdin, as "median max".
stats() { sort -g | awk '{v[NR] = $1} END {
  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[NR] }'; }

printf '%-6s %-6s %-9s %-22s %-20s\n' procs info decided "wall s (median/max)" \
  "RSS MiB (median/max)"
problems=()
for config in $CONFIGS; do
  procs=${config%%:*}
  info=${config#*:}
  walls=() rsses=() decided=0
  for seed in $(seq 1 "$SEEDS"); do
    file="$OUT/p${procs}_i${info}_${INFO_OF}_s${seed}.log"
    python3 bench/gen_register_history.py --shape etcd-log --ops "$OPS" --processes "$procs" \
      --info "$info" --info-of "$INFO_OF" --seed "$seed" > "$file"
    /usr/bin/time -f '%e %M' -o "$OUT/time.txt" \
      "$CHECK" --model cas-register --time-limit "$TIME_LIMIT" "$file" > "$OUT/check.txt" 2>&1
    rc=$?
    read -r wall rss < <(tail -n 1 "$OUT/time.txt")
    walls+=("$wall")
    rsses+=("$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')")
    case $rc in
      0) decided=$((decided + 1)) ;;
      1) problems+=("$file: INVALID, but it is linearizable by construction") ;;
      2) problems+=("$file: UNDECIDED (unknown after ${wall} s, ${rss} KiB)") ;;
      *) problems+=("$file: jepsen-check exit $rc: $(head -c 300 "$OUT/check.txt")") ;;
    esac
  done
  read -r wall_med wall_max < <(printf '%s\n' "${walls[@]}" | stats)
  read -r rss_med rss_max < <(printf '%s\n' "${rsses[@]}" | stats)
  printf '%-6s %-6s %-9s %-22s %-20s\n' "$procs" "$info" "$decided/$SEEDS" \
    "$wall_med / $wall_max" "$rss_med / $rss_max"
done
rm -f "$OUT/time.txt" "$OUT/check.txt"
if [ "${#problems[@]}" -gt 0 ]; then
  echo "!! ${#problems[@]} history(ies) not decided valid:"
  printf '!!   %s\n' "${problems[@]}"
  exit 1
fi
