// The same seed gives the same ops; another seed gives others. This is what
// lets a failing run replay from its seed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "generator/combinators.h"
#include "tests/generator/sim.h"

namespace jepsen::generator {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A register test in the shape a workload would build: random reads, writes
// and cas ops over a few keys at a staggered rate, a nemesis schedule beside
// them, then a final read per thread.
GenPtr RegisterTest() {
  auto op = [](const Context& ctx) -> std::optional<Op> {
    Rng& rng = ctx.rng();
    history::Json key = static_cast<int>(rng.Uniform(3));
    switch (rng.Uniform(3)) {
      case 0:
        return Op{"read", key, nullptr};
      case 1:
        return Op{"write", key, static_cast<int>(rng.Uniform(5))};
      default:
        return Op{"cas", key, history::Json::array({rng.Uniform(5), rng.Uniform(5)})};
    }
  };
  GenPtr faults = Cycle(
      Phases(Sleep(milliseconds(300)), Once(Op{"kill", nullptr, history::Json::array({"n1"})}),
             Sleep(milliseconds(200)), Once(Op{"start", nullptr, history::Json::array({"n1"})})));
  return Then(TimeLimit(seconds(3), Any(Clients(Stagger(milliseconds(4), FromFunction(op))),
                                        Nemesis(std::move(faults)))),
              EachThread(Once(Op{"read", 0, nullptr})));
}

std::vector<std::string> Trace(uint64_t seed) {
  GenPtr gen = RegisterTest();
  sim::Options options;
  options.clients = 5;
  options.seed = seed;
  sim::Result r = sim::Run(*gen, options);
  EXPECT_EQ(r.error, "");
  EXPECT_TRUE(r.exhausted);
  std::vector<std::string> lines;
  for (const sim::Record& rec : r.events) {
    lines.push_back(std::to_string(rec.thread) + " " + history::ToJson(rec.event).dump());
  }
  return lines;
}

TEST(Determinism, SameSeedSameOps) {
  std::vector<std::string> a = Trace(42);
  std::vector<std::string> b = Trace(42);
  ASSERT_GT(a.size(), 500u);
  EXPECT_EQ(a, b);
}

TEST(Determinism, OtherSeedOtherOps) {
  std::vector<std::string> a = Trace(42);
  std::vector<std::string> c = Trace(43);
  EXPECT_NE(a, c);
  // Not just shifted: the first ops differ already.
  std::vector<std::string> head_a(a.begin(), a.begin() + 20);
  std::vector<std::string> head_c(c.begin(), c.begin() + 20);
  EXPECT_NE(head_a, head_c);
}

TEST(Determinism, APristineCloneReplaysTheRun) {
  GenPtr gen = RegisterTest();
  GenPtr copy = gen->Clone();
  sim::Options options;
  options.seed = 9;
  sim::Result a = sim::Run(*gen, options);
  sim::Result b = sim::Run(*copy, options);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(history::ToJson(a.events[i].event), history::ToJson(b.events[i].event));
  }
}

}  // namespace
}  // namespace jepsen::generator
