#include "systems/netns/network_faults.h"

namespace jepsen::systems::netns {

Status NetworkFaults::Missing() const {
  return Status::Error(who_ +
                       " share the machine's loopback: network faults need the run's own network, "
                       "which this run's setup did not ask for");
}

Status NetworkFaults::Partition(const Grudge& grudge) {
  if (elsewhere_) return elsewhere_->Partition(grudge);
  return network_ ? network_->Partition(grudge) : Missing();
}

Status NetworkFaults::Heal() {
  if (elsewhere_) return elsewhere_->Heal();
  return network_ ? network_->Heal() : Status();
}

Status NetworkFaults::SetLoss(const std::string& node, int percent) {
  if (elsewhere_) return elsewhere_->SetLoss(node, percent);
  return network_ ? network_->SetLoss(node, percent) : Missing();
}

Status NetworkFaults::SetRate(const std::string& node, int64_t kbit) {
  if (elsewhere_) return elsewhere_->SetRate(node, kbit);
  return network_ ? network_->SetRate(node, kbit) : Missing();
}

}  // namespace jepsen::systems::netns
