// How checkers built on the dependency graph report: every violation found is
// counted, at most a cap of them are explained, and the result carries both
// (CheckResult::counts and ::violations).
#ifndef JEPSEN_CHECKER_GRAPH_REPORT_H_
#define JEPSEN_CHECKER_GRAPH_REPORT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "checker/check_result.h"
#include "checker/graph/explain.h"
#include "history/history.h"
#include "options/option.h"

namespace jepsen::checker::graph {

// A violation found by a sweep, before it is explained: explaining costs a
// graph and some text, so only the reported ones are.
struct Found {
  uint8_t kind = 0;  // the checker's own numbering of its invariants
  int64_t time = 0;  // when it became visible; the report goes in time order
};

// Which of `found` to explain when at most `cap` fit: the earliest of each
// kind in turn, so that every kind broken shows, then all in time order.
std::vector<size_t> ChooseReported(const std::vector<Found>& found, size_t cap);

// Valid with `valid_summary` when nothing was found; else invalid, with the
// explained violations' text as the explanation and the violations
// themselves (Resolve) in CheckResult::violations. `counts` holds (kind, how
// many found) for every kind checked, in the order the summary names them;
// `facts` are the checker's own figures (ops, keys, options).
CheckResult ViolationResult(std::string checker, const history::History& history,
                            const std::vector<Violation>& explained,
                            const std::vector<std::pair<std::string, size_t>>& counts,
                            history::Json facts, const std::string& valid_summary);

// The option every checker built on the graph takes: how many violations it
// explains (all are counted).
options::Option MaxViolationsOption();

}  // namespace jepsen::checker::graph

#endif  // JEPSEN_CHECKER_GRAPH_REPORT_H_
