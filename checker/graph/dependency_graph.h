// A dependency graph over a history's operations, for explaining violations
// the way Elle does: each edge says why one op must come before another, and
// a violation is a cycle -- a chain of such reasons that comes back to where
// it began. Vertices are indices into History::ops, added on first use.
//
// Built for small graphs (the handful of ops behind one violation, or one
// key's ops with only the edges a checker needs): finding the shortest cycle
// costs O(V * E) in the worst case. Checkers find candidate violations with
// sweeps (see precedence.h) and build a graph per violation, never the
// quadratic real-time graph of a whole history.
#ifndef JEPSEN_CHECKER_GRAPH_DEPENDENCY_GRAPH_H_
#define JEPSEN_CHECKER_GRAPH_DEPENDENCY_GRAPH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jepsen::checker::graph {

enum class EdgeKind : uint8_t {
  kRealTime,  // the first op completed before the second was invoked
  kProcess,   // the same process ran the first op, then the second
  kWr,        // the second op observed what the first wrote
  kWw,        // version order: the second op's write supersedes the first's
  kRw,        // anti-dependency: the first op observed a state the second replaced
  kToken,     // fencing-token order: the first op's token is not above the second's
  kLease,     // lease rules: a hold, renewal or release pins the order
};

// "real-time", "process", "wr", "ww", "rw", "token", "lease".
std::string_view ToString(EdgeKind kind);

// One step of a cycle or chain: an op, and the edge from it to the next
// step's op (for a cycle's last step, back to the first).
struct Step {
  uint32_t op = 0;  // index into History::ops
  EdgeKind kind = EdgeKind::kRealTime;
  std::string reason;
};

class DependencyGraph {
 public:
  DependencyGraph();
  ~DependencyGraph();
  DependencyGraph(DependencyGraph&&) noexcept;
  DependencyGraph& operator=(DependencyGraph&&) noexcept;

  // `reason` says, in words, why `from` must come before `to`.
  void AddEdge(uint32_t from, uint32_t to, EdgeKind kind, std::string reason);

  size_t vertex_count() const;
  size_t edge_count() const;

  // The strongly connected components that hold a cycle (two or more ops, or
  // one op with an edge to itself), each as sorted op indices, ordered by
  // their lowest op.
  std::vector<std::vector<uint32_t>> CyclicComponents() const;

  // A cycle with the fewest edges (searched by BFS inside each cyclic
  // component), starting at its lowest op index -- the earliest invoked, as
  // History::ops is in invocation order. Empty when the graph is acyclic.
  std::vector<Step> ShortestCycle() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jepsen::checker::graph

#endif  // JEPSEN_CHECKER_GRAPH_DEPENDENCY_GRAPH_H_
