#include "checker/graph/report.h"

#include <algorithm>
#include <numeric>

namespace jepsen::checker::graph {

std::vector<size_t> ChooseReported(const std::vector<Found>& found, size_t cap) {
  std::vector<size_t> order(found.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return found[a].time < found[b].time; });
  if (found.size() <= cap) return order;
  // Per kind, in time order; then take from each kind in turn.
  std::vector<std::vector<size_t>> by_kind;
  for (size_t i : order) {
    if (found[i].kind >= by_kind.size()) by_kind.resize(found[i].kind + 1);
    by_kind[found[i].kind].push_back(i);
  }
  std::vector<size_t> chosen;
  std::vector<size_t> next(by_kind.size(), 0);
  while (chosen.size() < cap) {
    for (size_t k = 0; k < by_kind.size() && chosen.size() < cap; ++k) {
      if (next[k] < by_kind[k].size()) chosen.push_back(by_kind[k][next[k]++]);
    }
  }
  std::stable_sort(chosen.begin(), chosen.end(),
                   [&](size_t a, size_t b) { return found[a].time < found[b].time; });
  return chosen;
}

CheckResult ViolationResult(std::string checker, const history::History& history,
                            const std::vector<Violation>& explained,
                            const std::vector<std::pair<std::string, size_t>>& counts,
                            history::Json facts, const std::string& valid_summary) {
  CheckResult out;
  out.checker = std::move(checker);
  out.facts = std::move(facts);
  size_t total = 0;
  std::string broken;
  for (const auto& [kind, count] : counts) {
    out.counts[kind] = count;
    total += count;
    if (count > 0) broken += (broken.empty() ? "" : ", ") + kind + " x" + std::to_string(count);
  }
  if (total == 0) {
    out.verdict = Verdict::kValid;
    out.summary = valid_summary;
    return out;
  }
  out.verdict = Verdict::kInvalid;
  out.summary = std::to_string(total) + (total == 1 ? " violation: " : " violations: ") + broken;
  if (explained.size() < total) {
    out.summary += " (the first " + std::to_string(explained.size()) + " explained)";
  }
  NemesisIndex nemesis(history);
  for (const Violation& v : explained) {
    out.violations.push_back(Resolve(history, nemesis, v));
    out.explanation += out.violations.back().text;
  }
  if (explained.size() < total) {
    out.explanation += "... and " + std::to_string(total - explained.size()) +
                       " more violations, counted but not explained\n";
  }
  return out;
}

options::Option MaxViolationsOption() {
  return options::Integer("max-violations", 100, {0, 1000000},
                          "Violations explained per check (leases, checkpoints); all are counted");
}

}  // namespace jepsen::checker::graph
