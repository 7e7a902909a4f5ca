// TEMPORARY stand-in for systems/local_nodes.h, which the lead is extracting
// from systems/exec/exec_system.cc on main: the same interface, copied from
// ExecSystem's per-node setup. Deleted once that lands (then RedisSystem
// derives from systems::LocalNodes unchanged).
#ifndef JEPSEN_SYSTEMS_REDIS_LOCAL_NODES_STANDIN_H_
#define JEPSEN_SYSTEMS_REDIS_LOCAL_NODES_STANDIN_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "systems/capabilities.h"
#include "systems/clock/fake_clock.h"
#include "systems/disk/node_disk.h"
#include "systems/netns/network_faults.h"
#include "systems/process.h"
#include "systems/system.h"

namespace jepsen::systems::redis {

struct LocalNode {
  std::string name;
  std::string host;
  int port = 0;
  std::string data_dir;
};

class LocalNodes : public ProcessNodes, public Disks, public Clocks, public netns::NetworkFaults {
 public:
  Status Kill(const std::string& node) override;
  Status Restart(const std::string& node) override;
  Status Pause(const std::string& node) override;
  Status Resume(const std::string& node) override;
  int ProcessGroup(const std::string& node) const override;
  Result<LostWrites> PowerLoss(const std::string& node, std::optional<uint64_t> torn_seed) override;
  Result<std::string> DiskCommand(const std::string& node, const std::string& command,
                                  bool once_down) override;
  Result<ClockSetting> SkewClock(const std::string& node, double step_s, double rate) override;
  Result<ClockSetting> ResetClock(const std::string& node) override;

 protected:
  explicit LocalNodes(std::string who) : NetworkFaults(who), who_(std::move(who)) {}
  using Command = std::function<Result<ProcessSpec>(const LocalNode& node)>;
  Status StartNodes(const SetupContext& context, int count, const Command& command);
  const std::vector<LocalNode>& local_nodes() const { return local_; }
  std::vector<std::string> node_names() const;
  Status NodeExited() const;
  bool NodesUp() const;
  void StopNodes();
  using NetworkFaults::clients_fd;

 private:
  struct Node {
    std::unique_ptr<NodeDisk> disk;
    std::unique_ptr<FakeClock> clock;
    std::unique_ptr<Process> process;
  };
  Result<const Node*> Find(const std::string& name) const;
  Result<Node*> Find(const std::string& name);

  std::string who_;
  std::string log_path_;
  std::vector<LocalNode> local_;
  std::vector<Node> nodes_;
};

}  // namespace jepsen::systems::redis

#endif  // JEPSEN_SYSTEMS_REDIS_LOCAL_NODES_STANDIN_H_
