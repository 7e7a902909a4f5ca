// The disk family's fsync-error fault against a fake system: the targets'
// next fsyncs armed to fail, how many drawn per fault, what the failed fsyncs
// dropped recorded at the end, and the disks disarmed by the final heal.
#include "nemesis/disk/fsync_error_package.h"

#include <gtest/gtest.h>

#include "nemesis/nemesis.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::DiskSystem;

Op Tagged(const std::string& f, Json value) { return Op{f, "fsync-error", std::move(value)}; }

class FsyncErrorPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    Plan plan;
    plan.faults = {"fsync-error"};
    Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system_, nullptr);
    ASSERT_TRUE(made.ok()) << made.message();
    nemesis_ = std::move(made).value();
  }

  DiskSystem system_{{"n1", "n2", "n3"}};
  std::unique_ptr<Nemesis> nemesis_;
};

TEST_F(FsyncErrorPackage, ArmsTheTargetsAndRecordsWhatTheFailedFsyncsDropped) {
  system_.replies["fsync-error 0"] =
      R"({"ok":true,"armed":0,"failed":2,"left":0,"files":["refstore.db-wal"],"bytes":8272,"writes":3})";
  Applied start =
      nemesis_->Apply(Tagged("fsync-error-start", {{"nodes", Json::array({"n2"})}, {"fsyncs", 2}}));
  EXPECT_TRUE(start.error.empty()) << start.error;
  EXPECT_EQ(start.fault, "fsync-error");
  EXPECT_EQ(start.value, Json({{"nodes", {"n2"}}, {"fsyncs", 2}}));
  EXPECT_EQ(system_.calls, std::vector<std::string>{"fsync-error 2 n2"});
  EXPECT_TRUE(system_.AllRunning());
  Applied end = nemesis_->Apply(Tagged("fsync-error-end", nullptr));
  EXPECT_TRUE(end.error.empty()) << end.error;
  EXPECT_EQ(end.value["nodes"], Json::array({"n2"}));
  EXPECT_EQ(end.value["done"]["n2"], Json({{"failed", 2},
                                           {"left", 0},
                                           {"files", {"refstore.db-wal"}},
                                           {"bytes", 8272},
                                           {"writes", 3}}));
  EXPECT_EQ(system_.calls.back(), "fsync-error 0 n2");
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(FsyncErrorPackage, TheFinalHealDisarmsWhatIsLeft) {
  nemesis_->Apply(Tagged("fsync-error-start", {{"nodes", Json::array({"n1", "n3"})}}));
  EXPECT_FALSE(nemesis_->healed());
  nemesis_->Heal();
  EXPECT_EQ(system_.calls, (std::vector<std::string>{"fsync-error 1 n1", "fsync-error 1 n3",
                                                     "fsync-error 0 n1", "fsync-error 0 n3"}));
  EXPECT_TRUE(nemesis_->healed());
}

TEST(FsyncErrorPackageFaults, DrawOneToThreeFsyncsForTheTargets) {
  std::unique_ptr<Package> package = NewFsyncErrorPackage();
  Plan plan;
  plan.nodes = {"n1", "n2", "n3"};
  generator::Rng rng(7);
  std::set<int64_t> drawn;
  for (int i = 0; i < 50; ++i) {
    const Fault fault = package->NextFault("fsync-error", plan, rng);
    EXPECT_EQ(fault.begin.f, "fsync-error-start");
    EXPECT_EQ(fault.end.f, "fsync-error-end");
    EXPECT_EQ(fault.begin.value["nodes"].size(), 1u) << "target=one";
    drawn.insert(fault.begin.value["fsyncs"].get<int64_t>());
  }
  EXPECT_EQ(drawn, (std::set<int64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace jepsen::nemesis
