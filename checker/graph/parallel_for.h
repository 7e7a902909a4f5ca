// Runs fn(i) for i in [0, n) on up to `threads` threads (0: one per hardware
// thread). Checkers built on this module work per key, and keys are
// independent; each fn(i) must touch only its own slot of any shared output.
#ifndef JEPSEN_CHECKER_GRAPH_PARALLEL_FOR_H_
#define JEPSEN_CHECKER_GRAPH_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace jepsen::checker::graph {

template <class Fn>
void ParallelFor(size_t n, unsigned threads, Fn&& fn) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, n));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

}  // namespace jepsen::checker::graph

#endif  // JEPSEN_CHECKER_GRAPH_PARALLEL_FOR_H_
