// Several generators at once: Mix (random choice) and Any (side by side).
#include <algorithm>
#include <vector>

#include "generator/combinators.h"
#include "generator/internal.h"

namespace jepsen::generator {
namespace {

class MixGen final : public Generator {
 public:
  explicit MixGen(std::vector<GenPtr> gens) {
    for (GenPtr& gen : gens) {
      live_.push_back(gens_.size());
      gens_.emplace_back(std::move(gen));
    }
  }
  Step Next(const Context& ctx) override {
    // With every thread busy no child can emit; don't spend a draw finding out.
    if (!live_.empty() && !ctx.AnyFree()) return Step::Pending();
    while (!live_.empty()) {
      const size_t pick = ctx.rng().Uniform(live_.size());
      Step step = gens_[live_[pick]]->Next(ctx);
      if (step.is_exhausted()) {
        live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(pick));
        continue;
      }
      if (step.is_invoke()) owners_.Set(step.thread, static_cast<int64_t>(live_[pick]));
      return step;
    }
    return Step::Exhausted();
  }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    if (auto owner = owners_.Take(thread)) gens_[*owner]->Update(ctx, thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<MixGen>(*this); }

 private:
  std::vector<internal::Child> gens_;
  std::vector<size_t> live_;  // indices of children not yet exhausted, in order
  internal::Owners owners_;
};

class AnyGen final : public Generator {
 public:
  explicit AnyGen(std::vector<GenPtr> gens) {
    for (GenPtr& gen : gens) gens_.emplace_back(std::move(gen));
    done_.assign(gens_.size(), false);
  }
  Step Next(const Context& ctx) override {
    Nanos wake = kNever;
    bool live = false;
    for (size_t k = 0; k < gens_.size(); ++k) {
      // Start after the last child served, so one busy child cannot starve the rest.
      const size_t i = (start_ + k) % gens_.size();
      if (done_[i]) continue;
      Step step = gens_[i]->Next(ctx);
      if (step.is_exhausted()) {
        done_[i] = true;
      } else if (step.is_pending()) {
        live = true;
        wake = std::min(wake, step.wake);
      } else {
        owners_.Set(step.thread, static_cast<int64_t>(i));
        start_ = (i + 1) % gens_.size();
        return step;
      }
    }
    return live ? Step::Pending(wake) : Step::Exhausted();
  }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    if (auto owner = owners_.Take(thread)) gens_[*owner]->Update(ctx, thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<AnyGen>(*this); }

 private:
  std::vector<internal::Child> gens_;
  std::vector<bool> done_;
  size_t start_ = 0;
  internal::Owners owners_;
};

}  // namespace

GenPtr Mix(std::vector<GenPtr> gens) { return std::make_unique<MixGen>(std::move(gens)); }
GenPtr Any(std::vector<GenPtr> gens) { return std::make_unique<AnyGen>(std::move(gens)); }

}  // namespace jepsen::generator
