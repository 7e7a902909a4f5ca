#include "checker/violation.h"

#include "checker/json_reader.h"

namespace jepsen::checker {
namespace {

using history::Json;

Json ToJson(const ViolationStep& step) {
  Json out = {{"op", step.op}, {"index", step.index}, {"reason", step.reason}};
  if (!step.edge.empty()) out["edge"] = step.edge;
  if (step.next) out["next"] = *step.next;
  return out;
}

Result<ViolationStep> StepFromJson(const Json& json, const std::string& path) {
  JsonReader in(json, path);
  ViolationStep step;
  in.Read("op", step.op);
  in.Read("index", step.index);
  in.Read("reason", step.reason);
  if (in.Find("edge") != nullptr) in.Read("edge", step.edge);
  in.ReadOptional("next", step.next);
  if (!in.ok()) return in.status();
  return step;
}

Json ToJson(const FaultRef& fault) {
  return {{"f", fault.f},
          {"value", fault.value},
          {"time", fault.time},
          {"index", fault.index},
          {"line", fault.line}};
}

Result<FaultRef> FaultFromJson(const Json& json, const std::string& path) {
  JsonReader in(json, path);
  FaultRef fault;
  in.Read("f", fault.f);
  in.Read("value", fault.value);
  in.Read("time", fault.time);
  in.Read("index", fault.index);
  in.Read("line", fault.line);
  if (!in.ok()) return in.status();
  return fault;
}

template <typename T>
Json ListJson(const std::vector<T>& items) {
  Json out = Json::array();
  for (const T& item : items) out.push_back(ToJson(item));
  return out;
}

}  // namespace

Json ToJson(const Violation& v) {
  return {{"kind", v.kind},
          {"title", v.title},
          {"key", v.key},
          {"headline", v.headline},
          {"text", v.text},
          {"cycle", v.cycle},
          {"ops", ListJson(v.ops)},
          {"steps", ListJson(v.steps)},
          {"nemesis", ListJson(v.nemesis)}};
}

Result<Violation> ViolationFromJson(const Json& json, const std::string& path) {
  JsonReader in(json, path);
  Violation v;
  in.Read("kind", v.kind);
  in.Read("title", v.title);
  in.Read("key", v.key);
  in.Read("headline", v.headline);
  in.Read("text", v.text);
  in.Read("cycle", v.cycle);
  in.ReadList("ops", v.ops, OpRefFromJson);
  in.ReadList("steps", v.steps, StepFromJson);
  in.ReadList("nemesis", v.nemesis, FaultFromJson);
  if (!in.ok()) return in.status();
  return v;
}

}  // namespace jepsen::checker
