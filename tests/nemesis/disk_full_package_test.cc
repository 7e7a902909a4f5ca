// The disk family's disk-full fault against a fake system: the targets' disks
// filled and emptied through their control channel, what each refused recorded
// at the end, a disk that does not answer failing the fault, and the checks
// before a run.
#include <gtest/gtest.h>

#include "nemesis/nemesis.h"
#include "systems/disk/node_disk.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::DiskSystem;
using testing::FakeSystem;

Op Tagged(const std::string& f, Json value) { return Op{f, "disk-full", std::move(value)}; }

class DiskFullPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    Plan plan;
    plan.faults = {"disk-full"};
    Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system_, nullptr);
    ASSERT_TRUE(made.ok()) << made.message();
    nemesis_ = std::move(made).value();
  }

  DiskSystem system_{{"n1", "n2", "n3"}};
  std::unique_ptr<Nemesis> nemesis_;
};

TEST_F(DiskFullPackage, FillsTheTargetsDisksAndEmptiesThemWhenItEnds) {
  system_.replies["disk-full off"] = R"({"ok":true,"full":false,"refused":7})";
  Applied start = nemesis_->Apply(Tagged("disk-full-start", Json::array({"n1", "n3"})));
  EXPECT_TRUE(start.error.empty()) << start.error;
  EXPECT_EQ(start.fault, "disk-full");
  EXPECT_EQ(start.value, Json({{"nodes", {"n1", "n3"}}}));
  EXPECT_EQ(system_.calls, (std::vector<std::string>{"disk-full on n1", "disk-full on n3"}));
  EXPECT_TRUE(system_.AllRunning()) << "a full disk kills no one";
  EXPECT_FALSE(nemesis_->healed());
  Applied end = nemesis_->Apply(Tagged("disk-full-end", nullptr));
  EXPECT_TRUE(end.error.empty()) << end.error;
  EXPECT_EQ(end.value, Json({{"nodes", {"n1", "n3"}},
                             {"done", {{"n1", {{"refused", 7}}}, {"n3", {{"refused", 7}}}}}}));
  EXPECT_EQ(system_.calls.size(), 4u);
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(DiskFullPackage, TheFinalHealEmptiesEveryFullDisk) {
  nemesis_->Apply(Tagged("disk-full-start", Json::array({"n2"})));
  nemesis_->Heal();
  EXPECT_EQ(system_.calls, (std::vector<std::string>{"disk-full on n2", "disk-full off n2"}));
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(DiskFullPackage, ADiskThatDoesNotAnswerFailsTheFaultAndTheOthersAreEmptied) {
  system_.failing = "n2";
  Applied start = nemesis_->Apply(Tagged("disk-full-start", Json::array({"n1", "n2"})));
  EXPECT_EQ(start.error, "n2: no reply") << "a disk that did not fill is no fault";
  EXPECT_EQ(system_.calls,
            (std::vector<std::string>{"disk-full on n1", "disk-full on n2", "disk-full off n1"}));
  EXPECT_TRUE(nemesis_->healed());
}

TEST(DiskFullPackageChecks, AskForDisksAndRefuseASystemWithout) {
  Plan plan;
  plan.faults = {"disk-full"};
  plan.system = "fake";
  systems::SetupContext setup;
  ASSERT_TRUE(Configure(plan, setup).ok());
  EXPECT_TRUE(setup.disks);
  FakeSystem without({"n1"});
  plan.abilities = without.abilities(setup);
  const Status refused = CheckSupported(plan);
  ASSERT_FALSE(refused.ok());
  const std::string why = systems::WhyNoDisks();
  EXPECT_NE(refused.message().find(why.empty() ? "it cannot fill its disks" : why),
            std::string::npos)
      << refused.message();
  DiskSystem with({"n1"});
  plan.abilities = with.abilities(setup);
  EXPECT_EQ(CheckSupported(plan).ok(), why.empty());
}

}  // namespace
}  // namespace jepsen::nemesis
