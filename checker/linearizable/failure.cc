#include "checker/linearizable/failure.h"

#include "checker/json_reader.h"

namespace jepsen::checker::linearizable {
namespace {

using history::Json;

Json OpsJson(const std::vector<OpRef>& ops) {
  Json out = Json::array();
  for (const OpRef& op : ops) out.push_back(ToJson(op));
  return out;
}

}  // namespace

Json ToJson(const Failure& f) {
  return {{"key", f.key},
          {"op", ToJson(f.op)},
          {"state", f.state},
          {"prefix_length", f.prefix_length},
          {"prefix_indices", f.prefix_indices},
          {"prefix_tail", OpsJson(f.prefix_tail)},
          {"concurrent", OpsJson(f.concurrent)}};
}

Result<Failure> FailureFromJson(const Json& json, const std::string& path) {
  JsonReader in(json, path);
  Failure f;
  in.Read("key", f.key);
  in.ReadObject("op", f.op, OpRefFromJson);
  in.Read("state", f.state);
  in.Read("prefix_length", f.prefix_length);
  in.ReadList("prefix_indices", f.prefix_indices);
  in.ReadList("prefix_tail", f.prefix_tail, OpRefFromJson);
  in.ReadList("concurrent", f.concurrent, OpRefFromJson);
  if (!in.ok()) return in.status();
  return f;
}

}  // namespace jepsen::checker::linearizable
