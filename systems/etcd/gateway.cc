#include "systems/etcd/gateway.h"

#include <array>

namespace jepsen::systems::etcd {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string Base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16 |
                       static_cast<uint8_t>(bytes[i + 1]) << 8 | static_cast<uint8_t>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16 | static_cast<uint8_t>(bytes[i + 1])
                                                                  << 8;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

Result<std::string> FromBase64(std::string_view text) {
  std::array<int, 256> value{};
  value.fill(-1);
  for (int i = 0; i < 64; ++i) value[static_cast<uint8_t>(kAlphabet[i])] = i;
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    const int v = value[static_cast<uint8_t>(c)];
    if (v < 0) return Status::Error("not base64: '" + std::string(text) + "'");
    bits = bits << 6 | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

int64_t Int64(const Json& object, const char* field) {
  if (!object.is_object()) return 0;
  auto it = object.find(field);
  if (it == object.end()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    try {
      return std::stoll(it->get<std::string>());
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

Json RangeRequest(std::string_view key, bool serializable) {
  Json r = {{"key", Base64(key)}};
  if (serializable) r["serializable"] = true;
  return r;
}

Json PutOp(std::string_view key, std::string_view value, int64_t lease) {
  Json put = {{"key", Base64(key)}, {"value", Base64(value)}};
  if (lease != 0) put["lease"] = std::to_string(lease);
  return put;
}

Json Compare(std::string_view key, std::string_view target, std::string_view result,
             const Json& operand) {
  Json c = {{"key", Base64(key)}, {"target", target}, {"result", result}};
  if (target == "VALUE") {
    c["value"] = Base64(operand.get<std::string>());
  } else {
    const std::string field = target == "CREATE" ? "createRevision"
                              : target == "MOD"  ? "modRevision"
                                                 : "version";
    c[field] = std::to_string(operand.get<int64_t>());
  }
  return c;
}

Json TxnRequest(const Json& compare, const Json& then, const Json& otherwise) {
  Json txn = {{"compare", Json::array({compare})}, {"success", Json::array({then})}};
  if (!otherwise.is_null()) txn["failure"] = Json::array({otherwise});
  return txn;
}

std::optional<Error> ErrorOf(const Json& reply) {
  if (!reply.is_object()) return Error{2, "not a JSON object"};
  auto it = reply.find("error");
  if (it == reply.end()) return std::nullopt;
  const Json& e = it->is_object() ? *it : reply;  // a stream nests it
  Error error;
  error.code = static_cast<int>(Int64(e, "code"));
  if (e.contains("message") && e["message"].is_string()) {
    error.message = e["message"].get<std::string>();
  } else if (it->is_string()) {
    error.message = it->get<std::string>();
  }
  return error;
}

bool Definite(const Error& error) {
  switch (error.code) {
    case 3:   // InvalidArgument
    case 5:   // NotFound: "requested lease not found"
    case 6:   // AlreadyExists
    case 7:   // PermissionDenied
    case 8:   // ResourceExhausted: "too many requests"
    case 9:   // FailedPrecondition: "not leader", "not capable"
    case 11:  // OutOfRange: compacted
    case 16:  // Unauthenticated
      return true;
    default:  // Unavailable ("request timed out", "leader changed"), Unknown, ...: maybe
      return false;
  }
}

Result<std::optional<std::string>> RangeValue(const Json& reply) {
  auto kvs = reply.find("kvs");
  if (kvs == reply.end() || !kvs->is_array() || kvs->empty()) return std::optional<std::string>();
  const Json& kv = (*kvs)[0];
  if (!kv.contains("value")) return std::optional<std::string>(std::string());  // empty value
  Result<std::string> value = FromBase64(kv["value"].get<std::string>());
  if (!value.ok()) return value.status();
  return std::optional<std::string>(std::move(value).value());
}

int64_t Revision(const Json& reply) {
  auto header = reply.find("header");
  return header == reply.end() ? 0 : Int64(*header, "revision");
}

bool Succeeded(const Json& txn_reply) {
  auto it = txn_reply.find("succeeded");
  return it != txn_reply.end() && it->is_boolean() && it->get<bool>();
}

Result<Json> ParseReply(std::string_view body) {
  const size_t end = body.find('\n');
  std::string_view first = end == std::string_view::npos ? body : body.substr(0, end);
  Json j = Json::parse(first, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Error("etcd replied with something not JSON: '" +
                         std::string(first.substr(0, 200)) + "'");
  }
  return j;
}

}  // namespace jepsen::systems::etcd
