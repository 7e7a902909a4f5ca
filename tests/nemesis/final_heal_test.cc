// The final heal and nemesis=all on fake systems: faults that restart nodes
// heal last, after the nodes' disks are sound again; a node down for no fault
// in force (it exited on its own) is restarted when the run kills nodes, and
// the heal records it; all stands for every fault the system can carry out
// here but corrupt.
#include <gtest/gtest.h>

#include <algorithm>

#include "nemesis/nemesis.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::DiskSystem;
using testing::FakeSystem;
using testing::NodeState;

Plan Faults(std::vector<std::string> faults) {
  Plan plan;
  plan.faults = std::move(faults);
  return plan;
}

TEST(FinalHeal, RestartsNodesOnlyOnceTheirDisksAreSound) {
  DiskSystem system({"n1", "n2"});
  Result<std::unique_ptr<Nemesis>> nemesis =
      Nemesis::Make(Faults({"kill", "disk-full"}), system, nullptr);
  ASSERT_TRUE(nemesis.ok()) << nemesis.message();
  (*nemesis)->Apply(Op{"kill", "kill", Json::array({"n1"})});
  (*nemesis)->Apply(Op{"disk-full-start", "disk-full", Json::array({"n1"})});
  system.calls.clear();
  (*nemesis)->Heal();
  EXPECT_EQ(system.calls, (std::vector<std::string>{"disk-full off n1", "restart n1"}))
      << "named first, kill heals last";
  EXPECT_TRUE(system.AllRunning());
}

TEST(FinalHeal, RestartsANodeThatIsDownForNoFaultAndSaysSo) {
  FakeSystem system({"n1", "n2"});
  Result<std::unique_ptr<Nemesis>> nemesis = Nemesis::Make(Faults({"kill"}), system, nullptr);
  ASSERT_TRUE(nemesis.ok()) << nemesis.message();
  ASSERT_TRUE(system.Kill("n2").ok());  // it exited by itself: no fault holds it
  const Json touched = (*nemesis)->Heal();
  EXPECT_EQ(touched, Json::array({Json{{"restarted", {"n2"}}}}));
  EXPECT_EQ(system.state("n2"), NodeState::kRunning);
}

TEST(FinalHeal, LeavesADownNodeAloneInARunThatKillsNone) {
  FakeSystem system({"n1", "n2"});
  Result<std::unique_ptr<Nemesis>> nemesis = Nemesis::Make(Faults({"partition"}), system, nullptr);
  ASSERT_TRUE(nemesis.ok()) << nemesis.message();
  ASSERT_TRUE(system.Kill("n2").ok());
  EXPECT_EQ((*nemesis)->Heal(), Json::array());
  EXPECT_EQ(system.state("n2"), NodeState::kDown) << "the system's own crash stays visible";
}

TEST(AllFaults, StandsForWhatTheSystemCanDoHereButCorrupt) {
  Plan plan = Faults({"kill", "all"});
  plan.system = "fake";
  plan.clients = 3;
  systems::SetupContext setup;
  ASSERT_TRUE(Configure(plan, setup).ok());
  EXPECT_TRUE(setup.private_network) << "all asks the setup for what any fault needs";
  EXPECT_TRUE(setup.disks);
  FakeSystem without_disks({"n1"});
  plan.abilities = without_disks.abilities(setup);
  std::vector<std::string> all = ExpandAll(plan);
  EXPECT_EQ(all.front(), "kill") << "named once, where first named";
  EXPECT_EQ(std::count(all.begin(), all.end(), "kill"), 1);
  for (const char* fault : {"pause", "partition", "client-pause", "loss", "slow"}) {
    EXPECT_NE(std::find(all.begin(), all.end(), fault), all.end()) << fault;
  }
  for (const char* fault : {"power", "corrupt", "disk-full"}) {
    EXPECT_EQ(std::find(all.begin(), all.end(), fault), all.end()) << fault << ": no disks";
  }
  plan.faults = all;
  EXPECT_TRUE(CheckSupported(plan).ok()) << CheckSupported(plan).message();
  DiskSystem with_disks({"n1"});
  plan.faults = {"all"};
  plan.abilities = with_disks.abilities(setup);
  all = ExpandAll(plan);
  EXPECT_EQ(std::find(all.begin(), all.end(), "corrupt"), all.end()) << "damages data on purpose";
  Plan power = plan;
  power.faults = {"power"};
  EXPECT_EQ(std::find(all.begin(), all.end(), "power") != all.end(), CheckSupported(power).ok())
      << "power when this machine can (root, /dev/fuse)";
}

}  // namespace
}  // namespace jepsen::nemesis
