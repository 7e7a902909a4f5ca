#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, checks the C++
# files are clang-formatted, builds and tests
# Release (build/), then builds and tests again with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), without the benchmarks, the
# browser test (it exercises chromium, not our code), the fault matrix (every
# fault's own e2e runs there already) and the e2e runs against Redis, PostgreSQL
# and SSH hosts (their clients, keeper and SSH code run there in their own
# suites: redis, systems, remote).  Warnings are errors
# in the Release build only: GCC's flow analysis under -O1 and the sanitizers
# reports false "maybe uninitialized" inside Boost.Graph.  Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh --no-build

echo "== format"
scripts/format.sh --check

jobs=$(nproc)
run_suite() {  # <build dir> <ctest exclude regex> <cmake args...>
  local dir=$1 exclude=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" ${exclude:+-E "$exclude"}
}

echo "== Release build and tests"
run_suite build "" -DCMAKE_BUILD_TYPE=Release -DJEPSEN_WERROR=ON
echo "== ASan+UBSan build and tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite build-asan 'report_browser|fault_matrix_e2e|redis_e2e|postgres_e2e|remote_e2e' -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1" \
  -DJEPSEN_SANITIZE=ON -DJEPSEN_BUILD_BENCH=OFF
echo "== all tests passed"
