// Time and count limits, and op spacing: Limit, TimeLimit, Stagger, Rate, Delay.
#include <algorithm>
#include <cassert>
#include <optional>

#include "generator/combinators.h"
#include "generator/internal.h"

namespace jepsen::generator {
namespace {

class LimitGen final : public Generator {
 public:
  LimitGen(int64_t n, GenPtr gen) : left_(n), gen_(std::move(gen)) {}
  Step Next(const Context& ctx) override {
    if (left_ <= 0) return Step::Exhausted();
    Step step = gen_->Next(ctx);
    if (step.is_invoke()) --left_;
    if (step.is_exhausted()) left_ = 0;
    return step;
  }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    gen_->Update(ctx, thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<LimitGen>(*this); }

 private:
  int64_t left_;
  internal::Child gen_;
};

class TimeLimitGen final : public Generator {
 public:
  TimeLimitGen(Duration d, GenPtr gen) : d_(d), gen_(std::move(gen)) {}
  Step Next(const Context& ctx) override {
    if (done_) return Step::Exhausted();
    if (!deadline_) deadline_ = internal::After(ctx.now(), d_);
    if (ctx.now() >= *deadline_) {
      done_ = true;
      return Step::Exhausted();
    }
    Step step = gen_->Next(ctx);
    if (step.is_exhausted()) done_ = true;
    // Wake at the deadline at the latest, to notice it.
    if (step.is_pending()) step.wake = std::min(step.wake, *deadline_);
    return step;
  }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    gen_->Update(ctx, thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<TimeLimitGen>(*this); }

 private:
  Duration d_;
  internal::Child gen_;
  std::optional<Nanos> deadline_;
  bool done_ = false;
};

// Stagger and Delay: the next op no sooner than a gap after the previous one.
// The gap counts from when the op was handed out, so a slow system gets no
// burst of catch-up ops.
class SpacedGen final : public Generator {
 public:
  SpacedGen(bool random, Duration d, GenPtr gen) : random_(random), d_(d), gen_(std::move(gen)) {}
  Step Next(const Context& ctx) override {
    if (next_ && ctx.now() < *next_) return Step::Pending(*next_);
    Step step = gen_->Next(ctx);
    if (step.is_invoke()) next_ = internal::After(ctx.now(), Gap(ctx.rng()));
    return step;
  }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    gen_->Update(ctx, thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<SpacedGen>(*this); }

 private:
  Duration Gap(Rng& rng) const {
    if (!random_ || d_.count() <= 0) return d_;
    return Duration(static_cast<int64_t>(rng.Uniform(2 * static_cast<uint64_t>(d_.count()))));
  }

  bool random_;
  Duration d_;
  internal::Child gen_;
  std::optional<Nanos> next_;
};

}  // namespace

GenPtr Limit(int64_t n, GenPtr gen) { return std::make_unique<LimitGen>(n, std::move(gen)); }

GenPtr TimeLimit(Duration d, GenPtr gen) {
  return std::make_unique<TimeLimitGen>(d, std::move(gen));
}

GenPtr Stagger(Duration mean, GenPtr gen) {
  return std::make_unique<SpacedGen>(true, mean, std::move(gen));
}

GenPtr Rate(double per_second, GenPtr gen) {
  assert(per_second > 0);
  return Stagger(Duration(static_cast<int64_t>(1e9 / per_second)), std::move(gen));
}

GenPtr Delay(Duration gap, GenPtr gen) {
  return std::make_unique<SpacedGen>(false, gap, std::move(gen));
}

}  // namespace jepsen::generator
