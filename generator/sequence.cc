// One generator after another: Phases, Then, Cycle, FlipFlop.
#include <vector>

#include "generator/combinators.h"
#include "generator/internal.h"

namespace jepsen::generator {
namespace {

class PhasesGen final : public Generator {
 public:
  explicit PhasesGen(std::vector<GenPtr> phases) {
    for (GenPtr& phase : phases) phases_.emplace_back(std::move(phase));
  }
  Step Next(const Context& ctx) override {
    while (current_ < phases_.size()) {
      Step step = phases_[current_]->Next(ctx);
      if (step.is_invoke()) ++running_;
      if (!step.is_exhausted()) return step;
      // Only a completion can let us move on.
      if (running_ > 0) return Step::Pending();
      ++current_;
    }
    return Step::Exhausted();
  }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    // We never move on with ops running, so the current phase emitted this one.
    --running_;
    if (current_ < phases_.size()) phases_[current_]->Update(ctx, thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<PhasesGen>(*this); }

 private:
  std::vector<internal::Child> phases_;
  size_t current_ = 0;
  int64_t running_ = 0;  // ops of the current phase not yet completed
};

class CycleGen final : public Generator {
 public:
  CycleGen(int64_t times, GenPtr gen)
      : times_(times), pristine_(std::move(gen)), current_(pristine_) {}
  Step Next(const Context& ctx) override {
    while (!done_ && (times_ < 0 || round_ < times_)) {
      Step step = current_->Next(ctx);
      if (!step.is_exhausted()) {
        fresh_ = false;
        if (step.is_invoke()) owners_.Set(step.thread, round_);
        return step;
      }
      // A copy with nothing in it would spin forever.
      if (fresh_) break;
      ++round_;
      current_ = pristine_;
      fresh_ = true;
    }
    done_ = true;
    return Step::Exhausted();
  }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    if (owners_.Take(thread) == round_) current_->Update(ctx, thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<CycleGen>(*this); }

 private:
  int64_t times_;  // < 0: forever
  internal::Child pristine_;
  internal::Child current_;
  int64_t round_ = 0;
  bool fresh_ = true;  // current_ has not answered anything but Exhausted yet
  bool done_ = false;
  internal::Owners owners_;  // thread -> round that emitted its op
};

class FlipFlopGen final : public Generator {
 public:
  FlipFlopGen(GenPtr a, GenPtr b)
      : gens_{internal::Child(std::move(a)), internal::Child(std::move(b))} {}
  Step Next(const Context& ctx) override {
    if (done_) return Step::Exhausted();
    Step step = gens_[turn_]->Next(ctx);
    if (step.is_exhausted()) done_ = true;
    if (step.is_invoke()) {
      owners_.Set(step.thread, turn_);
      turn_ = 1 - turn_;
    }
    return step;
  }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    if (auto owner = owners_.Take(thread)) gens_[*owner]->Update(ctx, thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<FlipFlopGen>(*this); }

 private:
  std::vector<internal::Child> gens_;
  int turn_ = 0;
  bool done_ = false;
  internal::Owners owners_;  // thread -> which of a (0) and b (1) emitted its op
};

}  // namespace

GenPtr Phases(std::vector<GenPtr> phases) { return std::make_unique<PhasesGen>(std::move(phases)); }

GenPtr Then(GenPtr main, GenPtr final_phase) {
  return Phases(std::move(main), std::move(final_phase));
}

GenPtr Cycle(GenPtr gen) { return std::make_unique<CycleGen>(-1, std::move(gen)); }

GenPtr Cycle(int64_t times, GenPtr gen) {
  return std::make_unique<CycleGen>(times < 0 ? 0 : times, std::move(gen));
}

GenPtr FlipFlop(GenPtr a, GenPtr b) {
  return std::make_unique<FlipFlopGen>(std::move(a), std::move(b));
}

}  // namespace jepsen::generator
