#include "systems/remote/host_firewall.h"

#include "systems/netns/network.h"

namespace jepsen::systems::remote {

const HostFirewall::Member* HostFirewall::Find(const std::string& node) const {
  for (const Member& m : members_) {
    if (m.node == node) return &m;
  }
  return nullptr;
}

// Replaces `table` on the member's host with one whose input chain holds `rules` after the
// rule keeping SSH open; no rules: the table is deleted.
Status HostFirewall::Apply(const Member& member, const std::string& table,
                           const std::string& rules) {
  std::string script = "table inet " + table + "\ndelete table inet " + table + "\n";
  if (!rules.empty()) {
    script += "table inet " + table +
              " {\n chain input {\n  type filter hook input priority -10; policy accept;\n"
              "  tcp dport " +
              std::to_string(member.ssh_port) + " accept\n" + rules + " }\n}\n";
  }
  if (Status s = member.keeper->Nft(script); !s.ok()) {
    return Status::Error(member.node + ": " + s.message());
  }
  return Status();
}

// Every change, each tried; the first error is the answer.
Status HostFirewall::ApplyAll(const std::vector<Change>& changes) {
  Status first;
  for (const Change& c : changes) {
    Status s = Apply(*c.member, c.table, c.rules);
    if (first.ok() && !s.ok()) first = s;
  }
  return first;
}

Status HostFirewall::Partition(const Grudge& grudge) {
  std::vector<Change> changes;
  for (const Member& m : members_) {
    std::string sources;
    auto it = grudge.find(m.node);
    if (it != grudge.end()) {
      for (const std::string& party : it->second) {
        const std::string address =
            party == kClients ? m.control : (Find(party) ? Find(party)->address : "");
        if (address.empty()) return Status::Error("no node '" + party + "' to part from");
        if (address != m.address) sources += (sources.empty() ? "" : ", ") + address;
      }
    }
    changes.push_back({&m, table_, sources.empty() ? "" : "  ip saddr { " + sources + " } drop\n"});
  }
  return ApplyAll(changes);
}

Status HostFirewall::Heal() {
  std::vector<Change> changes;
  for (const Member& m : members_) changes.push_back({&m, table_, ""});
  return ApplyAll(changes);
}

Status HostFirewall::SetLoss(const std::string& node, int percent) {
  const Member* m = Find(node);
  if (m == nullptr) return Status::Error("no node '" + node + "'");
  return Apply(*m, table_ + "-loss", percent <= 0 ? "" : "  " + netns::RandomDrop(percent) + "\n");
}

Status HostFirewall::SetRate(const std::string& node, int64_t) {
  return Status::Error(node + ": slow links are not carried out on remote hosts");
}

void HostFirewall::Remove() {
  std::vector<Change> changes;
  for (const Member& m : members_) {
    changes.push_back({&m, table_, ""});
    changes.push_back({&m, table_ + "-loss", ""});
  }
  (void)ApplyAll(changes);
}

}  // namespace jepsen::systems::remote
