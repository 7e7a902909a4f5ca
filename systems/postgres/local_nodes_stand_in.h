// STAND-IN, to be deleted when the lead's systems/local_nodes.h lands on main
// (/work/notes/s20_shared.md): the same interface, with ExecSystem's per-node
// setup copied, so the postgres system is written against it already.
#ifndef JEPSEN_SYSTEMS_POSTGRES_LOCAL_NODES_STAND_IN_H_
#define JEPSEN_SYSTEMS_POSTGRES_LOCAL_NODES_STAND_IN_H_

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

namespace jepsen::systems {

struct LocalNode {
  std::string name;      // "n1", "n2", ...
  std::string host;      // its address: 127.0.0.1, or its own in the run's network
  int port = 0;          // a free port, its own
  std::string data_dir;  // <context.data_dir>/<name>, created; on jepsen-diskfs with context.disks
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

 private:
  struct Node {
    std::unique_ptr<NodeDisk> disk;
    std::unique_ptr<FakeClock> clock;
    std::unique_ptr<Process> process;
  };
  Result<size_t> Index(const std::string& name) const;

  std::string who_;
  std::string log_path_;
  std::vector<LocalNode> local_;
  std::vector<Node> nodes_;
};

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_POSTGRES_LOCAL_NODES_STAND_IN_H_
