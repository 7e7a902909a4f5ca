// The clock family's clock fault against a fake system: the targets' clocks
// stepped or sped up and each setting recorded in the event, reset when it
// ends and at the final heal, a node whose clock cannot be set failing the
// fault (the others reset), faults drawn from the options, and the checks
// before a run (a system without clocks refused with its reason).
#include <gtest/gtest.h>

#include <cstdlib>

#include "generator/rng.h"
#include "nemesis/nemesis.h"
#include "nemesis/packages.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::ClockSystem;
using testing::FakeSystem;

Op Tagged(const std::string& f, Json value) { return Op{f, "clock", std::move(value)}; }

class ClockPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    Plan plan;
    plan.faults = {"clock"};
    Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system_, nullptr);
    ASSERT_TRUE(made.ok()) << made.message();
    nemesis_ = std::move(made).value();
  }

  ClockSystem system_{{"n1", "n2", "n3"}};
  std::unique_ptr<Nemesis> nemesis_;
};

TEST_F(ClockPackage, SkewsTheTargetsClocksRecordsEachAndResetsThemWhenItEnds) {
  Applied skew = nemesis_->Apply(
      Tagged("clock-skew", {{"nodes", {"n1", "n3"}}, {"step_s", 0.5}, {"rate", 4}}));
  EXPECT_TRUE(skew.error.empty()) << skew.error;
  EXPECT_EQ(skew.value, Json({{"nodes", {"n1", "n3"}},
                              {"step_s", 0.5},
                              {"rate", 4},
                              {"clocks",
                               {{"n1", {{"offset_s", 0.5}, {"rate", 4.0}}},
                                {"n3", {{"offset_s", 0.5}, {"rate", 4.0}}}}}}));
  EXPECT_EQ(system_.calls, (std::vector<std::string>{"skew n1 0.5 4.0", "skew n3 0.5 4.0"}));
  EXPECT_EQ(system_.clocks.size(), 2u);
  EXPECT_FALSE(nemesis_->healed());
  Applied reset = nemesis_->Apply(Tagged("clock-reset", nullptr));
  EXPECT_TRUE(reset.error.empty()) << reset.error;
  EXPECT_EQ(reset.value["nodes"], Json({"n1", "n3"}));
  EXPECT_EQ(reset.value["clocks"]["n1"], Json({{"offset_s", 0.0}, {"rate", 1.0}}));
  EXPECT_EQ(reset.value["before"]["n3"], Json({{"offset_s", 0.5}, {"rate", 4.0}}));
  EXPECT_TRUE(system_.clocks.empty()) << "every clock is real time again";
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(ClockPackage, TheFinalHealResetsEverySkewedClock) {
  nemesis_->Apply(Tagged("clock-skew", {{"nodes", {"n2"}}, {"step_s", -3}, {"rate", 1}}));
  EXPECT_EQ(system_.clocks.at("n2").offset_s, -3);
  Json healed = nemesis_->Heal();  // the final heal's value: what each package healed
  ASSERT_EQ(healed.size(), 1u);
  EXPECT_EQ(healed[0]["before"]["n2"], Json({{"offset_s", -3.0}, {"rate", 1.0}}));
  EXPECT_EQ(healed[0]["clocks"]["n2"], Json({{"offset_s", 0.0}, {"rate", 1.0}}));
  EXPECT_EQ(system_.calls, (std::vector<std::string>{"skew n2 -3.0 1.0", "reset n2"}));
  EXPECT_TRUE(system_.clocks.empty());
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(ClockPackage, AClockThatCannotBeSetFailsTheFaultAndTheOthersAreReset) {
  system_.failing = "n2";
  Applied skew =
      nemesis_->Apply(Tagged("clock-skew", {{"nodes", {"n1", "n2"}}, {"step_s", 0}, {"rate", 2}}));
  EXPECT_EQ(skew.error, "n2: no clock") << "a clock left as it was is no fault";
  EXPECT_EQ(system_.calls,
            (std::vector<std::string>{"skew n1 0.0 2.0", "skew n2 0.0 2.0", "reset n1"}));
  EXPECT_TRUE(system_.clocks.empty());
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(ClockPackage, ARateMustBePositive) {
  Applied skew = nemesis_->Apply(Tagged("clock-skew", {{"nodes", {"n1"}}, {"rate", 0}}));
  EXPECT_FALSE(skew.error.empty());
  EXPECT_TRUE(system_.calls.empty());
}

Plan ClockPlan(options::Values values) {
  Plan plan;
  plan.faults = {"clock"};
  plan.system = "fake";
  plan.nodes = {"n1", "n2", "n3"};
  plan.options = std::move(values);
  return plan;
}

const Package& TheClockPackage() {
  static const std::vector<std::unique_ptr<Package>> packages = NewPackages();
  for (const auto& p : packages) {
    if (p->kinds().front().name == "clock") return *p;
  }
  std::abort();
}

options::Values Declared() { return options::Values(TheClockPackage().options()); }

TEST(ClockPackageFaults, UseTheOptionsGivenOrDrawStepsAndRates) {
  options::Values given = Declared();
  given.Set("clock-rate", 4.0);
  generator::Rng rng(7);
  Fault fault = TheClockPackage().NextFault("clock", ClockPlan(given), rng);
  EXPECT_EQ(fault.begin.f, "clock-skew");
  EXPECT_EQ(fault.end.f, "clock-reset");
  EXPECT_EQ(fault.begin.value["rate"], 4.0);
  EXPECT_EQ(fault.begin.value["step_s"], 0.0);
  EXPECT_EQ(fault.begin.value["nodes"].size(), 1u);  // target=one
  bool stepped = false, sped = false;
  for (int i = 0; i < 50; ++i) {
    Fault drawn = TheClockPackage().NextFault("clock", ClockPlan(Declared()), rng);
    const double step = drawn.begin.value["step_s"], rate = drawn.begin.value["rate"];
    EXPECT_TRUE((step != 0 && rate == 1) || (step == 0 && rate != 1)) << drawn.begin.value;
    stepped = stepped || step != 0;
    sped = sped || rate != 1;
  }
  EXPECT_TRUE(stepped && sped) << "both kinds are drawn";
}

TEST(ClockPackageChecks, AskForClocksAndRefuseASystemWithoutSayingWhy) {
  Plan plan = ClockPlan(Declared());
  systems::SetupContext setup;
  ASSERT_TRUE(Configure(plan, setup).ok());
  EXPECT_TRUE(setup.clocks);
  ClockSystem with({"n1"});
  plan.abilities = with.abilities(setup);
  EXPECT_TRUE(CheckSupported(plan).ok()) << CheckSupported(plan).message();
  FakeSystem without({"n1"});
  plan.abilities = without.abilities(setup);
  Status refused = CheckSupported(plan);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("system fake cannot fake its nodes' clocks"), std::string::npos)
      << refused.message();
  plan.abilities.why_not["clocks"] = "runs Go, which reads the vDSO";
  refused = CheckSupported(plan);
  EXPECT_NE(refused.message().find("nemesis=clock: system fake runs Go, which reads the vDSO"),
            std::string::npos)
      << refused.message();
}

// Without libfaketime no clock can be faked: refused before the run, naming what is missing.
TEST(ClockPackageChecks, WithoutLibfaketimeTheRunIsRefused) {
  Plan plan = ClockPlan(Declared());
  systems::SetupContext setup;
  setup.clocks = true;
  plan.abilities = ClockSystem({"n1"}).abilities(setup);
  ::setenv("JEPSEN_LIBFAKETIME", "/nonexistent/libfaketime.so.1", 1);
  Status refused = CheckSupported(plan);
  // Nodes on hosts need it there (their keepers say so at setup), not here.
  plan.abilities.on_hosts = true;
  const Status on_hosts = CheckSupported(plan);
  ::unsetenv("JEPSEN_LIBFAKETIME");
  EXPECT_TRUE(on_hosts.ok()) << on_hosts.message();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("cannot fake its nodes' clocks here: "
                                   "JEPSEN_LIBFAKETIME=/nonexistent/libfaketime.so.1"),
            std::string::npos)
      << refused.message();
}

TEST(ClockPackageChecks, AFaultThatChangesNothingIsRefused) {
  options::Values given = Declared();
  given.Set("clock-step", 0.0);
  Plan plan = ClockPlan(given);
  systems::SetupContext setup;
  setup.clocks = true;
  plan.abilities = ClockSystem({"n1"}).abilities(setup);
  Status refused = CheckSupported(plan);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("leaves every clock as it is"), std::string::npos)
      << refused.message();
}

}  // namespace
}  // namespace jepsen::nemesis
