// How far a running check has come, for a progress display on another
// thread (cli/progress_line.h). The linearizability search updates it
// between slices; checks that do not leave it at zero.
#ifndef JEPSEN_CHECKER_PROGRESS_H_
#define JEPSEN_CHECKER_PROGRESS_H_

#include <atomic>
#include <cstddef>

namespace jepsen::checker {

struct Progress {
  std::atomic<size_t> parts{0};  // to search; set when the search begins
  std::atomic<size_t> parts_decided{0};
  std::atomic<size_t> ops{0};  // that must be linearized (completed ones)
  // Of those: all in decided parts, and in the others the longest
  // linearization found so far.
  std::atomic<size_t> ops_linearized{0};
};

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_PROGRESS_H_
