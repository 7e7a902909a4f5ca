#include "systems/etcd/etcd_client.h"

#include <cmath>
#include <cstdio>

#include "systems/etcd/gateway.h"

namespace jepsen::systems::etcd {
namespace {

using history::EventType;

constexpr uint64_t kBackoffMs = 100;

std::string Text(const Json& key) { return key.is_string() ? key.get<std::string>() : key.dump(); }

Json PutRequest(const std::string& key, const std::string& value, int64_t lease = 0) {
  return {{"requestPut", PutOp(key, value, lease)}};
}

}  // namespace

std::string RegisterKey(const Json& key) { return "jepsen/register/" + Text(key); }
std::string LockKey(const Json& resource) { return "jepsen/lock/" + Text(resource); }
std::string ResourceKey(const Json& resource) { return "jepsen/resource/" + Text(resource); }
std::string CheckpointKey(const Json& stream) { return "jepsen/checkpoint/" + Text(stream); }

std::string CheckpointValue(int64_t seq, const std::string& data) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%020lld", static_cast<long long>(seq));
  return data.empty() ? std::string(digits) : std::string(digits) + " " + data;
}

struct EtcdClient::Reply {
  bool ok = false;    // a reply that is no error
  bool maybe = true;  // a failed mutation may still have taken effect
  bool sent = true;   // false: refused at connect
  Json json;
  std::string error;
};

EtcdClient::EtcdClient(uv_loop_t* loop, ClientConfig config)
    : config_(std::move(config)), timers_(loop) {}

EtcdClient::~EtcdClient() {
  for (uint64_t id : requests_) config_.http->Cancel(id);
}

void EtcdClient::Thaw() {
  frozen_ = false;
  while (!frozen_ && !held_.empty()) {
    std::function<void()> fn = std::move(held_.front());
    held_.pop_front();
    fn();
  }
}

void EtcdClient::Run(std::function<void()> fn) {
  if (frozen_) {
    held_.push_back(std::move(fn));
  } else {
    fn();
  }
}

void EtcdClient::Post(const std::string& path, const Json& body, Then then) {
  auto id = std::make_shared<uint64_t>(0);
  *id = config_.http->Post(config_.url + path, body.dump(), config_.timeout_ms,
                           [this, id, then = std::move(then)](http::Response response) {
                             requests_.erase(*id);
                             Reply r;
                             r.sent = response.sent;
                             if (!response.ok) {
                               r.maybe = response.sent;
                               r.error = response.error;
                             } else if (Result<Json> json = ParseReply(response.body); !json.ok()) {
                               r.error = json.message();
                             } else if (std::optional<Error> e = ErrorOf(*json)) {
                               r.maybe = !Definite(*e);
                               r.error = e->message;
                               r.json = std::move(json).value();
                             } else {
                               r.ok = true;
                               r.json = std::move(json).value();
                             }
                             Run([then, r = std::move(r)] { then(r); });
                           });
  requests_.insert(*id);
}

void EtcdClient::After(uint64_t ms, std::function<void()> fn) {
  timers_.After(ms, [this, fn = std::move(fn)]() mutable { Run(std::move(fn)); });
}

void EtcdClient::Finish(const Done& done, Completion c, bool backoff) {
  if (!backoff) {
    done(std::move(c));
    return;
  }
  After(kBackoffMs, [done, c = std::move(c)]() mutable { done(std::move(c)); });
}

void EtcdClient::Soon(const Done& done, Completion c) {
  After(0, [done, c = std::move(c)]() mutable { done(std::move(c)); });
}

void EtcdClient::FailOrInfo(const Done& done, const Reply& r) {
  Finish(done, {r.maybe ? EventType::kInfo : EventType::kFail, nullptr, r.error}, !r.sent);
}

