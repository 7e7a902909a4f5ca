// etcd as a system under test: a cluster of `nodes` (3 by default) started
// from the Debian binary, each node a direct child of the run (so a kill is
// reaped at once), data and logs inside the run's store, every port a free
// one on loopback -- or, for partitions, each node in a network namespace of
// the run's own (systems/netns/). Clients talk to the JSON gateway
// (etcd_client.h).
#ifndef JEPSEN_SYSTEMS_ETCD_ETCD_SYSTEM_H_
#define JEPSEN_SYSTEMS_ETCD_ETCD_SYSTEM_H_

#include <memory>
#include <string>
#include <vector>

#include "systems/etcd/etcd_client.h"
#include "systems/http/http_client.h"
#include "systems/nodes.h"
#include "systems/system.h"
#include "systems/systems.h"

namespace jepsen::systems::etcd {

// system=etcd, with options nodes, reads and fencing.
SystemType Registration();

class EtcdSystem : public System, public Leadership, public Nodes {
 public:
  struct Options {
    int nodes = 3;
    bool serializable_reads = false;  // reads served by any member from its own state
    bool fencing = true;              // leases: writes compare the lock's revision to the token
  };
  // Nodes are processes of the run; a network of its own (namespaces) when the
  // setup asks for a private one; a leader.
  // `hosts`: where its members run (none: on this machine).
  explicit EtcdSystem(Options options, remote::Hosts hosts = {})
      : Nodes("etcd nodes", std::move(hosts)), options_(options) {}
  Abilities abilities(const SetupContext& context) const override;
  // etcd grants lease TTLs in whole seconds, at least 2 s: leases' ttl-ms is 2000 unless given.
  Status AdjustWorkload(const std::string& workload, options::Values& values) const override;
  Json HeaderOptions(const std::string& workload) const override;
  Status Setup(const SetupContext& context) override;
  std::vector<std::string> nodes() const override { return node_names(); }
  // Every member answers /health (a quorum read) and has told its member id.
  Status AwaitReady(double timeout_s) override;
  bool Up() const override { return NodesUp(); }
  Status AwaitHealthy(double timeout_s) override { return AwaitServing(timeout_s, false); }
  // What most reachable members name as leader in /v3/maintenance/status.
  Result<std::string> Leader() override;
  std::unique_ptr<Client> NewClient(int thread) override;
  void Teardown() override;

 private:
  // Until every member serves; a member that exited is an error at once, with its last output.
  // before_run: the loop is not running, so turn it to reap exits (never from a callback).
  Status AwaitServing(double timeout_s, bool before_run);
  int netns_fd() const { return clients_fd(); }

  Options options_;
  SetupContext context_;
  std::map<std::string, std::string>
      member_ids_;  // node -> its id as etcd names it, once it serves
  std::shared_ptr<http::Client> http_;
  std::shared_ptr<LeaseBook> leases_ = std::make_shared<LeaseBook>();
};

// The etcd binary on PATH, or an error saying which package provides it.
Result<std::string> FindEtcd();

}  // namespace jepsen::systems::etcd

#endif  // JEPSEN_SYSTEMS_ETCD_ETCD_SYSTEM_H_
