// What the benchmarks measure besides wall time: CPU time (it moves less than
// wall time on a shared machine, so it is printed beside it), peak RSS, and
// medians of repeated runs.
#ifndef JEPSEN_BENCH_MEASURE_H_
#define JEPSEN_BENCH_MEASURE_H_

#include <sys/resource.h>

#include <algorithm>
#include <vector>

namespace jepsen::bench {

// User plus system CPU time of the process so far.
inline double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// ru_maxrss: the whole process's peak so far.
inline double PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024.0;
}

// The upper median for an even count; `v` is not empty.
inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace jepsen::bench

#endif  // JEPSEN_BENCH_MEASURE_H_
