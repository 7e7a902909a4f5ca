// One line of a history: an invocation or completion of an operation, or a
// nemesis action (see docs/history-format.md).
#ifndef JEPSEN_HISTORY_EVENT_H_
#define JEPSEN_HISTORY_EVENT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace jepsen::history {

using Json = nlohmann::json;

enum class EventType : uint8_t { kInvoke, kOk, kFail, kInfo };

std::string_view ToString(EventType type);
std::optional<EventType> ParseEventType(std::string_view text);

// The process number of nemesis events ("process": "nemesis" in the file).
inline constexpr int64_t kNemesis = -1;

struct Event {
  EventType type = EventType::kInvoke;
  int64_t process = 0;  // >= 0 for a client, kNemesis for the nemesis
  std::string f;
  Json key;           // null: the op has no key
  Json value;         // null: absent
  int64_t time = 0;   // ns since the run started; without a clock see History::has_time
  int64_t index = 0;  // the line ordinal when the file has none
  std::string node;   // empty: absent
  std::string error;  // empty: absent
  Json extra;         // any other keys, kept as metadata (an object), or null
  int64_t line = 0;   // its line (JSON array: its element), from 1; 0 if built in memory

  bool is_nemesis() const { return process == kNemesis; }
  bool is_completion() const { return type != EventType::kInvoke; }
};

// The event as one JSON object of the history format.
Json ToJson(const Event& event);

// Short human form for reports: "process 3 cas [1,2] (line 17)".
std::string Describe(const Event& event);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_EVENT_H_
