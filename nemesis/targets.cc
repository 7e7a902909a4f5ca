#include "nemesis/targets.h"

#include <algorithm>

#include "options/option.h"

namespace jepsen::nemesis {
namespace {

std::string List(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

}  // namespace

std::vector<std::string> TargetNames() { return {"one", "majority", "minority", kLeader, kAll}; }

std::vector<std::string> SupportedTargets(const systems::Abilities& abilities) {
  std::vector<std::string> targets;
  for (const std::string& t : TargetNames()) {
    if (t != kLeader || abilities.offers(systems::Leadership::kName)) targets.push_back(t);
  }
  return targets;
}

Status CheckTargets(const std::vector<std::string>& targets) {
  const std::vector<std::string> known = TargetNames();
  for (const std::string& t : targets) {
    if (std::find(known.begin(), known.end(), t) != known.end()) continue;
    const std::string nearest = options::NearestName(t, known);
    return Status::Error("unknown nemesis target '" + t + "'" +
                         (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") +
                         " (known: " + List(known) + ")");
  }
  return Status();
}

Status CheckTargets(const std::vector<std::string>& targets, const systems::Abilities& abilities,
                    const std::string& system) {
  if (Status s = CheckTargets(targets); !s.ok()) return s;
  if (targets.empty()) return Status::Error("nemesis targets: name at least one");
  const std::vector<std::string> supported = SupportedTargets(abilities);
  for (const std::string& t : targets) {
    if (std::find(supported.begin(), supported.end(), t) != supported.end()) continue;
    return Status::Error("target=" + t + ": system " + system +
                         " cannot tell which node leads (its targets: " + List(supported) + ")");
  }
  return Status();
}

history::Json PickNodes(const std::vector<std::string>& targets,
                        const std::vector<std::string>& nodes, generator::Rng& rng,
                        std::string* aim) {
  const std::string& target = targets[rng.Uniform(targets.size())];
  if (aim != nullptr) *aim = target;
  if (target == kLeader) return kLeader;
  std::vector<std::string> picked = nodes;
  size_t n = picked.size();
  if (target == "one") n = 1;
  if (target == "majority") n = picked.size() / 2 + 1;
  if (target == "minority") n = std::max<size_t>(1, (picked.size() - 1) / 2);
  for (size_t i = 0; i < n; ++i) {  // a random n of them, in node order
    std::swap(picked[i], picked[i + rng.Uniform(picked.size() - i)]);
  }
  picked.resize(n);
  std::sort(picked.begin(), picked.end());
  return picked;
}

Result<std::vector<std::string>> ResolveNodes(const history::Json& value,
                                              const std::vector<std::string>& known,
                                              systems::Leadership* leadership) {
  if (value.is_string() && value.get<std::string>() == kLeader) {
    if (leadership == nullptr) return Status::Error("this system cannot tell its leader");
    Result<std::string> leader = leadership->Leader();
    if (!leader.ok()) return leader.status();
    return std::vector<std::string>{*leader};
  }
  if (!value.is_array()) {
    return Status::Error("nemesis op value must be a list of nodes or \"leader\"");
  }
  std::vector<std::string> nodes;
  for (const history::Json& node : value) {
    const std::string name = node.is_string() ? node.get<std::string>() : "";
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return Status::Error("nemesis op names unknown node " + node.dump());
    }
    nodes.push_back(name);
  }
  return nodes;
}

}  // namespace jepsen::nemesis
