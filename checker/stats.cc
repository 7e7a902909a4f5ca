#include "checker/stats.h"

#include <map>
#include <sstream>
#include <string_view>
#include <vector>

#include "checker/faults.h"

namespace jepsen::checker::stats {
namespace {

using history::EventType;
using history::Json;

struct Tally {
  std::string_view f;
  int64_t invoked = 0, ok = 0, fail = 0;
  int64_t info() const { return invoked - ok - fail; }
};

// What the pass over the events counted.
struct Counts {
  std::map<std::string_view, Tally> by_f;
  int64_t faults = 0, failed = 0;
  const history::Event* first_failure = nullptr;
  // Since the last nemesis event (the final heal, in a run): client invokes and oks, which
  // are the final reads that show what the system kept through its faults.
  const history::Event* last_nemesis = nullptr;
  int64_t invoked_after = 0, ok_after = 0;
};

// One pass over the events in file order (this runs over every run's history): a handful of
// f's, so a short list searched from the last one hit, not a map. Ops never completed are
// info, so info = invoked - ok - fail.
Counts CountEvents(const history::History& history) {
  Counts counts;
  std::vector<Tally> tallies;
  size_t last = 0;
  const FaultVocabulary vocabulary = FaultVocabulary::Of(history);
  for (const history::Event& e : history.events) {
    if (e.is_nemesis()) {
      counts.last_nemesis = &e;
      counts.invoked_after = counts.ok_after = 0;
      if (vocabulary.IsFault(e)) ++counts.faults;
      if (vocabulary.IsFailedFault(e)) {
        ++counts.failed;
        if (counts.first_failure == nullptr) counts.first_failure = &e;
      }
      continue;
    }
    if (last >= tallies.size() || tallies[last].f != e.f) {
      last = 0;
      while (last < tallies.size() && tallies[last].f != e.f) ++last;
      if (last == tallies.size()) tallies.push_back(Tally{e.f});
    }
    Tally& t = tallies[last];
    if (e.type == EventType::kInvoke) {
      ++t.invoked;
      ++counts.invoked_after;
    }
    if (e.type == EventType::kOk) {
      ++t.ok;
      ++counts.ok_after;
    }
    if (e.type == EventType::kFail) ++t.fail;
  }
  for (const Tally& t : tallies) counts.by_f[t.f] = t;
  return counts;
}

}  // namespace

bool AsksForFaults(const Json& nemesis) {
  if (!nemesis.is_string()) return false;
  std::stringstream names(nemesis.get<std::string>());
  for (std::string name; std::getline(names, name, ',');) {
    if (!name.empty() && name != "none") return true;
  }
  return false;
}

CheckResult Check(const history::History& history) {
  const auto [by_f, faults, failed, first_failure, last_nemesis, invoked_after, ok_after] =
      CountEvents(history);
  const Json nemesis =
      history.header.is_object() ? history.header.value("nemesis", Json()) : Json();

  CheckResult result;
  result.checker = "stats";
  Json counts = Json::object();
  Json never_ok = Json::array();
  std::vector<std::string> shorts, reasons;  // for the summary, for the explanation
  for (const auto& [name, t] : by_f) {
    const std::string f(name);
    counts[f] = {{"ok", t.ok}, {"fail", t.fail}, {"info", t.info()}};
    if (t.ok > 0) continue;
    never_ok.push_back(f);
    shorts.push_back(f + " never succeeded");
    reasons.push_back("'" + f + "' never succeeded: invoked " + std::to_string(t.invoked) +
                      " times, fail " + std::to_string(t.fail) + ", info " +
                      std::to_string(t.info()) + "; the run proves nothing about it");
  }
  if (history.ops.empty()) {
    shorts.push_back("no client ops");
    reasons.push_back("no client op was recorded");
  }
  if (AsksForFaults(nemesis) && faults == 0) {
    shorts.push_back("no fault took effect");
    std::string reason =
        "nemesis " + nemesis.get<std::string>() + " asked for faults and none took effect";
    if (first_failure != nullptr) {
      reason += ": " + std::to_string(failed) + " failed, the first (" +
                history.where(*first_failure) + ") with: " + first_failure->error;
    } else {
      reason += " (none was attempted)";
    }
    reasons.push_back(reason);
  }
  // A store that never came back after its faults (a corrupted file it refuses to start on)
  // fails every final read: what it kept, or lost, was never seen.
  if (faults > 0 && invoked_after > 0 && ok_after == 0) {
    shorts.push_back("no op succeeded after the faults");
    reasons.push_back("none of the " + std::to_string(invoked_after) +
                      " ops invoked after the last nemesis event (" + history.where(*last_nemesis) +
                      ", '" + last_nemesis->f +
                      "') succeeded: the run never saw what the system kept");
  }
  result.facts = {{"by_f", counts},
                  {"never_ok", never_ok},
                  {"nemesis", nemesis},
                  {"faults", faults},
                  {"failed_faults", failed}};
  if (reasons.empty()) {
    result.verdict = Verdict::kValid;
    result.summary = "every kind of op succeeded at least once (" + std::to_string(by_f.size()) +
                     " kinds, " + std::to_string(history.ops.size()) + " ops); " +
                     std::to_string(faults) + (faults == 1 ? " fault" : " faults") +
                     (failed > 0 ? ", " + std::to_string(failed) + " failed" : "");
    return result;
  }
  result.verdict = Verdict::kUnknown;
  result.summary = "proves nothing: ";
  for (size_t i = 0; i < shorts.size(); ++i) result.summary += (i ? "; " : "") + shorts[i];
  for (const std::string& r : reasons) result.explanation += r + "\n";
  return result;
}

namespace {

// A run's history: jepsen-run's header names its nemesis.
bool IsRunHistory(const history::History& history) {
  return history.header.is_object() && history.header.contains("nemesis");
}

Result<CheckResult> CheckRegistered(const CheckInput& in) { return Check(in.history); }

}  // namespace

Checker Registration() {
  Checker c;
  c.name = "stats";
  c.help =
      "for a run's history, whose header names its nemesis: every kind of op succeeded at least "
      "once and the faults asked for took effect";
  c.added_to = IsRunHistory;
  c.check = CheckRegistered;
  return c;
}

}  // namespace jepsen::checker::stats
