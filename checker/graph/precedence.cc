#include "checker/graph/precedence.h"

#include <algorithm>
#include <numeric>

namespace jepsen::checker::graph {

std::vector<int64_t> MaxCompletedBefore(const std::vector<TimedValue>& sources,
                                        const std::vector<TimedValue>& targets) {
  std::vector<uint32_t> by_complete(sources.size());
  std::iota(by_complete.begin(), by_complete.end(), 0u);
  std::stable_sort(by_complete.begin(), by_complete.end(), [&](uint32_t a, uint32_t b) {
    return sources[a].complete < sources[b].complete;
  });
  std::vector<uint32_t> by_invoke(targets.size());
  std::iota(by_invoke.begin(), by_invoke.end(), 0u);
  std::stable_sort(by_invoke.begin(), by_invoke.end(),
                   [&](uint32_t a, uint32_t b) { return targets[a].invoke < targets[b].invoke; });

  std::vector<int64_t> best(targets.size(), -1);
  int64_t max_index = -1;
  size_t next = 0;
  for (uint32_t t : by_invoke) {
    const int64_t invoke = targets[t].invoke;
    while (next < by_complete.size() && sources[by_complete[next]].complete < invoke) {
      const uint32_t s = by_complete[next++];
      if (max_index < 0 || sources[s].value > sources[max_index].value) max_index = s;
    }
    best[t] = max_index;
  }
  return best;
}

}  // namespace jepsen::checker::graph
