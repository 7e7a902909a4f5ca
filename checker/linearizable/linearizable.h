// The linearizability checker: splits a history by key (P-compositionality),
// searches each part on a thread pool and stops at the first violation.
#ifndef JEPSEN_CHECKER_LINEARIZABLE_LINEARIZABLE_H_
#define JEPSEN_CHECKER_LINEARIZABLE_LINEARIZABLE_H_

#include <cstddef>
#include <string>

#include "checker/check_result.h"
#include "checker/linearizable/model.h"
#include "checker/progress.h"
#include "checker/registry.h"
#include "history/history.h"

namespace jepsen::checker::linearizable {

// Check updates it between slices (see checker/progress.h).
using Progress = checker::Progress;

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

// Its entry in the registry (registration.cc): the workloads register,
// cas-register and every model's name; its models; its options `initial`
// (JSON or EDN) and `nil-read`; Porcupine's kv files claimed by their ops.
// Given no model, it takes the one the header's workload names
// (register/cas-register: cas-register), else string-kv for Porcupine's kv
// ops, else cas-register.
Checker Registration();

// Whether a read of nil observed nothing (Knossos) for `format`, as the
// `nil-read` option in `values` says (auto: for Jepsen's own data).
bool NilReadAny(const options::Values& values, history::Format format);

}  // namespace jepsen::checker::linearizable

#endif  // JEPSEN_CHECKER_LINEARIZABLE_LINEARIZABLE_H_
