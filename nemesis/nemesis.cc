#include "nemesis/nemesis.h"

#include <algorithm>
#include <memory>

#include "generator/combinators.h"

namespace jepsen::nemesis {

Result<std::vector<std::string>> Nemesis::Nodes(const Json& value) const {
  std::vector<std::string> nodes;
  if (!value.is_array()) return Status::Error("nemesis op value must be a list of nodes");
  const std::vector<std::string> known = system_.nodes();
  for (const Json& node : value) {
    const std::string name = node.is_string() ? node.get<std::string>() : "";
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return Status::Error("nemesis op names unknown node " + node.dump());
    }
    nodes.push_back(name);
  }
  return nodes;
}

Result<Json> Nemesis::Apply(const generator::Op& op) {
  if (op.f == "heal") return Heal();
  Result<std::vector<std::string>> nodes = Nodes(op.value);
  if (!nodes.ok()) return nodes.status();
  for (const std::string& node : *nodes) {
    Status s;
    if (op.f == "kill") {
      s = system_.Kill(node);
      killed_.insert(node);
      paused_.erase(node);  // a killed process is no longer stopped
      ++faults_;
    } else if (op.f == "start") {
      s = system_.Restart(node);
      killed_.erase(node);
    } else if (op.f == "pause") {
      s = system_.Pause(node);
      paused_.insert(node);
      ++faults_;
    } else if (op.f == "resume") {
      s = system_.Resume(node);
      paused_.erase(node);
    } else {
      return Status::Error("unknown nemesis op '" + op.f + "'");
    }
    if (!s.ok()) return s;
  }
  return op.value;
}

Json Nemesis::Heal() {
  Json touched = Json::array();
  for (const std::string& node : paused_) {
    if (system_.Resume(node).ok()) touched.push_back(node);
  }
  for (const std::string& node : killed_) {
    if (system_.Restart(node).ok()) touched.push_back(node);
  }
  paused_.clear();
  killed_.clear();
  return touched;
}

namespace {

using generator::Context;
using generator::GenPtr;
using generator::Op;

// Emits one op once: the fault on a random node, or the recovery of the node
// the fault chose (shared through `target`).
struct OneShot {
  std::string f;
  std::shared_ptr<std::vector<std::string>> nodes;  // null: recover `target`
  std::shared_ptr<std::string> target;
  bool fired = false;

  std::optional<Op> operator()(const Context& ctx) {
    if (fired) return std::nullopt;
    fired = true;
    if (nodes) *target = (*nodes)[ctx.rng().Uniform(nodes->size())];
    return Op{f, nullptr, Json::array({*target})};
  }
};

// One random node per fault, and the same node for its recovery.
GenPtr FaultCycle(const std::string& fault, const std::string& recovery,
                  const std::vector<std::string>& nodes, std::chrono::nanoseconds interval) {
  auto target = std::make_shared<std::string>();
  auto all = std::make_shared<std::vector<std::string>>(nodes);
  return generator::Cycle(generator::Phases(
      generator::Sleep(interval), generator::FromFunction(OneShot{fault, all, target}),
      generator::Sleep(interval), generator::FromFunction(OneShot{recovery, nullptr, target})));
}

}  // namespace

Result<Schedule> MakeSchedule(std::string_view name, const std::vector<std::string>& nodes,
                              std::chrono::nanoseconds interval) {
  Schedule schedule;
  schedule.heal = generator::Once(Op{"heal", nullptr, nullptr});
  if (name == "none") {
    schedule.main = generator::Sleep(std::chrono::nanoseconds(0));
  } else if (name == "kill") {
    schedule.main = FaultCycle("kill", "start", nodes, interval);
  } else if (name == "pause") {
    schedule.main = FaultCycle("pause", "resume", nodes, interval);
  } else {
    return Status::Error("unknown nemesis '" + std::string(name) + "' (known: none, kill, pause)");
  }
  return schedule;
}

std::vector<std::string> NemesisNames() { return {"none", "kill", "pause"}; }

}  // namespace jepsen::nemesis
