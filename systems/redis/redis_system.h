// Redis as a system under test: `nodes` Debian redis-server processes, each a
// child of the run on a free port of its host, its data (the append-only file)
// in its data_dir and its output in the run's log, no config file. n1 is the
// primary, the others its replicas (--replicaof); clients talk to n1 only
// (there is no failover). Clients: redis_client.h; ops: redis_ops.h.
#ifndef JEPSEN_SYSTEMS_REDIS_REDIS_SYSTEM_H_
#define JEPSEN_SYSTEMS_REDIS_REDIS_SYSTEM_H_

#include <memory>
#include <string>
#include <vector>

#include "systems/nodes.h"
#include "systems/system.h"
#include "systems/systems.h"

namespace jepsen::systems::redis {

// system=redis, with options appendonly, appendfsync, nodes, wait and fencing.
SystemType Registration();

class RedisSystem : public System, public Nodes, public Leadership {
 public:
  struct Options {
    bool appendonly = true;
    std::string appendfsync = "everysec";  // always, everysec, no: as Redis ships
    int nodes = 1;
    int wait = 0;         // > 0: WAIT for as many replicas after each write
    bool fencing = true;  // leases: writes compare tokens (off: any token is taken)
  };
  // `hosts`: where its nodes run (none: on this machine).
  explicit RedisSystem(Options options, remote::Hosts hosts = {})
      : Nodes("redis nodes", std::move(hosts)), options_(std::move(options)) {}

  Abilities abilities(const SetupContext& context) const override;
  Json HeaderOptions(const std::string& workload) const override;
  Status Setup(const SetupContext& context) override;
  std::vector<std::string> nodes() const override { return node_names(); }
  // n1 answers PING and sees every replica online.
  Status AwaitReady(double timeout_s) override { return AwaitServing(timeout_s, true); }
  Status AwaitHealthy(double timeout_s) override { return AwaitServing(timeout_s, false); }
  bool Up() const override { return NodesUp(); }
  // n1: the primary, always (no failover).
  Result<std::string> Leader() override { return std::string("n1"); }
  std::unique_ptr<Client> NewClient(int thread) override;
  void Teardown() override { StopNodes(); }

  // The redis-server command line of `node` (n1 the primary at `primary`).
  std::vector<std::string> CommandLine(const std::string& server, const NodeInfo& node,
                                       const NodeInfo& primary) const;

 private:
  Status AwaitServing(double timeout_s, bool before_run);
  // What keeps the nodes from serving now; "" when nothing does.
  std::string NotServing() const;

  Options options_;
  SetupContext context_;
};

// redis-server on PATH, or an error saying which package provides it.
Result<std::string> FindRedisServer();

}  // namespace jepsen::systems::redis

#endif  // JEPSEN_SYSTEMS_REDIS_REDIS_SYSTEM_H_
