// Whom node faults hit (target=): one, majority, minority, leader or all of a
// system's nodes; a list picks one per fault. Shared by the packages whose
// faults act on nodes.
#ifndef JEPSEN_NEMESIS_TARGETS_H_
#define JEPSEN_NEMESIS_TARGETS_H_

#include <string>
#include <vector>

#include "generator/rng.h"
#include "history/event.h"
#include "history/status.h"
#include "systems/system.h"

namespace jepsen::nemesis {

inline constexpr const char* kLeader = "leader";
inline constexpr const char* kAll = "all";

std::vector<std::string> TargetNames();  // one, majority, minority, leader, all

// The targets a system with `abilities` supports ("leader" needs Leadership).
std::vector<std::string> SupportedTargets(const systems::Abilities& abilities);
// Every name in `targets` is a target (error: the unknown one, and the known);
// with `system` named, there is one at least and every one is supported by
// `abilities` (error: what the system cannot, and the targets it can).
Status CheckTargets(const std::vector<std::string>& targets);
Status CheckTargets(const std::vector<std::string>& targets, const systems::Abilities& abilities,
                    const std::string& system);

// A target drawn from `targets`, then its nodes: "leader" (asked of the system
// when the fault strikes) or a random one, majority, minority or all of
// `nodes`, in node order. `aim` gets the target drawn.
history::Json PickNodes(const std::vector<std::string>& targets,
                        const std::vector<std::string>& nodes, generator::Rng& rng,
                        std::string* aim = nullptr);

// The nodes a fault's value names: a list of `known` nodes, or "leader" (asked
// of `leadership` now; an error when the system has none).
Result<std::vector<std::string>> ResolveNodes(const history::Json& value,
                                              const std::vector<std::string>& known,
                                              systems::Leadership* leadership);

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_TARGETS_H_
