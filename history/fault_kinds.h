// The vocabulary of nemesis events (docs/history-format.md, "Fault kinds"):
// for each kind of fault, the `f`s that begin and end it, whether a beginning
// counts as a fault, and how reports draw it. jepsen-run records the kinds of
// the fault packages it ran in the header's `faults` and tags each nemesis
// event with its kind (`"fault": "kill"`), so checkers and reports learn a new
// fault from the history itself, never from a list of their own.
#ifndef JEPSEN_HISTORY_FAULT_KINDS_H_
#define JEPSEN_HISTORY_FAULT_KINDS_H_

#include <string>
#include <string_view>
#include <vector>

#include "history/event.h"
#include "history/status.h"

namespace jepsen::history {

struct FaultKind {
  std::string name;                 // as users name it, and events' `fault` tag: "kill"
  std::string family;               // its package's family: "process", "network", "client"
  std::vector<std::string> begins;  // the fs that begin it: {"kill"}
  std::vector<std::string> ends;    // the fs that end it: {"start"}
  bool counts = true;               // a beginning that took effect is a fault (stats, counts)
  std::string label;                // what reports say it does: "node killed (SIGKILL)"
  std::string color;                // how reports shade it: "#rrggbb" or "#rgb"

  bool operator==(const FaultKind&) const = default;
};

// The header key holding the kinds, and the event key naming an event's kind.
inline constexpr std::string_view kFaultKindsKey = "faults";
inline constexpr std::string_view kFaultTagKey = "fault";
// The f of the nemesis event that ends every fault in force (jepsen-run's
// final heal) when it carries no `fault` tag of its own.
inline constexpr std::string_view kHealAll = "heal";

// The header's `faults` object: {name: {family, begins, ends, counts, label, color}}.
Json FaultKindsJson(const std::vector<FaultKind>& kinds);

// Reads a header's `faults` (in name order). Errors name the field and what it
// should be ("faults.kill.ends: expected a list of event names"); keys it does
// not know are kept out of the way, as everywhere in the format.
Result<std::vector<FaultKind>> ParseFaultKinds(const Json& faults);

// The kind an event's `fault` tag names, or "" when it has none.
std::string_view FaultTag(const Event& event);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_FAULT_KINDS_H_
