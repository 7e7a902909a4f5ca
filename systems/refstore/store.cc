#include "systems/refstore/store.h"

#include <sqlite3.h>

#include <chrono>

namespace jepsen::systems::refstore {
namespace {

struct BugName {
  Bug bug;
  const char* name;
};
constexpr BugName kBugNames[] = {
    {Bug::kStaleReads, "stale-reads"},     {Bug::kLeaseDoubleGrant, "lease-double-grant"},
    {Bug::kTokenReuse, "token-reuse"},     {Bug::kUnfencedWrites, "unfenced-writes"},
    {Bug::kRenewExpired, "renew-expired"}, {Bug::kAckBeforeDurable, "ack-before-durable"},
    {Bug::kMemoryOnly, "memory-only"},     {Bug::kCheckpointRegress, "checkpoint-regress"},
};

constexpr int64_t kStaleReadWindowMs = 1000;

// A prepared statement, reset after each use.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Statement& Bind(int i, const std::string& text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, int64_t value) {
    sqlite3_bind_int64(stmt_, i, value);
    return *this;
  }
  Statement& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return text == nullptr ? "" : std::string(text, sqlite3_column_bytes(stmt_, col));
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when the scope ends, whatever path it takes.
class Using {
 public:
  explicit Using(Statement& s) : s_(s) {}
  ~Using() { s_.Reset(); }
  Statement* operator->() { return &s_; }

