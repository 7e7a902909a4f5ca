// Which threads get the ops: EachThread, Clients, Nemesis.
#include <algorithm>
#include <map>

#include "generator/combinators.h"
#include "generator/internal.h"

namespace jepsen::generator {
namespace {

class EachThreadGen final : public Generator {
 public:
  explicit EachThreadGen(GenPtr gen) : pristine_(std::move(gen)) {}
  Step Next(const Context& ctx) override {
    Nanos wake = kNever;
    bool live = false;
    for (Thread thread : ctx.threads()) {
      Copy& copy = CopyFor(thread);
      if (copy.done) continue;
      // A busy thread's copy cannot emit; it may still have more to come.
      if (!ctx.IsFree(thread)) {
        live = true;
        continue;
      }
      Step step = copy.gen->Next(ctx.WithThread(thread));
      if (step.is_invoke()) return step;
      if (step.is_exhausted()) {
        copy.done = true;
      } else {
        live = true;
        wake = std::min(wake, step.wake);
      }
    }
    return live ? Step::Pending(wake) : Step::Exhausted();
  }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    CopyFor(thread).gen->Update(ctx.WithThread(thread), thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<EachThreadGen>(*this); }

 private:
  struct Copy {
    internal::Child gen;
    bool done = false;
  };
  Copy& CopyFor(Thread thread) {
    auto it = copies_.find(thread);
    if (it == copies_.end()) it = copies_.emplace(thread, Copy{pristine_}).first;
    return it->second;
  }

  internal::Child pristine_;
  std::map<Thread, Copy> copies_;
};

class RouteGen final : public Generator {
 public:
  RouteGen(bool nemesis, GenPtr gen) : nemesis_(nemesis), gen_(std::move(gen)) {}
  Step Next(const Context& ctx) override { return gen_->Next(Narrow(ctx)); }
  void Update(const Context& ctx, Thread thread, const history::Event& done) override {
    gen_->Update(Narrow(ctx), thread, done);
  }
  GenPtr Clone() const override { return std::make_unique<RouteGen>(*this); }

 private:
  Context Narrow(const Context& ctx) const {
    return nemesis_ ? ctx.WithNemesis() : ctx.WithClients();
  }

  bool nemesis_;
  internal::Child gen_;
};

}  // namespace

GenPtr EachThread(GenPtr gen) { return std::make_unique<EachThreadGen>(std::move(gen)); }
GenPtr Clients(GenPtr gen) { return std::make_unique<RouteGen>(false, std::move(gen)); }
GenPtr Nemesis(GenPtr gen) { return std::make_unique<RouteGen>(true, std::move(gen)); }

}  // namespace jepsen::generator
