// The client family (client-pause): freezing and thawing the run's client
// threads, how long a pause lasts, and releasing frozen clients when a phase
// waits for nothing else; a client pause beside a node pause of the same f is
// told apart by its kind.
#include "nemesis/client/client_pause_package.h"

#include <gtest/gtest.h>

#include "generator/rng.h"
#include "nemesis/nemesis.h"
#include "nemesis/options.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

using testing::FakeClients;
using testing::FakeSystem;
using testing::NodeState;

Plan Faults(std::vector<std::string> faults) {
  Plan plan;
  plan.faults = std::move(faults);
  plan.clients = 4;
  return plan;
}

TEST(ClientPausePackage, FreezesAndThawsClientThreads) {
  FakeSystem system({"n1"});
  FakeClients clients(4);
  Result<std::unique_ptr<Nemesis>> made =
      Nemesis::Make(Faults({"client-pause", "pause"}), system, &clients);
  ASSERT_TRUE(made.ok()) << made.message();
  Nemesis& nemesis = **made;
  Applied freeze = nemesis.Apply(Op{"pause", "client-pause", Json::array({"client-2"})});
  EXPECT_EQ(freeze.value, Json::array({"client-2"}));
  EXPECT_EQ(freeze.fault, "client-pause");
  EXPECT_EQ(clients.frozen, (std::set<int>{2}));
  EXPECT_EQ(system.state("n1"), NodeState::kRunning) << "a client pause, not a node pause";
  Applied node = nemesis.Apply(Op{"pause", "pause", Json::array({"n1"})});
  EXPECT_EQ(node.fault, "pause");
  EXPECT_EQ(system.state("n1"), NodeState::kPaused);
  EXPECT_EQ(clients.frozen.size(), 1u);

  Applied thaw = nemesis.Apply(Op{"resume", "client-pause", Json::array({"client-2"})});
  EXPECT_EQ(thaw.value, Json::array({"client-2"}));
  EXPECT_TRUE(clients.frozen.empty());
  EXPECT_EQ(system.state("n1"), NodeState::kPaused) << "the node's pause is its own";

  Applied unknown = nemesis.Apply(Op{"pause", "client-pause", Json::array({"client-4"})});
  EXPECT_NE(unknown.error.find("unknown client \"client-4\""), std::string::npos) << unknown.error;
  Applied junk = nemesis.Apply(Op{"pause", "client-pause", Json::array({"client-1x"})});
  EXPECT_FALSE(junk.error.empty());
  EXPECT_TRUE(clients.frozen.empty());
}

TEST(ClientPausePackage, ReleasingClientsEndsOnlyTheirFaults) {
  FakeSystem system({"n1"});
  FakeClients clients(4);
  Result<std::unique_ptr<Nemesis>> made =
      Nemesis::Make(Faults({"kill", "client-pause"}), system, &clients);
  ASSERT_TRUE(made.ok()) << made.message();
  Nemesis& nemesis = **made;
  nemesis.Apply(Op{"pause", "client-pause", Json::array({"client-0", "client-3"})});
  nemesis.Apply(Op{"kill", "kill", Json::array({"n1"})});
  std::vector<Applied> released = nemesis.ReleaseClients();
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].f, "resume");
  EXPECT_EQ(released[0].fault, "client-pause") << "recorded as the pause's own end";
  EXPECT_EQ(released[0].value, Json::array({"client-0", "client-3"}));
  EXPECT_TRUE(clients.frozen.empty());
  EXPECT_EQ(system.state("n1"), NodeState::kDown) << "the kill is not the clients'";
  EXPECT_FALSE(nemesis.healed());
  EXPECT_EQ(nemesis.Heal(), Json::array({"n1"}));
}

TEST(ClientPausePackage, APauseOutlastsTheLeaseWhenThereIsOne) {
  Result<std::vector<Chosen>> chosen = Choose({"client-pause"});
  ASSERT_TRUE(chosen.ok());
  const Package& package = *(*chosen)[0].package;
  Plan plan = Faults({"client-pause"});
  generator::Rng rng(3);
  plan.run_options = {{"ttl_ms", 1000}};
  Fault fault = package.NextFault("client-pause", plan, rng);
  EXPECT_EQ(fault.lasts, 2'000'000'000) << "1.5 TTL + 0.5 s";
  EXPECT_EQ(fault.begin.f, "pause");
  EXPECT_EQ(fault.end.f, "resume");
  EXPECT_EQ(fault.end.value, fault.begin.value) << "the same client thawed";
  const int thread = std::stoi(fault.begin.value[0].get<std::string>().substr(7));
  EXPECT_GE(thread, 0);
  EXPECT_LT(thread, 4);
  EXPECT_EQ(fault.begin.value[0], ClientName(thread));
  plan.run_options = {{"concurrency", 4}};  // no lease: the interval alone
  EXPECT_EQ(package.NextFault("client-pause", plan, rng).lasts, 0);
  // Its own option, as the run's command line gives it, says how long instead.
  plan.options = options::Values(PackageOptions());
  EXPECT_EQ(package.NextFault("client-pause", plan, rng).lasts, 0) << "default 0: as above";
  plan.options.Set("client-pause-s", 0.25);
  plan.run_options = {{"ttl_ms", 1000}};
  EXPECT_EQ(package.NextFault("client-pause", plan, rng).lasts, 250'000'000);
}

TEST(ClientPausePackage, NeedsTheRunsClients) {
  FakeSystem system({"n1"});
  Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(Faults({"client-pause"}), system, nullptr);
  ASSERT_FALSE(made.ok());
  Plan plan = Faults({"client-pause"});
  plan.clients = 0;
  Status s = CheckSupported(plan);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nemesis=client-pause: the run has no client threads"),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace jepsen::nemesis
