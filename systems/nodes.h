// Nodes that are processes of the run on this machine, each with a free port,
// a data directory (on jepsen-diskfs when the run asks for disks), its clock
// faked by libfaketime when it asks for clocks, and a network namespace of its
// own when it asks for a network (the clients then in theirs). Or, given hosts
// (remote/hosts.h), node i on host i over SSH, kept there by jepsen-keeper,
// partitioned by nftables on the hosts. The process, disk, clock and network
// capabilities are implemented here once; a system (refstore, exec, etcd,
// redis, postgres) says only how to start one node.
#ifndef JEPSEN_SYSTEMS_NODES_H_
#define JEPSEN_SYSTEMS_NODES_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "systems/capabilities.h"
#include "systems/clock/fake_clock.h"
#include "systems/disk/node_disk.h"
#include "systems/netns/network_faults.h"
#include "systems/node_process.h"
#include "systems/process.h"
#include "systems/remote/host_firewall.h"
#include "systems/remote/hosts.h"
#include "systems/remote/remote_process.h"
#include "systems/system.h"

namespace jepsen::systems {

struct NodeInfo {
  std::string name;      // "n1", "n2", ...
  std::string host;      // its address: 127.0.0.1, its own in the run's network, or its host's
  int port = 0;          // a free port of its own (on a host: remote-port)
  int peer_port = 0;     // another, for nodes that talk among themselves on a port of their own
  std::string data_dir;  // <data_dir>/<name>, created; on jepsen-diskfs with context.disks
                         // (on a host: <remote-dir>/<run>/<name>)
  bool remote = false;   // on a host: its command runs there (programs as the host has them)
};

class Nodes : public ProcessNodes, public Disks, public Clocks, public netns::NetworkFaults {
 public:
  Status Kill(const std::string& node) override;
  Status Restart(const std::string& node) override;  // with the spec it started with
  Status Pause(const std::string& node) override;
  Status Resume(const std::string& node) override;
  int ProcessGroup(const std::string& node) const override;
  Result<LostWrites> PowerLoss(const std::string& node, std::optional<uint64_t> torn_seed) override;
  Result<std::string> DiskCommand(const std::string& node, const std::string& command,
                                  bool once_down) override;
  Result<ClockSetting> SkewClock(const std::string& node, double step_s, double rate) override;
  Result<ClockSetting> ResetClock(const std::string& node) override;

 protected:
  // `who`: the nodes, for messages ("redis nodes"); `hosts`: where they run (none: here).
  explicit Nodes(std::string who, remote::Hosts hosts = {})
      : NetworkFaults(who), who_(std::move(who)), hosts_(std::move(hosts)) {}
  // The capabilities the nodes offer in `context`, and why not where they cannot.
  void AddAbilities(const SetupContext& context, Abilities& abilities) const;
  bool on_hosts() const { return hosts_.remote(); }
  // The spec to start `node` with: argv, env, cwd, and its log (the run's when empty).
  // `ip netns exec` into the node's namespace and libfaketime's environment are added to it.
  using Command = std::function<Result<ProcessSpec>(const NodeInfo& node)>;
  // Makes `count` nodes named n1..n<count> (their network first, with
  // context.private_network), then starts each (every node is known to the command).
  Status StartNodes(const SetupContext& context, int count, const Command& command);
  const std::vector<NodeInfo>& node_info() const { return info_; }
  // Runs `shell_line` (/bin/sh) on the host of `node` (one on a host; from StartNodes'
  // command on), over its master connection: its outcome (exit code 255: ssh's own failure).
  Result<remote::CommandOutput> RunOnHost(const NodeInfo& node, const std::string& shell_line,
                                          double timeout_s) const;
  std::vector<std::string> node_names() const;
  // The first node that is not running, as an error ("node n1 exited <when>") naming it
  // with its last output and the log; ok when all run.
  Status NodeExited(const std::string& when = "before the run began") const;
  bool NodeUp(const std::string& node) const;  // running and not paused
  bool NodesUp() const;                        // every node
  // What a system says of its nodes: "" when they serve, else what is still wrong (for the
  // error); an error ends the wait at once.
  using Probe = std::function<Result<std::string>()>;
  // Blocks until `probe` says the nodes serve: an error naming a node that exits meanwhile
  // (at once), or after `timeout_s` what the probe last said. `before_run`: the run's loop
  // is not running yet and is run here to reap a node that exits at once (after the run the
  // loop is the caller's, and a node's exit is seen unreaped).
  Status AwaitServing(double timeout_s, bool before_run, const Probe& probe);
  // AwaitServing until every node accepts TCP connections on its port from where the
  // clients are.
  Status AwaitAccepting(double timeout_s, bool before_run);
  // Kills every node, unmounts their disks, removes the network. The loop must then
  // run to reap them.
  void StopNodes();

 private:
  struct Node {
    std::unique_ptr<NodeDisk> disk;    // with context.disks
    std::unique_ptr<FakeClock> clock;  // with context.clocks
    std::unique_ptr<NodeProcess> process;
    std::string log_path;
    remote::SshHost* host = nullptr;          // on a host
    remote::RemoteProcess* remote = nullptr;  // process, on a host
    bool remote_clock = false;                // its keeper fakes its clock (context.clocks)
    // Logs on the host fetched home at the end: there, here (the node's, its filesystem's).
    std::vector<std::pair<std::string, std::string>> remote_logs;
  };
  // StartNodes on hosts: each reached, checked and given jepsen-keeper first.
  Status StartOnHosts(const SetupContext& context, int count, const Command& command);
  // On a host: jepsen-diskfs mounted on node i's data_dir, kept by a keeper of its own.
  Status MountOnHost(const SetupContext& context, size_t i, const std::string& remote_run);
  std::string Output(size_t i) const;  // ": <node i's last output> (see <its log>)"
  Result<Node*> Find(const std::string& name);
  Result<const Node*> Find(const std::string& name) const;
  Result<Node*> WithDisk(const std::string& name);
  Result<Node*> WithClock(const std::string& name);

  std::string who_;
  uv_loop_t* loop_ = nullptr;
  std::vector<NodeInfo> info_;
  std::vector<Node> nodes_;  // nodes_[i] is info_[i]'s
  remote::Hosts hosts_;
  std::string control_dir_;  // the SSH master connections' sockets (on this machine)
  std::vector<std::unique_ptr<remote::SshHost>> connections_;
  remote::HostFirewall* firewall_ = nullptr;  // owned by NetworkFaults
};

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_NODES_H_
