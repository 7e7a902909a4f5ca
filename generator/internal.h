// Helpers private to the generator module; not for use outside generator/.
#ifndef JEPSEN_GENERATOR_INTERNAL_H_
#define JEPSEN_GENERATOR_INTERNAL_H_

#include <chrono>
#include <map>
#include <optional>
#include <utility>

#include "generator/generator.h"

namespace jepsen::generator::internal {

// t + d, saturating at kNever so "forever" limits cannot overflow.
inline Nanos After(Nanos t, std::chrono::nanoseconds d) {
  const Nanos n = d.count();
  return n > 0 && t > kNever - n ? kNever : t + n;
}

// A child generator that deep-copies with its parent, so each combinator's
// Clone() is just its implicit copy constructor.
class Child {
 public:
  explicit Child(GenPtr gen) : gen_(std::move(gen)) {}
  Child(const Child& other) : gen_(CloneOf(other.gen_)) {}
  Child& operator=(const Child& other) {
    gen_ = CloneOf(other.gen_);
    return *this;
  }
  Child(Child&&) = default;
  Child& operator=(Child&&) = default;

  Generator* operator->() const { return gen_.get(); }

 private:
  GenPtr gen_;
};

// Which child (or round) emitted the op now running on each thread, so the
// completion goes back to it alone. A thread runs one op at a time.
class Owners {
 public:
  void Set(Thread thread, int64_t owner) { owner_[thread] = owner; }
  std::optional<int64_t> Take(Thread thread) {
    auto it = owner_.find(thread);
    if (it == owner_.end()) return std::nullopt;
    const int64_t owner = it->second;
    owner_.erase(it);
    return owner;
  }

 private:
  std::map<Thread, int64_t> owner_;
};

}  // namespace jepsen::generator::internal

#endif  // JEPSEN_GENERATOR_INTERNAL_H_
