#include "generator/client_clock.h"

#include <cassert>
#include <cmath>

namespace jepsen::generator {

Nanos ClientClock::Read(Nanos now) const {
  return anchor_reads_ +
         static_cast<Nanos>(std::llround(static_cast<double>(now - anchor_) * rate_));
}

ClientClock ClientClock::Changed(Nanos now, double step_s, double rate) const {
  assert(rate > 0);
  ClientClock c;
  c.anchor_ = now;
  c.anchor_reads_ = Read(now) + static_cast<Nanos>(std::llround(step_s * 1e9));
  c.rate_ = rate;
  return c;
}

}  // namespace jepsen::generator
