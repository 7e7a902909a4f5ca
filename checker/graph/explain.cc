#include "checker/graph/explain.h"

#include <algorithm>
#include <limits>

#include "checker/describe.h"
#include "checker/fault_text.h"

namespace jepsen::checker::graph {
namespace {

using history::Json;

constexpr size_t kFaultsNamed = 3;  // in the headline; the JSON lists them all

std::string FaultsText(const history::History& history, const std::vector<uint32_t>& faults) {
  if (faults.empty()) return "";
  std::string out = "; ";
  for (size_t i = 0; i < faults.size() && i < kFaultsNamed; ++i) {
    if (i > 0) out += ", ";
    out += NemesisText(history, history.events[faults[i]]);
  }
  if (faults.size() > kFaultsNamed) {
    out += " and " + std::to_string(faults.size() - kFaultsNamed) + " more nemesis events";
  }
  return out + " happened in between";
}

std::vector<uint32_t> Faults(const NemesisIndex& nemesis, const Violation& v) {
  if (v.window_from > v.window_to) return {};
  return nemesis.Between(v.window_from, v.window_to);
}

std::string KeyText(const Violation& v) { return v.key.is_null() ? "" : ", key " + v.key.dump(); }

}  // namespace

NemesisIndex::NemesisIndex(const history::History& history) : history_(&history) {
  for (uint32_t i = 0; i < history.events.size(); ++i) {
    if (history.events[i].is_nemesis()) events_.push_back(i);
  }
}

std::vector<uint32_t> NemesisIndex::Between(int64_t from, int64_t to) const {
  // Events are in file order, and time never goes backwards in it.
  auto time_less = [&](uint32_t e, int64_t t) { return history_->events[e].time < t; };
  auto first = std::lower_bound(events_.begin(), events_.end(), from, time_less);
  std::vector<uint32_t> out;
  for (auto it = first; it != events_.end() && history_->events[*it].time <= to; ++it) {
    out.push_back(*it);
  }
  return out;
}

std::string NemesisText(const history::History& history, const history::Event& event) {
  const std::string& f = event.f;
  const bool vowel = !f.empty() && std::string_view("aeiou").find(f[0]) != std::string::npos;
  std::string out = (vowel ? "an " : "a ") + f;
  const std::string target = FaultTargetText(event.value);
  if (!target.empty()) out += " of " + target;
  const std::string effect = FaultEffect(event.value);
  return out + " (" + TimeText(history, event) + (effect.empty() ? "" : "; " + effect) + ")";
}

std::string ViolationText(const history::History& history, const NemesisIndex& nemesis,
                          const Violation& v) {
  std::string out = v.kind + " " + v.title + KeyText(v) + ": " + v.headline +
                    FaultsText(history, Faults(nemesis, v)) + "\n";
  for (size_t i = 0; i < v.steps.size(); ++i) {
    const Step& step = v.steps[i];
    out += "  " + std::to_string(i + 1) + ". " + OpText(history, history.ops[step.op]) + "\n";
    const bool last = i + 1 == v.steps.size();
    if (last && !v.cycle) {
      if (!step.reason.empty()) out += "     " + step.reason + "\n";
      continue;
    }
    const size_t next = last ? 1 : i + 2;
    out += "     -> " + std::to_string(next) + " (" + std::string(ToString(step.kind)) +
           "): " + step.reason + (last ? " -- a cycle" : "") + "\n";
  }
  for (uint32_t op : v.related) out += "  see also: " + OpText(history, history.ops[op]) + "\n";
  return out;
}

std::pair<int64_t, int64_t> OpsSpan(const history::History& history, const Violation& violation) {
  int64_t from = std::numeric_limits<int64_t>::max(), to = std::numeric_limits<int64_t>::min();
  auto add = [&](uint32_t i) {
    const history::Op& op = history.ops[i];
    const int64_t start = history.invocation(op).time;
    from = std::min(from, start);
    to = std::max(to,
                  op.completion == history::Op::kNone ? start : history.events[op.completion].time);
  };
  for (const Step& s : violation.steps) add(s.op);
  for (uint32_t i : violation.related) add(i);
  return from <= to ? std::pair{from, to} : std::pair{violation.window_from, violation.window_to};
}

checker::Violation Resolve(const history::History& history, const NemesisIndex& nemesis,
                           const Violation& v) {
  checker::Violation out;
  out.kind = v.kind;
  out.title = v.title;
  out.key = v.key;
  out.headline = v.headline;
  out.cycle = v.cycle;
  for (size_t i = 0; i < v.steps.size(); ++i) {
    const Step& step = v.steps[i];
    out.ops.push_back(OpRefOf(history, step.op));
    ViolationStep s{step.op, history.invocation(history.ops[step.op]).index, step.reason};
    const bool last = i + 1 == v.steps.size();
    if (!last || v.cycle) {
      s.edge = ToString(step.kind);
      s.next = v.steps[last ? 0 : i + 1].op;
    }
    out.steps.push_back(std::move(s));
  }
  for (uint32_t op : v.related) out.ops.push_back(OpRefOf(history, op));
  for (uint32_t e : Faults(nemesis, v)) {
    const history::Event& event = history.events[e];
    out.nemesis.push_back({event.f, event.value, event.time, event.index, event.line});
  }
  out.text = ViolationText(history, nemesis, v);
  return out;
}

}  // namespace jepsen::checker::graph
