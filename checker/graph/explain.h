// A violation as an explainer draws it up: which invariant broke, on which
// key, a one-sentence headline, and the cycle (or chain) of ops with a reason
// for each step, in the style of Elle's cycle explanations. Faults the nemesis
// injected while it unfolded are named.
#ifndef JEPSEN_CHECKER_GRAPH_EXPLAIN_H_
#define JEPSEN_CHECKER_GRAPH_EXPLAIN_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "checker/graph/dependency_graph.h"
#include "checker/violation.h"
#include "history/history.h"

namespace jepsen::checker::graph {

struct Violation {
  std::string kind;      // "L1".."L4", "C1".."C4": which invariant broke
  std::string title;     // "mutual exclusion", "lost acknowledgement", ...
  history::Json key;     // the resource or stream
  std::string headline;  // one sentence: what went wrong, with times
  // The cycle from DependencyGraph::ShortestCycle(), or, for a violation no
  // cycle shows (a read of a value nobody wrote), the chain of ops behind it.
  std::vector<Step> steps;
  bool cycle = true;              // whether the last step leads back to the first
  std::vector<uint32_t> related;  // further ops the reasons name (a renew, a release)
  // Nemesis events with window_from <= time <= window_to are named as having
  // happened in between; an empty window (from > to) names none.
  int64_t window_from = 0;
  int64_t window_to = -1;

  // Steps from the graph's shortest cycle (none when it has no cycle).
  void SetCycle(const DependencyGraph& graph) {
    steps = graph.ShortestCycle();
    cycle = !steps.empty();
  }
  void SetWindow(int64_t from, int64_t to) {
    window_from = from;
    window_to = to;
  }
};

// The nemesis events of a history by time, to answer "what faults happened
// between t1 and t2" in O(log n).
class NemesisIndex {
 public:
  explicit NemesisIndex(const history::History& history);
  // Positions in History::events, in time order.
  std::vector<uint32_t> Between(int64_t from, int64_t to) const;

 private:
  const history::History* history_;
  std::vector<uint32_t> events_;
};

// "a kill of n1 (1.150 s)"; with what the fault recorded it did: "a power-off
// of n1 (2.000 s; lost n1: bytes 8192, files (db-wal), writes 5)".
std::string NemesisText(const history::History& history, const history::Event& event);

// The headline (with the faults in its window), then a line per step:
//   1. <op>
//      -> 2 (real-time): <reason>
std::string ViolationText(const history::History& history, const NemesisIndex& nemesis,
                          const Violation& violation);

// The stretch of time its steps' and related ops cover: the earliest
// invocation to the latest completion (an op never completed: its invocation).
std::pair<int64_t, int64_t> OpsSpan(const history::History& history, const Violation& violation);

// The violation as a result carries it (checker/violation.h): its ops as
// references (the steps', then the related ones), its steps with their edges,
// the faults in its window, and ViolationText as its text.
checker::Violation Resolve(const history::History& history, const NemesisIndex& nemesis,
                           const Violation& violation);

}  // namespace jepsen::checker::graph

#endif  // JEPSEN_CHECKER_GRAPH_EXPLAIN_H_
