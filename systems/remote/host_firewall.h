// Network faults on remote hosts (docs/remote-hosts.md): each host drops, in
// an nftables table of the run's own, what comes from the hosts (or the
// control node) it holds a grudge against, and random packets for a lossy
// link; what reaches its SSH server is never dropped, so the run keeps its
// hold on every host. Heal and Remove delete the tables. The nft commands go
// through each node's keeper (one round trip each, and in order with its exit,
// which deletes the tables should the run die).
#ifndef JEPSEN_SYSTEMS_REMOTE_HOST_FIREWALL_H_
#define JEPSEN_SYSTEMS_REMOTE_HOST_FIREWALL_H_

#include <string>
#include <vector>

#include "systems/capabilities.h"
#include "systems/remote/remote_process.h"

namespace jepsen::systems::remote {

class HostFirewall : public systems::Network {
 public:
  struct Member {
    std::string node;       // "n1"
    RemoteProcess* keeper;  // its keeper, which runs nft there; outlives the firewall
    std::string address;    // the host's address, as its peers and the control node reach it
    std::string control;    // the control node's address, as the host sees it
    int ssh_port = 22;      // the host's SSH server's, never filtered
  };
  // `table`: the name of the run's nftables tables on every host.
  HostFirewall(std::vector<Member> members, std::string table)
      : members_(std::move(members)), table_(std::move(table)) {}
  Status Partition(const Grudge& grudge) override;
  Status Heal() override;
  Status SetLoss(const std::string& node, int percent) override;
  // Not carried out on remote hosts: an error saying so.
  Status SetRate(const std::string& node, int64_t kbit) override;
  // Deletes every table of the run's on every host (at the end of the run).
  void Remove();

 private:
  struct Change {
    const Member* member;
    std::string table, rules;  // no rules: the table deleted
  };
  Status Apply(const Member& member, const std::string& table, const std::string& rules);
  Status ApplyAll(const std::vector<Change>& changes);
  const Member* Find(const std::string& node) const;

  std::vector<Member> members_;
  std::string table_;
};

}  // namespace jepsen::systems::remote

#endif  // JEPSEN_SYSTEMS_REMOTE_HOST_FIREWALL_H_
