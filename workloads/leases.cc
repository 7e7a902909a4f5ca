#include "workloads/leases.h"

#include <memory>
#include <string>

#include "generator/combinators.h"
#include "workloads/common.h"

namespace jepsen::workloads {
namespace {

using generator::Context;
using generator::Op;

// The leases client of one thread, as a small state machine fed by completions.
class LeaseClientGen : public generator::Generator {
 public:
  explicit LeaseClientGen(const LeaseClientOptions& o)
      : resources_(o.resources),
        ttl_ms_(o.ttl_ms),
        valid_for_(
            static_cast<generator::Nanos>(static_cast<double>(o.ttl_ms) * 1e6 * (1 - o.drift))),
        zombies_(o.zombies),
        think_(o.think_ms * 1'000'000) {}

  generator::Step Next(const Context& ctx) override {
    std::optional<generator::Thread> thread = ctx.FreeThread();
    if (!thread || waiting_) return generator::Step::Pending();
    if (state_ == kHolding && zombie_ && ctx.now() < zombie_at_) {
      return generator::Step::Pending(zombie_at_);
    }
    if (ctx.now() < work_until_) return generator::Step::Pending(work_until_);
    waiting_ = true;
    asked_at_ = ctx.ClientNow(*thread);
    return generator::Step::Invoke(*thread, Decide(ctx, asked_at_));
  }

  void Update(const Context& ctx, generator::Thread, const history::Event& done) override {
    waiting_ = false;
    const bool ok = done.type == history::EventType::kOk;
    // A new holder acts at once; else it works (or waits to try again) first.
    work_until_ = done.f == "acquire" && ok ? 0 : ctx.now() + think_;
    if (ok && (done.f == "acquire" || done.f == "renew")) valid_until_ = asked_at_ + valid_for_;
    if (done.f == "acquire") {
      if (ok && done.value.is_object() && done.value.contains("token")) {
        state_ = kHolding;
        token_ = done.value["token"];
      } else {
        state_ = kIdle;
      }
    } else if (done.f == "release" || (done.f == "renew" && !ok) || zombie_done_) {
      state_ = kIdle;
    }
  }

  std::unique_ptr<Generator> Clone() const override {
    return std::make_unique<LeaseClientGen>(*this);
  }

 private:
  enum State { kIdle, kHolding };

  // `now`: what this thread's own clock reads.
  Op Decide(const Context& ctx, generator::Nanos now) {
    auto& rng = ctx.rng();
    if (state_ == kIdle) {
      zombie_done_ = false;
      resource_ = KeyName("r", rng.Uniform(resources_));
      if (rng.Chance(0.15)) return Op{"read", resource_, nullptr};
      zombie_ = rng.Chance(zombies_);
      left_ = rng.Between(2, 6);
      zombie_at_ = ctx.now() + ttl_ms_ * 1'500'000;  // well past the lease
      return Op{"acquire", resource_, {{"ttl_ms", ttl_ms_}}};
    }
    if (zombie_) {
      // A holder that stalled past its lease and carries on: its write must be
      // refused, its renew must fail.
      zombie_done_ = true;
      if (rng.Chance(0.5)) return Op{"renew", resource_, {{"token", token_}, {"ttl_ms", ttl_ms_}}};
      return Op{"write", resource_, {{"token", token_}, {"value", rng.Between(0, 1000)}}};
    }
    if (left_-- <= 0) return Op{"release", resource_, {{"token", token_}}};
    // Half its lease gone by its own clock, it renews, as lease clients do; run
    // out, it writes no more with that token unless a renew keeps it (a failed
    // one makes it acquire again).
    if (now >= valid_until_ - valid_for_ / 2)
      return Op{"renew", resource_, {{"token", token_}, {"ttl_ms", ttl_ms_}}};
    if (rng.Chance(0.25)) return Op{"renew", resource_, {{"token", token_}, {"ttl_ms", ttl_ms_}}};
    return Op{"write", resource_, {{"token", token_}, {"value", rng.Between(0, 1000)}}};
  }

  int resources_;
  int64_t ttl_ms_;
  generator::Nanos valid_for_;        // ttl·(1 − drift): how long a lease is surely ours
  double zombies_;                    // the share of leases whose holder stalls past them
  generator::Nanos asked_at_ = 0;     // our clock when our op in flight was invoked
  generator::Nanos valid_until_ = 0;  // our clock: when the lease we hold is no longer surely ours
  State state_ = kIdle;
  bool waiting_ = false;  // an op of ours is in flight
  std::string resource_;
  Json token_;
  int64_t left_ = 0;
  bool zombie_ = false, zombie_done_ = false;
  generator::Nanos zombie_at_ = 0;
  generator::Nanos think_;           // real time it works after each op but a granted acquire
  generator::Nanos work_until_ = 0;  // real time: when it is done with its last op's work
};

Workload Make(const options::Values& values) {
  Workload w;
  w.name = "leases";
  const int keys = static_cast<int>(values.Integer("keys"));
  int64_t ttl_ms = values.Integer("ttl-ms");
  if (ttl_ms == 0) ttl_ms = kDefaultTtlMs;
  LeaseClientOptions client;
  client.resources = keys;
  client.ttl_ms = ttl_ms;
  client.drift = values.Number("drift");
  client.zombies = values.Number("zombies");
  client.think_ms = values.Integer("think-ms");
  w.main = generator::EachThread(LeaseClient(client));
  w.final_reads = ReadEach("r", keys, true);
  w.options = {{"keys", keys},
               {"ttl_ms", ttl_ms},
               {"drift", client.drift},
               {"zombies", client.zombies},
               {"think_ms", client.think_ms}};
  w.clients_keep_time = true;
  return w;
}

}  // namespace

WorkloadType LeasesWorkload() {
  return {"leases",
          "leases acquired, renewed and released, the resource written under each lease's "
          "fencing token; checked for exclusivity (L1-L4)",
          {KeysOption("How many lease resources"),
           options::Integer("ttl-ms", kDefaultTtlMs, {0, 86400000},
                            "Lease time to live in ms (0: the system's default)"),
           options::Number("drift", 0.01, {0, 0.5},
                           "Clock drift bound the lease checker allows (and clients allow "
                           "their own clocks: a lease is theirs for ttl·(1 − drift))"),
           options::Number("zombies", 0.1, {0, 1},
                           "Share of leases whose holder stalls past its lease, then writes or "
                           "renews with it (the store must refuse)"),
           options::Integer("think-ms", 0, {0, 86400000},
                            "Milliseconds a client works (or waits) after each op but a granted "
                            "acquire (a holder that works long outlives its ttl and must renew "
                            "in time)")},
          Make};
}

generator::GenPtr LeaseClient(const LeaseClientOptions& options) {
  return std::make_unique<LeaseClientGen>(options);
}

}  // namespace jepsen::workloads
