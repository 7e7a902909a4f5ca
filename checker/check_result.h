// What every checker returns: a verdict, a one-line summary, an explanation
// for people, and the same facts typed for code: the violations it found, a
// linearizability failure, the checker's own figures. One JSON codec beside
// the type writes and reads a check as results.json and `jepsen-check --json`
// show it (docs/results-json.md); no other code reads a result's JSON by
// field name.
#ifndef JEPSEN_CHECKER_CHECK_RESULT_H_
#define JEPSEN_CHECKER_CHECK_RESULT_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/linearizable/failure.h"
#include "checker/verdict.h"
#include "checker/violation.h"
#include "history/event.h"
#include "history/status.h"

namespace jepsen::checker {

struct CheckResult {
  std::string checker;  // "linearizable", "leases", "checkpoints", "stats", ...
  Verdict verdict = Verdict::kValid;
  std::string summary;      // one line
  std::string explanation;  // several lines; empty when valid
  std::string reason;       // unknown: why ("time limit reached"); else empty
  // Checkers that count violations by kind: every kind checked with how
  // many were found (zeros included), and the first ones explained.
  std::map<std::string, size_t> counts;
  std::vector<Violation> violations;
  std::optional<linearizable::Failure> failure;  // the linearizable checker's, when invalid
  // The checker's own figures (ops, parts, grants, the model...): an object
  // whose keys are none of the above.
  history::Json facts = history::Json::object();

  // How many violations were found (the sum of `counts`).
  size_t found() const;
  bool operator==(const CheckResult&) const = default;
};

// {"checker", "verdict", "summary", "explanation", "details": facts + {"valid"
//  (the verdict), "reason" (when set), "count", "counts", "reported",
//  "violations" (checkers that count), "failure" (when set)}}
history::Json ToJson(const CheckResult& result);
history::Json ToJson(const std::vector<CheckResult>& results);
// ToJson(result)["details"] alone.
history::Json DetailsJson(const CheckResult& result);

// Reads what ToJson wrote; `path` names `json` in errors ("results.json:
// checks[0]"), which name the field that is missing or of the wrong type.
Result<CheckResult> CheckResultFromJson(const history::Json& json, const std::string& path);
// An array of checks.
Result<std::vector<CheckResult>> CheckResultsFromJson(const history::Json& json,
                                                      const std::string& path);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_CHECK_RESULT_H_
