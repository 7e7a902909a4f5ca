// The process family (kill, pause) against a fake system: what each op does
// to the nodes and records, "leader" asked of the system when the fault
// strikes, and the overlaps that interact -- a node killed while paused, a
// node paused while down -- each fault holding until its own end.
#include <gtest/gtest.h>

#include "nemesis/nemesis.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::FakeSystem;
using testing::NodeState;

Op Tagged(const std::string& f, const std::string& kind, Json value) {
  return Op{f, kind, std::move(value)};
}

Plan Faults(std::vector<std::string> faults) {
  Plan plan;
  plan.faults = std::move(faults);
  return plan;
}

class ProcessPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Nemesis>> made =
        Nemesis::Make(Faults({"kill", "pause"}), system_, nullptr);
    ASSERT_TRUE(made.ok()) << made.message();
    nemesis_ = std::move(made).value();
  }

  FakeSystem system_{{"n1", "n2", "n3"}};
  std::unique_ptr<Nemesis> nemesis_;
};

TEST_F(ProcessPackage, KillAndItsEndRestartWhatItHit) {
  Applied kill = nemesis_->Apply(Tagged("kill", "kill", Json::array({"n1", "n3"})));
  EXPECT_EQ(kill.f, "kill");
  EXPECT_EQ(kill.value, Json::array({"n1", "n3"}));
  EXPECT_EQ(kill.fault, "kill") << "the event is tagged with its kind";
  EXPECT_TRUE(kill.error.empty());
  EXPECT_EQ(system_.state("n1"), NodeState::kDown);
  EXPECT_EQ(system_.state("n2"), NodeState::kRunning);
  EXPECT_FALSE(nemesis_->healed());
  Applied start = nemesis_->Apply(Tagged("start", "kill", nullptr));  // what the kill hit
  EXPECT_EQ(start.value, Json::array({"n1", "n3"}));
  EXPECT_EQ(start.fault, "kill");
  EXPECT_TRUE(system_.AllRunning());
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(ProcessPackage, TheLeaderIsAskedWhenTheFaultStrikes) {
  system_.leader = "n3";
  Applied pause = nemesis_->Apply(Tagged("pause", "pause", "leader"));
  EXPECT_EQ(pause.value, Json::array({"n3"})) << "recorded as the node it hit";
  EXPECT_EQ(system_.state("n3"), NodeState::kPaused);
  Applied resume = nemesis_->Apply(Tagged("resume", "pause", nullptr));
  EXPECT_EQ(resume.value, Json::array({"n3"}));
  EXPECT_TRUE(system_.AllRunning());
}

TEST_F(ProcessPackage, AnUnknownNodeIsAFailedFault) {
  Applied kill = nemesis_->Apply(Tagged("kill", "kill", Json::array({"n9"})));
  EXPECT_NE(kill.error.find("unknown node \"n9\""), std::string::npos) << kill.error;
  EXPECT_EQ(kill.value, Json::array({"n9"})) << "the op's value, as asked";
  EXPECT_TRUE(system_.calls.empty());
  EXPECT_TRUE(nemesis_->healed());
}

// Killed while paused: the kill takes it down; the kill's end restarts it, and the pause, still
// in force, stops it again at once; the pause's end lets it run.
TEST_F(ProcessPackage, ANodeKilledWhilePausedComesBackPaused) {
  nemesis_->Apply(Tagged("pause", "pause", Json::array({"n1"})));
  nemesis_->Apply(Tagged("kill", "kill", Json::array({"n1"})));
  EXPECT_EQ(system_.state("n1"), NodeState::kDown);
  Applied start = nemesis_->Apply(Tagged("start", "kill", nullptr));
  EXPECT_EQ(start.value, Json::array({"n1"}));
  EXPECT_EQ(system_.state("n1"), NodeState::kPaused) << "its pause has not ended";
  Applied resume = nemesis_->Apply(Tagged("resume", "pause", nullptr));
  EXPECT_EQ(resume.value, Json::array({"n1"}));
  EXPECT_EQ(system_.state("n1"), NodeState::kRunning);
  EXPECT_TRUE(nemesis_->healed());
  EXPECT_EQ(system_.calls, (std::vector<std::string>{"pause n1", "kill n1", "restart n1",
                                                     "pause n1", "resume n1"}));
}

// Paused while down: nothing to stop now; it comes back stopped from its restart on, until the
// pause ends. A pause ending while the node is still down leaves it to come back running.
TEST_F(ProcessPackage, APauseOfANodeThatIsDownHoldsFromItsRestart) {
  nemesis_->Apply(Tagged("kill", "kill", Json::array({"n2"})));
  Applied pause = nemesis_->Apply(Tagged("pause", "pause", Json::array({"n2"})));
  EXPECT_TRUE(pause.error.empty()) << "a pause in force, though it stops nothing yet";
  EXPECT_EQ(system_.state("n2"), NodeState::kDown);
  nemesis_->Apply(Tagged("start", "kill", nullptr));
  EXPECT_EQ(system_.state("n2"), NodeState::kPaused);
  nemesis_->Apply(Tagged("resume", "pause", nullptr));
  EXPECT_TRUE(system_.AllRunning());

  nemesis_->Apply(Tagged("kill", "kill", Json::array({"n3"})));
  nemesis_->Apply(Tagged("pause", "pause", Json::array({"n3"})));
  nemesis_->Apply(Tagged("resume", "pause", nullptr));
  EXPECT_EQ(system_.state("n3"), NodeState::kDown) << "still killed";
  nemesis_->Apply(Tagged("start", "kill", nullptr));
  EXPECT_EQ(system_.state("n3"), NodeState::kRunning);
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(ProcessPackage, HealEndsEveryFaultInForceAndSaysWhatItTouched) {
  nemesis_->Apply(Tagged("pause", "pause", Json::array({"n1", "n2"})));
  nemesis_->Apply(Tagged("kill", "kill", Json::array({"n2", "n3"})));
  Json touched = nemesis_->Heal();
  EXPECT_EQ(touched, Json::array({"n1", "n2", "n3"})) << touched.dump();
  EXPECT_TRUE(system_.AllRunning()) << "n2 comes back running: its pause was healed too";
  EXPECT_TRUE(nemesis_->healed());
  EXPECT_EQ(nemesis_->Heal(), Json::array()) << "nothing left";
  Applied all = nemesis_->Apply(HealAll());
  EXPECT_EQ(all.f, "heal");
  EXPECT_EQ(all.fault, "") << "the final heal is untagged: it ends every fault";
}

TEST(ProcessPackageSupport, ASystemWithoutProcessNodesIsRefused) {
  testing::BareSystem bare({"n1"});
  Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(Faults({"kill"}), bare, nullptr);
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.message().find("no process nodes"), std::string::npos) << made.message();
  Plan plan = Faults({"pause"});
  plan.system = "remote";
  plan.clients = 1;
  Status s = CheckSupported(plan);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nemesis=pause: system remote does not run its nodes as processes"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("(its faults: client-pause)"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace jepsen::nemesis
