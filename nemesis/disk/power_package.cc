#include "nemesis/disk/power_package.h"

#include <optional>
#include <set>

#include "nemesis/disk/disk_checks.h"
#include "nemesis/targets.h"
#include "systems/disk/node_disk.h"

namespace jepsen::nemesis {
namespace {

// What a package's power loss is: its vocabulary, and whether it tears the last writes.
struct PowerLoss {
  history::FaultKind kind;  // one begin f (off), one end f (on)
  std::string help;
  bool torn = false;
};

class PowerPackage final : public Package {
 public:
  explicit PowerPackage(PowerLoss loss) : loss_(std::move(loss)) {}

  std::vector<history::FaultKind> kinds() const override { return {loss_.kind}; }

  std::string Help(const std::string&) const override { return loss_.help; }

  bool TakesTargets(const std::string&) const override { return true; }

  Status Supports(const std::string&, const Plan& plan) const override {
    return SupportsDisks(plan, "lose power", true);
  }

  void Configure(const std::string&, systems::SetupContext& setup) const override {
    setup.disks = true;
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    Json value = PickNodes(plan.targets, plan.nodes, rng);
    if (loss_.torn) value = {{"nodes", std::move(value)}, {"seed", rng.Next() >> 11}};
    return Fault{Op{off(), nullptr, std::move(value)}, Op{on(), nullptr, nullptr}, 0};
  }

  Status Bind(systems::System& system, ClientControl*) override {
    nodes_ = systems::Find<systems::ProcessNodes>(system);
    disks_ = systems::Find<systems::Disks>(system);
    if (nodes_ == nullptr || disks_ == nullptr) {
      return Status::Error("the system offers no nodes whose disks can lose power");
    }
    leadership_ = systems::Find<systems::Leadership>(system);
    known_ = system.nodes();
    return Status();
  }

  Applied Apply(const Op& op) override {
    Applied applied{op.f, op.value, "", ""};
    if (op.f == on()) return PowerOn(op, applied);
    if (op.f != off()) {
      applied.error = "the " + loss_.kind.name + " package has no op '" + op.f + "'";
      return applied;
    }
    // {"nodes": ..., "seed": N} (torn) or the nodes.
    const Json& named = op.value.is_object() ? op.value["nodes"] : op.value;
    std::optional<uint64_t> seed;
    if (loss_.torn) seed = op.value.is_object() ? op.value.value("seed", uint64_t{1}) : 1;
    Result<std::vector<std::string>> targets = ResolveNodes(named, known_, leadership_);
    if (!targets.ok()) {
      applied.error = targets.message();
      return applied;
    }
    // Every target goes down first, then each disk drops what it had not made durable: with
    // target=all no node outlives another's power loss.
    Json nodes = Json::array(), lost = Json::object();
    for (const std::string& node : *targets) {
      if (Status s = nodes_->Kill(node); !s.ok()) {
        applied.error = s.message();
        return applied;
      }
      off_.insert(node);
      nodes.push_back(node);
    }
    for (const std::string& node : *targets) {
      Result<systems::LostWrites> loss = disks_->PowerLoss(node, seed);
      if (!loss.ok()) {
        applied.error = node + ": " + loss.message();
        return applied;
      }
      lost[node] = {{"files", loss->files}, {"bytes", loss->bytes}, {"writes", loss->writes}};
      if (seed) {
        Json torn = Json::array();
        for (const systems::TornWrite& t : loss->torn) {
          torn.push_back({{"file", t.file},
                          {"offset", t.offset},
                          {"length", t.length},
                          {"how", t.how},
                          {"kept", t.kept}});
        }
        lost[node]["torn"] = std::move(torn);
      }
    }
    applied.value = {{"nodes", nodes}, {"lost", lost}};
    if (seed) applied.value["seed"] = *seed;
    return applied;
  }

  std::vector<Applied> Heal() override {
    if (off_.empty()) return {};
    Json restarted = Json::array();
    std::string error;
    for (const std::string& node : off_) {
      if (Status s = nodes_->Restart(node); s.ok()) {
        restarted.push_back(node);
      } else if (error.empty()) {
        error = node + ": " + s.message();
      }
    }
    off_.clear();
    return {{on(), restarted, error, loss_.kind.name}};
  }

  bool healed() const override { return off_.empty(); }

 private:
  // Restarts the nodes `op` names, or every node without power (a null value).
  Applied PowerOn(const Op& op, Applied& applied) {
    std::vector<std::string> targets(off_.begin(), off_.end());
    if (!op.value.is_null()) {
      Result<std::vector<std::string>> named = ResolveNodes(op.value, known_, leadership_);
      if (!named.ok()) {
        applied.error = named.message();
        return applied;
      }
      targets = *named;
    }
    Json done = Json::array();
    for (const std::string& node : targets) {
      off_.erase(node);
      if (Status s = nodes_->Restart(node); !s.ok()) {
        applied.error = s.message();
        return applied;
      }
      done.push_back(node);
    }
    applied.value = std::move(done);
    return applied;
  }

  const std::string& off() const { return loss_.kind.begins.front(); }
  const std::string& on() const { return loss_.kind.ends.front(); }

  PowerLoss loss_;
  systems::ProcessNodes* nodes_ = nullptr;
  systems::Disks* disks_ = nullptr;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
  std::set<std::string> off_;  // nodes down for want of power
};

}  // namespace

std::unique_ptr<Package> NewPowerPackage() {
  return std::make_unique<PowerPackage>(PowerLoss{
      {"power",
       "disk",
       {"power-off"},
       {"power-on"},
       true,
       "node lost power (killed; its writes not yet durable dropped: value.lost), back when it "
       "ends",
       "#c9a0dc"},
      "SIGKILL a node's process group and drop its writes not yet durable (jepsen-diskfs; root, "
      "/dev/fuse), restart it when the fault ends",
      false});
}

std::unique_ptr<Package> NewTornPackage() {
  return std::make_unique<PowerPackage>(PowerLoss{
      {"torn",
       "disk",
       {"torn-power-off"},
       {"torn-power-on"},
       true,
       "node lost power mid-write (killed; each file's last write not durable kept in part, "
       "the rest dropped: value.lost.<node>.torn), back when it ends",
       "#b080c0"},
      "like power, but each file's last write not yet durable reaches the disk in part (whole "
      "sectors: a prefix or a random subset, from the run's seed)",
      true});
}

}  // namespace jepsen::nemesis
