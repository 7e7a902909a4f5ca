// The generator protocol, after Jepsen's jepsen.generator: a generator only
// decides *what* to do next; the runner does it, records it, and reports the
// completion back. Generators read time and randomness only from the Context,
// so the same seed and the same completions give the same ops, and tests run
// them in simulated time.
//
// A runner drives one root generator:
//   - ask Next(ctx) until it returns Pending or Exhausted, invoking each op on
//     the thread it names (always an idle one from ctx);
//   - on Pending(wake), ask again at `wake` or after the next completion,
//     whichever comes first (kNever: only after a completion);
//   - on every completion, call Update(ctx, thread, event), then ask again;
//   - on Exhausted, stop asking, wait for the ops still running, and finish.
#ifndef JEPSEN_GENERATOR_GENERATOR_H_
#define JEPSEN_GENERATOR_GENERATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "generator/context.h"
#include "history/event.h"

namespace jepsen::generator {

// An operation to invoke: the fields of a history invoke event (see
// docs/history-format.md for each workload's vocabulary).
struct Op {
  std::string f;
  history::Json key;    // null: no key
  history::Json value;  // null: absent

  bool operator==(const Op&) const = default;
};

// A generator's answer.
struct Step {
  enum class Kind : uint8_t { kInvoke, kPending, kExhausted };

  Kind kind = Kind::kExhausted;
  Thread thread = 0;    // kInvoke: an idle thread in ctx, kNemesisThread for the nemesis
  Op op;                // kInvoke: to invoke now
  Nanos wake = kNever;  // kPending: ask again then (> ctx.now()), or after a completion

  static Step Invoke(Thread thread, Op op) { return {Kind::kInvoke, thread, std::move(op)}; }
  static Step Pending(Nanos wake = kNever) { return {Kind::kPending, 0, {}, wake}; }
  static Step Exhausted() { return {}; }

  bool is_invoke() const { return kind == Kind::kInvoke; }
  bool is_pending() const { return kind == Kind::kPending; }
  bool is_exhausted() const { return kind == Kind::kExhausted; }
  bool for_nemesis() const { return is_invoke() && thread == kNemesisThread; }
};

class Generator {
 public:
  virtual ~Generator() = default;

  // The next op to invoke now, or when to ask again, or that no op will ever
  // come. Once Exhausted, always Exhausted.
  // REQUIRES: ctx.now() never decreases from one call to the next.
  virtual Step Next(const Context& ctx) = 0;

  // The op this generator last handed to `thread` has completed (`completion`
  // is its ok/fail/info event). Combinators pass each completion only to the
  // child that emitted the op, so a generator sees exactly its own.
  virtual void Update(const Context& ctx, Thread thread, const history::Event& completion) {
    (void)ctx, (void)thread, (void)completion;
  }

  // A deep copy in the current state (EachThread and Cycle copy a pristine one).
  virtual std::unique_ptr<Generator> Clone() const = 0;
};

using GenPtr = std::unique_ptr<Generator>;

// Deep copies by Clone(), so generators holding children can be value-copied.
// nullptr copies to nullptr.
GenPtr CloneOf(const GenPtr& gen);

}  // namespace jepsen::generator

#endif  // JEPSEN_GENERATOR_GENERATOR_H_
