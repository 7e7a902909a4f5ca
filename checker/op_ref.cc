#include "checker/op_ref.h"

#include "checker/json_reader.h"
#include "history/json_text.h"

namespace jepsen::checker {
namespace {

using history::Json;

Json ToJson(const EventRef& e) { return {{"index", e.index}, {"line", e.line}, {"time", e.time}}; }

Result<EventRef> EventRefFromJson(const Json& json, const std::string& path) {
  JsonReader in(json, path);
  EventRef e;
  in.Read("index", e.index);
  in.Read("line", e.line);
  in.Read("time", e.time);
  if (!in.ok()) return in.status();
  return e;
}

}  // namespace

Json ToJson(const OpRef& op) {
  Json out = {{"op", op.op},
              {"process", op.process},
              {"f", op.f},
              {"value", op.value},
              {"type", history::ToString(op.type)},
              {"invoke", ToJson(op.invoke)}};
  if (op.thread) out["thread"] = *op.thread;
  if (!op.key.is_null()) out["key"] = op.key;
  if (op.complete) out["complete"] = ToJson(*op.complete);
  return out;
}

Result<OpRef> OpRefFromJson(const Json& json, const std::string& path) {
  JsonReader in(json, path);
  OpRef op;
  in.Read("op", op.op);
  in.Read("process", op.process);
  in.ReadOptional("thread", op.thread);
  in.Read("f", op.f);
  in.Read("key", op.key);
  in.Read("value", op.value);
  std::string type;
  in.Read("type", type);
  in.ReadObject("invoke", op.invoke, EventRefFromJson);
  if (in.ok() && in.Find("complete") != nullptr) {
    EventRef complete;
    in.ReadObject("complete", complete, EventRefFromJson);
    op.complete = complete;
  }
  if (!in.ok()) return in.status();
  std::optional<history::EventType> outcome = history::ParseEventType(type);
  if (!outcome || *outcome == history::EventType::kInvoke) {
    return Status::Error(in.PathOf("type") + ": expected ok, fail or info, got " +
                         history::Quote(type));
  }
  op.type = *outcome;
  return op;
}

}  // namespace jepsen::checker
