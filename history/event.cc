#include "history/event.h"

#include "history/json_text.h"

namespace jepsen::history {

std::string_view ToString(EventType type) {
  switch (type) {
    case EventType::kInvoke:
      return "invoke";
    case EventType::kOk:
      return "ok";
    case EventType::kFail:
      return "fail";
    case EventType::kInfo:
      return "info";
  }
  return "?";
}

std::optional<EventType> ParseEventType(std::string_view text) {
  if (text == "invoke") return EventType::kInvoke;
  if (text == "ok") return EventType::kOk;
  if (text == "fail") return EventType::kFail;
  if (text == "info") return EventType::kInfo;
  return std::nullopt;
}

Json ToJson(const Event& event) {
  Json out = Json::object();
  out["type"] = ToString(event.type);
  if (event.is_nemesis()) {
    out["process"] = "nemesis";
  } else {
    out["process"] = event.process;
  }
  out["f"] = event.f;
  if (!event.key.is_null()) out["key"] = event.key;
  if (!event.value.is_null()) out["value"] = event.value;
  out["time"] = event.time;
  out["index"] = event.index;
  if (!event.node.empty()) out["node"] = event.node;
  if (!event.error.empty()) out["error"] = event.error;
  if (event.extra.is_object()) {
    for (const auto& [k, v] : event.extra.items()) out.emplace(k, v);
  }
  return out;
}

std::string Describe(const Event& event) {
  std::string out = event.is_nemesis() ? "nemesis" : "process " + std::to_string(event.process);
  out += " " + std::string(ToString(event.type)) + " " + Printable(event.f);
  if (!event.key.is_null()) out += " key " + DumpJson(event.key);
  if (!event.value.is_null()) out += " " + DumpJson(event.value);
  if (event.line > 0) out += " (line " + std::to_string(event.line) + ")";
  return out;
}

}  // namespace jepsen::history
