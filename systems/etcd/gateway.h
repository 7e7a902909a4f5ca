// etcd's JSON gateway (grpc-gateway over the v3 API): request bodies for
// range, put, txn and leases, and readers for the replies. Proto3 JSON: keys
// and values are base64, int64s arrive as strings, and false or zero fields
// are left out (a txn whose compare failed has no "succeeded").
#ifndef JEPSEN_SYSTEMS_ETCD_GATEWAY_H_
#define JEPSEN_SYSTEMS_ETCD_GATEWAY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "history/event.h"
#include "history/status.h"

namespace jepsen::systems::etcd {

using history::Json;

std::string Base64(std::string_view bytes);
Result<std::string> FromBase64(std::string_view text);

// An int64 as proto3 JSON writes it (a string) or as a number; absent: 0.
int64_t Int64(const Json& object, const char* field);

// Bodies for POST /v3/kv/range, /v3/kv/put, /v3/kv/txn.
Json RangeRequest(std::string_view key, bool serializable);
Json PutOp(std::string_view key, std::string_view value, int64_t lease = 0);
// A compare of `target` (CREATE, MOD, VERSION: an int64; VALUE: bytes) by
// `result` (EQUAL, GREATER, LESS, NOT_EQUAL).
Json Compare(std::string_view key, std::string_view target, std::string_view result,
             const Json& operand);
// {"compare": [compare], "success": [then], "failure": [otherwise]}; null
// `otherwise` leaves failure out.
Json TxnRequest(const Json& compare, const Json& then, const Json& otherwise = nullptr);

// A reply's gRPC error ({"error": ..., "code": N} with a non-200 status, or
// inside a stream's {"error": {...}}), if it is one.
struct Error {
  int code = 0;  // gRPC status code
  std::string message;
};
std::optional<Error> ErrorOf(const Json& reply);
// Whether an error certainly means the request took no effect (rejected
// before it was proposed); otherwise a mutation's fate is unknown.
bool Definite(const Error& error);

// The first key's value in a range reply, decoded; nullopt when there is none.
Result<std::optional<std::string>> RangeValue(const Json& reply);
int64_t Revision(const Json& reply);  // header.revision
bool Succeeded(const Json& txn_reply);

// Parses a reply body: a JSON object, or the first object of a stream
// (keepalive answers {"result": {...}} per line).
Result<Json> ParseReply(std::string_view body);

}  // namespace jepsen::systems::etcd

#endif  // JEPSEN_SYSTEMS_ETCD_GATEWAY_H_
