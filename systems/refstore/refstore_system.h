// The bundled reference store as a system under test: one jepsen-refstore
// node, a child of the run, on a free loopback port; when the run asks for a
// network of its own (partitions, lossy links), in a namespace of its own,
// the clients in theirs, so the clients can be cut off from it.
#ifndef JEPSEN_SYSTEMS_REFSTORE_REFSTORE_SYSTEM_H_
#define JEPSEN_SYSTEMS_REFSTORE_REFSTORE_SYSTEM_H_

#include <memory>

#include "systems/clock/fake_clock.h"
#include "systems/disk/node_disk.h"
#include "systems/netns/network_faults.h"
#include "systems/process.h"
#include "systems/system.h"
#include "systems/systems.h"

namespace jepsen::systems::refstore {

// system=refstore, with options bug (planted bugs, the store's own table) and sync (SQLite's
// synchronous; fsync, its older name).
SystemType Registration();

class RefstoreSystem : public System,
                       public ProcessNodes,
                       public Leadership,
                       public Disks,
                       public Clocks,
                       public netns::NetworkFaults {
 public:
  RefstoreSystem(std::vector<std::string> bugs, std::string sync)
      : NetworkFaults("refstore's n1 and its clients"),
        bugs_(std::move(bugs)),
        sync_(std::move(sync)) {}
  // One node, a process of the run, so it leads; a network of its own when the run asks for
  // one (a partition cuts the clients off from n1); its data on a jepsen-diskfs when the run
  // asks for disks; its clock faked by libfaketime when the run asks for clocks (the store
  // reads time through libc's clock_gettime).
  Abilities abilities(const SetupContext& context) const override;
  Json HeaderOptions(const std::string& workload) const override;
  Status Setup(const SetupContext& context) override;
  std::vector<std::string> nodes() const override { return {"n1"}; }
  Status Kill(const std::string& node) override;
  Status Restart(const std::string& node) override;
  Status Pause(const std::string& node) override;
  Status Resume(const std::string& node) override;
  int ProcessGroup(const std::string& node) const override;
  Result<std::string> Leader() override { return std::string("n1"); }
  Result<LostWrites> PowerLoss(const std::string& node, std::optional<uint64_t> torn_seed) override;
  Result<std::string> DiskCommand(const std::string& node, const std::string& command,
                                  bool once_down) override;
  Result<ClockSetting> SkewClock(const std::string& node, double step_s, double rate) override;
  Result<ClockSetting> ResetClock(const std::string& node) override;
  Status AwaitReady(double timeout_s) override { return AwaitServing(timeout_s, true); }
  // After the final heal: n1 serves again, or the run says it is down (a store that refuses
  // to start on a damaged file, nemesis=corrupt). The loop is not run: it is the caller's.
  Status AwaitHealthy(double timeout_s) override { return AwaitServing(timeout_s, false); }
  bool Up() const override;
  std::unique_ptr<Client> NewClient(int thread) override;
  void Teardown() override;
  int port() const { return port_; }

 private:
  // Until n1 accepts connections; `before_run`: the loop may be run to reap it if it exits.
  Status AwaitServing(double timeout_s, bool before_run);
  Status Check(const std::string& node) const;
  std::string host() const;  // n1's address
  std::vector<std::string> bugs_;
  std::string sync_;  // full, normal, off
  SetupContext context_;
  int port_ = 0;
  std::unique_ptr<NodeDisk> disk_;    // with context.disks: n1's data directory
  std::unique_ptr<FakeClock> clock_;  // with context.clocks: n1's
  std::unique_ptr<Process> process_;
};

}  // namespace jepsen::systems::refstore

#endif  // JEPSEN_SYSTEMS_REFSTORE_REFSTORE_SYSTEM_H_