void EtcdClient::Invoke(const Request& request, Done done) {
  Run([this, request, done = std::move(done)]() mutable {
    const std::string& f = request.f;
    const std::string& w = config_.workload;
    auto json_value = [](const std::string& text) {
      Json v = Json::parse(text, nullptr, false);
      return v.is_discarded() ? Json(text) : v;
    };
    if (f == "read") {
      if (w == "register") return Read(RegisterKey(request.key), std::move(done), json_value);
      if (w == "leases") return Read(ResourceKey(request.key), std::move(done), json_value);
      return Read(CheckpointKey(request.key), std::move(done), [](const std::string& text) {
        return Json{{"seq", std::stoll(text.substr(0, text.find(' ')))}};
      });
    }
    if (w == "register" && f == "write") return Write(request, std::move(done));
    if (w == "register" && f == "cas") return Cas(request, std::move(done));
    if (w == "leases" && f == "acquire") return Acquire(request, std::move(done));
    if (w == "leases" && f == "renew") return Renew(request, std::move(done));
    if (w == "leases" && f == "release") return Release(request, std::move(done));
    if (w == "leases" && f == "write") return FencedWrite(request, std::move(done));
    if (w == "checkpoints" && f == "checkpoint") return Checkpoint(request, std::move(done));
    Soon(done, {EventType::kFail, nullptr, "etcd client: no op '" + f + "' in workload " + w});
  });
}

void EtcdClient::Read(const std::string& key, Done done,
                      std::function<Json(const std::string&)> decode) {
  Post("/v3/kv/range", RangeRequest(key, config_.serializable),
       [this, done = std::move(done), decode = std::move(decode)](const Reply& r) {
         // A read changes nothing: any error is a plain fail.
         if (!r.ok) return Finish(done, {EventType::kFail, nullptr, r.error}, !r.sent);
         Result<std::optional<std::string>> value = RangeValue(r.json);
         if (!value.ok()) return Finish(done, {EventType::kFail, nullptr, value.message()});
         if (!value->has_value()) return Finish(done, {EventType::kOk, nullptr, ""});
         Json decoded;
         try {
           decoded = decode(**value);
         } catch (const std::exception&) {
           return Finish(done, {EventType::kFail, nullptr, "unreadable value '" + **value + "'"});
         }
         Finish(done, {EventType::kOk, std::move(decoded), ""});
       });
}

void EtcdClient::Write(const Request& request, Done done) {
  Post("/v3/kv/put", PutOp(RegisterKey(request.key), request.value.dump()),
       [this, done = std::move(done)](const Reply& r) {
         if (!r.ok) return FailOrInfo(done, r);
         Finish(done, {EventType::kOk, nullptr, ""});
       });
}

void EtcdClient::Cas(const Request& request, Done done) {
  if (!request.value.is_array() || request.value.size() != 2) {
    return Soon(done, {EventType::kFail, nullptr, "cas needs [expected, new]"});
  }
  const std::string key = RegisterKey(request.key);
  Json txn = TxnRequest(Compare(key, "VALUE", "EQUAL", request.value[0].dump()),
                        PutRequest(key, request.value[1].dump()));
  Post("/v3/kv/txn", txn, [this, done = std::move(done)](const Reply& r) {
    if (!r.ok) return FailOrInfo(done, r);
    if (!Succeeded(r.json)) return Finish(done, {EventType::kFail, nullptr, "value differs"});
    Finish(done, {EventType::kOk, nullptr, ""});
  });
}

void EtcdClient::Acquire(const Request& request, Done done) {
  const int64_t ttl_ms = request.value.is_object() ? request.value.value("ttl_ms", 2000) : 2000;
  // etcd counts TTLs in whole seconds; rounding up only makes it hold longer
  // than the holder believes, which is the safe side.
  const int64_t ttl_s = std::max<int64_t>(1, (ttl_ms + 999) / 1000);
  Post("/v3/lease/grant", Json{{"TTL", std::to_string(ttl_s)}},
       [this, resource = request.key, done = std::move(done)](const Reply& r) {
         // No lock was taken yet, whatever became of the grant.
         if (!r.ok) return Finish(done, {EventType::kFail, nullptr, r.error}, !r.sent);
         const int64_t lease = Int64(r.json, "ID");
         if (lease == 0) return Finish(done, {EventType::kFail, nullptr, "grant without an ID"});
         const std::string lock = LockKey(resource);
         Json txn = TxnRequest(Compare(lock, "CREATE", "EQUAL", 0),
                               PutRequest(lock, std::to_string(lease), lease));
         Post("/v3/kv/txn", txn, [this, lease, done](const Reply& r) {
           if (!r.ok) return FailOrInfo(done, r);
           if (!Succeeded(r.json)) {
             // Held by another: give the unused lease back (nobody waits for it).
             config_.http->Post(config_.url + "/v3/lease/revoke",
                                Json{{"ID", std::to_string(lease)}}.dump(), config_.timeout_ms,
                                [](http::Response) {});
             return Finish(done, {EventType::kFail, nullptr, "held by another"});
           }
           // The fencing token: the revision that created the lock key.
           const int64_t token = Revision(r.json);
           (*config_.leases)[token] = lease;
           Finish(done, {EventType::kOk, Json{{"token", token}}, ""});
         });
       });
}

