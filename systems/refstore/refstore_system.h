// The bundled reference store as a system under test: one jepsen-refstore
// node, a child of the run, on a free loopback port.
#ifndef JEPSEN_SYSTEMS_REFSTORE_REFSTORE_SYSTEM_H_
#define JEPSEN_SYSTEMS_REFSTORE_REFSTORE_SYSTEM_H_

#include <memory>

#include "systems/process.h"
#include "systems/system.h"

namespace jepsen::systems::refstore {

class RefstoreSystem : public System {
 public:
  // One node, so it leads; no network of its own to partition.
  Abilities abilities(const SetupContext& context) const override;
  Status Setup(const SetupContext& context) override;
  std::vector<std::string> nodes() const override { return {"n1"}; }
  Status Kill(const std::string& node) override;
  Status Restart(const std::string& node) override;
  Status Pause(const std::string& node) override;
  Status Resume(const std::string& node) override;
  Status AwaitReady(double timeout_s) override;
  bool Up() const override;
  std::unique_ptr<Client> NewClient(int thread) override;
  void Teardown() override;
  int port() const { return port_; }

 private:
  Status Check(const std::string& node) const;
  SetupContext context_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace jepsen::systems::refstore

#endif  // JEPSEN_SYSTEMS_REFSTORE_REFSTORE_SYSTEM_H_
