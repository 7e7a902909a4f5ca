#include "checker/checker.h"

#include "checker/checkpoint/checkpoint.h"
#include "checker/lease/lease.h"
#include "checker/stats.h"

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

Result<CheckResult> Run(const history::History& history, const std::string& checker,
                        const linearizable::Options& lin, const CheckOptions& options) {
  if (checker == "linearizable") return linearizable::Check(history, lin);
  if (checker == "leases") {
    lease::Options lease;
    lease.drift = options.drift;
    lease.max_reported = options.max_violations;
    lease.time_limit_seconds = lin.time_limit_seconds;
    lease.memory_limit_bytes = lin.memory_limit_bytes;
    lease.threads = lin.threads;
    return lease::Check(history, lease);
  }
  if (checker == "checkpoints") {
    checkpoint::Options checkpoints;
    checkpoints.max_reported = options.max_violations;
    checkpoints.threads = lin.threads;
    return checkpoint::Check(history, checkpoints);
  }
  return Status::Error("unknown checker '" + checker +
                       "' (known: linearizable, leases, checkpoints)");
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
    if (workload == "leases" || workload == "checkpoints") {
      checker = workload;
    } else {
      std::string model = ModelForWorkload(workload);
      if (model.empty()) {
        return Status::Error(history.source + ": header workload '" + workload +
                             "' has no checker; give --model NAME or --checker NAME");
      }
      checker = "linearizable";
      lin.model = model;
    }
  }
  Result<CheckResult> result = Run(history, checker, lin, options);
  if (!result.ok()) return result.status();
  std::vector<CheckResult> results{std::move(result).value()};
  // A run's history (jepsen-run's header names its nemesis) also gets the stats check.
  if (history.header.is_object() && history.header.contains("nemesis")) {
    results.push_back(stats::Check(history));
  }
  return results;
}

Verdict Overall(const std::vector<CheckResult>& results) {
  Verdict v = Verdict::kValid;
  for (const CheckResult& r : results) v = Merge(v, r.verdict);
  return v;
}

}  // namespace jepsen::checker
