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
  LeaseClientGen(int resources, int64_t ttl_ms) : resources_(resources), ttl_ms_(ttl_ms) {}

  generator::Step Next(const Context& ctx) override {
    std::optional<generator::Thread> thread = ctx.FreeThread();
    if (!thread || waiting_) return generator::Step::Pending();
    if (state_ == kHolding && zombie_ && ctx.now() < zombie_at_) {
      return generator::Step::Pending(zombie_at_);
    }
    waiting_ = true;
    return generator::Step::Invoke(*thread, Decide(ctx));
  }

  void Update(const Context&, generator::Thread, const history::Event& done) override {
    waiting_ = false;
    const bool ok = done.type == history::EventType::kOk;
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

  Op Decide(const Context& ctx) {
    auto& rng = ctx.rng();
    if (state_ == kIdle) {
      zombie_done_ = false;
      resource_ = KeyName("r", rng.Uniform(resources_));
      if (rng.Chance(0.15)) return Op{"read", resource_, nullptr};
      zombie_ = rng.Chance(0.1);
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
    if (rng.Chance(0.25)) return Op{"renew", resource_, {{"token", token_}, {"ttl_ms", ttl_ms_}}};
    return Op{"write", resource_, {{"token", token_}, {"value", rng.Between(0, 1000)}}};
  }

  int resources_;
  int64_t ttl_ms_;
  State state_ = kIdle;
  bool waiting_ = false;  // an op of ours is in flight
  std::string resource_;
  Json token_;
  int64_t left_ = 0;
  bool zombie_ = false, zombie_done_ = false;
  generator::Nanos zombie_at_ = 0;
};

Workload Make(const options::Values& values) {
  Workload w;
  w.name = "leases";
  const int keys = static_cast<int>(values.Integer("keys"));
  int64_t ttl_ms = values.Integer("ttl-ms");
  if (ttl_ms == 0) ttl_ms = kDefaultTtlMs;
  w.main = generator::EachThread(LeaseClient(keys, ttl_ms));
  w.final_reads = ReadEach("r", keys, true);
  w.options = {{"keys", keys}, {"ttl_ms", ttl_ms}, {"drift", values.Number("drift")}};
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
           options::Number("drift", 0.01, {0, 0.5}, "Clock drift bound the lease checker allows")},
          Make};
}

generator::GenPtr LeaseClient(int resources, int64_t ttl_ms) {
  return std::make_unique<LeaseClientGen>(resources, ttl_ms);
}

}  // namespace jepsen::workloads
