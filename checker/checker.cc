#include "checker/checker.h"

#include <algorithm>

#include "history/json_text.h"

namespace jepsen::checker {
namespace {

bool Lists(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

const Checker* CheckerOfModel(const std::string& model) {
  for (const Checker& checker : Checkers()) {
    for (const ModelInfo& m : checker.models) {
      if (m.name == model) return &checker;
    }
  }
  return nullptr;
}

std::string ModelNames() {
  std::string names;
  for (const Checker& checker : Checkers()) {
    for (const ModelInfo& m : checker.models) names += (names.empty() ? "" : ", ") + m.name;
  }
  return names;
}

// Which checker applies: see CheckHistory.
Result<const Checker*> Choose(const history::History& history, const CheckOptions& options) {
  if (!options.checker.empty()) {
    const Checker* checker = FindChecker(options.checker);
    if (checker == nullptr || checker->added_to != nullptr) {
      return Status::Error("unknown checker " + history::Quote(options.checker) +
                           " (known: " + ChosenCheckerNames() + ")");
    }
    return checker;
  }
  if (!options.model.empty()) {
    if (const Checker* checker = CheckerOfModel(options.model)) return checker;
    return Status::Error("unknown model " + history::Quote(options.model) +
                         " (known: " + ModelNames() + ")");
  }
  const std::string workload = history.workload();
  for (const Checker& checker : Checkers()) {
    if (!workload.empty() && checker.added_to == nullptr && Lists(checker.workloads, workload)) {
      return &checker;
    }
    if (workload.empty() && checker.claims != nullptr && checker.claims(history)) return &checker;
  }
  if (workload.empty()) {
    return Status::Error(history.source +
                         ": no header 'workload' says which checks apply; give --model NAME "
                         "or --checker NAME");
  }
  return Status::Error(history.source + ": header workload " + history::Quote(workload) +
                       " has no checker; give --model NAME or --checker NAME");
}

// A history without client operations gives nothing to judge: never valid.
CheckResult NothingToCheck(const std::string& checker) {
  CheckResult r;
  r.checker = checker;
  r.verdict = Verdict::kUnknown;
  r.summary = "unknown: no client operations, so there is nothing to check";
  r.reason = "no client operations";
  r.facts = {{"ops", 0}};
  return r;
}

}  // namespace

Result<std::vector<CheckResult>> CheckHistory(const history::History& history,
                                              const CheckOptions& options) {
  Result<options::Values> values = ResolveOptions(options.options);
  if (!values.ok()) return values.status();
  Result<const Checker*> chosen = Choose(history, options);
  if (history.ops.empty()) {
    return std::vector<CheckResult>{NothingToCheck(chosen.ok() ? (*chosen)->name : "none")};
  }
  if (!chosen.ok()) return chosen.status();
  const CheckInput input{history, options.model, options.budget, *values};
  std::vector<CheckResult> results;
  auto run = [&](const Checker& checker) {
    Result<CheckResult> result = checker.check(input);
    if (result.ok()) results.push_back(std::move(result).value());
    return result.ok() ? Status() : result.status();
  };
  if (Status s = run(**chosen); !s.ok()) return s;
  for (const Checker& checker : Checkers()) {
    if (checker.added_to == nullptr || !checker.added_to(history)) continue;
    if (Status s = run(checker); !s.ok()) return s;
  }
  return results;
}

Verdict Overall(const std::vector<CheckResult>& results) {
  Verdict v = Verdict::kValid;
  for (const CheckResult& r : results) v = Merge(v, r.verdict);
  return v;
}

}  // namespace jepsen::checker
