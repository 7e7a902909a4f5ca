// Fault injection: carries out the nemesis' ops on a system's nodes (kill and
// restart, pause and resume, partition and heal) and on the run's client
// threads (freeze and thaw), and remembers what is in force, so everything can
// be healed before the final reads.
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

// What the nemesis may do to the run's client threads; the runner offers it.
// A frozen thread is a client in a GC pause: it issues nothing, its timers and
// op timeout stand still, and replies wait until it is thawed.
class ClientControl {
 public:
  virtual ~ClientControl() = default;
  virtual int clients() const = 0;
  virtual Status Freeze(int thread) = 0;
  virtual Status Thaw(int thread) = 0;
};

// Client threads appear in nemesis ops as "client-<thread>".
std::string ClientName(int thread);

class Nemesis {
 public:
  explicit Nemesis(systems::System& system, ClientControl* clients = nullptr)
      : system_(system), clients_(clients) {}

  // Carries out `op` and returns what to record as its value, or an error.
  //  kill, pause: value = nodes, or "leader" (asked of the system now);
  //    "client-N" among them pauses client thread N instead;
  //  start, resume: value = nodes; null = every node the last fault hit;
  //  partition: value = the nodes to cut off from the rest, or "leader", or
  //    {"all": true} for every node alone; recorded as the grudge;
  //  heal: everything in force; value "network": the partition alone.
  Result<Json> Apply(const generator::Op& op);
  // Restarts killed nodes, resumes paused ones, thaws clients, restores the
  // network; returns what it touched.
  Json Heal();
  bool healed() const {
    return killed_.empty() && paused_.empty() && frozen_.empty() && !partitioned_;
  }

 private:
  Result<std::vector<std::string>> Targets(const Json& value);
  Result<Json> Partition(const Json& value);

  systems::System& system_;
  ClientControl* clients_;
  std::set<std::string> killed_, paused_;
  std::set<int> frozen_;
  bool partitioned_ = false;
};

// A fault schedule: ops for the nemesis thread during the main phase, and the
// op that heals everything afterwards.
struct Schedule {
  generator::GenPtr main;
  generator::GenPtr heal;
};

struct ScheduleOptions {
  // Any of kill, pause, partition, client-pause; each cycle picks one at
  // random. Empty or {"none"}: no faults.
  std::vector<std::string> faults;
  std::vector<std::string> nodes;
  int clients = 0;
  // Whom node faults hit, one picked per fault: one, majority, minority,
  // leader, all.
  std::vector<std::string> targets = {"one"};
  std::chrono::nanoseconds interval{5'000'000'000};  // healthy, then faulty, as long
  std::chrono::nanoseconds client_pause{0};  // a frozen client stays so at least this long
};

// Faults every `interval`, each lasting `interval`. Errors name an unknown
// fault or target.
Result<Schedule> MakeSchedule(const ScheduleOptions& options);
// Whether a system with `abilities` (called `system` in messages) can carry
// out every fault and target in `options`; checked before a run starts. The
// error names the faults and targets it does support.
Status CheckSupported(const ScheduleOptions& options, const systems::Abilities& abilities,
                      const std::string& system);
std::vector<std::string> NemesisNames();  // the faults, and none
std::vector<std::string> TargetNames();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_NEMESIS_H_
