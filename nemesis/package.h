// A fault package: one family of faults, after Jepsen's nemesis packages
// (process: kill and pause; network: partition; client: client-pause). A
// package owns everything about its faults: the names users type, its own
// options, what it needs of the system (checked before the run starts), the
// faults its schedule is made of, carrying them out and healing them, and the
// vocabulary of the events it records (history::FaultKind), which checkers and
// reports read back from the history's header. The packages are listed once,
// in packages.cc; nemesis.h composes them into a run's nemesis.
#ifndef JEPSEN_NEMESIS_PACKAGE_H_
#define JEPSEN_NEMESIS_PACKAGE_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "generator/generator.h"
#include "generator/rng.h"
#include "history/fault_kinds.h"
#include "options/option.h"
#include "systems/capabilities.h"
#include "systems/system.h"

namespace jepsen::nemesis {

using generator::Nanos;
using generator::Op;
using history::Json;

// What the nemesis may do to the run's client threads; the runner offers it.
// A frozen thread is a client in a GC pause: it issues nothing, its timers and
// op timeout stand still, and replies wait until it is thawed.
// A thread's clock (generator::ClientClock) is what its client keeps time by:
// skewed, it steps by `step_s` seconds now and runs at `rate` from now on;
// each call returns the thread's clock after it (offset from real time, rate),
// a reset the one it replaced.
class ClientControl {
 public:
  virtual ~ClientControl() = default;
  virtual int clients() const = 0;
  virtual Status Freeze(int thread) = 0;
  virtual Status Thaw(int thread) = 0;
  virtual Result<systems::ClockSetting> SkewClock(int thread, double step_s, double rate) = 0;
  virtual Result<systems::ClockSetting> ResetClock(int thread) = 0;
};

// What a run asks of its nemesis, and what its packages are told about it:
// before the run starts (for checks; `nodes` still empty) and again, complete,
// when the schedule is made.
struct Plan {
  std::vector<std::string> faults;                   // nemesis=: names; empty or "none": none
  std::vector<std::string> targets = {"one"};        // target=: whom node faults hit, one per fault
  std::chrono::nanoseconds interval{5'000'000'000};  // healthy, then faulty, about as long
  bool overlap = false;  // every fault on a schedule of its own, at once (else one at a time)
  uint64_t seed = 1;     // each schedule draws from a stream of its own derived from it
  std::string system;    // the system's name, for messages
  systems::Abilities abilities;       // what the system offers, known before it starts
  std::vector<std::string> nodes;     // the system's nodes, once it is set up
  int clients = 0;                    // client threads
  bool clients_keep_time = false;     // the workload's clients act on their own clocks (leases)
  Json run_options = Json::object();  // the run's options as its header records them (ttl_ms)
  options::Values options;            // the values of the packages' own options
};

// One fault as a schedule holds it: the op that begins it, the op that ends
// it, and how long it must last at least (it lasts the longer of this and the
// plan's interval).
struct Fault {
  Op begin;
  Op end;
  Nanos lasts = 0;
};

// What a nemesis op did: a nemesis event to record.
struct Applied {
  std::string f;
  Json value;         // what it acted on (nodes, the grudge...); the op's value when it failed
  std::string error;  // non-empty: it could not be carried out (a failed fault, not counted)
  std::string fault;  // its kind ("kill"), recorded as the event's `fault`; "" for a heal of all
};

class NodeHolds;  // node_holds.h

class Package {
 public:
  virtual ~Package() = default;

  // The faults it offers, each with its vocabulary; a kind's name is what
  // users type in nemesis= and what tags the events it records.
  virtual std::vector<history::FaultKind> kinds() const = 0;
  // One line for --help about its fault `name`: what it does.
  virtual std::string Help(const std::string& name) const = 0;
  // Options of its own, beyond the nemesis' (target, nemesis-interval, overlap).
  virtual std::vector<options::Option> options() const { return {}; }
  // Whether target= aims its fault `name` (node faults do, a client pause does not).
  virtual bool TakesTargets(const std::string& name) const = 0;

  // Why it cannot inject `name` in a run of `plan`, as words following "system
  // <name>" ("cannot partition its nodes"); OK when it can. Asked before the
  // run starts, so `plan.nodes` is empty.
  virtual Status Supports(const std::string& name, const Plan& plan) const = 0;
  // What it asks of the system's setup for `name` (a network of the run's own).
  virtual void Configure(const std::string& name, systems::SetupContext& setup) const {
    (void)name, (void)setup;
  }

  // The next fault of kind `name`, drawn from `rng`. REQUIRES: plan.nodes set.
  virtual Fault NextFault(const std::string& name, const Plan& plan, generator::Rng& rng) const = 0;

  // Takes hold of what it acts through, once the system is set up: a
  // capability of the system, or the run's clients. Errors name what is missing.
  virtual Status Bind(systems::System& system, ClientControl* clients) = 0;
  // Before Bind, when the system's nodes are processes: the run's one record of
  // which faults hold each node down or stopped, for a package that kills or
  // pauses nodes to go through, so that faults meeting on a node compose.
  virtual void ShareHolds(NodeHolds& holds) { (void)holds; }
  // Carries out `op`, the begin or end op of one of its faults (a Fault's);
  // its value may be null for "everything of that kind in force".
  virtual Applied Apply(const Op& op) = 0;
  // Ends every fault of its own still in force: one Applied per kind it healed.
  virtual std::vector<Applied> Heal() = 0;
  virtual bool healed() const = 0;
  // Whether healing it restarts nodes (kill's start, power's): such packages
  // heal last, once the nodes' disks, links and clocks are sound again.
  virtual bool RestartsNodes() const { return false; }
  // Whether its faults can hold a client thread's op (a frozen client), which
  // would keep a phase from ending: the runner heals it when nothing else runs.
  virtual bool HoldsClients() const { return false; }
};

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_PACKAGE_H_
