// The building blocks: leaf generators and the wrappers that compose them,
// after jepsen.generator. Behaviour comes from nesting, e.g. a register test:
//
//   Then(TimeLimit(60s, Any(Clients(Stagger(10ms, Mix(reads, writes))),
//                           Nemesis(Cycle(Phases(Sleep(5s), Once(kill),
//                                                Sleep(5s), Once(restart)))))),
//        Then(Nemesis(Once(heal)), Clients(EachThread(Once(read)))));
//
// Leaves hand each op to the lowest idle thread in scope (see Context's
// routing rule) and wait (Pending) while every such thread is busy. Clocks of
// TimeLimit and Sleep start when they are first asked, so inside Phases they
// start with their phase.
#ifndef JEPSEN_GENERATOR_COMBINATORS_H_
#define JEPSEN_GENERATOR_COMBINATORS_H_

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "generator/generator.h"

namespace jepsen::generator {

using Duration = std::chrono::nanoseconds;

// --- Leaves ------------------------------------------------------------------

// `op` once.
GenPtr Once(Op op);
// `op` forever (bound it with Limit or TimeLimit).
GenPtr Repeat(Op op);
// fn(ctx) makes each op; nullopt means no more. Called only when a thread is
// idle, so every call yields an invoked op. State captured by fn is copied by
// Clone() (EachThread gives each thread its own). For a generator that reacts
// to completions, implement Generator itself.
using OpFn = std::function<std::optional<Op>(const Context& ctx)>;
GenPtr FromFunction(OpFn fn);
// No ops for `d`, then exhausted: a pause in Phases or a nemesis schedule.
GenPtr Sleep(Duration d);

// --- Counting and time -------------------------------------------------------

// At most n ops of gen.
GenPtr Limit(int64_t n, GenPtr gen);
// Ops of gen until `d` after it is first asked; then exhausted, even if gen is not.
GenPtr TimeLimit(Duration d, GenPtr gen);
// Spaces gen's ops by random gaps, uniform in [0, 2*mean), across all threads
// (Jepsen's stagger). A gap counts from when the previous op was handed out.
GenPtr Stagger(Duration mean, GenPtr gen);
// Stagger at about `per_second` ops a second. REQUIRES: per_second > 0.
GenPtr Rate(double per_second, GenPtr gen);
// Spaces gen's ops exactly `gap` apart (at least: threads may be busy).
GenPtr Delay(Duration gap, GenPtr gen);

// --- Sequencing --------------------------------------------------------------

// Each phase in turn; the next starts once the previous is exhausted *and*
// every op it handed out has completed. Exhausted likewise after the last, so
// Phases nest: Phases(Phases(a, b), c) behaves as Phases(a, b, c).
GenPtr Phases(std::vector<GenPtr> phases);
// `main`, then -- once it is exhausted and its ops completed -- `final_phase`,
// e.g. healing the nemesis and final reads after a time-limited main phase.
GenPtr Then(GenPtr main, GenPtr final_phase);
// gen, restarted from a pristine copy each time it is exhausted; forever, or
// `times` rounds. Does not wait for ops to complete (wrap gen in Phases for
// that); a completion from an earlier round is not shown to the new one. A
// copy that is exhausted when first asked ends the cycle.
GenPtr Cycle(GenPtr gen);
GenPtr Cycle(int64_t times, GenPtr gen);
// An op from a, then one from b, then a, ...; exhausted as soon as either is.
GenPtr FlipFlop(GenPtr a, GenPtr b);

// --- Choice ------------------------------------------------------------------

// Each op from a child picked uniformly at random (exhausted children leave
// the draw). If the picked child is pending, so is Mix, as in Jepsen.
GenPtr Mix(std::vector<GenPtr> gens);
// Runs children side by side: each time, the first (in rotating order) that
// has an op now; pending until the soonest of them. E.g. client ops with a
// nemesis schedule: Any(Clients(workload), Nemesis(faults)).
GenPtr Any(std::vector<GenPtr> gens);

// --- Threads -----------------------------------------------------------------

// A pristine copy of gen for every thread in scope, each seeing only its own
// thread: per-thread sequences and per-thread state (e.g. a lease token).
GenPtr EachThread(GenPtr gen);
// gen's ops go to client threads only (the default; says it explicitly and
// keeps Nemesis-routed scopes out).
GenPtr Clients(GenPtr gen);
// gen's ops go to the nemesis thread.
GenPtr Nemesis(GenPtr gen);

// Variadic forms: Phases(a, b, c), Mix(a, b), Any(a, b).
namespace detail {
template <class... G>
std::vector<GenPtr> List(G... gens) {
  std::vector<GenPtr> out;
  out.reserve(sizeof...(gens));
  (out.push_back(std::move(gens)), ...);
  return out;
}
}  // namespace detail

template <class... G>
requires(std::same_as<G, GenPtr>&&...) GenPtr Phases(GenPtr first, G... rest) {
  return Phases(detail::List(std::move(first), std::move(rest)...));
}
template <class... G>
requires(std::same_as<G, GenPtr>&&...) GenPtr Mix(GenPtr first, G... rest) {
  return Mix(detail::List(std::move(first), std::move(rest)...));
}
template <class... G>
requires(std::same_as<G, GenPtr>&&...) GenPtr Any(GenPtr first, G... rest) {
  return Any(detail::List(std::move(first), std::move(rest)...));
}

}  // namespace jepsen::generator

#endif  // JEPSEN_GENERATOR_COMBINATORS_H_
