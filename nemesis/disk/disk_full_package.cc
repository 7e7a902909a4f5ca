#include "nemesis/disk/disk_full_package.h"

#include <set>

#include "nemesis/disk/disk_checks.h"
#include "nemesis/targets.h"
#include "systems/capabilities.h"

namespace jepsen::nemesis {
namespace {

constexpr const char* kDiskFull = "disk-full";
constexpr const char* kFullStart = "disk-full-start";
constexpr const char* kFullEnd = "disk-full-end";

class DiskFullPackage final : public Package {
 public:
  std::vector<history::FaultKind> kinds() const override {
    return {{kDiskFull,
             "disk",
             {kFullStart},
             {kFullEnd},
             true,
             "node's disk full: writes, fsyncs and creates fail with ENOSPC (value.nodes; the "
             "end: value.refused, how many)",
             "#e0b060"}};
  }

  std::string Help(const std::string&) const override {
    return "fill a node's disk: its writes, fsyncs and creates fail with ENOSPC until the fault "
           "ends (jepsen-diskfs; root, /dev/fuse)";
  }

  bool TakesTargets(const std::string&) const override { return true; }

  Status Supports(const std::string&, const Plan& plan) const override {
    return SupportsDisks(plan, "fill its disks", false);
  }

  void Configure(const std::string&, systems::SetupContext& setup) const override {
    setup.disks = true;
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    return Fault{Op{kFullStart, nullptr, PickNodes(plan.targets, plan.nodes, rng)},
                 Op{kFullEnd, nullptr, nullptr}, 0};
  }

  Status Bind(systems::System& system, ClientControl*) override {
    disks_ = systems::Find<systems::Disks>(system);
    if (disks_ == nullptr) return Status::Error("the system offers no disks that can fill up");
    leadership_ = systems::Find<systems::Leadership>(system);
    known_ = system.nodes();
    return Status();
  }

  Applied Apply(const Op& op) override {
    Applied applied{op.f, op.value, "", ""};
    if (op.f != kFullStart && op.f != kFullEnd) {
      applied.error = "the disk-full package has no op '" + op.f + "'";
      return applied;
    }
    std::vector<std::string> targets(full_.begin(), full_.end());
    if (op.f == kFullStart || !op.value.is_null()) {
      Result<std::vector<std::string>> named = ResolveNodes(op.value, known_, leadership_);
      if (!named.ok()) {
        applied.error = named.message();
        return applied;
      }
      targets = *named;
    }
    if (op.f == kFullEnd) return Empty(targets, applied);
    Json nodes = Json::array();
    for (const std::string& node : targets) {
      if (Result<std::string> r = disks_->DiskCommand(node, "disk-full on"); !r.ok()) {
        applied.error = node + ": " + r.message();
        Applied undone{kFullEnd, nullptr, "", kDiskFull};
        Empty(std::vector<std::string>(full_.begin(), full_.end()), undone);
        return applied;  // a disk that did not fill is no fault: the others are emptied again
      }
      full_.insert(node);
      nodes.push_back(node);
    }
    applied.value = {{"nodes", nodes}};
    return applied;
  }

  std::vector<Applied> Heal() override {
    if (full_.empty()) return {};
    Applied healed{kFullEnd, nullptr, "", kDiskFull};
    return {Empty(std::vector<std::string>(full_.begin(), full_.end()), healed)};
  }

  bool healed() const override { return full_.empty(); }

 private:
  // Turns disk-full off on `targets`; the value records how many calls each refused.
  Applied& Empty(const std::vector<std::string>& targets, Applied& applied) {
    Json nodes = Json::array(), refused = Json::object();
    for (const std::string& node : targets) {
      full_.erase(node);
      Result<std::string> reply = disks_->DiskCommand(node, "disk-full off");
      if (!reply.ok()) {
        if (applied.error.empty()) applied.error = node + ": " + reply.message();
        continue;
      }
      nodes.push_back(node);
      refused[node] = Json::parse(*reply).value("refused", 0);
    }
    applied.value = {{"nodes", nodes}, {"refused", refused}};
    return applied;
  }

  systems::Disks* disks_ = nullptr;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
  std::set<std::string> full_;  // nodes whose disk is full
};

}  // namespace

std::unique_ptr<Package> NewDiskFullPackage() { return std::make_unique<DiskFullPackage>(); }

}  // namespace jepsen::nemesis
