// The disk family's power fault against a fake system: every target killed
// before any disk drops its writes, what was lost recorded in the event, the
// node left down until the fault ends, and the checks before a run.
#include "nemesis/disk/power_package.h"

#include <gtest/gtest.h>

#include "nemesis/nemesis.h"
#include "nemesis/options.h"
#include "systems/disk/node_disk.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::DiskSystem;
using testing::FakeSystem;
using testing::NodeState;

Op Tagged(const std::string& f, Json value) { return Op{f, "power", std::move(value)}; }

class PowerPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    Plan plan;
    plan.faults = {"power"};
    Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system_, nullptr);
    ASSERT_TRUE(made.ok()) << made.message();
    nemesis_ = std::move(made).value();
  }

  DiskSystem system_{{"n1", "n2", "n3"}};
  std::unique_ptr<Nemesis> nemesis_;
};

TEST_F(PowerPackage, KillsDropsWhatWasNotDurableAndRestartsWhenItEnds) {
  Applied off = nemesis_->Apply(Tagged("power-off", Json::array({"n2"})));
  EXPECT_TRUE(off.error.empty()) << off.error;
  EXPECT_EQ(off.fault, "power");
  EXPECT_EQ(system_.calls, (std::vector<std::string>{"kill n2", "power-loss n2"}));
  EXPECT_EQ(off.value["nodes"], Json::array({"n2"}));
  EXPECT_EQ(off.value["lost"]["n2"],
            Json({{"files", {"refstore.db-wal"}}, {"bytes", 4096}, {"writes", 3}}));
  EXPECT_EQ(system_.state("n2"), NodeState::kDown) << "down until the fault ends";
  EXPECT_FALSE(nemesis_->healed());
  Applied on = nemesis_->Apply(Tagged("power-on", nullptr));
  EXPECT_EQ(on.value, Json::array({"n2"}));
  EXPECT_TRUE(system_.AllRunning());
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(PowerPackage, RecordsTheNamespaceChangesAStrictDiskUndid) {
  system_.undone = {"create d/f", "rename a>b"};
  Applied off = nemesis_->Apply(Tagged("power-off", Json::array({"n1"})));
  EXPECT_TRUE(off.error.empty()) << off.error;
  EXPECT_EQ(off.value["lost"]["n1"]["metadata"], Json::array({"create d/f", "rename a>b"}));
}

TEST_F(PowerPackage, TargetAllTakesTheWholeClusterDownBeforeAnyDiskForgets) {
  Applied off = nemesis_->Apply(Tagged("power-off", Json::array({"n1", "n2", "n3"})));
  EXPECT_TRUE(off.error.empty()) << off.error;
  EXPECT_EQ(system_.calls,
            (std::vector<std::string>{"kill n1", "kill n2", "kill n3", "power-loss n1",
                                      "power-loss n2", "power-loss n3"}));
  EXPECT_EQ(off.value["lost"].size(), 3u);
  Json healed = nemesis_->Heal();
  EXPECT_TRUE(system_.AllRunning());
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(PowerPackage, ADiskThatDoesNotAnswerFailsTheFault) {
  system_.failing = "n1";
  Applied off = nemesis_->Apply(Tagged("power-off", Json::array({"n1"})));
  EXPECT_EQ(off.error, "n1: no reply") << "a power loss not carried out is no fault";
  nemesis_->Heal();
  EXPECT_TRUE(system_.AllRunning()) << "the killed node comes back";
}

TEST(TornPackage, TearsWithTheSeedItDrewAndRecordsWhatWasKept) {
  DiskSystem system({"n1", "n2", "n3"});
  Plan plan;
  plan.faults = {"torn"};
  Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system, nullptr);
  ASSERT_TRUE(made.ok()) << made.message();
  Applied off =
      (*made)->Apply(Op{"torn-power-off", "torn", {{"nodes", Json::array({"n3"})}, {"seed", 42}}});
  EXPECT_TRUE(off.error.empty()) << off.error;
  EXPECT_EQ(off.fault, "torn");
  EXPECT_EQ(system.calls, (std::vector<std::string>{"kill n3", "power-loss torn 42 n3"}));
  EXPECT_EQ(off.value["seed"], 42);
  EXPECT_EQ(off.value["lost"]["n3"]["torn"], Json::array({{{"file", "refstore.db-wal"},
                                                           {"offset", 8192},
                                                           {"length", 4120},
                                                           {"how", "prefix"},
                                                           {"kept", {{8192, 9216}}}}}));
  EXPECT_EQ(system.state("n3"), testing::NodeState::kDown);
  (*made)->Apply(Op{"torn-power-on", "torn", nullptr});
  EXPECT_TRUE(system.AllRunning());
  EXPECT_TRUE((*made)->healed());
}

TEST(TornPackage, EachFaultDrawsASeedOfItsOwn) {
  std::unique_ptr<Package> package = NewTornPackage();
  Plan plan;
  plan.nodes = {"n1", "n2"};
  generator::Rng rng(3);
  const Fault a = package->NextFault("torn", plan, rng), b = package->NextFault("torn", plan, rng);
  EXPECT_EQ(a.begin.f, "torn-power-off");
  EXPECT_EQ(a.end.f, "torn-power-on");
  EXPECT_EQ(a.begin.value["nodes"].size(), 1u);
  EXPECT_NE(a.begin.value["seed"], b.begin.value["seed"]);
  EXPECT_LT(a.begin.value["seed"].get<uint64_t>(), uint64_t{1} << 53) << "exact in any JSON reader";
}

TEST(CorruptPackage, DamagesEachTargetOnceDownWithASeedOfItsOwnAndRestartsWhenItEnds) {
  DiskSystem system({"n1", "n2", "n3"});
  system.replies["corrupt 10 *-wal"] =
      R"({"ok":true,"file":"refstore.db-wal","offset":512,"length":512,"how":"zero","changed":true,"cached":false})";
  Plan plan;
  plan.faults = {"corrupt"};
  Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system, nullptr);
  ASSERT_TRUE(made.ok()) << made.message();
  Applied off =
      (*made)->Apply(Op{"corrupt-off",
                        "corrupt",
                        {{"nodes", Json::array({"n1", "n2"})}, {"seed", 10}, {"files", "*-wal"}}});
  EXPECT_TRUE(off.error.empty()) << off.error;
  EXPECT_EQ(system.calls, (std::vector<std::string>{"kill n1", "kill n2", "corrupt 10 *-wal n1",
                                                    "corrupt 11 *-wal n2"}))
      << "every target down before any is damaged; each its own seed";
  EXPECT_EQ(off.value["corrupted"]["n1"], Json({{"file", "refstore.db-wal"},
                                                {"offset", 512},
                                                {"length", 512},
                                                {"how", "zero"},
                                                {"changed", true},
                                                {"cached", false}}));
  EXPECT_EQ(off.value["files"], "*-wal");
  EXPECT_EQ(system.state("n1"), testing::NodeState::kDown);
  (*made)->Heal();
  EXPECT_TRUE(system.AllRunning());
}

