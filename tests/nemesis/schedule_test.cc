// Fault schedules in simulated time: faults and their recoveries alternate,
// targets are sized as named, a client pause outlasts the lease; and what a
// system cannot do is refused before the run.
#include <gtest/gtest.h>

#include "generator/rng.h"
#include "nemesis/nemesis.h"

namespace jepsen::nemesis {
namespace {

using generator::Nanos;

struct Emitted {
  Nanos at;
  generator::Op op;
};

// Asks the schedule for ops until `until`, as the runner's nemesis thread.
std::vector<Emitted> Drive(generator::Generator& gen, Nanos until) {
  generator::Rng rng(7);
  std::vector<bool> clients;
  std::vector<Emitted> out;
  Nanos now = 0;
  while (now < until) {
    generator::Context ctx(now, rng, clients, true);
    generator::Step step = gen.Next(ctx.WithNemesis());
    if (step.is_invoke()) {
      out.push_back({now, step.op});
      continue;
    }
    if (!step.is_pending() || step.wake == generator::kNever) break;
    now = step.wake;
  }
  return out;
}

// A system that offers every capability, so that only names can be wrong.
systems::Abilities Everything() {
  systems::Abilities a;
  a.capabilities = {systems::ProcessNodes::kName, systems::Network::kName,
                    systems::Network::kSlowLinks, systems::Leadership::kName};
  return a;
}

Plan Options(std::vector<std::string> faults, std::vector<std::string> targets) {
  Plan o;
  o.faults = std::move(faults);
  o.targets = std::move(targets);
  o.nodes = {"n1", "n2", "n3", "n4", "n5"};
  o.clients = 4;
  o.interval = std::chrono::seconds(1);
  o.run_options = {{"ttl_ms", 2000}};  // a client pause: 1.5 TTL + 0.5 s = 3.5 s
  o.system = "test";
  o.abilities = Everything();
  return o;
}

TEST(Schedule, FaultsAndRecoveriesAlternate) {
  Result<Schedule> s = MakeSchedule(Options({"kill", "pause", "partition"}, {"one"}));
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<Emitted> ops = Drive(*s->main, 20'000'000'000);
  ASSERT_GE(ops.size(), 8u);
  for (size_t i = 0; i + 1 < ops.size(); i += 2) {
    const std::string& fault = ops[i].op.f;
    const std::string& recovery = ops[i + 1].op.f;
    EXPECT_EQ(recovery, fault == "kill" ? "start" : fault == "pause" ? "resume" : "heal");
    EXPECT_EQ(ops[i + 1].at - ops[i].at, 1'000'000'000);
    if (fault != "partition") {
      EXPECT_EQ(ops[i].op.value.size(), 1u);
    }
  }
}

TEST(Schedule, TargetsAreSizedAsNamed) {
  for (auto [target, size] : {std::pair{"majority", 3u}, {"minority", 2u}, {"all", 5u}}) {
    Result<Schedule> s = MakeSchedule(Options({"kill"}, {target}));
    ASSERT_TRUE(s.ok());
    std::vector<Emitted> ops = Drive(*s->main, 3'000'000'000);
    ASSERT_FALSE(ops.empty());
    EXPECT_EQ(ops[0].op.value.size(), size) << target;
  }
  Result<Schedule> leader = MakeSchedule(Options({"pause"}, {"leader"}));
  std::vector<Emitted> ops = Drive(*leader->main, 3'000'000'000);
  ASSERT_FALSE(ops.empty());
  EXPECT_EQ(ops[0].op.value, "leader");  // asked of the system when it happens
}

TEST(Schedule, AClientPauseOutlastsTheLease) {
  Result<Schedule> s = MakeSchedule(Options({"client-pause"}, {"one"}));
  ASSERT_TRUE(s.ok());
  std::vector<Emitted> ops = Drive(*s->main, 6'000'000'000);
  ASSERT_GE(ops.size(), 2u);
  EXPECT_EQ(ops[0].op.f, "pause");
  EXPECT_EQ(ops[0].op.value[0].get<std::string>().rfind("client-", 0), 0u);
  EXPECT_EQ(ops[1].op.f, "resume");
  EXPECT_EQ(ops[1].op.value, ops[0].op.value);
  EXPECT_EQ(ops[1].at - ops[0].at, 3'500'000'000) << "1.5 x 2 s + 0.5 s";
}

TEST(Schedule, UnknownNamesAreErrors) {
  EXPECT_FALSE(MakeSchedule(Options({"flood"}, {"one"})).ok());
  EXPECT_FALSE(MakeSchedule(Options({"kill"}, {"half"})).ok());
  Result<Schedule> none = MakeSchedule(Options({"none"}, {"one"}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(Drive(*none->main, 5'000'000'000).empty());
  EXPECT_FALSE(MakeSchedule(Options({"kill"}, {})).ok()) << "a node fault needs a target";
  EXPECT_TRUE(MakeSchedule(Options({"client-pause"}, {})).ok()) << "a client pause does not";
}

Plan On(Plan plan, systems::Abilities abilities, const std::string& system) {
  plan.abilities = std::move(abilities);
  plan.system = system;
  return plan;
}

// What a system cannot do is refused before the run, naming what it can.
TEST(CheckSupported, RefusesFaultsAndTargetsTheSystemCannotCarryOut) {
  systems::Abilities single;  // no network of its own, no leader to name
  single.capabilities = {systems::ProcessNodes::kName};
  Status partition =
      CheckSupported(On(Options({"kill", "partition"}, {"one"}), single, "refstore"));
  ASSERT_FALSE(partition.ok());
  EXPECT_NE(partition.message().find("system refstore cannot partition"), std::string::npos)
      << partition.message();
  EXPECT_NE(partition.message().find("kill, pause, client-pause"), std::string::npos);
  Status leader = CheckSupported(On(Options({"pause"}, {"one", "leader"}), single, "exec"));
  ASSERT_FALSE(leader.ok());
  EXPECT_NE(leader.message().find("target=leader"), std::string::npos) << leader.message();
  EXPECT_NE(leader.message().find("one, majority, minority, all"), std::string::npos);
  // Targets only aim node faults: a client pause needs no leader.
  EXPECT_TRUE(CheckSupported(On(Options({"client-pause"}, {"leader"}), single, "exec")).ok());

  systems::Abilities cluster = Everything();
  EXPECT_TRUE(CheckSupported(On(Options({"partition", "kill"}, {"leader"}), cluster, "etcd")).ok());
}

}  // namespace
}  // namespace jepsen::nemesis
