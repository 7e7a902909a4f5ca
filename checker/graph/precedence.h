// Real-time precedence queries by sweeping, so that checkers can find the
// candidates for cycles without building the quadratic real-time graph:
// "among the ops that completed before this one was invoked, which has the
// highest value?" answers L2 (tokens), L3 (accepted writes), C1 (acknowledged
// checkpoints), C3 and C4 (monotonic sequences) in O(n log n) per key.
#ifndef JEPSEN_CHECKER_GRAPH_PRECEDENCE_H_
#define JEPSEN_CHECKER_GRAPH_PRECEDENCE_H_

#include <cstdint>
#include <limits>
#include <vector>

namespace jepsen::checker::graph {

struct TimedValue {
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
  int64_t invoke = 0;
  int64_t complete = kNever;  // kNever: never completed (never precedes anything)
  int64_t value = 0;
};

// For each target, the index of the source with the highest value among the
// sources that completed strictly before the target was invoked (ops that
// touch are concurrent), or -1 when none did. Ties go to the source that
// completed first.
std::vector<int64_t> MaxCompletedBefore(const std::vector<TimedValue>& sources,
                                        const std::vector<TimedValue>& targets);

}  // namespace jepsen::checker::graph

#endif  // JEPSEN_CHECKER_GRAPH_PRECEDENCE_H_
