#include "nemesis/process/process_package.h"

#include <set>

#include "nemesis/targets.h"

namespace jepsen::nemesis {
namespace {

constexpr const char* kKill = "kill";
constexpr const char* kRestart = "start";
constexpr const char* kPause = "pause";
constexpr const char* kResume = "resume";

class ProcessPackage final : public Package {
 public:
  std::vector<history::FaultKind> kinds() const override {
    return {{kKill,
             "process",
             {kKill},
             {kRestart},
             true,
             "node killed (SIGKILL to its process group), restarted when it ends",
             "#f0a8a8"},
            {kPause,
             "process",
             {kPause},
             {kResume},
             true,
             "node paused (SIGSTOP to its process group), resumed when it ends",
             "#f3cf8c"}};
  }

  std::string Help(const std::string& name) const override {
    return name == kKill ? "SIGKILL a node's process group, restart it when the fault ends"
                         : "SIGSTOP a node's process group, SIGCONT when the fault ends";
  }

  bool TakesTargets(const std::string&) const override { return true; }

  Status Supports(const std::string&, const Plan& plan) const override {
    if (plan.abilities.offers(systems::ProcessNodes::kName)) return Status();
    return Status::Error("system " + plan.system +
                         " does not run its nodes as processes of the run: it cannot kill or "
                         "pause them");
  }

  Fault NextFault(const std::string& name, const Plan& plan, generator::Rng& rng) const override {
    const Json nodes = PickNodes(plan.targets, plan.nodes, rng);
    const char* end = name == kKill ? kRestart : kResume;
    return Fault{Op{name, nullptr, nodes}, Op{end, nullptr, nullptr}, 0};
  }

  Status Bind(systems::System& system, ClientControl*) override {
    nodes_ = systems::Find<systems::ProcessNodes>(system);
    if (nodes_ == nullptr)
      return Status::Error("the system offers no process nodes to kill or pause");
    leadership_ = systems::Find<systems::Leadership>(system);
    known_ = system.nodes();
    return Status();
  }

  Applied Apply(const Op& op) override {
    Applied applied{op.f, op.value, "", ""};
    Result<std::vector<std::string>> targets = Targets(op);
    if (!targets.ok()) {
      applied.error = targets.message();
      return applied;
    }
    Json done = Json::array();
    for (const std::string& node : *targets) {
      if (Status s = Act(op.f, node); !s.ok()) {
        applied.error = s.message();
        return applied;
      }
      done.push_back(node);
    }
    applied.value = std::move(done);
    return applied;
  }

  std::vector<Applied> Heal() override {
    std::vector<Applied> healed;
    Json resumed = Json::array(), restarted = Json::array();
    for (const std::string& node : paused_) {
      if (!killed_.count(node) && nodes_->Resume(node).ok()) resumed.push_back(node);
    }
    for (const std::string& node : killed_) {  // running again, no pause held over
      if (nodes_->Restart(node).ok()) restarted.push_back(node);
    }
    if (!paused_.empty()) healed.push_back({kResume, resumed, "", kPause});
    if (!killed_.empty()) healed.push_back({kRestart, restarted, "", kKill});
    paused_.clear();
    killed_.clear();
    return healed;
  }

  bool healed() const override { return killed_.empty() && paused_.empty(); }
  bool RestartsNodes() const override { return true; }

 private:
  // The nodes `op` acts on; a null value ends every fault of its kind in force.
  Result<std::vector<std::string>> Targets(const Op& op) const {
    if (op.value.is_null() && op.f == kRestart) {
      return std::vector<std::string>(killed_.begin(), killed_.end());
    }
    if (op.value.is_null() && op.f == kResume) {
      return std::vector<std::string>(paused_.begin(), paused_.end());
    }
    if (op.f != kKill && op.f != kRestart && op.f != kPause && op.f != kResume) {
      return Status::Error("the process package has no op '" + op.f + "'");
    }
    return ResolveNodes(op.value, known_, leadership_);
  }

  // A node is down while killed, else stopped while paused, else running.
  Status Act(const std::string& f, const std::string& node) {
    if (f == kKill) {
      if (Status s = nodes_->Kill(node); !s.ok()) return s;
      killed_.insert(node);
      return Status();
    }
    if (f == kRestart) {
      killed_.erase(node);
      if (Status s = nodes_->Restart(node); !s.ok()) return s;
      return paused_.count(node) ? nodes_->Pause(node) : Status();
    }
    if (f == kPause) {
      paused_.insert(node);
      return killed_.count(node) ? Status() : nodes_->Pause(node);
    }
    paused_.erase(node);  // resume
    return killed_.count(node) ? Status() : nodes_->Resume(node);
  }

  systems::ProcessNodes* nodes_ = nullptr;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
  std::set<std::string> killed_, paused_;
};

}  // namespace

std::unique_ptr<Package> NewProcessPackage() { return std::make_unique<ProcessPackage>(); }

}  // namespace jepsen::nemesis
