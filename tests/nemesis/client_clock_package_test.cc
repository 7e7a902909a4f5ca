// The client family's client-clock fault against the fake client threads: a
// thread's clock skewed and its setting recorded in the event, reset when the
// fault ends and at the final heal, a thread whose clock cannot be set failing
// the fault (the others reset), faults drawn from the options, and the checks
// before a run (workloads whose clients keep no time refused, and left out of
// nemesis=all).
#include <gtest/gtest.h>

#include <cstdlib>

#include "generator/rng.h"
#include "nemesis/nemesis.h"
#include "nemesis/packages.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::FakeClients;
using testing::FakeSystem;

Op Tagged(const std::string& f, Json value) { return Op{f, "client-clock", std::move(value)}; }

class ClientClockPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    Plan plan;
    plan.faults = {"client-clock"};
    plan.clients = 4;
    plan.clients_keep_time = true;
    Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system_, &clients_);
    ASSERT_TRUE(made.ok()) << made.message();
    nemesis_ = std::move(made).value();
  }

  FakeSystem system_{{"n1"}};
  FakeClients clients_{4};
  std::unique_ptr<Nemesis> nemesis_;
};

TEST_F(ClientClockPackage, SkewsTheClientsClockRecordsItAndResetsItWhenItEnds) {
  Applied skew = nemesis_->Apply(
      Tagged("client-clock-skew", {{"clients", {"client-3"}}, {"step_s", 0}, {"rate", 0.25}}));
  EXPECT_TRUE(skew.error.empty()) << skew.error;
  EXPECT_EQ(skew.fault, "client-clock");
  EXPECT_EQ(skew.value, Json({{"clients", {"client-3"}},
                              {"step_s", 0},
                              {"rate", 0.25},
                              {"clocks", {{"client-3", {{"offset_s", 0.0}, {"rate", 0.25}}}}}}));
  EXPECT_EQ(clients_.calls, (std::vector<std::string>{"skew 3 0.0 0.25"}));
  EXPECT_EQ(clients_.clocks.size(), 1u);
  EXPECT_TRUE(system_.calls.empty()) << "no node is touched";
  EXPECT_FALSE(nemesis_->healed());
  Applied reset = nemesis_->Apply(Tagged("client-clock-reset", Json::array({"client-3"})));
  EXPECT_TRUE(reset.error.empty()) << reset.error;
  EXPECT_EQ(reset.value["clients"], Json({"client-3"}));
  EXPECT_EQ(reset.value["clocks"]["client-3"], Json({{"offset_s", 0.0}, {"rate", 1.0}}));
  EXPECT_EQ(reset.value["before"]["client-3"], Json({{"offset_s", 0.0}, {"rate", 0.25}}));
  EXPECT_TRUE(clients_.clocks.empty()) << "the thread's clock is real time again";
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(ClientClockPackage, TheFinalHealResetsEverySkewedClock) {
  nemesis_->Apply(Tagged("client-clock-skew", {{"clients", {"client-1"}}, {"step_s", -5}}));
  nemesis_->Apply(Tagged("client-clock-skew", {{"clients", {"client-2"}}, {"rate", 0.5}}));
  EXPECT_EQ(clients_.clocks.at(1).offset_s, -5);
  Json healed = nemesis_->Heal();  // the final heal's value: what each package healed
  ASSERT_EQ(healed.size(), 1u);
  EXPECT_EQ(healed[0]["clients"], Json({"client-1", "client-2"}));
  EXPECT_EQ(healed[0]["before"]["client-1"], Json({{"offset_s", -5.0}, {"rate", 1.0}}));
  EXPECT_EQ(healed[0]["before"]["client-2"], Json({{"offset_s", 0.0}, {"rate", 0.5}}));
  EXPECT_TRUE(clients_.clocks.empty());
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(ClientClockPackage, AClockThatCannotBeSetFailsTheFaultAndTheOthersAreReset) {
  clients_.failing = 2;
  Applied skew = nemesis_->Apply(
      Tagged("client-clock-skew", {{"clients", {"client-0", "client-2"}}, {"rate", 0.25}}));
  EXPECT_EQ(skew.error, "client-2: no clock") << "a clock left as it was is no fault";
  EXPECT_EQ(clients_.calls,
            (std::vector<std::string>{"skew 0 0.0 0.25", "skew 2 0.0 0.25", "reset 0"}));
  EXPECT_TRUE(clients_.clocks.empty());
  EXPECT_TRUE(nemesis_->healed());
}

TEST_F(ClientClockPackage, UnknownClientsAndBadRatesAreRefused) {
  Applied unknown =
      nemesis_->Apply(Tagged("client-clock-skew", {{"clients", {"client-4"}}, {"rate", 0.5}}));
  EXPECT_NE(unknown.error.find("unknown client \"client-4\""), std::string::npos) << unknown.error;
  Applied rate =
      nemesis_->Apply(Tagged("client-clock-skew", {{"clients", {"client-1"}}, {"rate", 0}}));
  EXPECT_FALSE(rate.error.empty());
  EXPECT_TRUE(clients_.calls.empty());
}

const Package& ThePackage() {
  static const std::vector<std::unique_ptr<Package>> packages = NewPackages();
  for (const auto& p : packages) {
    if (p->kinds().front().name == "client-clock") return *p;
  }
  std::abort();
}

options::Values Declared() { return options::Values(ThePackage().options()); }

Plan LeasesPlan(options::Values values) {
  Plan plan;
  plan.faults = {"client-clock"};
  plan.system = "fake";
  plan.nodes = {"n1"};
  plan.clients = 5;
  plan.clients_keep_time = true;
  plan.options = std::move(values);
  return plan;
}

TEST(ClientClockPackageFaults, UseTheOptionsGivenOrDrawSlowRatesAndStepsBack) {
  options::Values given = Declared();
  given.Set("client-clock-rate", 0.25);
  generator::Rng rng(7);
  Fault fault = ThePackage().NextFault("client-clock", LeasesPlan(given), rng);
  EXPECT_EQ(fault.begin.f, "client-clock-skew");
  EXPECT_EQ(fault.end.f, "client-clock-reset");
  EXPECT_EQ(fault.begin.value["rate"], 0.25);
  EXPECT_EQ(fault.begin.value["step_s"], 0.0);
  ASSERT_EQ(fault.begin.value["clients"].size(), 1u);
  EXPECT_EQ(fault.end.value, fault.begin.value["clients"]) << "it ends on the client it skewed";
  bool stepped = false, slowed = false;
  for (int i = 0; i < 50; ++i) {
    Fault drawn = ThePackage().NextFault("client-clock", LeasesPlan(Declared()), rng);
    const double step = drawn.begin.value["step_s"], rate = drawn.begin.value["rate"];
    EXPECT_TRUE((step < 0 && rate == 1) || (step == 0 && rate < 1)) << drawn.begin.value;
    stepped = stepped || step != 0;
    slowed = slowed || rate != 1;
  }
  EXPECT_TRUE(stepped && slowed) << "both kinds are drawn";
}

TEST(ClientClockPackageChecks, OnlyWorkloadsWhoseClientsKeepTimeAreSkewed) {
  Plan plan = LeasesPlan(Declared());
  EXPECT_TRUE(CheckSupported(plan).ok()) << CheckSupported(plan).message();
  plan.clients_keep_time = false;
  Status refused = CheckSupported(plan);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("nemesis=client-clock: the workload's clients keep no time of "
                                   "their own (workload=leases' do)"),
            std::string::npos)
      << refused.message();
  plan.faults = {"all"};
  const std::vector<std::string> all = ExpandAll(plan);
  EXPECT_EQ(std::count(all.begin(), all.end(), "client-clock"), 0) << "all leaves it out";
  plan.clients_keep_time = true;
  const std::vector<std::string> leases = ExpandAll(plan);
  EXPECT_EQ(std::count(leases.begin(), leases.end(), "client-clock"), 1);
}

TEST(ClientClockPackageChecks, AFaultThatChangesNothingIsRefused) {
  options::Values given = Declared();
  given.Set("client-clock-step", 0.0);
  Status refused = CheckSupported(LeasesPlan(given));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("leaves every clock as it is"), std::string::npos)
      << refused.message();
}

}  // namespace
}  // namespace jepsen::nemesis
