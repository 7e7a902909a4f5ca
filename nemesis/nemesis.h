// Fault injection: carries out the nemesis' ops on a system's nodes (kill and
// restart, pause and resume) and remembers what is in force, so everything
// can be healed before the final reads.
#ifndef JEPSEN_NEMESIS_NEMESIS_H_
#define JEPSEN_NEMESIS_NEMESIS_H_

#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "generator/generator.h"
#include "systems/system.h"

namespace jepsen::nemesis {

using history::Json;

class Nemesis {
 public:
  explicit Nemesis(systems::System& system) : system_(system) {}

  // Carries out `op` (f: kill, start, pause, resume, heal; value: the nodes)
  // and returns what to record as its value, or an error.
  Result<Json> Apply(const generator::Op& op);
  // Restarts killed nodes and resumes paused ones; returns the nodes touched.
  Json Heal();
  bool healed() const { return killed_.empty() && paused_.empty(); }
  int faults() const { return faults_; }

 private:
  Result<std::vector<std::string>> Nodes(const Json& value) const;

  systems::System& system_;
  std::set<std::string> killed_, paused_;
  int faults_ = 0;
};

// A fault schedule: ops for the nemesis thread during the main phase, and the
// op that heals everything afterwards.
struct Schedule {
  generator::GenPtr main;
  generator::GenPtr heal;
};

// "none", "kill" (SIGKILL a node, restart it later) or "pause" (SIGSTOP, then
// SIGCONT). A fault every `interval`, lasting `interval`, on a random node.
Result<Schedule> MakeSchedule(std::string_view name, const std::vector<std::string>& nodes,
                              std::chrono::nanoseconds interval);
std::vector<std::string> NemesisNames();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_NEMESIS_H_
