// A leases-style client in the shape the leases workload will take: one copy
// per thread (EachThread) that acquires, writes under the token its acquire
// returned, renews, releases -- and now and then stops renewing and writes
// after its lease should have ended, which a fenced resource must refuse once
// someone else holds the lease. Driven by the fake runner against a fake lease
// service, its history must pair up and use only tokens it was granted.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "generator/combinators.h"
#include "history/history.h"
#include "tests/generator/sim.h"

namespace jepsen::generator {
namespace {

using history::EventType;
using history::Json;
using sim::kMs;
using sim::kSec;

constexpr int64_t kTtlMs = 100;
constexpr Nanos kTtl = kTtlMs * kMs;

class LeaseClient final : public Generator {
 public:
  explicit LeaseClient(std::string resource) : resource_(std::move(resource)) {}

  Step Next(const Context& ctx) override {
    const std::optional<Thread> thread = ctx.FreeThread();
    if (!thread) return Step::Pending();
    const Nanos now = ctx.now();
    switch (state_) {
      case State::kAcquire:
        if (now < not_before_) return Step::Pending(not_before_);
        asked_at_ = now;
        return Emit(*thread, "acquire", {{"ttl_ms", kTtlMs}});
      case State::kWrite:
        --writes_left_;
        return Emit(*thread, "write", {{"token", token_}, {"value", next_value_++}});
      case State::kRenew:
        asked_at_ = now;
        return Emit(*thread, "renew", {{"token", token_}, {"ttl_ms", kTtlMs}});
      case State::kRelease:
        return Emit(*thread, "release", {{"token", token_}});
      case State::kLateWrite:
        // Past the lease's end by the clock, not by anything the service said.
        if (now < late_at_) return Step::Pending(late_at_);
        --writes_left_;
        return Emit(*thread, "write", {{"token", token_}, {"value", next_value_++}});
    }
    return Step::Exhausted();
  }

  void Update(const Context& ctx, Thread, const history::Event& done) override {
    const bool ok = done.type == EventType::kOk;
    Rng& rng = ctx.rng();
    switch (state_) {
      case State::kAcquire:
        if (ok) {
          token_ = done.value.at("token").get<int64_t>();
          lease_end_ = asked_at_ + kTtl;  // counted from the invocation: the safe side
          renews_left_ = 1;
          StartWrites(rng);
        } else {
          not_before_ = ctx.now() + rng.Between(5 * kMs, 30 * kMs);  // back off
        }
        return;
      case State::kWrite:
        if (writes_left_ > 0) return;
        if (renews_left_ > 0) {
          state_ = State::kRenew;
        } else {
          state_ = rng.Chance(0.3) ? State::kLateWrite : State::kRelease;
          // A stalled client: it wakes after its lease ended and writes a few more times.
          writes_left_ = static_cast<int>(rng.Between(1, 3));
          late_at_ = lease_end_ + rng.Between(1, 10 * kMs);
        }
        return;
      case State::kRenew:
        if (ok) {
          lease_end_ = asked_at_ + kTtl;
          --renews_left_;
          StartWrites(rng);
        } else {
          state_ = State::kAcquire;  // the lease is lost
        }
        return;
      case State::kLateWrite:
        if (writes_left_ > 0) {
          late_at_ = ctx.now() + rng.Between(5 * kMs, 20 * kMs);
          return;
        }
        [[fallthrough]];
      case State::kRelease:
        state_ = State::kAcquire;
        not_before_ = ctx.now() + rng.Between(1 * kMs, 20 * kMs);
        return;
    }
  }

  GenPtr Clone() const override { return std::make_unique<LeaseClient>(*this); }

 private:
  enum class State { kAcquire, kWrite, kRenew, kRelease, kLateWrite };

  Step Emit(Thread thread, const char* f, Json value) {
    return Step::Invoke(thread, Op{f, resource_, std::move(value)});
  }
  void StartWrites(Rng& rng) {
    state_ = State::kWrite;
    writes_left_ = static_cast<int>(rng.Between(1, 3));
  }

  std::string resource_;
  State state_ = State::kAcquire;
  int64_t token_ = 0;
  Nanos asked_at_ = 0;  // invocation of the last acquire or renew
  Nanos lease_end_ = 0;
  Nanos not_before_ = 0;
  Nanos late_at_ = 0;
  int writes_left_ = 0;
  int renews_left_ = 0;
  int64_t next_value_ = 0;
};

// A lease service with a fenced resource, deciding at invocation time.
struct FakeLeases {
  int64_t holder = 0;  // token of the current holder, 0 for none
  Nanos expires = 0;
  int64_t last_token = 0;
  int64_t highest_write = 0;

