// Bring your own system: `node-cmd` starts each node of the user's system (a
// child of the run, so kill, pause and restart act on it) and `client-cmd`
// starts their client adapter (docs/exec-protocol.md). Without a node command
// the system lives inside the adapter, and faults act on the adapter itself.
#ifndef JEPSEN_SYSTEMS_EXEC_EXEC_SYSTEM_H_
#define JEPSEN_SYSTEMS_EXEC_EXEC_SYSTEM_H_

#include <memory>
#include <vector>

#include "systems/exec/adapter.h"
#include "systems/nodes.h"
#include "systems/system.h"
#include "systems/systems.h"

namespace jepsen::systems::exec {

// system=exec, with options node-cmd, client-cmd (required) and nodes.
SystemType Registration();

class ExecSystem : public System, public Leadership, public Nodes {
 public:
  // `nodes` of `node_command` (none: the adapter is the system), clients through
  // `client_command`.
  ExecSystem(std::string node_command, std::string client_command, int nodes,
             remote::Hosts hosts = {})
      : Nodes("exec nodes", std::move(hosts)),
        node_command_(std::move(node_command)),
        client_command_(std::move(client_command)),
        node_count_(nodes) {}
  // Its nodes (or the adapter alone) are processes of the run; a leader only
  // when there is one of them; with node-cmd, each node's data_dir on
  // jepsen-diskfs when the run asks for disks; each node's clock faked by
  // libfaketime when it asks for clocks (nodes that read time through libc);
  // and, when it asks for a network of its own, each node in a namespace of its
  // own listening on {host}, the adapter in the clients' namespace (partitions,
  // lossy and slow links).
  Abilities abilities(const SetupContext& context) const override;
  Json HeaderOptions(const std::string& workload) const override;
  Status Setup(const SetupContext& context) override;
  std::vector<std::string> nodes() const override;
  // Without node-cmd, the adapter is the one node these act on.
  Status Kill(const std::string& node) override;
  Status Restart(const std::string& node) override;
  Status Pause(const std::string& node) override;
  Status Resume(const std::string& node) override;
  int ProcessGroup(const std::string& node) const override;
  Result<std::string> Leader() override;
  Status AwaitReady(double timeout_s) override;
  bool Up() const override;
  std::unique_ptr<Client> NewClient(int thread) override;
  void Teardown() override;

 private:
  // Without node-cmd: whether `node` names the adapter (an error when it names nothing).
  Result<bool> IsAdapter(const std::string& node) const;

  std::string node_command_;
  std::string client_command_;
  int node_count_;
  SetupContext context_;
  std::shared_ptr<Adapter> adapter_;
};

// Fills {node}, {host}, {port} and {data_dir} in a command.
std::string Expand(std::string command, const std::string& node, const std::string& host, int port,
                   const std::string& data_dir);

}  // namespace jepsen::systems::exec

#endif  // JEPSEN_SYSTEMS_EXEC_EXEC_SYSTEM_H_
