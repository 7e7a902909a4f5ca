// How a result names an operation of the history it was found in: enough to
// find it again (its position among the ops, its events' indices and lines)
// and to show it without the history (process, f, key, value, outcome, times).
// One JSON codec beside the type (docs/results-json.md, "An op is ...").
#ifndef JEPSEN_CHECKER_OP_REF_H_
#define JEPSEN_CHECKER_OP_REF_H_

#include <cstdint>
#include <optional>
#include <string>

#include "history/event.h"
#include "history/status.h"

namespace jepsen::checker {

// Where one event of the op is: its `index`, its line (or JSON array
// element) and its time.
struct EventRef {
  int64_t index = 0;
  int64_t line = 0;
  int64_t time = 0;

  bool operator==(const EventRef&) const = default;
};

struct OpRef {
  uint32_t op = 0;  // its position in History::ops
  int64_t process = 0;
  std::optional<int64_t> thread;  // when the header's options.concurrency says (describe.h)
  std::string f;
  history::Json key;    // null: none
  history::Json value;  // History::value: what an ok op observed, else what it was given
  history::EventType type = history::EventType::kInfo;  // its outcome: ok, fail or info
  EventRef invoke;
  std::optional<EventRef> complete;  // none for an op never completed

  bool operator==(const OpRef&) const = default;
};

// {"op", "process", "thread" (when known), "f", "key" (when not null),
//  "value", "type", "invoke": {"index", "line", "time"}, "complete" (when completed)}
history::Json ToJson(const OpRef& op);
// Errors name `path` and the field.
Result<OpRef> OpRefFromJson(const history::Json& json, const std::string& path);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_OP_REF_H_