  sim::Outcome operator()(Thread, const Op& op, Nanos now, Rng& rng) {
    sim::Outcome out;
    out.latency = rng.Between(1 * kMs, 10 * kMs);
    const int64_t token = op.value.value("token", int64_t{0});
    const bool held = holder != 0 && now < expires;
    auto refuse = [&out](const char* why) {
      out.type = EventType::kFail;
      out.error = why;
    };
    if (op.f == "acquire") {
      if (held) {
        refuse("held");
      } else {
        holder = ++last_token;
        expires = now + op.value.at("ttl_ms").get<int64_t>() * kMs;
        out.value = {{"token", holder}};
      }
    } else if (op.f == "renew") {
      if (held && token == holder) {
        expires = now + op.value.at("ttl_ms").get<int64_t>() * kMs;
      } else {
        refuse("not the holder");
      }
    } else if (op.f == "release") {
      if (token == holder) holder = 0;
    } else if (op.f == "write") {
      if (token >= highest_write) {
        highest_write = token;
      } else {
        refuse("stale token");
      }
    }
    if (out.type != EventType::kFail && out.value.is_null()) out.value = op.value;
    return out;
  }
};

sim::Result RunLeases(uint64_t seed) {
  GenPtr gen =
      TimeLimit(std::chrono::seconds(5), EachThread(std::make_unique<LeaseClient>("lock-a")));
  FakeLeases service;
  sim::Options options;
  options.clients = 3;
  options.seed = seed;
  options.system = [&service](Thread t, const Op& op, Nanos now, Rng& rng) {
    return service(t, op, now, rng);
  };
  sim::Result r = sim::Run(*gen, options);
  EXPECT_EQ(r.error, "");
  EXPECT_TRUE(r.exhausted);
  return r;
}

TEST(Leases, EachThreadAcquiresWritesRenewsAndReleasesWithItsOwnToken) {
  sim::Result r = RunLeases(7);

  // Per thread, pair invokes with completions and follow the token.
  struct Pair {
    history::Event invoke;
    history::Event done;
  };
  std::map<Thread, std::vector<Pair>> ops;
  std::map<Thread, history::Event> open;
  for (const sim::Record& rec : r.events) {
    if (!rec.event.is_completion()) {
      open[rec.thread] = rec.event;
    } else {
      ops[rec.thread].push_back({open.at(rec.thread), rec.event});
    }
  }
  ASSERT_EQ(ops.size(), 3u);

  std::map<std::string, int> count;  // "f type", e.g. "renew ok"
  int late_writes = 0, late_writes_refused = 0, full_terms = 0;
  std::map<Nanos, int64_t> granted;  // acquire invocation time -> token
  for (const auto& [thread, pairs] : ops) {
    std::optional<int64_t> token;
    Nanos lease_end = 0;
    std::string term;  // this term's ops, e.g. "AWWRWL"
    for (const Pair& p : pairs) {
      const std::string& f = p.invoke.f;
      const bool ok = p.done.type == EventType::kOk;
      count[f + " " + std::string(history::ToString(p.done.type))]++;
      EXPECT_EQ(p.invoke.key, "lock-a");
      if (f == "acquire") {
        // A term ends with a release (L), late writes (Z) or a lost renew (X).
        if (term.size() > 1) {
          EXPECT_NE(std::string("LZX").find(term.back()), std::string::npos) << term;
        }
        term = "A";
        token.reset();
        if (ok) {
          token = p.done.value.at("token").get<int64_t>();
          granted[p.invoke.time] = *token;
          lease_end = p.invoke.time + kTtl;
        }
        continue;
      }
      // Every other op runs under the token this thread's last acquire got.
      ASSERT_TRUE(token.has_value()) << "thread " << thread << " " << f << " without a lease";
      EXPECT_EQ(p.invoke.value.at("token").get<int64_t>(), *token);
      if (f == "write") {
        const bool late = p.invoke.time > lease_end;
        term += late ? 'Z' : 'W';
        if (late) {
          ++late_writes;
          late_writes_refused += !ok;
        }
      } else if (f == "renew") {
        EXPECT_EQ(term.back(), 'W');  // renew only after writing
        term += ok ? 'R' : 'X';
        if (ok) lease_end = p.invoke.time + kTtl;
      } else if (f == "release") {
        EXPECT_EQ(term.back(), 'W');
        term += 'L';
        full_terms += term.find('R') != std::string::npos;
      }
    }
  }
  // Tokens are unique and grow in the order the service granted them.
  int64_t last_token = 0;
  for (const auto& [time, token] : granted) {
    EXPECT_GT(token, last_token) << "acquire at " << time;
    last_token = token;
  }
  EXPECT_GT(count["acquire ok"], 10);
  EXPECT_GT(count["acquire fail"], 10);  // three threads contend for one lock
  EXPECT_GT(count["renew ok"], 10);
  EXPECT_GT(count["release ok"], 10);
  EXPECT_GT(full_terms, 10);  // acquire -> write -> renew -> write -> release
  EXPECT_GT(late_writes, 3);
  EXPECT_GT(late_writes_refused, 0);  // the fenced resource refused a stale token

  // What the runner would write pairs up under the history format's rules.
  history::HistoryBuilder builder("sim");
  int64_t index = 0;
  for (const sim::Record& rec : r.events) {
    history::Event e = rec.event;
    e.index = index++;
    ASSERT_TRUE(builder.Add(std::move(e), true, true).ok());
  }
  history::History h = std::move(builder).Finish();
  EXPECT_EQ(h.ops.size(), r.invokes().size());
}

TEST(Leases, TheSameSeedReplaysTheSameRun) {
  sim::Result a = RunLeases(11);
  sim::Result b = RunLeases(11);
  sim::Result c = RunLeases(12);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(history::ToJson(a.events[i].event), history::ToJson(b.events[i].event));
  }
  bool differs = a.events.size() != c.events.size();
  for (size_t i = 0; !differs && i < a.events.size(); ++i) {
    differs = history::ToJson(a.events[i].event) != history::ToJson(c.events[i].event);
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace jepsen::generator
