#include "nemesis/disk/power_package.h"

#include <set>

#include "nemesis/disk/disk_checks.h"
#include "nemesis/targets.h"
#include "systems/disk/node_disk.h"

namespace jepsen::nemesis {
namespace {

constexpr const char* kPower = "power";
constexpr const char* kPowerOff = "power-off";
constexpr const char* kPowerOn = "power-on";

class PowerPackage final : public Package {
 public:
  std::vector<history::FaultKind> kinds() const override {
    return {{kPower,
             "disk",
             {kPowerOff},
             {kPowerOn},
             true,
             "node lost power (killed; its writes not yet durable dropped: value.lost), back "
             "when it ends",
             "#c9a0dc"}};
  }

  std::string Help(const std::string&) const override {
    return "SIGKILL a node's process group and drop its writes not yet durable (jepsen-diskfs; "
           "root, /dev/fuse), restart it when the fault ends";
  }

  bool TakesTargets(const std::string&) const override { return true; }

  Status Supports(const std::string&, const Plan& plan) const override {
    return SupportsDisks(plan, "lose power", true);
  }

  void Configure(const std::string&, systems::SetupContext& setup) const override {
    setup.disks = true;
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    return Fault{Op{kPowerOff, nullptr, PickNodes(plan.targets, plan.nodes, rng)},
                 Op{kPowerOn, nullptr, nullptr}, 0};
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
    if (op.f == kPowerOn) return PowerOn(op, applied);
    if (op.f != kPowerOff) {
      applied.error = "the disk package has no op '" + op.f + "'";
      return applied;
    }
    Result<std::vector<std::string>> targets = ResolveNodes(op.value, known_, leadership_);
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
      Result<systems::LostWrites> loss = disks_->PowerLoss(node);
      if (!loss.ok()) {
        applied.error = node + ": " + loss.message();
        return applied;
      }
      lost[node] = {{"files", loss->files}, {"bytes", loss->bytes}, {"writes", loss->writes}};
    }
    applied.value = {{"nodes", nodes}, {"lost", lost}};
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
    return {{kPowerOn, restarted, error, kPower}};
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

  systems::ProcessNodes* nodes_ = nullptr;
  systems::Disks* disks_ = nullptr;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
  std::set<std::string> off_;  // nodes down for want of power
};

}  // namespace

std::unique_ptr<Package> NewPowerPackage() { return std::make_unique<PowerPackage>(); }

}  // namespace jepsen::nemesis
