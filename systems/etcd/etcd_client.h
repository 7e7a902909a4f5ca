// A client of one etcd node for one worker thread, over the JSON gateway on
// the run's loop. Ops map to etcd as Jepsen's etcd tests do:
//  register:    read = range, write = put, cas = txn comparing the value;
//  leases:      acquire = grant a lease, then txn create_revision(lock) == 0
//               -> put lock with the lease (token: that txn's revision);
//               renew = keepalive; release = revoke; write = txn comparing the
//               lock's create_revision to the token (fencing on) or a plain
//               put (fencing off); read = range of the resource;
//  checkpoints: checkpoint = txn putting "<seq> <data>" only if the stored
//               seq is lower (zero-padded, so bytes compare as numbers).
#ifndef JEPSEN_SYSTEMS_ETCD_ETCD_CLIENT_H_
#define JEPSEN_SYSTEMS_ETCD_ETCD_CLIENT_H_

#include <uv.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "systems/http/http_client.h"
#include "systems/system.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems::etcd {

// Which etcd lease backs each fencing token, shared by the run's clients.
using LeaseBook = std::map<int64_t, int64_t>;

struct ClientConfig {
  std::string workload;
  std::string url;  // the node's client URL, "http://127.0.0.1:2379"
  std::string node;
  bool serializable = false;
  bool fencing = true;
  int64_t timeout_ms = 5000;  // per HTTP request
  std::shared_ptr<http::Client> http;
  std::shared_ptr<LeaseBook> leases;
};

class EtcdClient : public Client {
 public:
  EtcdClient(uv_loop_t* loop, ClientConfig config);
  ~EtcdClient() override;

  void Invoke(const Request& request, Done done) override;
  void Freeze() override { frozen_ = true; }
  void Thaw() override;

 private:
  struct Reply;
  using Then = std::function<void(Reply)>;

  // Every way into the client (a reply, a timer) goes through Run: while
  // frozen it waits in `held_`.
  void Run(std::function<void()> fn);
  void Post(const std::string& path, const Json& body, Then then);
  void After(uint64_t ms, std::function<void()> fn);
  // Ends an op; a `fail` for a request that never left waits a little first,
  // so a node that is down is not hammered in a tight loop.
  void Finish(const Done& done, Completion c, bool backoff = false);
  void FailOrInfo(const Done& done, const Reply& r);
  // Ends an op on the loop's next turn: never inside Invoke().
  void Soon(const Done& done, Completion c);

  void Read(const std::string& key, Done done, std::function<Json(const std::string&)> decode);
  void Write(const Request& r, Done done);
  void Cas(const Request& r, Done done);
  void Acquire(const Request& r, Done done);
  void Renew(const Request& r, Done done);
  void Release(const Request& r, Done done);
  void FencedWrite(const Request& r, Done done);
  void Checkpoint(const Request& r, Done done);

  ClientConfig config_;
  bool frozen_ = false;
  std::deque<std::function<void()>> held_;
  std::set<uint64_t> requests_;  // HTTP requests in flight, cancelled with the client
  uv::Timers timers_;            // cancelled with the client
};

// Keys the workloads' ops live under.
std::string RegisterKey(const Json& key);
std::string LockKey(const Json& resource);
std::string ResourceKey(const Json& resource);
std::string CheckpointKey(const Json& stream);
// "<seq, 20 digits> <data>": byte order is numeric order.
std::string CheckpointValue(int64_t seq, const std::string& data);

}  // namespace jepsen::systems::etcd

#endif  // JEPSEN_SYSTEMS_ETCD_ETCD_CLIENT_H_
