// The recorder's cost per op: one invoke and one completion appended to
// history.jsonl (two JSON lines, two write(2) calls), as jepsen-run does.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>

#include "runner/recorder.h"

namespace {

void BM_RecordOp(benchmark::State& state) {
  const std::string path = "/tmp/recorder-bench-" + std::to_string(::getpid()) + ".jsonl";
  auto recorder = jepsen::runner::Recorder::Create(path, {{"workload", "leases"}}, 10);
  if (!recorder.ok()) {
    state.SkipWithError(recorder.message().c_str());
    return;
  }
  const jepsen::history::Json value = {{"token", 17}, {"value", 4242}};
  int64_t time = 0;
  int thread = 0;
  for (auto _ : state) {
    (*recorder)->Invoke(thread, "write", "r1", value, time++).value();
    (*recorder)->Complete(thread, jepsen::history::EventType::kOk, nullptr, "", time++).value();
    thread = (thread + 1) % 10;
  }
  state.SetItemsProcessed(state.iterations());
  std::remove(path.c_str());
}
BENCHMARK(BM_RecordOp);

}  // namespace

BENCHMARK_MAIN();
