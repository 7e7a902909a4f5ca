#include <map>
#include <memory>
#include <vector>

#include "generator/combinators.h"
#include "workloads/workload.h"

namespace jepsen::workloads {
namespace {

using generator::Context;
using generator::GenPtr;
using generator::Op;

std::string Name(const char* prefix, uint64_t i) { return prefix + std::to_string(i); }

// A read of each key, across the client threads, retried until it comes back
// ok: after a heal the system may take a while to serve again, and the final
// reads are where lost writes show.
class FinalReads : public generator::Generator {
 public:
  FinalReads(const char* prefix, int keys, bool named) : prefix_(prefix), named_(named) {
    for (int i = 0; i < keys; ++i) todo_.push_back(i);
  }

  generator::Step Next(const Context& ctx) override {
    if (todo_.empty()) return pending_.empty() ? generator::Step::Exhausted()
                                               : generator::Step::Pending();
    if (ctx.now() < not_before_) return generator::Step::Pending(not_before_);
    std::optional<generator::Thread> thread = ctx.FreeThread();
    if (!thread) return generator::Step::Pending();
    int key = todo_.front();
    todo_.erase(todo_.begin());
    pending_[*thread] = key;
    return generator::Step::Invoke(
        *thread, Op{"read", named_ ? Json(Name(prefix_, key)) : Json(key), nullptr});
  }

  void Update(const Context& ctx, generator::Thread thread, const history::Event& done) override {
    auto it = pending_.find(thread);
    if (it == pending_.end()) return;
    if (done.type != history::EventType::kOk && ++attempts_ < kMaxAttempts) {
      todo_.push_back(it->second);
      not_before_ = ctx.now() + kRetryDelayNs;
    }
    pending_.erase(it);
  }

  std::unique_ptr<Generator> Clone() const override { return std::make_unique<FinalReads>(*this); }

 private:
  static constexpr int kMaxAttempts = 100;
  static constexpr generator::Nanos kRetryDelayNs = 200'000'000;
  const char* prefix_;
  bool named_;
  std::vector<int> todo_;
  std::map<generator::Thread, int> pending_;
  int attempts_ = 0;
  generator::Nanos not_before_ = 0;
};

GenPtr ReadEach(const char* prefix, int keys, bool named) {
  return std::make_unique<FinalReads>(prefix, keys, named);
}

Workload Register(const WorkloadOptions& o) {
  Workload w;
  w.name = "register";
  const int keys = o.keys;
  w.main = generator::FromFunction([keys](const Context& ctx) -> std::optional<Op> {
    Json key = static_cast<int64_t>(ctx.rng().Uniform(keys));
    uint64_t pick = ctx.rng().Uniform(10);
    if (pick < 5) return Op{"read", key, nullptr};
    if (pick < 8) return Op{"write", key, ctx.rng().Between(0, 4)};
    return Op{"cas", key, Json::array({ctx.rng().Between(0, 4), ctx.rng().Between(0, 4)})};
  });
  w.final_reads = ReadEach("", keys, false);
  return w;
}

Workload Checkpoints(const WorkloadOptions& o) {
  Workload w;
  w.name = "checkpoints";
  const int streams = o.keys;
  // Writers draw the next seq of a stream from one shared counter, so seqs grow
  // in invocation order; racing writers still reach the store out of order,
  // and those refused are correct behaviour.
  auto next_seq = std::make_shared<std::vector<int64_t>>(streams, 1);
  w.main = generator::FromFunction([=](const Context& ctx) -> std::optional<Op> {
    uint64_t s = ctx.rng().Uniform(streams);
    if (ctx.rng().Chance(0.4)) return Op{"read", Name("s", s), nullptr};
    int64_t seq = (*next_seq)[s]++;
    // Now and then a worker retries an older checkpoint (a duplicate delivery, a
    // restart replaying its log): the store must refuse it.
    if (seq > 3 && ctx.rng().Chance(0.1)) seq -= ctx.rng().Between(1, 3);
    return Op{"checkpoint", Name("s", s), {{"seq", seq}, {"data", "task state " + std::to_string(seq)}}};
  });
  w.final_reads = ReadEach("s", streams, true);
  return w;
}

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
      resource_ = Name("r", rng.Uniform(resources_));
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

Workload Leases(const WorkloadOptions& o) {
  Workload w;
  w.name = "leases";
  w.main = generator::EachThread(LeaseClient(o.keys, o.ttl_ms));
  w.final_reads = ReadEach("r", o.keys, true);
  w.options = {{"ttl_ms", o.ttl_ms}, {"drift", o.drift}};
  return w;
}

}  // namespace

GenPtr LeaseClient(int resources, int64_t ttl_ms) {
  return std::make_unique<LeaseClientGen>(resources, ttl_ms);
}

Result<Workload> MakeWorkload(std::string_view name, const WorkloadOptions& options) {
  if (name == "register") return Register(options);
  if (name == "leases") return Leases(options);
  if (name == "checkpoints") return Checkpoints(options);
  return Status::Error("unknown workload '" + std::string(name) +
                       "' (known: register, leases, checkpoints)");
}

std::vector<std::string> WorkloadNames() { return {"register", "leases", "checkpoints"}; }

}  // namespace jepsen::workloads
