#include "checker/report/faults.h"

#include <algorithm>

#include "checker/fault_text.h"
#include "checker/faults.h"

namespace jepsen::checker::report {
namespace {

// Each period the lowest row no period still open at its beginning holds.
void AssignRows(std::vector<FaultPeriod>& periods) {
  std::vector<int64_t> row_free_after;  // per row: the end of its last period
  for (FaultPeriod& p : periods) {
    uint32_t row = 0;
    while (row < row_free_after.size() && row_free_after[row] >= p.begin) ++row;
    if (row == row_free_after.size()) row_free_after.push_back(0);
    row_free_after[row] = p.end;
    p.row = row;
  }
}

// Whether `next`, the nemesis event after `prev`, is prev's completion as
// Jepsen logs it: the same f, its value the same, or nil at the invocation, or
// a description (a string) at the completion. jepsen-run logs one event per
// fault, tagged with its kind: a tagged event is never a completion, and one
// on another target (kill n1, kill n2) is not either.
bool CompletesInvocation(const history::Event& prev, const history::Event& next) {
  return prev.f == next.f && prev.error.empty() && next.error.empty() &&
         history::FaultTag(prev).empty() && history::FaultTag(next).empty() &&
         (prev.value == next.value || prev.value.is_null() || next.value.is_string());
}

}  // namespace

std::vector<FaultPeriod> FaultPeriods(const history::History& history) {
  const FaultVocabulary vocabulary = FaultVocabulary::Of(history);
  std::vector<FaultPeriod> periods;
  std::vector<size_t> open;  // into periods
  int64_t last_time = 0;
  for (const history::Event& e : history.events) last_time = std::max(last_time, e.time);

  const history::Event* prev = nullptr;  // the last nemesis event, unless it was a completion
  size_t prev_period = 0;                // periods.size() before prev: its period, if it began one
  for (uint32_t i = 0; i < history.events.size(); ++i) {
    const history::Event& e = history.events[i];
    if (!e.is_nemesis()) continue;
    if (prev != nullptr && CompletesInvocation(*prev, e)) {
      // One fault: the invocation began (or ended) it; the completion says what it did.
      if (prev_period < periods.size() && periods[prev_period].target.is_null()) {
        periods[prev_period].target = e.value;
      }
      prev = nullptr;
      continue;
    }
    prev = &e;
    prev_period = periods.size();
    const history::FaultKind* begun = vocabulary.Begun(e);
    if (e.error.empty() && vocabulary.IsEnd(e)) {
      std::vector<size_t> ending;
      for (size_t p : open) {
        if (vocabulary.Ends(e, periods[p].kind) && periods[p].target == e.value) {
          ending.push_back(p);
        }
      }
      if (ending.empty()) {
        for (size_t p : open) {
          if (vocabulary.Ends(e, periods[p].kind)) ending.push_back(p);
        }
      }
      // An end that ends nothing is a repeat (Jepsen's invoke, then info),
      // unless it also begins a kind (Jepsen's "start" with no kill open).
      for (size_t p : ending) {
        periods[p].end_event = i;
        periods[p].end = e.time;
        // What the end recorded too (a full disk's refused calls, the fsyncs that failed).
        const std::string effect = FaultEffect(e.value);
        if (!effect.empty()) {
          periods[p].effect += (periods[p].effect.empty() ? "" : "; ") + effect;
        }
        open.erase(std::find(open.begin(), open.end(), p));
      }
      if (!ending.empty() || begun == nullptr) continue;
    }
    FaultPeriod period;
    period.f = e.f;
    period.target = e.value;
    period.effect = FaultEffect(e.value);
    period.begin_event = i;
    period.begin = e.time;
    period.end = e.time;
    if (begun != nullptr) period.kind = *begun;
    if (begun == nullptr || !e.error.empty()) {
      period.instant = true;
      period.error = e.error;
      periods.push_back(std::move(period));
      continue;
    }
    const bool repeat = std::any_of(open.begin(), open.end(), [&](size_t p) {
      return periods[p].f == e.f && periods[p].kind.name == begun->name &&
             periods[p].target == e.value;
    });
    if (repeat) continue;
    period.end = last_time;
    open.push_back(periods.size());
    periods.push_back(std::move(period));
  }
  AssignRows(periods);
  return periods;
}

}  // namespace jepsen::checker::report
