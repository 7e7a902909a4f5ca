#include "systems/refstore/protocol.h"

namespace jepsen::systems::refstore {
namespace {

Result<Json> ParseObject(std::string_view line) {
  Json json = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::Error("malformed JSON");
  if (!json.is_object()) return Status::Error("not a JSON object");
  return json;
}

Result<uint64_t> IdOf(const Json& json) {
  auto it = json.find("id");
  if (it == json.end() || !it->is_number_unsigned()) {
    return Status::Error("field 'id' must be an integer >= 0");
  }
  return it->get<uint64_t>();
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace

Result<Request> ParseRequest(std::string_view line) {
  Result<Json> json = ParseObject(line);
  if (!json.ok()) return json.status();
  Request request;
  Result<uint64_t> id = IdOf(*json);
  if (!id.ok()) return id.status();
  request.id = *id;
  for (const char* field : {"workload", "f"}) {
    auto it = json->find(field);
    if (it == json->end() || !it->is_string()) {
      return Status::Error(std::string("field '") + field + "' must be a string");
    }
  }
  request.workload = (*json)["workload"].get<std::string>();
  request.f = (*json)["f"].get<std::string>();
  request.key = json->value("key", Json());
  request.value = json->value("value", Json());
  return request;
}

std::string ToLine(const Request& request) {
  Json json = {{"id", request.id}, {"workload", request.workload}, {"f", request.f}};
  if (!request.key.is_null()) json["key"] = request.key;
  if (!request.value.is_null()) json["value"] = request.value;
  return Dump(json);
}

Result<Reply> ParseReply(std::string_view line) {
  Result<Json> json = ParseObject(line);
  if (!json.ok()) return json.status();
  Reply reply;
  Result<uint64_t> id = IdOf(*json);
  if (!id.ok()) return id.status();
  reply.id = *id;
  auto type = json->find("type");
  if (type == json->end() || !type->is_string() ||
      (*type != "ok" && *type != "fail" && *type != "info")) {
    return Status::Error("field 'type' must be \"ok\", \"fail\" or \"info\"");
  }
  reply.type = type->get<std::string>();
  reply.value = json->value("value", Json());
  auto error = json->find("error");
  if (error != json->end())
    reply.error = error->is_string() ? error->get<std::string>() : error->dump();
  return reply;
}

std::string ToLine(const Reply& reply) {
  Json json = {{"id", reply.id}, {"type", reply.type}};
  if (!reply.value.is_null()) json["value"] = reply.value;
  if (!reply.error.empty()) json["error"] = reply.error;
  return Dump(json);
}

}  // namespace jepsen::systems::refstore
