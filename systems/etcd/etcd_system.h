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

#include "systems/disk/node_disk.h"
#include "systems/etcd/etcd_client.h"
#include "systems/http/http_client.h"
#include "systems/netns/network_faults.h"
#include "systems/process.h"
#include "systems/system.h"
#include "systems/systems.h"

namespace jepsen::systems::etcd {

// system=etcd, with options nodes, reads and fencing.
SystemType Registration();

class EtcdSystem : public System,
                   public ProcessNodes,
                   public netns::NetworkFaults,
                   public Leadership,
                   public Disks {
 public:
  struct Options {
    int nodes = 3;
    bool serializable_reads = false;  // reads served by any member from its own state
    bool fencing = true;              // leases: writes compare the lock's revision to the token
  };
  // Nodes are processes of the run; a network of its own (namespaces) when the
  // setup asks for a private one; a leader.
  explicit EtcdSystem(Options options) : NetworkFaults("etcd nodes"), options_(options) {}
  Abilities abilities(const SetupContext& context) const override;
  // etcd grants lease TTLs in whole seconds, at least 2 s: leases' ttl-ms is 2000 unless given.
  Status AdjustWorkload(const std::string& workload, options::Values& values) const override;
  Json HeaderOptions(const std::string& workload) const override;
  Status Setup(const SetupContext& context) override;
  std::vector<std::string> nodes() const override;
  Status Kill(const std::string& node) override;
  Status Restart(const std::string& node) override;
  Status Pause(const std::string& node) override;
  Status Resume(const std::string& node) override;
  int ProcessGroup(const std::string& node) const override;
  // Every member answers /health (a quorum read) and has told its member id.
  Status AwaitReady(double timeout_s) override;
  bool Up() const override;
  Status AwaitHealthy(double timeout_s) override { return AwaitServing(timeout_s, false); }
  // What most reachable members name as leader in /v3/maintenance/status.
  Result<std::string> Leader() override;
  // With context.disks each member's data directory is on jepsen-diskfs.
  Result<LostWrites> PowerLoss(const std::string& node, std::optional<uint64_t> torn_seed) override;
  Result<std::string> DiskCommand(const std::string& node, const std::string& command,
                                  bool once_down) override;
  std::unique_ptr<Client> NewClient(int thread) override;
  void Teardown() override;

 private:
  struct Node {
    std::string name;
    std::string host;  // where its client and peer ports listen
    int client_port = 0;
    int peer_port = 0;
    std::string member_id;           // as etcd names it, learnt once it serves
    std::unique_ptr<NodeDisk> disk;  // with context.disks: its data directory
    std::unique_ptr<Process> process;
    std::string client_url() const { return "http://" + host + ":" + std::to_string(client_port); }
    std::string peer_url() const { return "http://" + host + ":" + std::to_string(peer_port); }
  };
  Result<Node*> Find(const std::string& name);
  Result<const Node*> Find(const std::string& name) const;
  // Until every member serves; a member that exited is an error at once, with its last output.
  // before_run: the loop is not running, so turn it to reap exits (never from a callback).
  Status AwaitServing(double timeout_s, bool before_run);
  int netns_fd() const { return clients_fd(); }

  Options options_;
  SetupContext context_;
  std::vector<Node> nodes_;
  std::shared_ptr<http::Client> http_;
  std::shared_ptr<LeaseBook> leases_ = std::make_shared<LeaseBook>();
};

// The etcd binary on PATH, or an error saying which package provides it.
Result<std::string> FindEtcd();

}  // namespace jepsen::systems::etcd

#endif  // JEPSEN_SYSTEMS_ETCD_ETCD_SYSTEM_H_
