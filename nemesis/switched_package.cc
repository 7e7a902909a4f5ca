#include "nemesis/switched_package.h"

#include <set>

#include "nemesis/targets.h"
#include "systems/capabilities.h"

namespace jepsen::nemesis {
namespace {

class SwitchedPackage final : public Package {
 public:
  explicit SwitchedPackage(SwitchedFault fault) : fault_(std::move(fault)) {}

  std::vector<history::FaultKind> kinds() const override { return {fault_.kind}; }
  std::string Help(const std::string&) const override { return fault_.help; }
  std::vector<options::Option> options() const override { return fault_.options; }
  bool TakesTargets(const std::string&) const override { return true; }
  Status Supports(const std::string&, const Plan& plan) const override {
    return fault_.supports(plan);
  }
  void Configure(const std::string&, systems::SetupContext& setup) const override {
    if (fault_.configure) fault_.configure(setup);
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    Json nodes = PickNodes(plan.targets, plan.nodes, rng);
    Json value = fault_.draw ? fault_.draw(plan, rng) : Json::object();
    value["nodes"] = std::move(nodes);
    return Fault{Op{begin(), nullptr, std::move(value)}, Op{end(), nullptr, nullptr}, 0};
  }

  Status Bind(systems::System& system, ClientControl*) override {
    Result<std::unique_ptr<NodeSwitch>> bound = fault_.bind(system);
    if (!bound.ok()) return bound.status();
    switch_ = std::move(bound).value();
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
    Json nodes = Json::array();
    for (const std::string& node : targets) {
      if (Status s = switch_->On(node, value); !s.ok()) {
        applied.error = node + ": " + s.message();
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

  // Switches it off on `targets`; the value records what each reported.
  Applied& Off(const std::vector<std::string>& targets, Applied& applied) {
    Json nodes = Json::array(), done = Json::object();
    for (const std::string& node : targets) {
      on_.erase(node);
      Result<Json> reply = switch_->Off(node);
      if (!reply.ok()) {
        if (applied.error.empty()) applied.error = node + ": " + reply.message();
        continue;
      }
      nodes.push_back(node);
      if (!reply->is_null()) done[node] = std::move(reply).value();
    }
    applied.value = {{"nodes", nodes}};
    if (!done.empty()) applied.value["done"] = std::move(done);
    return applied;
  }

  SwitchedFault fault_;
  std::unique_ptr<NodeSwitch> switch_;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
  std::set<std::string> on_;  // nodes where it is switched on
};

}  // namespace

std::unique_ptr<Package> NewSwitchedPackage(SwitchedFault fault) {
  return std::make_unique<SwitchedPackage>(std::move(fault));
}

}  // namespace jepsen::nemesis
