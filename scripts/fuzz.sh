#!/usr/bin/env bash
# The damaged-input fuzzer (tests/cli/mutation_test.cc) at length, under
# AddressSanitizer and UndefinedBehaviorSanitizer: the example histories
# mutated FUZZ_INPUTS ways (default 20000; bytes, lines, extreme numbers near
# +-2^63 and beyond 64 bits, CR/CRLF line ends, control characters), each
# checked end to end by jepsen-check's code and every fourth one also through a
# pipe. Fails on a crash, a sanitizer report, an exit code other than
# 0/1/2/254, an error that names no line, a raw control character in the
# output, or a pipe and a file that disagree.
#
# Usage: scripts/fuzz.sh            FUZZ_INPUTS=100000 FUZZ_SEED=7 scripts/fuzz.sh
# BUILD (default build-asan) is configured as scripts/test.sh configures it;
# JOBS (default: all cores) builds it.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD:-build-asan}
inputs=${FUZZ_INPUTS:-20000}
seed=${FUZZ_SEED:-$(date +%s)}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1" \
  -DJEPSEN_SANITIZE=ON -DJEPSEN_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target cli_tests

echo "== fuzzing: $inputs inputs, seed $seed"
start=$(date +%s)
JEPSEN_MUTATIONS=$inputs JEPSEN_MUTATION_SEED=$seed \
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$build/tests/cli_tests" --gtest_filter='DamagedInput.*' --gtest_brief=1
echo "== $inputs inputs passed in $(( $(date +%s) - start )) s (seed $seed)"
