// A client thread's clock: the run's clock as the thread sees it. Clients that
// keep time of their own (a lease holder's "my lease is still valid") read it
// through Context::ClientNow. Real time unless the nemesis skewed it (the
// client-clock fault): a step, or another rate from the change on, so that it
// reads continuously across a rate change, as a node's faked clock does.
#ifndef JEPSEN_GENERATOR_CLIENT_CLOCK_H_
#define JEPSEN_GENERATOR_CLIENT_CLOCK_H_

#include "generator/context.h"

namespace jepsen::generator {

class ClientClock {
 public:
  ClientClock() = default;  // real time

  // What it reads at run time `now`.
  Nanos Read(Nanos now) const;
  // How far it is from real time at `now`, in seconds (negative: behind).
  double offset_s(Nanos now) const { return static_cast<double>(Read(now) - now) / 1e9; }
  double rate() const { return rate_; }

  // This clock stepped by `step_s` seconds at `now` and running at `rate` from
  // then on (2: two seconds for each real one). REQUIRES: rate > 0.
  ClientClock Changed(Nanos now, double step_s, double rate) const;

 private:
  Nanos anchor_ = 0;        // run time of the last change
  Nanos anchor_reads_ = 0;  // what it read then
  double rate_ = 1;
};

}  // namespace jepsen::generator

#endif  // JEPSEN_GENERATOR_CLIENT_CLOCK_H_
