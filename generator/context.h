// What a generator is told when asked for its next op: the time (and each
// client thread's own clock), which worker threads are idle, the run's RNG,
// and which threads it may use.
#ifndef JEPSEN_GENERATOR_CONTEXT_H_
#define JEPSEN_GENERATOR_CONTEXT_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "generator/rng.h"

namespace jepsen::generator {

// A point in time: nanoseconds since the run started, from the run's one clock
// (the same scale as history events' `time`).
using Nanos = int64_t;
inline constexpr Nanos kNever = std::numeric_limits<Nanos>::max();

// A worker thread of the runner: client threads are 0..n-1. A thread is not
// a history process: the runner gives a thread a new process after an `info`.
using Thread = int;
inline constexpr Thread kNemesisThread = -1;

class ClientClock;

// Cheap to copy; a view of state the runner owns. Combinators hand their
// children narrowed copies (WithClients, WithNemesis, WithThread).
//
// Routing rule: a generator hands ops to the *client* threads in its scope.
// Only under Nemesis() is its scope the nemesis thread alone, and only then
// do its ops go there; a bare generator never reaches the nemesis.
class Context {
 public:
  // client_free[i]: client thread i is idle. The scope is every thread.
  // REQUIRES: rng and client_free outlive the Context.
  Context(Nanos now, Rng& rng, const std::vector<bool>& client_free, bool nemesis_free);
  Context(Nanos, Rng&, std::vector<bool>&&, bool) = delete;  // would dangle
  // Client thread i reads its own clock (*client_clocks)[i] (generator/client_clock.h).
  // REQUIRES: client_clocks outlives the Context and has a clock per client thread.
  Context(Nanos now, Rng& rng, const std::vector<bool>& client_free, bool nemesis_free,
          const std::vector<ClientClock>& client_clocks);
  Context(Nanos, Rng&, const std::vector<bool>&, bool, std::vector<ClientClock>&&) = delete;

  Nanos now() const { return now_; }
  // What client thread `thread`'s own clock reads now: now() unless the run skewed it.
  Nanos ClientNow(Thread thread) const;
  Rng& rng() const { return *rng_; }

  // The threads this generator's ops go to, lowest first: the client threads
  // in scope, or {kNemesisThread} under Nemesis().
  std::vector<Thread> threads() const;
  bool IsFree(Thread thread) const;
  // The lowest idle thread among threads(); nullopt when all are busy.
  std::optional<Thread> FreeThread() const;
  // Whether any thread in scope is idle, the nemesis included: when not, no
  // generator below this one can emit an op.
  bool AnyFree() const;

  Context WithClients() const;              // the client threads in scope
  Context WithNemesis() const;              // the nemesis thread, if in scope
  Context WithThread(Thread thread) const;  // just this thread, if in scope

 private:
  Nanos now_;
  Rng* rng_;
  const std::vector<bool>* client_free_;
  bool nemesis_free_;
  const std::vector<ClientClock>* client_clocks_ = nullptr;  // none: every one real time
  // Scope: client threads [begin_, end_) and the nemesis when nemesis_.
  int begin_;
  int end_;
  bool nemesis_ = true;
};

}  // namespace jepsen::generator

#endif  // JEPSEN_GENERATOR_CONTEXT_H_
