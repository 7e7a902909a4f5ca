// Faults that hold a node down compose (nemesis/node_holds.h): a kill and a
// power loss meeting on one node, either inside the other, leave it down until
// the last of them ends, which restarts it once; the end that restarts nothing
// records which faults still hold the node; a pause in force when the node
// comes back stops it again.
#include "nemesis/node_holds.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "nemesis/nemesis.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::DiskSystem;
using testing::NodeState;

Op Tagged(const std::string& f, const std::string& kind, Json value) {
  return Op{f, kind, std::move(value)};
}

class NodeHoldsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Plan plan;
    plan.faults = {"kill", "pause", "power", "corrupt"};
    Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system_, nullptr);
    ASSERT_TRUE(made.ok()) << made.message();
    nemesis_ = std::move(made).value();
  }
  long Restarts() const {
    return std::count(system_.calls.begin(), system_.calls.end(), "restart n1");
  }

  DiskSystem system_{{"n1", "n2"}};
  std::unique_ptr<Nemesis> nemesis_;
};

TEST_F(NodeHoldsTest, APowerLossInsideAKillRestartsOnceAtTheKillsEnd) {
  nemesis_->Apply(Tagged("kill", "kill", Json::array({"n1"})));
  Applied off = nemesis_->Apply(Tagged("power-off", "power", Json::array({"n1"})));
  EXPECT_TRUE(off.error.empty()) << off.error << ": the disk forgets while the node is down";
  Applied on = nemesis_->Apply(Tagged("power-on", "power", nullptr));
  EXPECT_TRUE(on.error.empty()) << on.error;
  EXPECT_EQ(on.value, Json({{"nodes", {"n1"}}, {"held", {{"n1", {"kill"}}}}}))
      << "the power's end restarts nothing, and says which fault holds the node";
  EXPECT_EQ(system_.state("n1"), NodeState::kDown) << "the kill still holds it";
  EXPECT_EQ(Restarts(), 0);
  EXPECT_FALSE(nemesis_->healed());
  Applied start = nemesis_->Apply(Tagged("start", "kill", nullptr));
  EXPECT_EQ(start.value, Json::array({"n1"})) << "the last end: plainly the nodes it ended on";
  EXPECT_TRUE(system_.AllRunning());
  EXPECT_EQ(Restarts(), 1);
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(NodeHoldsTest, AKillInsideAPowerLossRestartsOnceAtThePowersEnd) {
  nemesis_->Apply(Tagged("power-off", "power", Json::array({"n1"})));
  Applied kill = nemesis_->Apply(Tagged("kill", "kill", Json::array({"n1"})));
  EXPECT_EQ(kill.value, Json::array({"n1"}));
  Applied start = nemesis_->Apply(Tagged("start", "kill", nullptr));
  EXPECT_TRUE(start.error.empty()) << start.error;
  EXPECT_EQ(start.value, Json({{"nodes", {"n1"}}, {"held", {{"n1", {"power"}}}}}));
  EXPECT_EQ(system_.state("n1"), NodeState::kDown) << "no power yet";
  EXPECT_EQ(Restarts(), 0);
  Applied on = nemesis_->Apply(Tagged("power-on", "power", nullptr));
  EXPECT_EQ(on.value, Json::array({"n1"}));
  EXPECT_TRUE(system_.AllRunning());
  EXPECT_EQ(Restarts(), 1);
  EXPECT_EQ(system_.calls,
            (std::vector<std::string>{"kill n1", "power-loss n1", "kill n1", "restart n1"}));
}

TEST_F(NodeHoldsTest, ThreeHoldsAndAPauseTheNodeComesBackStoppedAfterTheLast) {
  nemesis_->Apply(Tagged("pause", "pause", Json::array({"n1"})));
  nemesis_->Apply(Tagged("kill", "kill", Json::array({"n1"})));
  nemesis_->Apply(Tagged("power-off", "power", Json::array({"n1"})));
  nemesis_->Apply(Tagged("corrupt-off", "corrupt", {{"nodes", Json::array({"n1"})}, {"seed", 3}}));
  Applied start = nemesis_->Apply(Tagged("start", "kill", nullptr));
  EXPECT_EQ(start.value["held"]["n1"], Json::array({"corrupt", "power"}));
  Applied on = nemesis_->Apply(Tagged("corrupt-on", "corrupt", nullptr));
  EXPECT_EQ(on.value["held"]["n1"], Json::array({"power"}));
  EXPECT_EQ(system_.state("n1"), NodeState::kDown);
  nemesis_->Apply(Tagged("power-on", "power", nullptr));
  EXPECT_EQ(system_.state("n1"), NodeState::kPaused) << "its pause has not ended";
  EXPECT_EQ(Restarts(), 1);
  nemesis_->Apply(Tagged("resume", "pause", nullptr));
  EXPECT_TRUE(system_.AllRunning());
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(NodeHoldsTest, TheFinalHealBringsBackANodeHeldByEveryFault) {
  nemesis_->Apply(Tagged("kill", "kill", Json::array({"n1", "n2"})));
  nemesis_->Apply(Tagged("power-off", "power", Json::array({"n1"})));
  nemesis_->Apply(Tagged("pause", "pause", Json::array({"n1"})));
  Json touched = nemesis_->Heal();
  EXPECT_EQ(touched, Json::array({"n1", "n2"})) << touched.dump();
  EXPECT_TRUE(system_.AllRunning());
  EXPECT_EQ(Restarts(), 1) << "n1 restarted once, by the last fault healed";
  EXPECT_TRUE(nemesis_->healed());
}

}  // namespace
}  // namespace jepsen::nemesis
