#include "systems/postgres/sql_ops.h"

#include <charconv>

namespace jepsen::systems::postgres {
namespace {

using history::EventType;

std::string Text(const Json& key) { return key.is_string() ? key.get<std::string>() : key.dump(); }

std::optional<int64_t> Integer(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  int64_t n = 0;
  const char* end = text->data() + text->size();
  auto [at, error] = std::from_chars(text->data(), end, n);
  if (error != std::errc() || at != end) return std::nullopt;
  return n;
}

Json Parsed(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  Json v = Json::parse(*text, nullptr, false);
  return v.is_discarded() ? Json(*text) : v;
}

// An integer field of an op's value, as text for a parameter.
Result<std::string> Field(const Request& r, const char* name) {
  if (!r.value.is_object() || !r.value.contains(name) || !r.value[name].is_number_integer()) {
    return Status::Error("postgres client: " + r.f + " needs an integer value." + name);
  }
  return std::to_string(r.value[name].get<int64_t>());
}

// The lease's expiry as the server's clock sees it, `ms` from now. clock_timestamp(), not
// now(): now() is when the statement's transaction began, before any wait for the row's lock,
// so a renew judged by it could extend a lease that ran out while it waited.
constexpr const char* kExpiry = "clock_timestamp() + $2::bigint * interval '1 millisecond'";

}  // namespace

const char* const kSchema =
    "CREATE TABLE IF NOT EXISTS registers (key text PRIMARY KEY, value text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS leases (resource text PRIMARY KEY, token bigint NOT NULL,"
    " expires_at timestamptz NOT NULL);"
    "CREATE TABLE IF NOT EXISTS resources (resource text PRIMARY KEY, token bigint NOT NULL,"
    " value text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS checkpoints (stream text PRIMARY KEY, seq bigint NOT NULL,"
    " data text NOT NULL);";

Result<Statement> StatementFor(const std::string& workload, const Request& r, bool fencing) {
  using Reads = Statement::Reads;
  const std::string key = Text(r.key);
  const std::string& f = r.f;
  if (workload == "register") {
    if (f == "read")
      return Statement{"SELECT value FROM registers WHERE key = $1", {key}, Reads::kRegister, ""};
    if (f == "write") {
      return Statement{
          "INSERT INTO registers VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET "
          "value = excluded.value",
          {key, r.value.dump()},
          Reads::kChange,
          "no row written"};
    }
    if (f == "cas") {
      if (!r.value.is_array() || r.value.size() != 2) {
        return Status::Error("postgres client: cas needs [expected, new]");
      }
      return Statement{"UPDATE registers SET value = $3 WHERE key = $1 AND value = $2",
                       {key, r.value[0].dump(), r.value[1].dump()},
                       Reads::kChange,
                       "not the expected value"};
    }
  } else if (workload == "leases") {
    if (f == "acquire") {
      Result<std::string> ttl = Field(r, "ttl_ms");
      if (!ttl.ok()) return ttl.status();
      return Statement{std::string("INSERT INTO leases AS l VALUES ($1, 1, ") + kExpiry +
                           ") ON CONFLICT (resource) DO UPDATE SET token = l.token + 1, "
                           "expires_at = " +
                           kExpiry + " WHERE l.expires_at <= clock_timestamp() RETURNING token",
                       {key, *ttl},
                       Reads::kToken,
                       "held"};
    }
    if (f == "renew") {
      Result<std::string> ttl = Field(r, "ttl_ms");
      if (!ttl.ok()) return ttl.status();
      Result<std::string> token = Field(r, "token");
      if (!token.ok()) return token.status();
      return Statement{std::string("UPDATE leases SET expires_at = ") + kExpiry +
                           " WHERE resource = $1 AND token = $3 AND expires_at > "
                           "clock_timestamp()",
                       {key, *ttl, *token},
                       Reads::kChange,
                       "not the holder, or run out"};
    }
    if (f == "release") {
      Result<std::string> token = Field(r, "token");
      if (!token.ok()) return token.status();
      return Statement{
          "UPDATE leases SET expires_at = '-infinity' WHERE resource = $1 AND "
          "token = $2 AND expires_at > clock_timestamp()",
          {key, *token},
          Reads::kChange,
          "not the holder, or run out"};
    }
    if (f == "write") {
      Result<std::string> token = Field(r, "token");
      if (!token.ok()) return token.status();
      const Json value =
          r.value.is_object() && r.value.contains("value") ? r.value["value"] : Json();
      std::string sql =
          "INSERT INTO resources AS r VALUES ($1, $2, $3) ON CONFLICT (resource) DO UPDATE SET "
          "token = excluded.token, value = excluded.value";
      if (fencing) sql += " WHERE r.token <= excluded.token";
      return Statement{sql, {key, *token, value.dump()}, Reads::kChange, "stale token"};
    }
    if (f == "read") {
      return Statement{
          "SELECT token, value FROM resources WHERE resource = $1", {key}, Reads::kResource, ""};
    }
  } else if (workload == "checkpoints") {
    if (f == "checkpoint") {
      Result<std::string> seq = Field(r, "seq");
      if (!seq.ok()) return seq.status();
      const Json data = r.value.contains("data") ? r.value["data"] : Json();
      return Statement{
          "INSERT INTO checkpoints AS c VALUES ($1, $2, $3) ON CONFLICT (stream) "
          "DO UPDATE SET seq = excluded.seq, data = excluded.data WHERE c.seq < "
          "excluded.seq",
          {key, *seq, data.dump()},
          Reads::kChange,
          "not above the stored seq"};
    }
    if (f == "read") {
      return Statement{
          "SELECT seq FROM checkpoints WHERE stream = $1", {key}, Reads::kCheckpoint, ""};
    }
  }
  return Status::Error("postgres client: no op '" + f + "' in workload " + workload);
}

Completion Interpret(const Statement& s, const std::vector<Row>& rows, int64_t touched) {
  using Reads = Statement::Reads;
  const Row* row = rows.empty() ? nullptr : &rows.front();
  switch (s.reads) {
    case Reads::kChange:
      if (touched > 0) return {EventType::kOk, nullptr, ""};
      return {EventType::kFail, nullptr, s.refused};
    case Reads::kToken: {
      if (row == nullptr) return {EventType::kFail, nullptr, s.refused};
      const std::optional<int64_t> token = Integer((*row)[0]);
      if (!token) return {EventType::kInfo, nullptr, "acquire returned no token"};
      return {EventType::kOk, Json{{"token", *token}}, ""};
    }
    case Reads::kRegister:
      return {EventType::kOk, row == nullptr ? Json() : Parsed((*row)[0]), ""};
    case Reads::kResource: {
      if (row == nullptr) return {EventType::kOk, nullptr, ""};
      const std::optional<int64_t> token = Integer((*row)[0]);
      if (!token) return {EventType::kFail, nullptr, "resource row without a token"};
      return {EventType::kOk, Json{{"token", *token}, {"value", Parsed((*row)[1])}}, ""};
    }
    case Reads::kCheckpoint: {
      if (row == nullptr) return {EventType::kOk, nullptr, ""};
      const std::optional<int64_t> seq = Integer((*row)[0]);
      if (!seq) return {EventType::kFail, nullptr, "checkpoint row without a seq"};
      return {EventType::kOk, Json{{"seq", *seq}}, ""};
    }
  }
  return {EventType::kInfo, nullptr, "unknown result"};
}

EventType ErrorOutcome(const std::string& severity) {
  return severity == "ERROR" ? EventType::kFail : EventType::kInfo;
}

}  // namespace jepsen::systems::postgres
