// Composed schedules in simulated time, carried out on a fake system: with
// overlap=on every fault runs a schedule of its own, faults of different kinds
// are in force together (on one node too), the node is always in the state the
// faults in force say, each fault ends by its own end, and the final heal
// leaves nothing in force; every schedule draws from a stream of its own, so a
// seed replays and adding a fault moves no other's. With overlap off, one
// fault at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "generator/combinators.h"
#include "nemesis/nemesis.h"
#include "systems/disk/node_disk.h"
#include "tests/generator/sim.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using generator::sim::kSec;
using testing::DiskSystem;
using testing::FakeClients;
using testing::FakeSystem;
using testing::NodeState;

struct Done {
  Nanos time;
  Applied applied;
};

// The begin ops of the faults driven here, and the kinds that hold a node down.
const std::set<std::string> kBegins = {"kill", "pause", "power-off", "torn-power-off"};
const std::set<std::string> kDownKinds = {"kill", "power", "torn"};

bool Holding(std::map<std::string, int>& in_force, const std::set<std::string>& kinds) {
  return std::any_of(kinds.begin(), kinds.end(),
                     [&](const std::string& k) { return in_force[k] > 0; });
}

size_t Count(const std::vector<std::string>& calls, const std::string& call) {
  return std::count(calls.begin(), calls.end(), call);
}

struct Driven {
  std::vector<Done> done;    // every nemesis op carried out, in order
  size_t most_in_force = 0;  // the most fault kinds in force at once
  size_t restarts = 0;       // of n1
  int nested = 0;            // down faults begun on n1 while another held it down
  std::string error;         // a broken expectation, "" when none
};

Plan OverlapPlan(std::vector<std::string> faults, bool overlap, uint64_t seed) {
  Plan plan;
  plan.faults = std::move(faults);
  plan.overlap = overlap;
  plan.seed = seed;
  plan.nodes = {"n1"};  // one node, as the reference store: kills and pauses meet on it
  plan.clients = 4;
  plan.interval = std::chrono::seconds(1);
  plan.system = "fake";
  plan.abilities.capabilities = {systems::ProcessNodes::kName, systems::Leadership::kName};
  return plan;
}

// Runs the plan's schedule for `main` of simulated time, then the final heal, applying each op
// to a fake system and checking after each that n1 is as the faults in force say.
Driven Drive(const Plan& plan, Nanos main, FakeSystem& system, FakeClients& clients) {
  Driven driven;
  Result<Schedule> schedule = MakeSchedule(plan);
  Result<std::unique_ptr<Nemesis>> nemesis = Nemesis::Make(plan, system, &clients);
  if (!schedule.ok() || !nemesis.ok()) {
    driven.error = schedule.ok() ? nemesis.message() : schedule.message();
    return driven;
  }
  generator::GenPtr gen =
      generator::Then(generator::TimeLimit(std::chrono::nanoseconds(main),
                                           generator::Nemesis(std::move(schedule->main))),
                      generator::Nemesis(std::move(schedule->heal)));
  std::map<std::string, int> in_force;  // kind -> faults of it in force
  generator::sim::Options options;
  options.clients = 0;
  options.system = [&](generator::Thread, const Op& op, Nanos now, generator::Rng&) {
    Applied a = (*nemesis)->Apply(op);
    driven.done.push_back({now, a});
    if (!a.error.empty() && driven.error.empty()) driven.error = a.f + ": " + a.error;
    const bool was_down = Holding(in_force, kDownKinds);
    if (IsHealAll(op)) {
      in_force.clear();
    } else if (kBegins.count(a.f)) {
      ++in_force[a.fault];
    } else {
      --in_force[a.fault];
    }
    size_t kinds = 0;
    for (const auto& [kind, n] : in_force) kinds += n > 0 ? 1 : 0;
    driven.most_in_force = std::max(driven.most_in_force, kinds);
    const bool down = Holding(in_force, kDownKinds);
    const NodeState want = down                    ? NodeState::kDown
                           : in_force["pause"] > 0 ? NodeState::kPaused
                                                   : NodeState::kRunning;
    const size_t restarts = Count(system.calls, "restart n1");
    if (restarts != driven.restarts + (was_down && !down ? 1 : 0) && driven.error.empty()) {
      driven.error = "after " + a.f + " (" + a.fault + ") at " + std::to_string(now) +
                     ": n1 restarted other than once at the end of the last fault holding it";
    }
    driven.restarts = restarts;
    if (down && kDownKinds.count(a.fault) && !kBegins.count(a.f) && in_force[a.fault] == 0 &&
        !a.value.contains("held") && driven.error.empty()) {
      driven.error = "the end " + a.f + " at " + std::to_string(now) +
                     " left n1 down without saying what holds it: " + a.value.dump();
    }
    if (was_down && Holding(in_force, {a.fault}) && down && kBegins.count(a.f) &&
        a.fault != "pause") {
      ++driven.nested;  // a fault taking down a node another one holds down
    }
    if (system.state("n1") != want && driven.error.empty()) {
      driven.error = "after " + a.f + " (" + a.fault + ") at " + std::to_string(now) +
                     " n1 is not as the faults in force say";
    }
    if (clients.frozen.size() != static_cast<size_t>(std::max(0, in_force["client-pause"])) &&
        driven.error.empty()) {
      driven.error = "frozen clients do not match the client pauses in force";
    }
    return generator::sim::Outcome{history::EventType::kInfo, a.value, 0, a.error};
  };
  generator::sim::Result run = generator::sim::Run(*gen, options);
  if (!run.error.empty()) driven.error = run.error;
  if (!(*nemesis)->healed() && driven.error.empty()) driven.error = "not healed at the end";
  return driven;
}

