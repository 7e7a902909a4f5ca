// The linearizability checker: splits a history by key (P-compositionality),
// searches each part on a thread pool and stops at the first violation.
#ifndef JEPSEN_CHECKER_LINEARIZABLE_LINEARIZABLE_H_
#define JEPSEN_CHECKER_LINEARIZABLE_LINEARIZABLE_H_

#include <string>

#include "checker/check_result.h"
#include "checker/linearizable/model.h"
#include "history/history.h"

namespace jepsen::checker::linearizable {

struct Options {
  std::string model = "cas-register";
  ModelOptions model_options;
  double time_limit_seconds = 0;  // 0: no limit; else verdict unknown when it runs out
  size_t memory_limit_bytes = 0;  // 0: no limit; likewise
  unsigned threads = 0;           // 0: one per hardware thread
};

// Errors (an op the model does not understand, an unknown model) name the
// file, line and field; a verdict is never guessed.
Result<CheckResult> Check(const history::History& history, const Options& options);

}  // namespace jepsen::checker::linearizable

#endif  // JEPSEN_CHECKER_LINEARIZABLE_LINEARIZABLE_H_
