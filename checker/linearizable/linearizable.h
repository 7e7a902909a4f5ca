// The linearizability checker: splits a history by key (P-compositionality),
// searches each part on a thread pool and stops at the first violation.
#ifndef JEPSEN_CHECKER_LINEARIZABLE_LINEARIZABLE_H_
#define JEPSEN_CHECKER_LINEARIZABLE_LINEARIZABLE_H_

#include <atomic>
#include <cstddef>
#include <string>

#include "checker/check_result.h"
#include "checker/linearizable/model.h"
#include "history/history.h"

namespace jepsen::checker::linearizable {

// How far a running Check has come, for a progress display on another
// thread; the search threads update it between slices.
struct Progress {
  std::atomic<size_t> parts{0};  // to search; set when the search begins
  std::atomic<size_t> parts_decided{0};
  std::atomic<size_t> ops{0};  // that must be linearized (completed ones)
  // Of those: all in decided parts, and in the others the longest
  // linearization found so far.
  std::atomic<size_t> ops_linearized{0};
};

struct Options {
  std::string model = "cas-register";
  ModelOptions model_options;
  // 0: no limit; else the verdict is unknown when it runs out, counted from
  // the call of Check (splitting and compiling the history included).
  double time_limit_seconds = 0;
  size_t memory_limit_bytes = 0;  // 0: no limit; likewise
  unsigned threads = 0;           // 0: one per hardware thread
  Progress* progress = nullptr;   // optional; must outlive Check
};

// Errors (an op the model does not understand, an unknown model) name the
// file, line and field; a verdict is never guessed.
Result<CheckResult> Check(const history::History& history, const Options& options);

}  // namespace jepsen::checker::linearizable

#endif  // JEPSEN_CHECKER_LINEARIZABLE_LINEARIZABLE_H_
