// Checking speed of the lease and checkpoint checkers alone: loads a history
// once, then runs the checker it names (leases or checkpoints) several times,
// on one thread and on all, and prints the medians of wall and CPU time.
// Loading is timed by read_bench; jepsen-check's own figure is both.
//
// Usage: lease_checkpoint_bench FILE leases|checkpoints [--repeat N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/measure.h"
#include "checker/checkpoint/checkpoint.h"
#include "checker/lease/lease.h"
#include "history/load.h"

namespace jepsen {
namespace {

using bench::CpuSeconds;
using bench::Median;

int Main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: lease_checkpoint_bench FILE leases|checkpoints [--repeat N]\n");
    return 254;
  }
  const std::string file = argv[1], which = argv[2];
  int repeat = 5;
  if (argc >= 5 && std::string(argv[3]) == "--repeat") repeat = std::max(1, std::atoi(argv[4]));
  Result<history::History> h = history::LoadHistory(file);
  if (!h.ok()) {
    std::fprintf(stderr, "%s\n", h.message().c_str());
    return 254;
  }
  std::printf("%s: %zu ops\n", file.c_str(), h->ops.size());
  for (unsigned threads : {1u, 0u}) {
    std::vector<double> wall, cpu;
    std::string summary;
    for (int i = 0; i < repeat; ++i) {
      const double cpu0 = CpuSeconds();
      const auto t0 = std::chrono::steady_clock::now();
      Result<checker::CheckResult> r = Status::Error("unknown checker " + which);
      if (which == "leases") {
        checker::lease::Options options;
        options.threads = threads;
        r = checker::lease::Check(*h, options);
      } else if (which == "checkpoints") {
        checker::checkpoint::Options options;
        options.threads = threads;
        r = checker::checkpoint::Check(*h, options);
      }
      wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      cpu.push_back(CpuSeconds() - cpu0);
      if (!r.ok()) {
        std::fprintf(stderr, "%s\n", r.message().c_str());
        return 254;
      }
      summary = r->summary;
    }
    std::printf("check (%s): median %.3f s wall, %.3f s CPU (%d runs): %s\n",
                threads == 1 ? "1 thread" : "all cores", Median(wall), Median(cpu), repeat,
                summary.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace jepsen

int main(int argc, char** argv) { return jepsen::Main(argc, argv); }
