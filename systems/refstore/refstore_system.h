// The bundled reference store as a system under test: one jepsen-refstore
// node, a child of the run, on a free loopback port; when the run asks for a
// network of its own (partitions, lossy links), in a namespace of its own,
// the clients in theirs, so the clients can be cut off from it.
#ifndef JEPSEN_SYSTEMS_REFSTORE_REFSTORE_SYSTEM_H_
#define JEPSEN_SYSTEMS_REFSTORE_REFSTORE_SYSTEM_H_

#include <memory>

#include "systems/nodes.h"
#include "systems/system.h"
#include "systems/systems.h"

namespace jepsen::systems::refstore {

// system=refstore, with options bug (planted bugs, the store's own table) and sync (SQLite's
// synchronous; fsync, its older name).
SystemType Registration();

class RefstoreSystem : public System, public Leadership, public Nodes {
 public:
  RefstoreSystem(std::vector<std::string> bugs, std::string sync)
      : Nodes("refstore's n1 and its clients"), bugs_(std::move(bugs)), sync_(std::move(sync)) {}
  // One node, a process of the run, so it leads; a network of its own when the run asks for
  // one (a partition cuts the clients off from n1); its data on a jepsen-diskfs when the run
  // asks for disks; its clock faked by libfaketime when the run asks for clocks (the store
  // reads time through libc's clock_gettime).
  Abilities abilities(const SetupContext& context) const override;
  Json HeaderOptions(const std::string& workload) const override;
  Status Setup(const SetupContext& context) override;
  std::vector<std::string> nodes() const override { return {"n1"}; }
  Result<std::string> Leader() override { return std::string("n1"); }
  Status AwaitReady(double timeout_s) override { return AwaitAccepting(timeout_s, true); }
  // After the final heal: n1 serves again, or the run says it is down (a store that refuses
  // to start on a damaged file, nemesis=corrupt). The loop is not run: it is the caller's.
  Status AwaitHealthy(double timeout_s) override { return AwaitAccepting(timeout_s, false); }
  bool Up() const override;
  std::unique_ptr<Client> NewClient(int thread) override;
  void Teardown() override;
  int port() const { return n1().port; }

 private:
  const NodeInfo& n1() const { return node_info().front(); }
  std::vector<std::string> bugs_;
  std::string sync_;  // full, normal, off
  SetupContext context_;
};

}  // namespace jepsen::systems::refstore

#endif  // JEPSEN_SYSTEMS_REFSTORE_REFSTORE_SYSTEM_H_
