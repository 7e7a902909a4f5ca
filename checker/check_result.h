// What every checker returns: a verdict, a one-line summary, an explanation
// for people and the same facts as JSON for machines.
#ifndef JEPSEN_CHECKER_CHECK_RESULT_H_
#define JEPSEN_CHECKER_CHECK_RESULT_H_

#include <string>

#include "checker/verdict.h"
#include "history/event.h"

namespace jepsen::checker {

struct CheckResult {
  std::string checker;              // "linearizable", "leases", "checkpoints"
  Verdict verdict = Verdict::kValid;
  std::string summary;              // one line
  std::string explanation;          // several lines; empty when valid
  history::Json details = history::Json::object();
};

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_CHECK_RESULT_H_
