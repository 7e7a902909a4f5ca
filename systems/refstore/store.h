// The reference store's state machine: registers, leases with fencing tokens,
// the resource they protect, and checkpoints, kept in SQLite (WAL, durable
// commits by default). Requests are applied inside a transaction that the
// server commits once per batch (group commit). Planted bugs make it wrong in
// the ways real stores are, so tests can show the checkers catch them.
#ifndef JEPSEN_SYSTEMS_REFSTORE_STORE_H_
#define JEPSEN_SYSTEMS_REFSTORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "systems/refstore/protocol.h"

struct sqlite3;

namespace jepsen::systems::refstore {

enum class Bug {
  kStaleReads,         // register reads served from a cache that writes do not update
  kLeaseDoubleGrant,   // a lease counts as expired halfway through its ttl
  kTokenReuse,         // a released lease's token is handed out again
  kUnfencedWrites,     // the protected resource accepts writes with stale tokens
  kRenewExpired,       // a renew succeeds after the lease ran out
  kAckBeforeDurable,   // writes are acknowledged before they are committed
  kMemoryOnly,         // state lives only in memory: a kill loses everything
  kCheckpointRegress,  // a checkpoint not above the stored seq is accepted
};

std::optional<Bug> ParseBug(std::string_view name);  // "stale-reads", ...
std::string_view ToString(Bug bug);
std::vector<std::string> BugNames();

struct StoreOptions {
  std::string path;  // the SQLite database file
  std::set<Bug> bugs;
  // SQLite's synchronous setting (WAL): "full" survives power loss, "normal" and "off" survive
  // process kills only (docs/disk-faults.md).
  std::string sync = "full";
  std::function<int64_t()> now_ms;  // wall-clock milliseconds, for lease expiry
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> Open(StoreOptions options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Opens a transaction unless one is open.
  Status Begin();
  // Applies one request in the open transaction. Its reply holds until Commit.
  Reply Apply(const Request& request);
  // Makes everything applied since Begin durable.
  Status Commit();
  bool has_bug(Bug bug) const { return options_.bugs.count(bug) != 0; }

 private:
  explicit Store(StoreOptions options);
  struct Statements;

  Reply ApplyRegister(const Request& request);
  Reply ApplyLease(const Request& request);
  Reply ApplyFenced(const Request& request, const std::string& key);
  Reply ApplyCheckpoint(const Request& request);
  Status Exec(const char* sql);

  StoreOptions options_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Statements> statements_;
  bool in_transaction_ = false;
  struct CachedRead {
    Json value;
    int64_t at_ms;
  };
  std::unordered_map<std::string, CachedRead> read_cache_;  // kStaleReads only
};

}  // namespace jepsen::systems::refstore

#endif  // JEPSEN_SYSTEMS_REFSTORE_STORE_H_
