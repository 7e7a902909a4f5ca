// The network family's link faults against a fake system: loss and slow switch
// the targets' links and back, carry their amount (an option) in the begin
// event, heal on their own (a partition's heal leaves them), undo a half-made
// fault, and ask for the run's own network before a run.
#include <gtest/gtest.h>

#include "nemesis/nemesis.h"
#include "nemesis/options.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::BareSystem;
using testing::FakeSystem;

Plan LinkPlan(const std::string& fault) {
  Plan plan;
  plan.faults = {fault};
  for (const options::Option& o : PackageOptions()) plan.options.Set(o.name, o.fallback);
  return plan;
}

TEST(LinkPackages, LossDropsTheDrawnShareOnTheTargetsAndStopsAtTheEnd) {
  FakeSystem system({"n1", "n2", "n3"});
  Plan plan = LinkPlan("loss");
  plan.options.Set("loss-percent", 35);
  plan.nodes = system.nodes();
  Result<std::unique_ptr<Nemesis>> nemesis = Nemesis::Make(plan, system, nullptr);
  ASSERT_TRUE(nemesis.ok()) << nemesis.message();
  Applied begin =
      (*nemesis)->Apply(Op{"loss-start", "loss", Json{{"percent", 35}, {"nodes", {"n2"}}}});
  EXPECT_TRUE(begin.error.empty()) << begin.error;
  EXPECT_EQ(begin.value, Json({{"percent", 35}, {"nodes", {"n2"}}}));
  EXPECT_EQ(system.calls, (std::vector<std::string>{"loss n2 35"}));
  EXPECT_FALSE((*nemesis)->healed());
  Applied end = (*nemesis)->Apply(Op{"loss-end", "loss", nullptr});
  EXPECT_TRUE(end.error.empty()) << end.error;
  EXPECT_EQ(end.value, Json({{"nodes", {"n2"}}}));
  EXPECT_EQ(system.calls.back(), "loss n2 0");
  EXPECT_TRUE((*nemesis)->healed());
}

TEST(LinkPackages, TheDrawnFaultCarriesTheOptionsAmount) {
  Plan plan = LinkPlan("slow");
  plan.options.Set("slow-kbit", 512);
  plan.nodes = {"n1", "n2"};
  Result<std::vector<Chosen>> c = Choose(plan.faults);
  ASSERT_TRUE(c.ok());
  generator::Rng rng(7);
  const Fault fault = (*c)[0].package->NextFault("slow", plan, rng);
  EXPECT_EQ(fault.begin.f, "slow-start");
  EXPECT_EQ(fault.begin.value["kbit"], 512);
  EXPECT_EQ(fault.begin.value["nodes"].size(), 1u) << "target=one";
  EXPECT_EQ(fault.end.f, "slow-end");
}

TEST(LinkPackages, SlowAndAPartitionHealApart) {
  FakeSystem system({"n1", "n2", "n3"});
  Plan plan = LinkPlan("slow");
  plan.faults = {"slow", "partition"};
  plan.nodes = system.nodes();
  Result<std::unique_ptr<Nemesis>> nemesis = Nemesis::Make(plan, system, nullptr);
  ASSERT_TRUE(nemesis.ok()) << nemesis.message();
  (*nemesis)->Apply(Op{"slow-start", "slow", Json{{"kbit", 64}, {"nodes", {"n1"}}}});
  (*nemesis)->Apply(Op{"partition", "partition", Json::array({"n3"})});
  (*nemesis)->Apply(Op{"heal", "partition", "network"});
  EXPECT_EQ(system.calls, (std::vector<std::string>{"rate n1 64", "partition", "heal"}))
      << "the partition's heal leaves the slow link";
  EXPECT_EQ((*nemesis)->Heal(), Json::array({Json{{"nodes", {"n1"}}}}));
  EXPECT_EQ(system.calls.back(), "rate n1 0");
  EXPECT_TRUE((*nemesis)->healed());
}

TEST(LinkPackages, ALinkThatCannotBeSetFailsTheFaultAndTheOthersAreRestored) {
  FakeSystem system({"n1", "n2", "n3"});
  system.failing = "n3";
  Plan plan = LinkPlan("loss");
  plan.nodes = system.nodes();
  Result<std::unique_ptr<Nemesis>> nemesis = Nemesis::Make(plan, system, nullptr);
  ASSERT_TRUE(nemesis.ok()) << nemesis.message();
  Applied begin =
      (*nemesis)->Apply(Op{"loss-start", "loss", Json{{"percent", 20}, {"nodes", {"n1", "n3"}}}});
  EXPECT_EQ(begin.error, "n3: no such namespace") << "a fault not carried out is not counted";
  EXPECT_EQ(system.calls, (std::vector<std::string>{"loss n1 20", "loss n3 20", "loss n1 0"}));
  EXPECT_TRUE((*nemesis)->healed());
}

TEST(LinkPackages, AskForTheRunsOwnNetworkAndRefuseASystemWithout) {
  for (const char* fault : {"loss", "slow"}) {
    Plan plan = LinkPlan(fault);
    plan.system = "bare";
    systems::SetupContext setup;
    ASSERT_TRUE(Configure(plan, setup).ok());
    EXPECT_TRUE(setup.private_network) << fault;
    BareSystem bare({"n1"});
    plan.abilities = bare.abilities(setup);
    const Status refused = CheckSupported(plan);
    ASSERT_FALSE(refused.ok()) << fault;
    EXPECT_NE(refused.message().find("has no network of the run's own"), std::string::npos)
        << refused.message();
    FakeSystem with({"n1"});
    plan.abilities = with.abilities(setup);
    EXPECT_TRUE(CheckSupported(plan).ok()) << fault;
  }
}

// A network whose links cannot be slowed (nodes on remote hosts) takes loss but refuses slow
// before the run, saying why, rather than failing at the first fault.
TEST(LinkPackages, SlowIsRefusedBeforeTheRunWhereLinksCannotBeSlowed) {
  Plan plan = LinkPlan("slow");
  plan.system = "remote";
  plan.abilities.capabilities = {systems::Network::kName};
  plan.abilities.why_not[systems::Network::kSlowLinks] = "runs its nodes on remote hosts, where";
  const Status refused = CheckSupported(plan);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("system remote runs its nodes on remote hosts"),
            std::string::npos)
      << refused.message();
  Plan loss = LinkPlan("loss");
  loss.abilities = plan.abilities;
  EXPECT_TRUE(CheckSupported(loss).ok());
}

}  // namespace
}  // namespace jepsen::nemesis