void EtcdClient::Renew(const Request& request, Done done) {
  const int64_t token = request.value.is_object() ? request.value.value("token", int64_t{0}) : 0;
  auto lease = config_.leases->find(token);
  if (lease == config_.leases->end()) {
    return Soon(done, {EventType::kFail, nullptr, "no lease for token " + std::to_string(token)});
  }
  Post("/v3/lease/keepalive", Json{{"ID", std::to_string(lease->second)}},
       [this, done = std::move(done)](const Reply& r) {
         if (!r.ok) return FailOrInfo(done, r);
         // An expired lease answers without a TTL (proto3 leaves out zero).
         if (Int64(r.json.value("result", Json::object()), "TTL") <= 0) {
           return Finish(done, {EventType::kFail, nullptr, "lease expired"});
         }
         Finish(done, {EventType::kOk, nullptr, ""});
       });
}

void EtcdClient::Release(const Request& request, Done done) {
  const int64_t token = request.value.is_object() ? request.value.value("token", int64_t{0}) : 0;
  auto lease = config_.leases->find(token);
  if (lease == config_.leases->end()) {
    return Soon(done, {EventType::kFail, nullptr, "no lease for token " + std::to_string(token)});
  }
  Post("/v3/lease/revoke", Json{{"ID", std::to_string(lease->second)}},
       [this, token, done = std::move(done)](const Reply& r) {
         if (!r.ok) return FailOrInfo(done, r);  // "lease not found": it had run out
         config_.leases->erase(token);
         Finish(done, {EventType::kOk, nullptr, ""});
       });
}

void EtcdClient::FencedWrite(const Request& request, Done done) {
  if (!request.value.is_object())
    return Soon(done, {EventType::kFail, nullptr, "write needs a token"});
  const int64_t token = request.value.value("token", int64_t{0});
  const std::string stored =
      Json{{"token", token}, {"value", request.value.value("value", Json())}}.dump();
  const std::string resource = ResourceKey(request.key);
  if (!config_.fencing) {
    Post("/v3/kv/put", PutOp(resource, stored), [this, done = std::move(done)](const Reply& r) {
      if (!r.ok) return FailOrInfo(done, r);
      Finish(done, {EventType::kOk, nullptr, ""});
    });
    return;
  }
  Json txn = TxnRequest(Compare(LockKey(request.key), "CREATE", "EQUAL", token),
                        PutRequest(resource, stored));
  Post("/v3/kv/txn", txn, [this, done = std::move(done)](const Reply& r) {
    if (!r.ok) return FailOrInfo(done, r);
    if (!Succeeded(r.json)) return Finish(done, {EventType::kFail, nullptr, "stale token"});
    Finish(done, {EventType::kOk, nullptr, ""});
  });
}

void EtcdClient::Checkpoint(const Request& request, Done done) {
  if (!request.value.is_object() || !request.value.contains("seq")) {
    return Soon(done, {EventType::kFail, nullptr, "checkpoint needs a seq"});
  }
  const int64_t seq = request.value["seq"].get<int64_t>();
  const Json data = request.value.value("data", Json());
  const std::string key = CheckpointKey(request.key);
  const std::string value = CheckpointValue(seq, data.is_null() ? "" : data.dump());
  // Missing key: put. Else put only if the stored "<seq> ..." sorts below "<seq>".
  Json lower =
      TxnRequest(Compare(key, "VALUE", "LESS", CheckpointValue(seq, "")), PutRequest(key, value));
  Json txn = TxnRequest(Compare(key, "CREATE", "EQUAL", 0), PutRequest(key, value),
                        Json{{"requestTxn", lower}});
  Post("/v3/kv/txn", txn, [this, done = std::move(done)](const Reply& r) {
    if (!r.ok) return FailOrInfo(done, r);
    bool stored = Succeeded(r.json);
    if (!stored && r.json.contains("responses") && !r.json["responses"].empty()) {
      stored = Succeeded(r.json["responses"][0].value("response_txn", Json::object()));
    }
    if (!stored) return Finish(done, {EventType::kFail, nullptr, "seq not above the stored one"});
    Finish(done, {EventType::kOk, nullptr, ""});
  });
}

}  // namespace jepsen::systems::etcd
