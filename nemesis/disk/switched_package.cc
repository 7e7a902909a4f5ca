#include "nemesis/disk/switched_package.h"

#include <set>

#include "nemesis/disk/disk_checks.h"
#include "nemesis/targets.h"
#include "systems/capabilities.h"

namespace jepsen::nemesis {
namespace {

class SwitchedPackage final : public Package {
 public:
  explicit SwitchedPackage(SwitchedFault fault) : fault_(std::move(fault)) {}

  std::vector<history::FaultKind> kinds() const override { return {fault_.kind}; }
  std::string Help(const std::string&) const override { return fault_.help; }
  bool TakesTargets(const std::string&) const override { return true; }

  Status Supports(const std::string&, const Plan& plan) const override {
    return SupportsDisks(plan, fault_.doing, false);
  }

  void Configure(const std::string&, systems::SetupContext& setup) const override {
    setup.disks = true;
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    Json nodes = PickNodes(plan.targets, plan.nodes, rng);
    Json value = fault_.draw ? fault_.draw(rng) : Json::object();
    value["nodes"] = std::move(nodes);
    return Fault{Op{begin(), nullptr, std::move(value)}, Op{end(), nullptr, nullptr}, 0};
  }

  Status Bind(systems::System& system, ClientControl*) override {
    disks_ = systems::Find<systems::Disks>(system);
    if (disks_ == nullptr) {
      return Status::Error("the system offers no disks of the run's own: it cannot " +
                           fault_.doing);
    }
    leadership_ = systems::Find<systems::Leadership>(system);
    known_ = system.nodes();
    return Status();
  }

  // The begin op's value: {"nodes": [...] or "leader", ...} or just the nodes.
  Applied Apply(const Op& op) override {
    Applied applied{op.f, op.value, "", ""};
    if (op.f != begin() && op.f != end()) {
      applied.error = "the " + fault_.kind.name + " package has no op '" + op.f + "'";
      return applied;
    }
    std::vector<std::string> targets(on_.begin(), on_.end());
    Json value = op.value.is_object() ? op.value : Json{{"nodes", op.value}};
    if (op.f == begin() || !op.value.is_null()) {
      Result<std::vector<std::string>> named = ResolveNodes(value["nodes"], known_, leadership_);
      if (!named.ok()) {
        applied.error = named.message();
        return applied;
      }
      targets = *named;
    }
    if (op.f == end()) return Off(targets, applied);
    const std::string command = fault_.on(value);
    Json nodes = Json::array();
    for (const std::string& node : targets) {
      if (Result<std::string> r = disks_->DiskCommand(node, command, false); !r.ok()) {
        applied.error = node + ": " + r.message();
        Applied undone{end(), nullptr, "", fault_.kind.name};
        Off(std::vector<std::string>(on_.begin(), on_.end()), undone);
        return applied;
      }
      on_.insert(node);
      nodes.push_back(node);
    }
    value["nodes"] = std::move(nodes);
    applied.value = std::move(value);
    return applied;
  }

  std::vector<Applied> Heal() override {
    if (on_.empty()) return {};
    Applied healed{end(), nullptr, "", fault_.kind.name};
    return {Off(std::vector<std::string>(on_.begin(), on_.end()), healed)};
  }

  bool healed() const override { return on_.empty(); }

 private:
  const std::string& begin() const { return fault_.kind.begins.front(); }
  const std::string& end() const { return fault_.kind.ends.front(); }

  // Switches it off on `targets`; the value records what each filesystem says it did.
  Applied& Off(const std::vector<std::string>& targets, Applied& applied) {
    Json nodes = Json::array(), done = Json::object();
    for (const std::string& node : targets) {
      on_.erase(node);
      Result<std::string> reply = disks_->DiskCommand(node, fault_.off, false);
      if (!reply.ok()) {
        if (applied.error.empty()) applied.error = node + ": " + reply.message();
        continue;
      }
      nodes.push_back(node);
      done[node] = fault_.record(Json::parse(*reply, nullptr, false));
    }
    applied.value = {{"nodes", nodes}, {"done", done}};
    return applied;
  }

  SwitchedFault fault_;
  systems::Disks* disks_ = nullptr;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
  std::set<std::string> on_;  // nodes where it is switched on
};

}  // namespace

std::unique_ptr<Package> NewSwitchedPackage(SwitchedFault fault) {
  return std::make_unique<SwitchedPackage>(std::move(fault));
}

}  // namespace jepsen::nemesis
