#include "checker/checker.h"

#include "checker/checkpoint/checkpoint.h"
#include "checker/lease/lease.h"
#include "checker/stats.h"
#include "history/json_text.h"

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
  return Status::Error("unknown checker " + history::Quote(checker) +
                       " (known: linearizable, leases, checkpoints)");
}

// Porcupine's kv test histories carry no header: their ops (get, put,
// append on string keys) say which model they need.
bool IsPorcupineKv(const history::History& history) {
  if (!history.header.is_null() || history.ops.empty()) return false;
  for (const history::Op& op : history.ops) {
    const history::Event& e = history.invocation(op);
    if ((e.f != "get" && e.f != "put" && e.f != "append") || !e.key.is_string()) return false;
  }
  return true;
}

// Which checker applies, and for linearizability which model (into `lin`).
Result<std::string> ChooseChecker(const history::History& history, const CheckOptions& options,
                                  linearizable::Options& lin) {
  if (!options.checker.empty()) return options.checker;
  if (options.model_given) return std::string("linearizable");
  const std::string workload = history.workload();
  if (workload.empty() && IsPorcupineKv(history)) {
    lin.model = "string-kv";
    return std::string("linearizable");
  }
  if (workload.empty()) {
    return Status::Error(history.source +
                         ": no header 'workload' says which checks apply; give --model NAME "
                         "or --checker NAME");
  }
  if (workload == "leases" || workload == "checkpoints") return workload;
  std::string model = ModelForWorkload(workload);
  if (model.empty()) {
    return Status::Error(history.source + ": header workload " + history::Quote(workload) +
                         " has no checker; give --model NAME or --checker NAME");
  }
  lin.model = model;
  return std::string("linearizable");
}

// A history without client operations gives nothing to judge: never valid.
CheckResult NothingToCheck(const std::string& checker) {
  CheckResult r;
  r.checker = checker;
  r.verdict = Verdict::kUnknown;
  r.summary = "unknown: no client operations, so there is nothing to check";
  r.details = {{"reason", "no client operations"}, {"ops", 0}};
  return r;
}

}  // namespace

Result<std::vector<CheckResult>> CheckHistory(const history::History& history,
                                              const CheckOptions& options) {
  linearizable::Options lin = options.linearizable;
  Result<std::string> checker = ChooseChecker(history, options, lin);
  if (history.ops.empty()) {
    return std::vector<CheckResult>{NothingToCheck(checker.ok() ? *checker : "none")};
  }
  if (!checker.ok()) return checker.status();
  Result<CheckResult> result = Run(history, *checker, lin, options);
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
