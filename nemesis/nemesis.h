// A run's nemesis: the fault packages (package.h, listed in packages.cc) that
// its nemesis= names, checked against the system before the run starts,
// composed into one schedule -- every fault on a schedule of its own at once,
// as Jepsen's combined nemesis (the runner's default with several faults), or
// one fault at a time, a random one each cycle -- and each op carried out by
// the package that made it;
// everything still in force is healed at the end.
#ifndef JEPSEN_NEMESIS_NEMESIS_H_
#define JEPSEN_NEMESIS_NEMESIS_H_

#include <memory>
#include <string>
#include <vector>

#include "generator/generator.h"
#include "history/fault_kinds.h"
#include "nemesis/package.h"
#include "systems/system.h"

namespace jepsen::nemesis {

// "none", "all", then every package's faults, as users type them in nemesis=.
// The nemesis' options (nemesis=, target=, ...) are declared in options.h.
std::vector<std::string> NemesisNames();

// nemesis=all: every fault the plan's system can carry out on this machine
// (plan.abilities, asked of a setup Configure made for "all"), but `corrupt`,
// which damages data on purpose; the plan's other names are kept, each once.
std::vector<std::string> ExpandAll(const Plan& plan);

// A package a plan uses, with the names of its faults the plan asks for.
struct Chosen {
  std::shared_ptr<Package> package;
  std::vector<std::string> names;
};
// The packages behind `faults` (nemesis=; "none" asks for nothing; "all", every
// registered fault but corrupt), in the order their faults are named; errors
// name an unknown fault and the nearest.
Result<std::vector<Chosen>> Choose(const std::vector<std::string>& faults);

// Before a run starts: every fault and target of `plan` exists, and its
// system (plan.system, plan.abilities) can carry out each; errors, for a usage
// error, name what it cannot and what it can ("nemesis=partition: system
// refstore cannot partition its nodes (its faults: kill, pause, client-pause)").
Status CheckSupported(const Plan& plan);
// What the plan's faults ask of the system's setup (a network of its own).
Status Configure(const Plan& plan, systems::SetupContext& setup);
// The fault kinds of the plan, for the history header's `faults`.
Result<std::vector<history::FaultKind>> Vocabulary(const Plan& plan);

// Ops for the nemesis thread during the main phase, and the op that heals
// everything afterwards.
struct Schedule {
  generator::GenPtr main;
  generator::GenPtr heal;
};
// Healthy for the interval, then a fault for about as long, then its end,
// again and again: one fault at a time, or (overlap) each fault on a cycle of
// its own with healthy spells of random length, so that they overlap. Each
// cycle draws from a random stream of its own, derived from plan.seed. Errors
// as CheckSupported's. REQUIRES: plan.nodes set (the system is set up).
Result<Schedule> MakeSchedule(const Plan& plan);

// The op of the final heal, which ends every fault in force; recorded as one
// untagged "heal" whose value lists what it touched.
Op HealAll();
bool IsHealAll(const Op& op);

// The plan's packages bound to the running system: carries out the schedule's ops.
class Nemesis {
 public:
  // Errors: an unknown fault, or a capability the system turned out to lack.
  static Result<std::unique_ptr<Nemesis>> Make(const Plan& plan, systems::System& system,
                                               ClientControl* clients);

  // Carries out a schedule's op through the package of the kind its key names,
  // or the final heal; returns the nemesis event to record.
  Applied Apply(const Op& op);
  // Ends every fault in force, those that restart nodes last; then, when the
  // run kills or powers off nodes, restarts any node that is down anyway (one
  // that exited on its own, e.g. restarted into a full disk), so the final
  // reads reach every node. Returns what it touched, {"restarted": [...]} last.
  Json Heal();
  // Ends the faults that hold client threads (a frozen client), each recorded
  // as its package's own end: when a phase waits for nothing but such a client.
  std::vector<Applied> ReleaseClients();
  bool healed() const;
  ~Nemesis();

 private:
  Nemesis(std::vector<Chosen> chosen, std::unique_ptr<NodeHolds> holds);

  std::unique_ptr<NodeHolds> holds_;  // the packages' shared record; outlives their use
  std::vector<Chosen> chosen_;
  systems::ProcessNodes* processes_ = nullptr;  // with a package that restarts nodes
  std::vector<std::string> nodes_;
};

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_NEMESIS_H_
