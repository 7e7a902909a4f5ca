#include "nemesis/node_holds.h"

#include <set>

namespace jepsen::nemesis {

int NodeHolds::Count(const Holds& holds, const std::string& node) {
  auto it = holds.find(node);
  if (it == holds.end()) return 0;
  int n = 0;
  for (const auto& [fault, count] : it->second) n += count;
  return n;
}

bool NodeHolds::Drop(Holds& holds, const std::string& node, const std::string& fault) {
  auto it = holds.find(node);
  if (it == holds.end()) return false;
  auto held = it->second.find(fault);
  if (held == it->second.end()) return false;
  if (--held->second == 0) it->second.erase(held);
  if (it->second.empty()) holds.erase(it);
  return true;
}

Status NodeHolds::Down(const std::string& node, const std::string& fault) {
  if (Status s = nodes_.Kill(node); !s.ok()) return s;
  ++down_[node][fault];
  return Status();
}

Status NodeHolds::Release(const std::string& node, const std::string& fault, history::Json* held) {
  if (!Drop(down_, node, fault)) return Status();
  if (IsDown(node)) {
    (*held)[node] = DownHolders(node);
    return Status();
  }
  if (Status s = nodes_.Restart(node); !s.ok()) return s;
  return Count(paused_, node) > 0 ? nodes_.Pause(node) : Status();
}

Status NodeHolds::Pause(const std::string& node, const std::string& fault) {
  ++paused_[node][fault];
  return IsDown(node) ? Status() : nodes_.Pause(node);
}

Status NodeHolds::Resume(const std::string& node, const std::string& fault) {
  if (!Drop(paused_, node, fault) || Count(paused_, node) > 0 || IsDown(node)) return Status();
  return nodes_.Resume(node);
}

std::vector<std::string> NodeHolds::DownHolders(const std::string& node) const {
  std::vector<std::string> holders;
  auto it = down_.find(node);
  if (it == down_.end()) return holders;
  for (const auto& [fault, count] : it->second) holders.insert(holders.end(), count, fault);
  return holders;
}

std::vector<std::string> NodeHolds::HeldBy(const std::string& fault) const {
  std::set<std::string> nodes;  // a kind holds nodes down or stopped, never both
  for (const Holds* holds : {&down_, &paused_}) {
    for (const auto& [node, faults] : *holds) {
      if (faults.count(fault)) nodes.insert(node);
    }
  }
  return {nodes.begin(), nodes.end()};
}

history::Json EndValue(history::Json nodes, history::Json held) {
  if (held.empty()) return nodes;
  return {{"nodes", std::move(nodes)}, {"held", std::move(held)}};
}

}  // namespace jepsen::nemesis
