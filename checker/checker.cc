#include "checker/checker.h"

namespace jepsen::checker {
namespace {

// The linearizability model a workload name implies, or "" when it names none.
std::string ModelForWorkload(const std::string& workload) {
  if (workload == "register" || workload == "cas-register") return "cas-register";
  for (const std::string& name : linearizable::ModelNames()) {
    if (name == workload) return name;
  }
  return "";
}

}  // namespace

Result<std::vector<CheckResult>> CheckHistory(const history::History& history,
                                              const CheckOptions& options) {
  linearizable::Options lin = options.linearizable;
  std::string checker = options.checker;
  if (checker.empty() && options.model_given) checker = "linearizable";
  if (checker.empty()) {
    const std::string workload = history.workload();
    if (workload.empty()) {
      return Status::Error(history.source +
                           ": no header 'workload' says which checks apply; give --model NAME "
                           "or --checker NAME");
    }
    std::string model = ModelForWorkload(workload);
    if (model.empty()) {
      return Status::Error(history.source + ": header workload '" + workload +
                           "' has no checker; give --model NAME or --checker NAME");
    }
    checker = "linearizable";
    lin.model = model;
  }
  if (checker != "linearizable") {
    return Status::Error("unknown checker '" + checker + "' (known: linearizable)");
  }
  Result<CheckResult> result = linearizable::Check(history, lin);
  if (!result.ok()) return result.status();
  return std::vector<CheckResult>{std::move(result).value()};
}

Verdict Overall(const std::vector<CheckResult>& results) {
  Verdict v = Verdict::kValid;
  for (const CheckResult& r : results) v = Merge(v, r.verdict);
  return v;
}

}  // namespace jepsen::checker
