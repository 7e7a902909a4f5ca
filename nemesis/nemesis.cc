#include "nemesis/nemesis.h"

#include <memory>

#include "generator/combinators.h"

namespace jepsen::nemesis {

Result<std::vector<std::string>> Nemesis::Nodes(const Json& value) const {
  std::vector<std::string> nodes;
  if (!value.is_array()) return Status::Error("nemesis op value must be a list of nodes");
  const std::vector<std::string> known = system_.nodes();
  for (const Json& node : value) {
    if (!node.is_string() || std::find(known.begin(), known.end(), node) == known.end()) {
      return Status::Error("nemesis op names unknown node " + node.dump());
    }
    nodes.push_back(node.get<std::string>());
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

// One random node per fault, and the same node for its recovery.
GenPtr FaultCycle(std::string fault, std::string recovery, std::vector<std::string> nodes,
                  std::chrono::nanoseconds interval) {
  auto target = std::make_shared<std::string>();
  auto pick = generator::FromFunction(
      [fault, nodes, target, fired = false](const Context& ctx) mutable -> std::optional<Op> {
        if (fired) return std::nullopt;
        fired = true;
        *target = nodes[ctx.rng().Uniform(nodes.size())];
        return Op{fault, nullptr, Json::array({*target})};
      });
  auto undo = generator::FromFunction(
      [recovery, target, fired = false](const Context&) mutable -> std::optional<Op> {
        if (fired) return std::nullopt;
        fired = true;
        return Op{recovery, nullptr, Json::array({*target})};
      });
  return generator::Cycle(generator::Phases(generator::Sleep(interval), std::move(pick),
                                            generator::Sleep(interval), std::move(undo)));
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
