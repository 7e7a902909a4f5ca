#include "nemesis/network/partition_package.h"

#include <set>

#include "nemesis/targets.h"

namespace jepsen::nemesis {
namespace {

constexpr const char* kPartition = "partition";
constexpr const char* kHeal = "heal";
constexpr const char* kNetwork = "network";  // the heal's value: the whole network

class PartitionPackage final : public Package {
 public:
  std::vector<history::FaultKind> kinds() const override {
    return {{kPartition,
             "network",
             {kPartition},
             {kHeal},
             true,
             "network partitioned (value: who cannot reach whom), healed when it ends",
             "#a9c3ef"}};
  }

  std::string Help(const std::string&) const override {
    return "cut a target's nodes off from the rest (all: each alone; a single node: from the "
           "clients); network namespaces, root";
  }

  bool TakesTargets(const std::string&) const override { return true; }

  Status Supports(const std::string&, const Plan& plan) const override {
    if (plan.abilities.offers(systems::Network::kName)) return Status();
    return Status::Error("system " + plan.system + " cannot partition its nodes");
  }

  void Configure(const std::string&, systems::SetupContext& setup) const override {
    setup.private_network = true;
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    std::string aim;
    Json cut = PickNodes(plan.targets, plan.nodes, rng, &aim);
    if (aim == kAll) cut = {{kAll, true}};
    return Fault{Op{kPartition, nullptr, cut}, Op{kHeal, nullptr, kNetwork}, 0};
  }

  Status Bind(systems::System& system, ClientControl*) override {
    network_ = systems::Find<systems::Network>(system);
    if (network_ == nullptr) return Status::Error("the system offers no network to partition");
    leadership_ = systems::Find<systems::Leadership>(system);
    known_ = system.nodes();
    return Status();
  }

  Applied Apply(const Op& op) override {
    Applied applied{op.f, op.value, "", ""};
    if (op.f == kHeal) {
      if (Status s = network_->Heal(); !s.ok()) {
        applied.error = s.message();
        return applied;
      }
      partitioned_ = false;
      applied.value = kNetwork;
      return applied;
    }
    if (op.f != kPartition) {
      applied.error = "the network package has no op '" + op.f + "'";
      return applied;
    }
    Result<systems::Network::Grudge> grudge = GrudgeOf(op.value);
    Status s = grudge.ok() ? network_->Partition(*grudge) : grudge.status();
    if (!s.ok()) {
      applied.error = s.message();
      return applied;
    }
    partitioned_ = true;
    Json recorded = Json::object();  // who cannot reach whom
    for (const auto& [node, others] : *grudge) recorded[node] = others;
    applied.value = std::move(recorded);
    return applied;
  }

  std::vector<Applied> Heal() override {
    if (!partitioned_) return {};
    partitioned_ = false;
    Applied healed{kHeal, kNetwork, "", kPartition};
    if (Status s = network_->Heal(); !s.ok()) healed.error = s.message();
    return {healed};
  }

  bool healed() const override { return !partitioned_; }

 private:
  // `value`'s nodes cut off from the rest, both ways; {"all": true}: every node alone. A cut
  // that would part no node from another (one node, or all of them) parts them from the
  // clients instead: a partition is never a no-op counted as a fault.
  Result<systems::Network::Grudge> GrudgeOf(const Json& value) const {
    systems::Network::Grudge grudge;
    std::set<std::string> inside;
    if (value.is_object() && value.value(kAll, false)) {
      inside.insert(known_.begin(), known_.end());
      for (const std::string& a : known_) {
        for (const std::string& b : known_) {
          if (a != b) grudge[a].insert(b);
        }
      }
    } else {
      Result<std::vector<std::string>> cut = ResolveNodes(value, known_, leadership_);
      if (!cut.ok()) return cut.status();
      inside.insert(cut->begin(), cut->end());
      std::set<std::string> outside;
      for (const std::string& n : known_) {
        if (!inside.count(n)) outside.insert(n);
      }
      if (!outside.empty()) {
        for (const std::string& n : inside) grudge[n] = outside;
        for (const std::string& n : outside) grudge[n] = inside;
      }
    }
    if (grudge.empty()) {
      for (const std::string& n : inside) grudge[n] = {systems::Network::kClients};
      grudge[systems::Network::kClients] = inside;
    }
    return grudge;
  }

  systems::Network* network_ = nullptr;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
  bool partitioned_ = false;
};

}  // namespace

std::unique_ptr<Package> NewPartitionPackage() { return std::make_unique<PartitionPackage>(); }

}  // namespace jepsen::nemesis
