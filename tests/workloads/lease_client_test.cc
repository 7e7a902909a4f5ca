// The leases client keeps its own timer: after an ok acquire or renew invoked
// when its clock read t, it writes with that token only while its clock reads
// before t + ttl·(1 − drift). With a real clock it never writes with a lease
// that has run out; with a slow one it does (the client-clock fault); its
// zombies (stalled holders) still write past their lease on purpose.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "generator/client_clock.h"
#include "generator/combinators.h"
#include "tests/generator/sim.h"
#include "workloads/leases.h"

namespace jepsen::workloads {
namespace {

using generator::ClientClock;
using generator::Nanos;
using generator::sim::kMs;
using generator::sim::kSec;

constexpr int64_t kTtlMs = 400;
constexpr double kDrift = 0.01;
constexpr Nanos kValidFor = static_cast<Nanos>(kTtlMs * 1e6 * (1 - kDrift));

// Runs three lease clients on one resource for 20 s of simulated time against a
// store that grants every acquire (a new token each) and acknowledges every op
// after 50-150 ms: slow enough that leases outlive their ttl.
generator::sim::Result Simulate(double zombies, std::vector<ClientClock> clocks) {
  generator::GenPtr gen =
      generator::TimeLimit(std::chrono::seconds(20),
                           generator::EachThread(LeaseClient({1, kTtlMs, kDrift, zombies, 0})));
  int64_t token = 0;
  generator::sim::Options options;
  options.clocks = std::move(clocks);
  options.system = [&token](generator::Thread, const generator::Op& op, Nanos,
                            generator::Rng& rng) {
    generator::sim::Outcome out{history::EventType::kOk, nullptr, rng.Between(50 * kMs, 150 * kMs)};
    if (op.f == "acquire") out.value = {{"token", ++token}};
    return out;
  };
  generator::sim::Result r = generator::sim::Run(*gen, options);
  EXPECT_EQ(r.error, "");
  return r;
}

struct Writes {
  int total = 0;
  int past_real = 0;   // invoked once the lease had run out by real time
  int past_clock = 0;  // invoked once the lease had run out by the thread's own clock
};

// Per thread: its writes, and how many came after its lease (from the last ok
// acquire or renew of the token it wrote with) ran out.
std::map<int, Writes> WritesPastTheirLease(const generator::sim::Result& r,
                                           const std::vector<ClientClock>& clocks) {
  auto read = [&](int thread, Nanos t) {
    return thread < static_cast<int>(clocks.size()) ? clocks[thread].Read(t) : t;
  };
  std::map<int, Nanos> asked_real, asked_clock, end_real, end_clock;
  std::map<int, Writes> writes;
  for (const generator::sim::Record& rec : r.events) {
    const history::Event& e = rec.event;
    const int t = rec.thread;
    if (!e.is_completion()) {
      asked_real[t] = e.time;
      asked_clock[t] = read(t, e.time);
      if (e.f == "write") {
        Writes& w = writes[t];
        ++w.total;
        w.past_real += e.time >= end_real[t];
        w.past_clock += read(t, e.time) >= end_clock[t];
      }
    } else if (e.type == history::EventType::kOk && (e.f == "acquire" || e.f == "renew")) {
      end_real[t] = asked_real[t] + kValidFor;
      end_clock[t] = asked_clock[t] + kValidFor;
    }
  }
  return writes;
}

TEST(LeaseClient, WithARealClockItNeverWritesWithALeaseThatRanOut) {
  generator::sim::Result r = Simulate(0, {});
  const std::map<int, Writes> writes = WritesPastTheirLease(r, {});
  ASSERT_EQ(writes.size(), 3u);
  int renews = 0;
  for (const generator::sim::Record& rec : r.invokes()) renews += rec.event.f == "renew";
  for (const auto& [thread, w] : writes) {
    EXPECT_GT(w.total, 10) << thread;
    EXPECT_EQ(w.past_real, 0) << "thread " << thread;
  }
  EXPECT_GT(renews, 0);
}

TEST(LeaseClient, WithASlowClockItWritesPastItsLease) {
  const std::vector<ClientClock> clocks = {ClientClock().Changed(0, 0, 0.25), ClientClock(),
                                           ClientClock()};
  const std::map<int, Writes> writes = WritesPastTheirLease(Simulate(0, clocks), clocks);
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_GT(writes.at(0).past_real, 0) << "thread 0's slow clock keeps its lease too long";
  EXPECT_EQ(writes.at(0).past_clock, 0) << "but never past it by its own clock";
  EXPECT_EQ(writes.at(1).past_real, 0);
  EXPECT_EQ(writes.at(2).past_real, 0);
}

TEST(LeaseClient, ItsZombiesStillWritePastTheirLease) {
  const std::map<int, Writes> writes = WritesPastTheirLease(Simulate(1, {}), {});
  int past = 0;
  for (const auto& [thread, w] : writes) past += w.past_real;
  EXPECT_GT(past, 0) << "a stalled holder carries on: the store's fencing must refuse it";
}

}  // namespace
}  // namespace jepsen::workloads
