#include "systems/redis/redis_ops.h"

#include <array>

namespace jepsen::systems::redis {
namespace {

using history::EventType;

constexpr int64_t kDefaultTtlMs = 2000;

std::string Text(const Json& key) { return key.is_string() ? key.get<std::string>() : key.dump(); }

// SET when the stored value is ARGV[1].
constexpr const char* kCas = R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0)";

// KEYS: lease, token counter. The token, or nil when a live lease holds K.
constexpr const char* kAcquire = R"(
local token = redis.call('INCR', KEYS[2])
if redis.call('SET', KEYS[1], token, 'NX', 'PX', ARGV[1]) then return token end
return false)";

constexpr const char* kRenew = R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0)";

constexpr const char* kRelease = R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0)";

// KEYS: highest accepted token, resource. ARGV: token, {token, value}.
constexpr const char* kFencedWrite = R"(
local highest = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) < highest then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
return 1)";

constexpr const char* kCheckpoint = R"(
local stored = tonumber(redis.call('HGET', KEYS[1], 'seq'))
if stored and stored >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'data', ARGV[2])
return 1)";

Completion Ok(Json value = nullptr) { return {EventType::kOk, std::move(value), ""}; }
Completion Fail(std::string why) { return {EventType::kFail, nullptr, std::move(why)}; }

Completion Unexpected(const Reply& r) {
  return {EventType::kInfo, nullptr, "unexpected reply '" + r.text + "'"};
}

// A script answering 1 (done) or 0 (refused, for `why`).
std::function<Completion(const Reply&)> OneOrZero(std::string why) {
  return [why = std::move(why)](const Reply& r) {
    if (r.kind != Reply::Kind::kInteger) return Unexpected(r);
    return r.integer == 1 ? Ok() : Fail(why);
  };
}

Completion StatusOk(const Reply& r) {
  return r.kind == Reply::Kind::kStatus && r.text == "OK" ? Ok() : Unexpected(r);
}

// A stored JSON text (nil: never written) as the read's value.
Completion JsonRead(const Reply& r) {
  if (r.kind == Reply::Kind::kNil) return Ok(nullptr);
  if (r.kind != Reply::Kind::kString) return Fail("unexpected reply to a read");
  Json value = Json::parse(r.text, nullptr, false);
  if (value.is_discarded()) return Fail("unreadable stored value '" + r.text + "'");
  return Ok(std::move(value));
}

Command Eval(const char* script, std::vector<std::string> keys, std::vector<std::string> args,
             std::function<Completion(const Reply&)> decode) {
  Command c;
  c.argv = {"EVAL", script, std::to_string(keys.size())};
  for (std::string& k : keys) c.argv.push_back(std::move(k));
  for (std::string& a : args) c.argv.push_back(std::move(a));
  c.mutates = true;
  c.decode = std::move(decode);
  return c;
}

int64_t Field(const Json& value, const char* name, int64_t fallback) {
  if (!value.is_object() || !value.contains(name) || !value[name].is_number_integer()) {
    return fallback;
  }
  return value[name].get<int64_t>();
}

}  // namespace

std::string RegisterKey(const Json& key) { return "jepsen:register:" + Text(key); }
std::string LeaseKey(const Json& resource) { return "jepsen:lease:" + Text(resource); }
std::string TokenKey(const Json& resource) { return "jepsen:token:" + Text(resource); }
std::string FenceKey(const Json& resource) { return "jepsen:fence:" + Text(resource); }
std::string ResourceKey(const Json& resource) { return "jepsen:resource:" + Text(resource); }
std::string CheckpointKey(const Json& stream) { return "jepsen:checkpoint:" + Text(stream); }

Completion FromError(const std::string& error, bool mutates) {
  // Refusals before anything ran (server.c's processCommand and the script
  // loader's checks).
  static constexpr std::array<const char*, 9> kRefused = {
      "LOADING",  "MISCONF",    "OOM",
      "NOSCRIPT", "READONLY",   "NOREPLICAS",
      "BUSY",     "MASTERDOWN", "ERR Error compiling script"};
  for (const char* prefix : kRefused) {
    if (error.rfind(prefix, 0) == 0) return Fail(error);
  }
  return {mutates ? EventType::kInfo : EventType::kFail, nullptr, error};
}

Result<Command> ToCommand(const std::string& workload, const Request& r, bool fencing) {
  const std::string& f = r.f;
  if (workload == "register") {
    if (f == "read") return Command{{"GET", RegisterKey(r.key)}, false, JsonRead};
    if (f == "write") return Command{{"SET", RegisterKey(r.key), r.value.dump()}, true, StatusOk};
    if (f == "cas") {
      if (!r.value.is_array() || r.value.size() != 2) return Status::Error("cas needs [old, new]");
      return Eval(kCas, {RegisterKey(r.key)}, {r.value[0].dump(), r.value[1].dump()},
                  OneOrZero("value differs"));
    }
  } else if (workload == "leases") {
    if (f == "read") return Command{{"GET", ResourceKey(r.key)}, false, JsonRead};
    if (f == "acquire") {
      const int64_t ttl = Field(r.value, "ttl_ms", kDefaultTtlMs);
      return Eval(kAcquire, {LeaseKey(r.key), TokenKey(r.key)}, {std::to_string(ttl)},
                  [](const Reply& reply) {
                    if (reply.kind == Reply::Kind::kNil) return Fail("held");
                    if (reply.kind != Reply::Kind::kInteger) return Unexpected(reply);
                    return Ok(Json{{"token", reply.integer}});
                  });
    }
    const int64_t token = Field(r.value, "token", -1);
    if (token < 0) return Status::Error(f + " needs a token");
    if (f == "renew") {
      const int64_t ttl = Field(r.value, "ttl_ms", kDefaultTtlMs);
      return Eval(kRenew, {LeaseKey(r.key)}, {std::to_string(token), std::to_string(ttl)},
                  OneOrZero("not the holder's token, or the lease ran out"));
    }
    if (f == "release") {
      return Eval(kRelease, {LeaseKey(r.key)}, {std::to_string(token)},
                  OneOrZero("not the holder's token, or the lease ran out"));
    }
    if (f == "write") {
      const std::string stored =
          Json{{"token", token}, {"value", r.value.value("value", Json())}}.dump();
      if (!fencing) return Command{{"SET", ResourceKey(r.key), stored}, true, StatusOk};
      return Eval(kFencedWrite, {FenceKey(r.key), ResourceKey(r.key)},
                  {std::to_string(token), stored}, OneOrZero("stale token"));
    }
  } else if (workload == "checkpoints") {
    if (f == "read") {
      return Command{{"HGET", CheckpointKey(r.key), "seq"}, false, [](const Reply& reply) {
                       if (reply.kind == Reply::Kind::kNil) return Ok(nullptr);
                       if (reply.kind != Reply::Kind::kString) return Fail("unexpected reply");
                       try {
                         return Ok(Json{{"seq", std::stoll(reply.text)}});
                       } catch (const std::exception&) {
                         return Fail("unreadable seq '" + reply.text + "'");
                       }
                     }};
    }
    if (f == "checkpoint") {
      const int64_t seq = Field(r.value, "seq", -1);
      if (seq < 0) return Status::Error("checkpoint needs a seq");
      const Json data = r.value.value("data", Json());
      return Eval(kCheckpoint, {CheckpointKey(r.key)}, {std::to_string(seq), data.dump()},
                  OneOrZero("seq not above the stored one"));
    }
  }
  return Status::Error("redis client: no op '" + f + "' in workload " + workload);
}

}  // namespace jepsen::systems::redis
