// Wing & Gong's linearizability search with Lowe's memoisation, for one
// partition. Sound reductions (each keeps the verdict; see search.cc and
// docs/linearizability.md):
//  R1 failed ops are dropped before the search (they did not happen);
//  R2 indeterminate ops that never change the state (reads) are dropped;
//  R3 indeterminate ops have no deadline and need never be linearized;
//  R4 a determinate read-only op that is legal now is linearized at once,
//     without trying alternatives (moving a read earlier keeps any witness);
//  R5 indeterminate ops with equal effects are interchangeable: only the
//     earliest invoked one not yet linearized is tried;
//  R6 an indeterminate op that would not change the state is not applied;
//  R7 a configuration is dead when a pending determinate read can never
//     become legal from its state (Model::Unreachable, e.g. append-only);
//  R8 a configuration is dominated by one seen before with the same
//     determinate ops linearized and the same state that used no more
//     indeterminate ops of any effect class.
// Memo entries are 128-bit fingerprints of (linearized set, state), so a
// collision could only prune (never invent) a witness, with odds ~2^-100.
#ifndef JEPSEN_CHECKER_LINEARIZABLE_SEARCH_H_
#define JEPSEN_CHECKER_LINEARIZABLE_SEARCH_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "checker/linearizable/model.h"

namespace jepsen::checker::linearizable {

struct SearchOp {
  int64_t call = 0;        // invocation time
  int64_t ret = 0;         // completion time, when completed
  bool completed = false;  // false for indeterminate ops (info, never completed)
  // A flag, not a sentinel time: any int64 is a time an op may complete at.
  bool indeterminate() const { return !completed; }
};

struct SearchBudget {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  size_t memory_bytes = 0;                     // 0: no limit
  std::atomic<size_t>* memory_used = nullptr;  // shared by the searches counted against it
  const std::atomic<bool>* cancel = nullptr;   // stop early when set
};

enum class SearchOutcome { kLinearizable, kNotLinearizable, kOutOfTime, kOutOfMemory, kCancelled };

struct SearchResult {
  SearchOutcome outcome = SearchOutcome::kLinearizable;
  // For kNotLinearizable: the longest linearization found (op numbers in
  // order), the model state after it, and the op that could not follow it.
  std::vector<uint32_t> longest_prefix;
  Model::State state_after_prefix = 0;
  uint32_t blocked_op = UINT32_MAX;
  uint64_t configurations = 0;  // distinct configurations explored
  size_t memory_bytes = 0;      // peak memo and stack size
};

// One partition's search, run in slices so that many partitions share the
// threads fairly: a violation that is quick to find is not stuck behind a part
// that is slow to decide.
class Search {
 public:
  // REQUIRES: `model` has compiled exactly ops.size() ops, numbered as `ops`,
  // and outlives the search; times ordered as the history's (ties: concurrent).
  Search(Model& model, std::vector<SearchOp> ops, const SearchBudget& budget);
  ~Search();
  Search(Search&&) noexcept;
  Search& operator=(Search&&) noexcept;

  // Runs up to `steps` more steps; true once the search is over (decided,
  // out of budget or cancelled), when result() holds the outcome.
  bool Run(uint64_t steps);
  const SearchResult& result() const;
  uint64_t configurations() const;
  // Completed ops in the longest linearization found so far (all of them
  // once found linearizable): how far the search has come.
  size_t linearized() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jepsen::checker::linearizable

#endif  // JEPSEN_CHECKER_LINEARIZABLE_SEARCH_H_