 private:
  Statement& s_;
};

std::string KeyText(const Json& key) { return key.dump(); }

Json ParseStored(const std::string& text) {
  return Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace

std::optional<Bug> ParseBug(std::string_view name) {
  for (const BugName& b : kBugNames) {
    if (name == b.name) return b.bug;
  }
  return std::nullopt;
}

std::string_view ToString(Bug bug) {
  for (const BugName& b : kBugNames) {
    if (bug == b.bug) return b.name;
  }
  return "?";
}

std::vector<std::string> BugNames() {
  std::vector<std::string> names;
  for (const BugName& b : kBugNames) names.emplace_back(b.name);
  return names;
}

struct Store::Statements {
  explicit Statements(sqlite3* db)
      : register_get(db, "SELECT value FROM registers WHERE key = ?"),
        register_put(db, "INSERT OR REPLACE INTO registers(key, value) VALUES (?, ?)"),
        lease_get(db,
                  "SELECT last_token, holder, granted_ms, expires_ms, released FROM leases "
                  "WHERE key = ?"),
        lease_put(db,
                  "INSERT OR REPLACE INTO leases(key, last_token, holder, granted_ms, expires_ms, "
                  "released) VALUES (?, ?, ?, ?, ?, ?)"),
        resource_get(db, "SELECT token, value FROM resources WHERE key = ?"),
        resource_put(db, "INSERT OR REPLACE INTO resources(key, token, value) VALUES (?, ?, ?)"),
        checkpoint_get(db, "SELECT seq FROM checkpoints WHERE key = ?"),
        checkpoint_put(db, "INSERT OR REPLACE INTO checkpoints(key, seq, data) VALUES (?, ?, ?)") {}
  bool ok() const {
    for (const Statement* s : {&register_get, &register_put, &lease_get, &lease_put, &resource_get,
                               &resource_put, &checkpoint_get, &checkpoint_put}) {
      if (!s->ok()) return false;
    }
    return true;
  }
  Statement register_get, register_put, lease_get, lease_put, resource_get, resource_put,
      checkpoint_get, checkpoint_put;
};

Result<std::unique_ptr<Store>> Store::Open(StoreOptions options) {
  if (!options.now_ms) {
    options.now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  std::unique_ptr<Store> store(new Store(std::move(options)));
  const std::string path =
      store->has_bug(Bug::kMemoryOnly) ? std::string(":memory:") : store->options_.path;
  if (sqlite3_open(path.c_str(), &store->db_) != SQLITE_OK) {
    std::string message = store->db_ ? sqlite3_errmsg(store->db_) : "out of memory";
    return Status::Error(path + ": cannot open database: " + message);
  }
  const char* setup[] = {
      "PRAGMA journal_mode = WAL",
      store->options_.sync == "off"      ? "PRAGMA synchronous = OFF"
      : store->options_.sync == "normal" ? "PRAGMA synchronous = NORMAL"
                                         : "PRAGMA synchronous = FULL",
      "CREATE TABLE IF NOT EXISTS registers(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS leases(key TEXT PRIMARY KEY, last_token INTEGER NOT NULL, "
      "holder INTEGER, granted_ms INTEGER, expires_ms INTEGER, released INTEGER NOT NULL)",
      "CREATE TABLE IF NOT EXISTS resources(key TEXT PRIMARY KEY, token INTEGER NOT NULL, "
      "value TEXT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS checkpoints(key TEXT PRIMARY KEY, seq INTEGER NOT NULL, "
      "data TEXT)",
  };
  for (const char* sql : setup) {
    if (Status s = store->Exec(sql); !s.ok()) return s;
  }
  store->statements_ = std::make_unique<Statements>(store->db_);
  if (!store->statements_->ok()) {
    return Status::Error(path + ": cannot prepare statements: " + sqlite3_errmsg(store->db_));
  }
  return store;
}

Store::Store(StoreOptions options) : options_(std::move(options)) {}

Store::~Store() {
  statements_.reset();  // statements before the connection
  sqlite3_close(db_);
}

Status Store::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    Status s = Status::Error(std::string(sql) + ": " + (error ? error : "failed"));
    sqlite3_free(error);
    return s;
  }
  return Status();
}

Status Store::Begin() {
  if (in_transaction_) return Status();
  if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  in_transaction_ = true;
  return Status();
}

Status Store::Commit() {
  if (!in_transaction_) return Status();
  in_transaction_ = false;
  if (Status s = Exec("COMMIT"); !s.ok()) {
    Exec("ROLLBACK");
    return s;
  }
  return Status();
}

Reply Store::Apply(const Request& request) {
  if (request.workload == "register") return ApplyRegister(request);
  if (request.workload == "leases") return ApplyLease(request);
  if (request.workload == "checkpoints") return ApplyCheckpoint(request);
  return Reply::Fail("unknown workload '" + request.workload + "'");
}

Reply Store::ApplyRegister(const Request& r) {
  const std::string key = KeyText(r.key);
  auto current = [&]() -> Json {
    Using get(statements_->register_get);
    get->Bind(1, key);
    return get->Step() == SQLITE_ROW ? ParseStored(get->Text(0)) : Json();
  };
  auto put = [&](const Json& value) {
    Using put(statements_->register_put);
    put->Bind(1, key).Bind(2, value.dump());
    return put->Step() == SQLITE_DONE;
  };
  if (r.f == "read") {
    if (has_bug(Bug::kStaleReads)) {
      const int64_t now = options_.now_ms();
      auto it = read_cache_.find(key);
      if (it != read_cache_.end() && now - it->second.at_ms < kStaleReadWindowMs) {
        return Reply::Ok(it->second.value);
      }
      Json value = current();
      read_cache_[key] = {value, now};
      return Reply::Ok(value);
    }
    return Reply::Ok(current());
  }
  if (r.f == "write") {
    return put(r.value) ? Reply::Ok() : Reply::Info(sqlite3_errmsg(db_));
  }
  if (r.f == "cas") {
    if (!r.value.is_array() || r.value.size() != 2) return Reply::Fail("cas needs [expected, new]");
    Json now = current();
    if (now != r.value[0])
      return Reply::Fail("expected " + r.value[0].dump() + ", found " + now.dump());
    return put(r.value[1]) ? Reply::Ok() : Reply::Info(sqlite3_errmsg(db_));
  }
  return Reply::Fail("unknown register op '" + r.f + "'");
}

namespace {

// Field `name` of a request's value when it is an integer.
std::optional<int64_t> IntField(const Json& v, const char* name) {
  if (!v.is_object() || !v.contains(name) || !v[name].is_number_integer()) return std::nullopt;
  return v[name].get<int64_t>();
}

}  // namespace

Reply Store::ApplyLease(const Request& r) {
  const std::string key = KeyText(r.key);
  const int64_t now = options_.now_ms();
  struct Lease {
    int64_t last_token = 0;
    std::optional<int64_t> holder;
    int64_t granted_ms = 0, expires_ms = 0;
    bool released = false;
  } lease;
  {
    Using get(statements_->lease_get);
    get->Bind(1, key);
    if (get->Step() == SQLITE_ROW) {
      lease.last_token = get->Int(0);
      if (!get->IsNull(1)) lease.holder = get->Int(1);
      lease.granted_ms = get->Int(2);
      lease.expires_ms = get->Int(3);
      lease.released = get->Int(4) != 0;
    }
  }
  auto save = [&]() {
    Using put(statements_->lease_put);
    put->Bind(1, key).Bind(2, lease.last_token);
    if (lease.holder) {
      put->Bind(3, *lease.holder);
    } else {
      put->BindNull(3);
    }
    put->Bind(4, lease.granted_ms).Bind(5, lease.expires_ms).Bind(6, lease.released ? 1 : 0);
    return put->Step() == SQLITE_DONE ? Reply::Ok() : Reply::Info(sqlite3_errmsg(db_));
  };
  auto int_field = [&](const char* name) { return IntField(r.value, name); };
  const bool expired = now >= lease.expires_ms;
  if (r.f == "acquire") {
    std::optional<int64_t> ttl = int_field("ttl_ms");
    if (!ttl || *ttl <= 0) return Reply::Fail("acquire needs {\"ttl_ms\": T > 0}");
    int64_t ends = lease.expires_ms;
    if (has_bug(Bug::kLeaseDoubleGrant)) ends = lease.granted_ms + (ends - lease.granted_ms) / 2;
    if (lease.holder && now < ends) return Reply::Fail("held");
    int64_t token = lease.last_token + 1;
    if (has_bug(Bug::kTokenReuse) && lease.released) token = lease.last_token;
    lease = {token, token, now, now + *ttl, false};
    Reply reply = save();
    if (reply.type == "ok") reply.value = {{"token", token}};
    return reply;
  }
  if (r.f == "renew" || r.f == "release") {
    std::optional<int64_t> token = int_field("token");
    if (!token) return Reply::Fail(r.f + " needs {\"token\": N}");
    if (!lease.holder || *lease.holder != *token) return Reply::Fail("not the holder");
    if (expired && !(r.f == "renew" && has_bug(Bug::kRenewExpired))) {
      return Reply::Fail("lease expired");
    }
    if (r.f == "renew") {
      std::optional<int64_t> ttl = int_field("ttl_ms");
      if (!ttl || *ttl <= 0) return Reply::Fail("renew needs {\"token\": N, \"ttl_ms\": T > 0}");
      lease.expires_ms = now + *ttl;
    } else {
      lease.holder.reset();
      lease.released = true;
    }
    return save();
  }
  if (r.f == "write" || r.f == "read") return ApplyFenced(r, key);
  return Reply::Fail("unknown leases op '" + r.f + "'");
}

// The fenced resource next to the lease: a write carries its token and is
// refused when older than the last one accepted (unless the bug). REQUIRES:
// r.f is "write" or "read".
Reply Store::ApplyFenced(const Request& r, const std::string& key) {
  if (r.f == "write") {
    std::optional<int64_t> token = IntField(r.value, "token");
    if (!token) return Reply::Fail("write needs {\"token\": N, \"value\": V}");
    {
      Using get(statements_->resource_get);
      get->Bind(1, key);
      if (get->Step() == SQLITE_ROW && *token < get->Int(0) && !has_bug(Bug::kUnfencedWrites)) {
        return Reply::Fail("stale token " + std::to_string(*token) + " (accepted " +
                           std::to_string(get->Int(0)) + ")");
      }
    }
    Using put(statements_->resource_put);
    put->Bind(1, key).Bind(2, *token).Bind(3, r.value.value("value", Json()).dump());
    return put->Step() == SQLITE_DONE ? Reply::Ok() : Reply::Info(sqlite3_errmsg(db_));
  }
  // A read: the last write accepted, with its token.
  Using get(statements_->resource_get);
  get->Bind(1, key);
  if (get->Step() != SQLITE_ROW) return Reply::Ok();
  return Reply::Ok({{"token", get->Int(0)}, {"value", ParseStored(get->Text(1))}});
}

Reply Store::ApplyCheckpoint(const Request& r) {
  const std::string key = KeyText(r.key);
  std::optional<int64_t> stored;
  {
    Using get(statements_->checkpoint_get);
    get->Bind(1, key);
    if (get->Step() == SQLITE_ROW) stored = get->Int(0);
  }
  if (r.f == "read") return stored ? Reply::Ok({{"seq", *stored}}) : Reply::Ok();
  if (r.f == "checkpoint") {
    if (!r.value.is_object() || !r.value.contains("seq") || !r.value["seq"].is_number_integer()) {
      return Reply::Fail("checkpoint needs {\"seq\": N}");
    }
    const int64_t seq = r.value["seq"].get<int64_t>();
    if (stored && seq <= *stored && !has_bug(Bug::kCheckpointRegress)) {
      return Reply::Fail("seq " + std::to_string(seq) + " is not above the stored " +
                         std::to_string(*stored));
    }
    Using put(statements_->checkpoint_put);
    put->Bind(1, key).Bind(2, seq).Bind(3, r.value.value("data", Json()).dump());
    return put->Step() == SQLITE_DONE ? Reply::Ok() : Reply::Info(sqlite3_errmsg(db_));
  }
  return Reply::Fail("unknown checkpoints op '" + r.f + "'");
}

}  // namespace jepsen::systems::refstore
