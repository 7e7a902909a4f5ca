// The reference store's wire protocol: JSON lines over TCP, one request and
// one response per line, matched by id (docs/refstore-protocol.md). Shared by
// the server and the runner's client.
#ifndef JEPSEN_SYSTEMS_REFSTORE_PROTOCOL_H_
#define JEPSEN_SYSTEMS_REFSTORE_PROTOCOL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "history/event.h"
#include "history/status.h"

namespace jepsen::systems::refstore {

using history::Json;

// {"id": 7, "workload": "leases", "f": "acquire", "key": "L", "value": {"ttl_ms": 2000}}
struct Request {
  uint64_t id = 0;
  std::string workload;  // "register", "leases" or "checkpoints"
  std::string f;
  Json key;
  Json value;
};

// {"id": 7, "type": "ok", "value": {"token": 3}} or {"id": 7, "type": "fail", "error": "held"}.
// "fail": the op certainly did not happen; "info": it may have.
struct Reply {
  uint64_t id = 0;
  std::string type = "ok";
  Json value;
  std::string error;

  static Reply Ok(Json value = nullptr) { return {0, "ok", std::move(value), ""}; }
  static Reply Fail(std::string error) { return {0, "fail", nullptr, std::move(error)}; }
  static Reply Info(std::string error) { return {0, "info", nullptr, std::move(error)}; }
};

Result<Request> ParseRequest(std::string_view line);
std::string ToLine(const Request& request);  // with the newline
Result<Reply> ParseReply(std::string_view line);
std::string ToLine(const Reply& reply);  // with the newline

}  // namespace jepsen::systems::refstore

#endif  // JEPSEN_SYSTEMS_REFSTORE_PROTOCOL_H_
