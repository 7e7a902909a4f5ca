#include "systems/netns/network_faults.h"

namespace jepsen::systems::netns {

Status NetworkFaults::Missing() const {
  return Status::Error(who_ +
                       " share the machine's loopback: network faults need the run's own network, "
                       "which this run's setup did not ask for");
}

Status NetworkFaults::Partition(const Grudge& grudge) {
  return network_ ? network_->Partition(grudge) : Missing();
}

Status NetworkFaults::Heal() { return network_ ? network_->Heal() : Status(); }

Status NetworkFaults::SetLoss(const std::string& node, int percent) {
  return network_ ? network_->SetLoss(node, percent) : Missing();
}

Status NetworkFaults::SetRate(const std::string& node, int64_t kbit) {
  return network_ ? network_->SetRate(node, kbit) : Missing();
}

}  // namespace jepsen::systems::netns
