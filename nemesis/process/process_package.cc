#include "nemesis/process/process_package.h"

#include "nemesis/node_holds.h"
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

  void ShareHolds(NodeHolds& holds) override { holds_ = &holds; }

  Status Bind(systems::System& system, ClientControl*) override {
    if (systems::Find<systems::ProcessNodes>(system) == nullptr || holds_ == nullptr)
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
    Json done = Json::array(), held = Json::object();
    for (const std::string& node : *targets) {
      if (Status s = Act(op.f, node, held); !s.ok()) {
        applied.error = s.message();
        return applied;
      }
      done.push_back(node);
    }
    applied.value = EndValue(std::move(done), std::move(held));
    return applied;
  }

  std::vector<Applied> Heal() override {
    std::vector<Applied> healed;
    for (const char* kind : {kPause, kKill}) {  // resumed first: a killed node restarts running
      const std::vector<std::string> nodes = holds_->HeldBy(kind);
      if (nodes.empty()) continue;
      const char* end = kind == kKill ? kRestart : kResume;
      Json done = Json::array(), held = Json::object();
      std::string error;
      for (const std::string& node : nodes) {
        if (Status s = Act(end, node, held); s.ok()) {
          done.push_back(node);
        } else if (error.empty()) {
          error = node + ": " + s.message();
        }
      }
      healed.push_back({end, EndValue(std::move(done), std::move(held)), error, kind});
    }
    return healed;
  }

  bool healed() const override {
    return holds_ == nullptr || (holds_->HeldBy(kKill).empty() && holds_->HeldBy(kPause).empty());
  }
  bool RestartsNodes() const override { return true; }

 private:
  // The nodes `op` acts on; a null value ends every fault of its kind in force.
  Result<std::vector<std::string>> Targets(const Op& op) const {
    if (op.value.is_null() && op.f == kRestart) return holds_->HeldBy(kKill);
    if (op.value.is_null() && op.f == kResume) return holds_->HeldBy(kPause);
    if (op.f != kKill && op.f != kRestart && op.f != kPause && op.f != kResume) {
      return Status::Error("the process package has no op '" + op.f + "'");
    }
    return ResolveNodes(op.value, known_, leadership_);
  }

  // Through the run's holds (node_holds.h): a kill's end restarts a node no
  // other fault holds down; one still held is recorded in `held` with its holders.
  Status Act(const std::string& f, const std::string& node, Json& held) {
    if (f == kKill) return holds_->Down(node, kKill);
    if (f == kPause) return holds_->Pause(node, kPause);
    if (f == kResume) return holds_->Resume(node, kPause);
    return holds_->Release(node, kKill, &held);
  }

  NodeHolds* holds_ = nullptr;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
};

}  // namespace

std::unique_ptr<Package> NewProcessPackage() { return std::make_unique<ProcessPackage>(); }

}  // namespace jepsen::nemesis
