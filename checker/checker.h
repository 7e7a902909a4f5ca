// The checker module's front door: which checks a history gets, and running them.
#ifndef JEPSEN_CHECKER_CHECKER_H_
#define JEPSEN_CHECKER_CHECKER_H_

#include <map>
#include <string>
#include <vector>

#include "checker/check_result.h"
#include "checker/registry.h"
#include "history/history.h"

namespace jepsen::checker {

struct CheckOptions {
  // A registered checker's name, or "" to choose by `model` or the history.
  std::string checker;
  // One of a checker's models (which picks that checker); "" = the checker
  // chooses from the history (the header's workload).
  std::string model;
  Budget budget;  // applies to every check (leases: to its L3 reads)
  // The checkers' own options by name (registry.h), typed as the option's
  // kind; an option not given is at its declared default.
  std::map<std::string, history::Json> options;
};

// Picks the check through the registry (registry.h): the checker named, else
// the one whose models include the model named, else the one whose
// workloads include the header's `workload` (register/cas-register, kv or
// any model name: linearizable; leases; checkpoints), else, for a history
// whose header names no workload, the one that claims its ops (Porcupine's
// kv files: linearizable with string-kv). A history with none of these is an
// error asking for one. A history without client operations is `unknown`
// (there is nothing to check), whatever its checks. Checkers that are added
// rather than chosen follow (stats, for a run's history: its header carries
// `nemesis`). Errors: bad options (named as their flags), an unknown checker
// or model, and the checker's own (the file, line and field it cannot read).
Result<std::vector<CheckResult>> CheckHistory(const history::History& history,
                                              const CheckOptions& options);

// The merged verdict of several results (invalid > unknown > valid).
Verdict Overall(const std::vector<CheckResult>& results);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_CHECKER_H_
