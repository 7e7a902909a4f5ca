// The checker module's front door: which checks a history gets, and running them.
#ifndef JEPSEN_CHECKER_CHECKER_H_
#define JEPSEN_CHECKER_CHECKER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "checker/check_result.h"
#include "checker/linearizable/linearizable.h"
#include "history/history.h"

namespace jepsen::checker {

struct CheckOptions {
  // "linearizable" (with linearizable.model), "leases", "checkpoints", or ""
  // to choose from the header's workload; a model given on the command line
  // implies linearizable.
  std::string checker;
  bool model_given = false;
  // Budgets and threads here apply to every checker (leases: to its L3 reads).
  linearizable::Options linearizable;
  std::optional<double> drift;  // leases: nullopt = the header's options.drift, else 0.01
  size_t max_violations = 100;  // leases, checkpoints: explained; all are counted
};

// Picks the checks from the options, else from the header's `workload`
// (register/cas-register -> cas-register per key, kv -> kv, which is the
// same, a model name -> that model, leases -> lease exclusivity,
// checkpoints -> checkpoint monotonicity), else, for a file with no header
// whose ops are all get/put/append on string keys (Porcupine's kv tests),
// string-kv. A history with none of these is an error asking for one. A
// history without client operations is `unknown` (there is nothing to
// check), whatever its checks. A history whose header carries `nemesis` (a
// run's) also gets the stats check (stats.h).
Result<std::vector<CheckResult>> CheckHistory(const history::History& history,
                                              const CheckOptions& options);

// The merged verdict of several results (invalid > unknown > valid).
Verdict Overall(const std::vector<CheckResult>& results);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_CHECKER_H_
