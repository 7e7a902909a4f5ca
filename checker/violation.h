// One violation as a result carries it: which invariant broke (L1..L4,
// C1..C4, ...), on which key, a headline, the cycle (or chain) of ops with
// a reason for each step, the faults the nemesis injected meanwhile, and
// the whole explanation as text. Checkers built on checker/graph make them
// from their explanations (graph::Violation: the same, with op positions
// instead of op references). One JSON codec beside the type
// (docs/results-json.md).
#ifndef JEPSEN_CHECKER_VIOLATION_H_
#define JEPSEN_CHECKER_VIOLATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/op_ref.h"
#include "history/event.h"
#include "history/status.h"

namespace jepsen::checker {

struct ViolationStep {
  uint32_t op = 0;     // its position in History::ops
  int64_t index = 0;   // the event index of its invoke
  std::string reason;  // why it leads to the next step (or, ending a chain, what it did)
  // How it leads to the next: "real-time", "token", "lease", "process", "wr",
  // "ww", "rw"; empty for the last step of a chain that is no cycle.
  std::string edge;
  std::optional<uint32_t> next;  // the op of the step it leads to, when `edge` is set

  bool operator==(const ViolationStep&) const = default;
};

// A nemesis event that happened while the violation unfolded.
struct FaultRef {
  std::string f;
  history::Json value;  // its target
  int64_t time = 0;
  int64_t index = 0;
  int64_t line = 0;

  bool operator==(const FaultRef&) const = default;
};

struct Violation {
  std::string kind;        // "L1".."L4", "C1".."C4": which invariant broke
  std::string title;       // "mutual exclusion", "lost acknowledgement", ...
  history::Json key;       // the resource or stream
  std::string headline;    // one sentence: what went wrong, with times
  std::string text;        // the whole explanation, as the checker's text shows it
  bool cycle = false;      // whether the last step leads back to the first
  std::vector<OpRef> ops;  // the steps' ops, then the further ones the reasons name
  std::vector<ViolationStep> steps;
  std::vector<FaultRef> nemesis;

  bool operator==(const Violation&) const = default;
};

// {"kind", "title", "key", "headline", "text", "cycle", "ops": [op...],
//  "steps": [{"op", "index", "reason", "edge", "next"}],
//  "nemesis": [{"f", "value", "time", "index", "line"}]}
history::Json ToJson(const Violation& violation);
// Errors name `path` and the field.
Result<Violation> ViolationFromJson(const history::Json& json, const std::string& path);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_VIOLATION_H_
