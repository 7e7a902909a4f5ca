// The network family (partition) against a fake system: the grudge of a cut
// and of "all", its heal, what it asks of the system's setup, and a partition
// that overlaps kills: a node killed and restarted while cut off stays cut off.
#include <gtest/gtest.h>

#include "nemesis/nemesis.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::FakeSystem;
using testing::NodeState;

Plan Faults(std::vector<std::string> faults) {
  Plan plan;
  plan.faults = std::move(faults);
  return plan;
}

std::unique_ptr<Nemesis> Make(const Plan& plan, systems::System& system) {
  Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system, nullptr);
  EXPECT_TRUE(made.ok()) << made.message();
  return made.ok() ? std::move(made).value() : nullptr;
}

TEST(PartitionPackage, CutsNodesOffAndRecordsTheGrudge) {
  FakeSystem system({"n1", "n2", "n3"});
  std::unique_ptr<Nemesis> nemesis = Make(Faults({"partition"}), system);
  ASSERT_NE(nemesis, nullptr);
  Applied cut = nemesis->Apply(Op{"partition", "partition", Json::array({"n1"})});
  EXPECT_TRUE(cut.error.empty()) << cut.error;
  EXPECT_EQ(cut.fault, "partition");
  EXPECT_EQ(cut.value, Json::parse(R"({"n1":["n2","n3"],"n2":["n1"],"n3":["n1"]})"));
  EXPECT_EQ(system.grudge.at("n2"), (std::set<std::string>{"n1"}));
  Applied heal = nemesis->Apply(Op{"heal", "partition", "network"});
  EXPECT_EQ(heal.value, "network");
  EXPECT_EQ(heal.fault, "partition") << "its own end, not the final heal";
  EXPECT_TRUE(system.grudge.empty());
  EXPECT_TRUE(nemesis->healed());

  Applied alone = nemesis->Apply(Op{"partition", "partition", {{"all", true}}});
  EXPECT_EQ(alone.value["n2"], Json::array({"n1", "n3"})) << "every node alone";
  system.leader = "n3";
  Applied leader = nemesis->Apply(Op{"partition", "partition", "leader"});
  EXPECT_EQ(leader.value["n3"], Json::array({"n1", "n2"}));
  EXPECT_EQ(nemesis->Heal(), Json::array({"network"}));
  EXPECT_TRUE(system.grudge.empty());
}

// A cut that parts no node from another (a one-node system; every node of a cluster) cuts the
// nodes off from the clients instead: never a partition that changes nothing, counted as a fault.
TEST(PartitionPackage, ACutOfEveryNodeCutsThemOffFromTheClients) {
  FakeSystem single({"n1"});
  std::unique_ptr<Nemesis> nemesis = Make(Faults({"partition"}), single);
  ASSERT_NE(nemesis, nullptr);
  Applied cut = nemesis->Apply(Op{"partition", "partition", Json::array({"n1"})});
  EXPECT_TRUE(cut.error.empty()) << cut.error;
  EXPECT_EQ(cut.value, Json::parse(R"({"clients":["n1"],"n1":["clients"]})"));
  Applied alone = nemesis->Apply(Op{"partition", "partition", {{"all", true}}});
  EXPECT_EQ(alone.value, Json::parse(R"({"clients":["n1"],"n1":["clients"]})"));

  FakeSystem cluster({"n1", "n2"});
  nemesis = Make(Faults({"partition"}), cluster);
  ASSERT_NE(nemesis, nullptr);
  Applied both = nemesis->Apply(Op{"partition", "partition", Json::array({"n1", "n2"})});
  EXPECT_EQ(both.value,
            Json::parse(R"({"clients":["n1","n2"],"n1":["clients"],"n2":["clients"]})"));
}

TEST(PartitionPackage, AsksTheSystemForANetworkOfItsOwn) {
  systems::SetupContext setup;
  ASSERT_TRUE(Configure(Faults({"kill"}), setup).ok());
  EXPECT_FALSE(setup.private_network);
  ASSERT_TRUE(Configure(Faults({"kill", "partition"}), setup).ok());
  EXPECT_TRUE(setup.private_network);
}

TEST(PartitionPackage, ASystemWithoutANetworkIsRefused) {
  testing::BareSystem bare({"n1"});
  Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(Faults({"partition"}), bare, nullptr);
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.message().find("no network"), std::string::npos) << made.message();
}

// Partitioned while killed: the restart does not undo the partition, the heal of the kill does
// not heal the network, and heal-all ends both.
TEST(PartitionPackage, OverlapsKillsWithoutEitherUndoingTheOther) {
  FakeSystem system({"n1", "n2", "n3"});
  std::unique_ptr<Nemesis> nemesis = Make(Faults({"kill", "partition"}), system);
  ASSERT_NE(nemesis, nullptr);
  nemesis->Apply(Op{"kill", "kill", Json::array({"n1"})});
  Applied cut = nemesis->Apply(Op{"partition", "partition", Json::array({"n1"})});
  EXPECT_TRUE(cut.error.empty()) << "a node that is down can be cut off all the same";
  nemesis->Apply(Op{"start", "kill", nullptr});
  EXPECT_EQ(system.state("n1"), NodeState::kRunning);
  EXPECT_FALSE(system.grudge.empty()) << "still cut off";
  nemesis->Apply(Op{"kill", "kill", Json::array({"n2"})});
  EXPECT_EQ(nemesis->Heal(), Json::array({"network", "n2"})) << "the network first, restarts last";
  EXPECT_TRUE(system.AllRunning());
  EXPECT_TRUE(system.grudge.empty());
  EXPECT_TRUE(nemesis->healed());
}

}  // namespace
}  // namespace jepsen::nemesis
