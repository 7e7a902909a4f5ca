// Reading speed: times LoadHistory alone (no checking) over one file, and
// the process's peak RSS against the file's size. The first read also warms
// the page cache; the median of the repeats is the figure to quote.
//
// Usage: read_bench FILE [--repeat N] [--format auto|jsonl|edn|etcd-log]
// MB is 10^6 bytes. Peak RSS is ru_maxrss: the whole process, one history
// alive at a time (each is freed before the next read).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/measure.h"
#include "history/load.h"

namespace jepsen {
namespace {

using bench::CpuSeconds;
using bench::Median;
using bench::PeakRssBytes;

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: read_bench FILE [--repeat N] [--format F]\n");
    return 2;
  }
  const std::string path = argv[1];
  int repeat = 5;
  history::Format format = history::Format::kAuto;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--repeat") {
      repeat = std::max(1, std::atoi(argv[i + 1]));
    } else if (arg == "--format" && history::ParseFormat(argv[i + 1])) {
      format = *history::ParseFormat(argv[i + 1]);
    } else {
      std::fprintf(stderr, "read_bench: bad flag %s\n", arg.c_str());
      return 2;
    }
  }
  std::error_code error;
  const double bytes = static_cast<double>(std::filesystem::file_size(path, error));
  if (error) {
    std::fprintf(stderr, "read_bench: %s: %s\n", path.c_str(), error.message().c_str());
    return 2;
  }
  const double baseline = PeakRssBytes();
  std::vector<double> seconds, cpu;
  size_t events = 0, ops = 0;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = CpuSeconds();
    Result<history::History> h = history::LoadHistory(path, format);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    cpu.push_back(CpuSeconds() - cpu_start);
    if (!h.ok()) {
      std::fprintf(stderr, "read_bench: %s\n", h.message().c_str());
      return 1;
    }
    events = h->events.size();
    ops = h->ops.size();
  }
  std::vector<double> sorted = seconds;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted[sorted.size() / 2];
  const double cpu_median = Median(cpu);
  const double peak = PeakRssBytes();
  std::printf("%s: %.1f MB, %zu events, %zu ops\n", path.c_str(), bytes / 1e6, events, ops);
  std::printf("read: median %.3f s (min %.3f, max %.3f, %d runs)  %.0f MB/s\n", median,
              sorted.front(), sorted.back(), repeat, bytes / 1e6 / median);
  std::printf("cpu:  median %.3f s  %.0f MB per CPU second\n", cpu_median,
              bytes / 1e6 / cpu_median);
  std::printf("peak RSS %.1f MiB (%.2fx the file; %.1f MiB before reading)\n", peak / 1048576,
              peak / bytes, baseline / 1048576);
  return 0;
}

}  // namespace
}  // namespace jepsen

int main(int argc, char** argv) { return jepsen::Main(argc, argv); }
