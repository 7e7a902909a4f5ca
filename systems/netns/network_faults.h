// systems::Network for a system whose nodes live in a network of the run's own
// (netns::Network), made by the system's Setup when the run asks for one
// (SetupContext::private_network): partitions, lossy and slow links go to it;
// without one they are errors saying so (checks before the run keep them from
// being asked).
#ifndef JEPSEN_SYSTEMS_NETNS_NETWORK_FAULTS_H_
#define JEPSEN_SYSTEMS_NETNS_NETWORK_FAULTS_H_

#include <memory>
#include <string>

#include "systems/capabilities.h"
#include "systems/netns/network.h"

namespace jepsen::systems::netns {

class NetworkFaults : public systems::Network {
 public:
  Status Partition(const Grudge& grudge) override;
  Status Heal() override;
  Status SetLoss(const std::string& node, int percent) override;
  Status SetRate(const std::string& node, int64_t kbit) override;

 protected:
  // `who`, for messages: "etcd nodes" (share the machine's loopback).
  explicit NetworkFaults(std::string who) : who_(std::move(who)) {}
  // The network's clients' namespace, for sockets the run's clients open; -1 without one.
  int clients_fd() const { return network_ ? network_->clients_fd() : -1; }

  std::unique_ptr<netns::Network> network_;  // null: all on the machine's loopback
  // Network faults acted out elsewhere instead (remote hosts' firewalls).
  std::unique_ptr<systems::Network> elsewhere_;

 private:
  Status Missing() const;
  std::string who_;
};

}  // namespace jepsen::systems::netns

#endif  // JEPSEN_SYSTEMS_NETNS_NETWORK_FAULTS_H_
