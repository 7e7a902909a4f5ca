#include "generator/combinators.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/generator/sim.h"

namespace jepsen::generator {
namespace {

using sim::kMs;
using sim::kSec;
using std::chrono::milliseconds;
using std::chrono::seconds;

Op Make(std::string f, history::Json value = nullptr) { return Op{std::move(f), nullptr, value}; }

// Counts 0, 1, ..., n-1 as the values of `f` ops, then ends; the count is
// captured state, so every copy counts on its own.
GenPtr Counter(std::string f, int n) {
  return FromFunction([f, n, i = 0](const Context&) mutable -> std::optional<Op> {
    if (i == n) return std::nullopt;
    return Make(f, i++);
  });
}

sim::Result Drive(Generator& gen, sim::Options options = {}) {
  sim::Result r = sim::Run(gen, options);
  EXPECT_EQ(r.error, "");
  EXPECT_TRUE(r.exhausted);
  return r;
}

std::vector<Nanos> InvokeTimes(const sim::Result& r) {
  std::vector<Nanos> out;
  for (const sim::Record& rec : r.invokes()) out.push_back(rec.event.time);
  return out;
}

// --- Leaves and the context --------------------------------------------------

TEST(Context, RoutingNarrowsTheScope) {
  Rng rng(1);
  std::vector<bool> free = {true, false, true};
  Context ctx(0, rng, free, true);
  EXPECT_EQ(ctx.threads(), (std::vector<Thread>{0, 1, 2}));  // the nemesis only when routed
  EXPECT_EQ(ctx.FreeThread(), 0);
  EXPECT_EQ(ctx.WithNemesis().threads(), (std::vector<Thread>{kNemesisThread}));
  EXPECT_EQ(ctx.WithNemesis().FreeThread(), kNemesisThread);
  EXPECT_FALSE(ctx.WithClients().IsFree(kNemesisThread));
  EXPECT_EQ(ctx.WithThread(2).threads(), (std::vector<Thread>{2}));
  EXPECT_EQ(ctx.WithThread(1).FreeThread(), std::nullopt);
  EXPECT_FALSE(ctx.WithThread(1).AnyFree());
  // Contradictory routes leave no thread at all.
  EXPECT_TRUE(ctx.WithNemesis().WithClients().threads().empty());
  EXPECT_TRUE(ctx.WithThread(2).WithNemesis().threads().empty());
  EXPECT_TRUE(ctx.WithThread(0).WithThread(2).threads().empty());
}

TEST(Once, GoesToTheLowestIdleClientThenEnds) {
  Rng rng(1);
  std::vector<bool> free = {false, true, true};
  GenPtr gen = Once(Make("read"));
  Step step = gen->Next(Context(0, rng, free, true));
  ASSERT_TRUE(step.is_invoke());
  EXPECT_EQ(step.thread, 1);
  EXPECT_EQ(step.op, Make("read"));
  EXPECT_FALSE(step.for_nemesis());
  EXPECT_TRUE(gen->Next(Context(0, rng, free, true)).is_exhausted());
}

TEST(Once, WaitsForACompletionWhenEveryThreadIsBusy) {
  Rng rng(1);
  std::vector<bool> busy = {false, false};
  GenPtr gen = Once(Make("read"));
  // The idle nemesis is not a client thread: a bare op never goes there.
  Step step = gen->Next(Context(0, rng, busy, true));
  ASSERT_TRUE(step.is_pending());
  EXPECT_EQ(step.wake, kNever);
}

TEST(Repeat, IsBoundedByLimit) {
  GenPtr gen = Limit(7, Repeat(Make("write", 1)));
  sim::Result r = Drive(*gen);
  EXPECT_EQ(r.invokes().size(), 7u);
  EXPECT_EQ(r.completions().size(), 7u);
  GenPtr none = Limit(0, Repeat(Make("write")));
  EXPECT_TRUE(Drive(*none).invokes().empty());
}

TEST(FromFunction, MakesOpsUntilNulloptAndSeesTheContext) {
  std::vector<Nanos> seen;
  GenPtr gen = FromFunction([&seen](const Context& ctx) -> std::optional<Op> {
    if (seen.size() == 5) return std::nullopt;
    seen.push_back(ctx.now());
    return Make("write", static_cast<int>(ctx.rng().Uniform(100)));
  });
  sim::Result r = Drive(*gen);
  ASSERT_EQ(r.invokes().size(), 5u);
  EXPECT_EQ(InvokeTimes(r), seen);
}

TEST(Sleep, PausesThenEnds) {
  GenPtr gen = Then(Sleep(seconds(2)), Once(Make("read")));
  sim::Result r = Drive(*gen);
  ASSERT_EQ(r.invokes().size(), 1u);
  EXPECT_EQ(r.invokes()[0].event.time, 2 * kSec);
}

// --- Counting and time -------------------------------------------------------

TEST(TimeLimit, StopsAtTheDeadline) {
  GenPtr gen = TimeLimit(seconds(1), Repeat(Make("read")));
  sim::Result r = Drive(*gen);
  std::vector<Nanos> times = InvokeTimes(r);
  ASSERT_GT(times.size(), 100u);  // 3 threads, at most 10 ms an op
  EXPECT_LT(times.back(), kSec);
  EXPECT_GE(times.back(), kSec - 10 * kMs);
  EXPECT_LE(r.end, kSec + 10 * kMs);  // only the ops still running
}

TEST(TimeLimit, WakesAtTheDeadlineWhenItsChildWaitsLonger) {
  Rng rng(1);
  std::vector<bool> free = {true};
  GenPtr gen = TimeLimit(seconds(1), Sleep(seconds(10)));
  Step step = gen->Next(Context(5, rng, free, true));
  ASSERT_TRUE(step.is_pending());
  EXPECT_EQ(step.wake, 5 + kSec);
  EXPECT_TRUE(gen->Next(Context(5 + kSec, rng, free, true)).is_exhausted());
}

TEST(Delay, SpacesOpsExactly) {
  GenPtr gen = Limit(10, Delay(milliseconds(100), Repeat(Make("read"))));
  std::vector<Nanos> times = InvokeTimes(Drive(*gen));
  ASSERT_EQ(times.size(), 10u);
  for (size_t i = 0; i < times.size(); ++i) EXPECT_EQ(times[i], static_cast<Nanos>(i) * 100 * kMs);
}

TEST(Stagger, GapsAreUniformWithTheGivenMean) {
  GenPtr gen = Limit(4000, Stagger(milliseconds(50), Repeat(Make("read"))));
  sim::Options options;
  options.clients = 10;  // threads are (almost) never all busy, so gaps are the drawn ones
  std::vector<Nanos> times = InvokeTimes(Drive(*gen, options));
  ASSERT_EQ(times.size(), 4000u);
  double sum = 0;
  Nanos shortest = kNever, longest = 0;
  int below_half_mean = 0;
  for (size_t i = 1; i < times.size(); ++i) {
    const Nanos gap = times[i] - times[i - 1];
    sum += static_cast<double>(gap);
    shortest = std::min(shortest, gap);
    longest = std::max(longest, gap);
    below_half_mean += gap < 25 * kMs;
  }
  const double mean = sum / static_cast<double>(times.size() - 1);
  // Uniform on [0, 100 ms): mean 50 ms, sd 29 ms, so the mean of 4000 is within ~1.5 ms.
  EXPECT_NEAR(mean, 50.0 * kMs, 2.5 * kMs);
  EXPECT_LT(shortest, 2 * kMs);
  EXPECT_LT(longest, 100 * kMs);
  EXPECT_GT(longest, 95 * kMs);
  EXPECT_NEAR(below_half_mean, 1000, 120);  // a quarter of the gaps
}

TEST(Rate, GivesAboutThatManyOpsASecond) {
  GenPtr gen = TimeLimit(seconds(10), Rate(100, Repeat(Make("read"))));
  sim::Options options;
  options.clients = 10;
  const size_t n = Drive(*gen, options).invokes().size();
  EXPECT_NEAR(static_cast<double>(n), 1000.0, 100.0);
}

// --- Sequencing --------------------------------------------------------------

TEST(Phases, TheNextPhaseWaitsForThePreviousOnesCompletions) {
  GenPtr gen =
      Phases(Limit(5, Repeat(Make("a"))), Limit(5, Repeat(Make("b"))), Limit(2, Repeat(Make("c"))));
  sim::Options options;
  options.min_latency = 1 * kMs;
  options.max_latency = 50 * kMs;
  sim::Result r = Drive(*gen, options);
  EXPECT_EQ(r.fs(),
            (std::vector<std::string>{"a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "c", "c"}));
  // Every event of a phase comes before every event of the next.
  std::string seen;
  for (const sim::Record& rec : r.events) {
    if (seen.empty() || seen.back() != rec.event.f[0]) seen += rec.event.f;
  }
  EXPECT_EQ(seen, "abc");
}

TEST(Phases, NestLikeOneFlatPhases) {
  GenPtr gen = Phases(Phases(Once(Make("a")), Once(Make("b"))), Once(Make("c")));
  sim::Options options;
  options.max_latency = 100 * kMs;
  sim::Result r = Drive(*gen, options);
  ASSERT_EQ(r.events.size(), 6u);
  std::string order;
  for (const sim::Record& rec : r.events) order += rec.event.f;
  EXPECT_EQ(order, "aabbcc");
}

TEST(Then, RunsAFinalPhaseAfterATimeLimitedMainPhase) {
  GenPtr gen = Then(TimeLimit(seconds(1), Repeat(Make("write"))),
                    Then(Nemesis(Once(Make("heal"))), EachThread(Once(Make("read")))));
  sim::Result r = Drive(*gen);
  Nanos last_write_done = 0;
  for (const sim::Record& rec : r.completions()) {
    if (rec.event.f == "write") last_write_done = std::max(last_write_done, rec.event.time);
  }
  std::vector<sim::Record> tail;
  for (const sim::Record& rec : r.invokes()) {
    if (rec.event.f != "write") tail.push_back(rec);
  }
  ASSERT_EQ(tail.size(), 4u);
  EXPECT_EQ(tail[0].event.f, "heal");
  EXPECT_EQ(tail[0].thread, kNemesisThread);
  EXPECT_GE(tail[0].event.time, last_write_done);
  std::set<Thread> readers;
  for (size_t i = 1; i < tail.size(); ++i) {
    EXPECT_EQ(tail[i].event.f, "read");
    readers.insert(tail[i].thread);
  }
  EXPECT_EQ(readers, (std::set<Thread>{0, 1, 2}));
}

TEST(Cycle, RestartsFromAPristineCopy) {
  GenPtr gen = Cycle(3, Counter("w", 3));
  sim::Result r = Drive(*gen);
  std::vector<int> values;
  for (const sim::Record& rec : r.invokes()) values.push_back(rec.event.value.get<int>());
  EXPECT_EQ(values, (std::vector<int>{0, 1, 2, 0, 1, 2, 0, 1, 2}));
  GenPtr forever = Limit(5, Cycle(Once(Make("x"))));
  EXPECT_EQ(Drive(*forever).invokes().size(), 5u);
}

TEST(Cycle, OfNothingEndsInsteadOfSpinning) {
  GenPtr gen = Cycle(Limit(0, Repeat(Make("x"))));
  EXPECT_TRUE(Drive(*gen).invokes().empty());
}

TEST(Cycle, OfPhasesIsANemesisSchedule) {
  GenPtr gen =
      TimeLimit(seconds(10), Nemesis(Cycle(Phases(Sleep(seconds(2)), Once(Make("kill")),
                                                  Sleep(seconds(2)), Once(Make("start"))))));
  sim::Result r = Drive(*gen);
  EXPECT_EQ(r.fs(), (std::vector<std::string>{"kill", "start", "kill", "start"}));
  for (const sim::Record& rec : r.events) EXPECT_EQ(rec.thread, kNemesisThread);
  std::vector<Nanos> times = InvokeTimes(r);
  EXPECT_EQ(times[0], 2 * kSec);
  // Each sleep starts when the previous op completed.
  const std::vector<sim::Record> done = r.completions();
  for (size_t i = 1; i < times.size(); ++i) EXPECT_EQ(times[i], done[i - 1].event.time + 2 * kSec);
}

TEST(FlipFlop, AlternatesAndStopsWithTheFirstExhausted) {
  GenPtr gen = FlipFlop(Repeat(Make("a")), Limit(3, Repeat(Make("b"))));
  EXPECT_EQ(Drive(*gen).fs(), (std::vector<std::string>{"a", "b", "a", "b", "a", "b", "a"}));
}

// --- Choice ------------------------------------------------------------------

TEST(Mix, DrawsEachChildAboutEquallyAndDropsExhaustedOnes) {
  GenPtr gen =
      Limit(3000, Mix(Repeat(Make("a")), Repeat(Make("b")), Limit(100, Repeat(Make("c")))));
  std::map<std::string, int> count;
  for (const std::string& f : Drive(*gen).fs()) ++count[f];
  EXPECT_EQ(count["c"], 100);
  EXPECT_EQ(count["a"] + count["b"], 2900);
  EXPECT_NEAR(count["a"], 1450, 150);
}

TEST(Mix, EndsWhenEveryChildHas) {
  GenPtr gen = Mix(Limit(4, Repeat(Make("a"))), Limit(6, Repeat(Make("b"))));
  EXPECT_EQ(Drive(*gen).invokes().size(), 10u);
}

TEST(Any, TakesTurnsAmongReadyChildren) {
  GenPtr gen = Limit(6, Any(Repeat(Make("a")), Repeat(Make("b"))));
  EXPECT_EQ(Drive(*gen).fs(), (std::vector<std::string>{"a", "b", "a", "b", "a", "b"}));
}

TEST(Any, IsPendingUntilItsSoonestChild) {
  Rng rng(1);
  std::vector<bool> free = {true};
  GenPtr gen = Any(Sleep(seconds(3)), Then(Sleep(seconds(1)), Once(Make("x"))));
  Step step = gen->Next(Context(0, rng, free, true));
  ASSERT_TRUE(step.is_pending());
  EXPECT_EQ(step.wake, kSec);
}

// --- Threads -----------------------------------------------------------------

TEST(EachThread, GivesEveryThreadItsOwnSequence) {
  GenPtr gen = EachThread(Counter("w", 4));
  sim::Result r = Drive(*gen);
  std::map<Thread, std::vector<int>> per_thread;
  for (const sim::Record& rec : r.invokes()) {
    per_thread[rec.thread].push_back(rec.event.value.get<int>());
  }
  ASSERT_EQ(per_thread.size(), 3u);
  for (const auto& [thread, values] : per_thread) {
    EXPECT_EQ(values, (std::vector<int>{0, 1, 2, 3})) << "thread " << thread;
  }
}

TEST(EachThread, UnderNemesisIsTheNemesisThreadAlone) {
  GenPtr gen = Nemesis(EachThread(Once(Make("kill"))));
  sim::Result r = Drive(*gen);
  ASSERT_EQ(r.invokes().size(), 1u);
  EXPECT_EQ(r.invokes()[0].thread, kNemesisThread);
}

TEST(Routing, ClientOpsAndNemesisOpsSideBySide) {
  GenPtr gen =
      TimeLimit(seconds(5), Any(Clients(Stagger(milliseconds(5), Repeat(Make("read")))),
                                Nemesis(Cycle(Phases(Sleep(seconds(1)), Once(Make("partition")),
                                                     Sleep(seconds(1)), Once(Make("heal"))))),
                                Repeat(Make("write"))));  // unrouted: clients too
  sim::Options options;
  options.clients = 4;
  sim::Result r = Drive(*gen, options);
  std::vector<std::string> nemesis_fs;
  int reads = 0, writes = 0;
  for (const sim::Record& rec : r.invokes()) {
    if (rec.event.f == "partition" || rec.event.f == "heal") {
      EXPECT_EQ(rec.thread, kNemesisThread);
      EXPECT_EQ(rec.event.process, history::kNemesis);
      nemesis_fs.push_back(rec.event.f);
    } else {
      EXPECT_GE(rec.thread, 0);
      EXPECT_LT(rec.thread, 4);
      (rec.event.f == "read" ? reads : writes)++;
    }
  }
  EXPECT_EQ(nemesis_fs, (std::vector<std::string>{"partition", "heal", "partition", "heal"}));
  EXPECT_GT(reads, 100);
  EXPECT_GT(writes, 100);
}

TEST(Routing, NemesisOpsWaitForTheNemesisThread) {
  Rng rng(1);
  std::vector<bool> free = {true, true};
  GenPtr gen = Nemesis(Repeat(Make("kill")));
  Step step = gen->Next(Context(0, rng, free, /*nemesis_free=*/false));
  ASSERT_TRUE(step.is_pending());
  step = gen->Next(Context(0, rng, free, true));
  ASSERT_TRUE(step.for_nemesis());
}

// --- Updates and copies ------------------------------------------------------

// Emits `n` ops named f and checks that each completion it is shown is for an
// op it emitted, on that op's thread.
struct Tally {
  int emitted = 0;
  int updates = 0;
  int strays = 0;
};
class Recorder final : public Generator {
 public:
  Recorder(std::string f, int n, std::shared_ptr<Tally> tally)
      : f_(std::move(f)), left_(n), tally_(std::move(tally)) {}
  Step Next(const Context& ctx) override {
    if (left_ == 0) return Step::Exhausted();
    auto thread = ctx.FreeThread();
    if (!thread) return Step::Pending();
    --left_;
    running_.insert(*thread);
    ++tally_->emitted;
    return Step::Invoke(*thread, Make(f_));
  }
  void Update(const Context&, Thread thread, const history::Event& done) override {
    if (running_.erase(thread) == 1 && done.f == f_) {
      ++tally_->updates;
    } else {
      ++tally_->strays;
    }
  }
  GenPtr Clone() const override { return std::make_unique<Recorder>(*this); }

 private:
  std::string f_;
  int left_;
  std::set<Thread> running_;
  std::shared_ptr<Tally> tally_;
};

TEST(Update, ReachesOnlyTheGeneratorThatEmittedTheOp) {
  std::map<std::string, std::shared_ptr<Tally>> tallies;
  auto rec = [&tallies](const std::string& f, int n) -> GenPtr {
    auto& t = tallies[f];
    if (!t) t = std::make_shared<Tally>();
    return std::make_unique<Recorder>(f, n, t);
  };
  GenPtr gen = Phases(Mix(rec("m1", 20), rec("m2", 20)),
                      Any(rec("a1", 20), rec("a2", 20), Nemesis(rec("n", 5))),
                      FlipFlop(rec("f1", 10), rec("f2", 10)), EachThread(Limit(4, rec("e", 100))),
                      Cycle(3, Then(rec("c1", 2), rec("c2", 2))),
                      TimeLimit(seconds(1), Stagger(milliseconds(20), rec("s", 10))),
                      Clients(Delay(milliseconds(1), rec("d", 5))));
  sim::Options options;
  options.max_latency = 30 * kMs;
  Drive(*gen, options);
  for (const auto& [f, t] : tallies) {
    EXPECT_GT(t->emitted, 0) << f;
    EXPECT_EQ(t->updates, t->emitted) << f;
    EXPECT_EQ(t->strays, 0) << f;
  }
}

TEST(Clone, ContinuesExactlyLikeTheOriginal) {
  GenPtr gen = Mix(EachThread(Counter("w", 50)), Stagger(milliseconds(3), Repeat(Make("r"))));
  Rng rng(5);
  std::vector<bool> free(3);
  auto ask = [&free](Generator& g, Rng& r, int i) {
    free = {i % 2 == 0, true, i % 3 == 0};
    return g.Next(Context(i * kMs, r, free, true));
  };
  for (int i = 0; i < 20; ++i) ask(*gen, rng, i);
  GenPtr copy = gen->Clone();
  Rng copy_rng = rng;
  int ops = 0;
  for (int i = 20; i < 80; ++i) {
    Step a = ask(*gen, rng, i);
    Step b = ask(*copy, copy_rng, i);
    ASSERT_EQ(a.kind, b.kind) << i;
    EXPECT_EQ(a.thread, b.thread) << i;
    EXPECT_EQ(a.op, b.op) << i;
    EXPECT_EQ(a.wake, b.wake) << i;
    ops += a.is_invoke();
  }
  EXPECT_GT(ops, 10);
}

}  // namespace
}  // namespace jepsen::generator
