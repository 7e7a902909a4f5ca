// A whole history: its header, its events in file order, and the client
// operations paired from them. Every reader builds it through HistoryBuilder,
// which enforces the reading rules of the format in one place.
#ifndef JEPSEN_HISTORY_HISTORY_H_
#define JEPSEN_HISTORY_HISTORY_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "history/event.h"
#include "history/fault_kinds.h"
#include "history/format.h"
#include "history/status.h"

namespace jepsen::history {

// A client operation: an invoke and, when the file has it, its completion.
struct Op {
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  uint32_t invoke = 0;                   // position in History::events
  uint32_t completion = kNone;           // position in History::events, kNone when never completed
  EventType outcome = EventType::kInfo;  // ok, fail or info (info also when never completed)
};

// Where an event was read, for messages. Event::line is the line an event
// began on or, in a JSON array (where one line may hold them all), its
// element number, counting from 1: "line 17" or "element 17".
std::string PlaceText(Format format, int64_t line);
// "a.jsonl:17" or "a.json: element 17".
std::string WhereText(const std::string& source, Format format, int64_t line);

struct History {
  std::string source;              // the file name, for messages
  Format format = Format::kJsonl;  // what it was read as
  Json header;                     // the header object, or null when the file has none
  // The header's `faults` (fault_kinds.h); nullopt when it has none.
  std::optional<std::vector<FaultKind>> fault_kinds;
  std::vector<Event> events;  // all events, nemesis ones included, in file order
  std::vector<Op> ops;        // client operations in invocation order
  std::vector<std::string> warnings;
  // Whether `time` came from a clock. Else each event's time is its line,
  // or one past the time before when events share a line (EDN may put
  // several on one), so that file order is real-time order.
  bool has_time = false;

  const Event& invocation(const Op& op) const { return events[op.invoke]; }
  // nullptr when the op was never completed.
  const Event* completion(const Op& op) const {
    return op.completion == Op::kNone ? nullptr : &events[op.completion];
  }
  // The completion's value for ok ops (what a read saw), else the invocation's.
  const Json& value(const Op& op) const;
  // The time an op completed; for info ops, the end of time.
  int64_t completion_time(const Op& op) const;
  // header["workload"] when present, else "".
  std::string workload() const;
  // header["options"][name] when present, else null.
  const Json& option(const std::string& name) const;
  // "file:line" (or "file: element N") for messages about an event.
  std::string where(const Event& event) const;
  // "line N" (or "element N").
  std::string place(const Event& event) const;
};

// Validates and pairs events as they are read. REQUIRES: events in file order.
class HistoryBuilder {
 public:
  explicit HistoryBuilder(std::string source, Format format = Format::kJsonl);

  // REQUIRES: before the first event. Errors name a header field that breaks
  // the format's rules (a malformed `faults`).
  Status SetHeader(Json header);
  // A hint that about `events` events will follow, so that big histories are
  // not moved (and their pages touched afresh) each time the vector grows.
  // A hint that cannot be met is ignored. REQUIRES: before the first event.
  void Reserve(size_t events);
  // has_time/has_index: whether the file gave them; when not, the line (see
  // History::has_time) or the ordinal stands in. Errors name the file, line
  // and rule broken.
  Status Add(Event event, bool has_time, bool has_index);
  void Warn(int64_t line, const std::string& message);
  // A warning about the whole file.
  void WarnFile(const std::string& message);
  // Ops still open at the end are read as info; a history without client
  // ops gets a warning (there is nothing to check).
  History Finish() &&;

 private:
  Status Fail(int64_t line, const std::string& message) const;

  History history_;
  std::unordered_map<int64_t, uint32_t> pending_;  // process -> index into ops
  std::unordered_set<int64_t> crashed_;            // processes whose last op ended info
  bool warned_reuse_ = false;
  int times_given_ = -1;  // -1 unknown, 0 absent, 1 present
  int indices_given_ = -1;
  int64_t last_time_ = std::numeric_limits<int64_t>::min();
  int64_t last_index_ = 0;  // meaningful once events_ is not empty
};

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_HISTORY_H_