TEST(Overlap, FaultsOfEveryKindOverlapAndEveryOneIsHealed) {
  for (uint64_t seed : {1, 2, 3}) {
    FakeSystem system({"n1"});
    FakeClients clients(4);
    Driven d = Drive(OverlapPlan({"kill", "pause", "client-pause"}, true, seed), 60 * kSec, system,
                     clients);
    ASSERT_TRUE(d.error.empty()) << "seed " << seed << ": " << d.error;
    EXPECT_EQ(d.most_in_force, 3u) << "seed " << seed << ": all three at once, at some point";
    std::set<std::string> kinds;
    for (const Done& e : d.done) kinds.insert(e.applied.fault);
    EXPECT_EQ(kinds, (std::set<std::string>{"", "kill", "pause", "client-pause"}));
    ASSERT_FALSE(d.done.empty());
    EXPECT_EQ(d.done.back().applied.f, "heal") << "the final heal comes last";
    EXPECT_TRUE(system.AllRunning());
    EXPECT_TRUE(clients.frozen.empty());
  }
}

TEST(Overlap, OffMeansOneFaultAtATime) {
  FakeSystem system({"n1"});
  FakeClients clients(4);
  Driven d =
      Drive(OverlapPlan({"kill", "pause", "client-pause"}, false, 1), 60 * kSec, system, clients);
  ASSERT_TRUE(d.error.empty()) << d.error;
  EXPECT_EQ(d.most_in_force, 1u);
  // Healthy for the interval, then a fault for as long (a client pause: no lease, so as long).
  for (size_t i = 0; i + 1 < d.done.size() - 1; ++i) {
    EXPECT_EQ(d.done[i + 1].time - d.done[i].time, kSec) << i;
  }
}

std::vector<std::pair<Nanos, std::string>> KindOps(const Driven& d, const std::string& kind) {
  std::vector<std::pair<Nanos, std::string>> ops;
  for (const Done& e : d.done) {
    if (e.applied.fault == kind)
      ops.push_back({e.time, e.applied.f + " " + e.applied.value.dump()});
  }
  return ops;
}

TEST(Overlap, EachScheduleDrawsFromAStreamOfItsOwn) {
  auto run = [](std::vector<std::string> faults, uint64_t seed) {
    FakeSystem system({"n1"});
    FakeClients clients(4);
    Plan plan = OverlapPlan(std::move(faults), true, seed);
    plan.nodes = system.nodes();
    return Drive(plan, 30 * kSec, system, clients);
  };
  const Driven kill = run({"kill"}, 7);
  const Driven both = run({"kill", "client-pause"}, 7);
  ASSERT_TRUE(kill.error.empty()) << kill.error;
  ASSERT_TRUE(both.error.empty()) << both.error;
  ASSERT_GT(KindOps(kill, "kill").size(), 10u);
  EXPECT_EQ(KindOps(kill, "kill"), KindOps(both, "kill")) << "a pause beside it moved no kill";
  EXPECT_EQ(KindOps(both, "client-pause"),
            KindOps(run({"kill", "client-pause"}, 7), "client-pause"))
      << "a seed replays";
  EXPECT_NE(KindOps(kill, "kill"), KindOps(run({"kill"}, 8), "kill")) << "another seed differs";
}

// kill and power (and torn) on one node, each on a schedule of its own: whichever begins inside
// the other, n1 stays down until the last of them ends and restarts once then; each end that
// leaves it down says what holds it; a pause over it all brings it back stopped.
TEST(Overlap, FaultsThatHoldANodeDownComposeInSimulatedTime) {
  const std::string why = systems::WhyNoDisks();  // power is refused without them
  if (!why.empty()) GTEST_SKIP() << why;
  int nested = 0;
  for (uint64_t seed : {1, 2, 3}) {
    DiskSystem system({"n1"});
    FakeClients clients(4);
    Plan plan = OverlapPlan({"kill", "power", "torn", "pause"}, true, seed);
    plan.abilities.capabilities.insert(systems::Disks::kName);
    Driven d = Drive(plan, 60 * kSec, system, clients);
    ASSERT_TRUE(d.error.empty()) << "seed " << seed << ": " << d.error;
    EXPECT_GE(d.most_in_force, 3u) << "seed " << seed;
    EXPECT_GT(d.restarts, 5u) << "seed " << seed;
    EXPECT_TRUE(system.AllRunning()) << "seed " << seed;
    nested += d.nested;
  }
  EXPECT_GT(nested, 3) << "faults began inside one another";
}

}  // namespace
}  // namespace jepsen::nemesis
