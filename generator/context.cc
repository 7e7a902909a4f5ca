#include "generator/context.h"

#include "generator/client_clock.h"

namespace jepsen::generator {

Context::Context(Nanos now, Rng& rng, const std::vector<bool>& client_free, bool nemesis_free)
    : now_(now),
      rng_(&rng),
      client_free_(&client_free),
      nemesis_free_(nemesis_free),
      begin_(0),
      end_(static_cast<int>(client_free.size())) {}

Context::Context(Nanos now, Rng& rng, const std::vector<bool>& client_free, bool nemesis_free,
                 const std::vector<ClientClock>& client_clocks)
    : Context(now, rng, client_free, nemesis_free) {
  client_clocks_ = &client_clocks;
}

Nanos Context::ClientNow(Thread thread) const {
  if (client_clocks_ == nullptr || thread < 0 ||
      thread >= static_cast<Thread>(client_clocks_->size())) {
    return now_;
  }
  return (*client_clocks_)[thread].Read(now_);
}

std::vector<Thread> Context::threads() const {
  std::vector<Thread> out;
  if (begin_ < end_) {
    for (Thread t = begin_; t < end_; ++t) out.push_back(t);
  } else if (nemesis_) {
    out.push_back(kNemesisThread);
  }
  return out;
}

bool Context::IsFree(Thread thread) const {
  if (thread == kNemesisThread) return nemesis_ && nemesis_free_;
  return thread >= begin_ && thread < end_ && (*client_free_)[thread];
}

std::optional<Thread> Context::FreeThread() const {
  if (begin_ < end_) {
    for (Thread t = begin_; t < end_; ++t) {
      if ((*client_free_)[t]) return t;
    }
    return std::nullopt;
  }
  if (nemesis_ && nemesis_free_) return kNemesisThread;
  return std::nullopt;
}

bool Context::AnyFree() const {
  if (nemesis_ && nemesis_free_) return true;
  for (Thread t = begin_; t < end_; ++t) {
    if ((*client_free_)[t]) return true;
  }
  return false;
}

Context Context::WithClients() const {
  Context c = *this;
  c.nemesis_ = false;
  return c;
}

Context Context::WithNemesis() const {
  Context c = *this;
  c.end_ = c.begin_;
  return c;
}

Context Context::WithThread(Thread thread) const {
  Context c = *this;
  if (thread == kNemesisThread) {
    c.end_ = c.begin_;
  } else {
    c.nemesis_ = false;
    const bool in = thread >= begin_ && thread < end_;
    c.begin_ = in ? thread : 0;
    c.end_ = in ? thread + 1 : 0;
  }
  return c;
}

}  // namespace jepsen::generator