TEST(CorruptPackage, DrawsItsFilesFromTheOption) {
  std::unique_ptr<Package> package = NewCorruptPackage();
  ASSERT_EQ(package->options().size(), 1u);
  EXPECT_EQ(package->options()[0].name, "corrupt-files");
  Plan plan;
  plan.nodes = {"n1"};
  generator::Rng rng(1);
  EXPECT_EQ(package->NextFault("corrupt", plan, rng).begin.value["files"], "*");
  plan.options = options::Values(package->options());
  plan.options.Set("corrupt-files", "*.db");
  const Fault fault = package->NextFault("corrupt", plan, rng);
  EXPECT_EQ(fault.begin.f, "corrupt-off");
  EXPECT_EQ(fault.begin.value["files"], "*.db");
  EXPECT_TRUE(fault.begin.value["seed"].is_number_unsigned());
}

TEST(PowerPackageChecks, DiskOptionsBecomeTheFilesystemsFlags) {
  Plan plan;
  plan.faults = {"disk-full"};  // any disk fault: the options are the filesystem's
  plan.options = options::Values(PackageOptions());
  systems::SetupContext setup;
  ASSERT_TRUE(Configure(plan, setup).ok());
  EXPECT_EQ(setup.disk_flags, std::vector<std::string>{}) << "ordered, fsync in the layer";
  plan.options.Set("disk-metadata", "strict");
  plan.options.Set("disk-fsync", "real");
  ASSERT_TRUE(Configure(plan, setup).ok());
  EXPECT_EQ(setup.disk_flags, (std::vector<std::string>{"--strict-metadata", "--real-fsync"}));
  plan.faults = {"kill"};
  systems::SetupContext no_disks;
  ASSERT_TRUE(Configure(plan, no_disks).ok());
  EXPECT_TRUE(no_disks.disk_flags.empty());
}

TEST(PowerPackageChecks, AskForDisksAndRefuseASystemWithout) {
  Plan plan;
  plan.faults = {"power"};
  plan.system = "fake";
  systems::SetupContext setup;
  ASSERT_TRUE(Configure(plan, setup).ok());
  EXPECT_TRUE(setup.disks) << "power asks for the nodes' data on jepsen-diskfs";

  FakeSystem without({"n1"});
  plan.abilities = without.abilities(setup);
  const Status refused = CheckSupported(plan);
  ASSERT_FALSE(refused.ok());
  const std::string why = systems::WhyNoDisks();
  EXPECT_NE(refused.message().find(why.empty() ? "does not keep its nodes' data on a filesystem "
                                                 "of the run's own"
                                               : why),
            std::string::npos)
      << refused.message();

  DiskSystem with({"n1"});
  plan.abilities = with.abilities(setup);
  const Status supported = CheckSupported(plan);
  EXPECT_EQ(supported.ok(), why.empty()) << supported.message();
}

}  // namespace
}  // namespace jepsen::nemesis
