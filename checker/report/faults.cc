#include "checker/report/faults.h"

#include <algorithm>
#include <string_view>

#include "checker/faults.h"

namespace jepsen::checker::report {
namespace {

// Which starts an ending event ends. "start" ends a kill (our nemesis and
// Jepsen's kill nemesis), else it begins a Jepsen partition ended by "stop".
bool Ends(std::string_view end, std::string_view start) {
  if (end == "heal") return true;
  if (end == "start" || end == "restart") return start == "kill";
  if (end == "resume") return start == "pause";
  if (end == "stop") return start == "start" || start == "partition";
  if (end == "reset" || end == "clock-reset" || end == "reset-clock") {
    return start == "clock" || start == "bump" || start == "strobe" || start == "clock-bump";
  }
  return false;
}

// Jepsen's partitioner begins with "start" (when it ends no kill).
bool IsStart(std::string_view f) { return BeginsFault(f) || f == "start"; }

bool IsEnd(std::string_view f) {
  return f == "heal" || f == "start" || f == "restart" || f == "resume" || f == "stop" ||
         f == "reset" || f == "clock-reset" || f == "reset-clock";
}

}  // namespace

std::vector<FaultPeriod> FaultPeriods(const history::History& history) {
  std::vector<FaultPeriod> periods;
  std::vector<size_t> open;  // into periods
  int64_t last_time = 0;
  for (const history::Event& e : history.events) last_time = std::max(last_time, e.time);

  for (uint32_t i = 0; i < history.events.size(); ++i) {
    const history::Event& e = history.events[i];
    if (!e.is_nemesis()) continue;
    if (e.error.empty() && IsEnd(e.f)) {
      std::vector<size_t> ending;
      for (size_t p : open) {
        if (Ends(e.f, periods[p].f) && periods[p].target == e.value) ending.push_back(p);
      }
      if (ending.empty()) {
        for (size_t p : open) {
          if (Ends(e.f, periods[p].f)) ending.push_back(p);
        }
      }
      // An end that ends nothing is a repeat (Jepsen's invoke, then info);
      // "start" with nothing to end begins a Jepsen partition below.
      for (size_t p : ending) {
        periods[p].end_event = i;
        periods[p].end = e.time;
        open.erase(std::find(open.begin(), open.end(), p));
      }
      if (!ending.empty() || e.f != "start") continue;
    }
    FaultPeriod period;
    period.f = e.f;
    period.target = e.value;
    period.begin_event = i;
    period.begin = e.time;
    period.end = e.time;
    if (!IsStart(e.f) || !e.error.empty()) {
      period.instant = true;
      period.error = e.error;
      periods.push_back(std::move(period));
      continue;
    }
    const bool repeat = std::any_of(open.begin(), open.end(), [&](size_t p) {
      return periods[p].f == e.f && periods[p].target == e.value;
    });
    if (repeat) continue;
    period.end = last_time;
    open.push_back(periods.size());
    periods.push_back(std::move(period));
  }
  return periods;
}

}  // namespace jepsen::checker::report
