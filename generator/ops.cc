// Leaf generators: Once, Repeat, FromFunction, Sleep.
#include <optional>

#include "generator/combinators.h"
#include "generator/internal.h"

namespace jepsen::generator {
namespace {

class OnceGen final : public Generator {
 public:
  explicit OnceGen(Op op) : op_(std::move(op)) {}
  Step Next(const Context& ctx) override {
    if (done_) return Step::Exhausted();
    const std::optional<Thread> thread = ctx.FreeThread();
    if (!thread) return Step::Pending();
    done_ = true;
    return Step::Invoke(*thread, op_);
  }
  GenPtr Clone() const override { return std::make_unique<OnceGen>(*this); }

 private:
  Op op_;
  bool done_ = false;
};

class RepeatGen final : public Generator {
 public:
  explicit RepeatGen(Op op) : op_(std::move(op)) {}
  Step Next(const Context& ctx) override {
    const std::optional<Thread> thread = ctx.FreeThread();
    if (!thread) return Step::Pending();
    return Step::Invoke(*thread, op_);
  }
  GenPtr Clone() const override { return std::make_unique<RepeatGen>(*this); }

 private:
  Op op_;
};

class FunctionGen final : public Generator {
 public:
  explicit FunctionGen(OpFn fn) : fn_(std::move(fn)) {}
  Step Next(const Context& ctx) override {
    if (done_) return Step::Exhausted();
    // Find the thread first: fn may draw randomness or advance its own state.
    const std::optional<Thread> thread = ctx.FreeThread();
    if (!thread) return Step::Pending();
    std::optional<Op> op = fn_(ctx);
    if (!op) {
      done_ = true;
      return Step::Exhausted();
    }
    return Step::Invoke(*thread, std::move(*op));
  }
  GenPtr Clone() const override { return std::make_unique<FunctionGen>(*this); }

 private:
  OpFn fn_;
  bool done_ = false;
};

class SleepGen final : public Generator {
 public:
  explicit SleepGen(Duration d) : d_(d) {}
  Step Next(const Context& ctx) override {
    if (!until_) until_ = internal::After(ctx.now(), d_);
    if (ctx.now() < *until_) return Step::Pending(*until_);
    return Step::Exhausted();
  }
  GenPtr Clone() const override { return std::make_unique<SleepGen>(*this); }

 private:
  Duration d_;
  std::optional<Nanos> until_;
};

}  // namespace

GenPtr Once(Op op) { return std::make_unique<OnceGen>(std::move(op)); }
GenPtr Repeat(Op op) { return std::make_unique<RepeatGen>(std::move(op)); }
GenPtr FromFunction(OpFn fn) { return std::make_unique<FunctionGen>(std::move(fn)); }
GenPtr Sleep(Duration d) { return std::make_unique<SleepGen>(d); }

}  // namespace jepsen::generator
