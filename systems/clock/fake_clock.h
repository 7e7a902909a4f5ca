// A node's clock as libfaketime fakes it (docs/clock-faults.md): the node is
// started with libfaketime preloaded and a control file of its own, which
// libfaketime reads again on every clock call (FAKETIME_NO_CACHE), so a new
// setting takes effect at the node's next clock read. Both CLOCK_REALTIME and
// CLOCK_MONOTONIC (and everything derived from them through libc) move: by a
// step at once, by a rate from then on.
//
// libfaketime applies a rate from the process' start ("+O xR": real + O +
// (real - start)·(R - 1)), so the offset written is chosen to keep the clock
// continuous at each change; `Started` must be told every (re)start of the
// node's process. The start is known to within the time its exec takes to
// load libfaketime (about a millisecond): a rate change of ΔR may step the
// clock by ΔR times that.
#ifndef JEPSEN_SYSTEMS_CLOCK_FAKE_CLOCK_H_
#define JEPSEN_SYSTEMS_CLOCK_FAKE_CLOCK_H_

#include <string>
#include <vector>

#include "history/status.h"
#include "systems/capabilities.h"

namespace jepsen::systems {

// The preload library: $JEPSEN_LIBFAKETIME, else Debian's libfaketime.so.1
// (package libfaketime); an error naming the package when it is not installed.
Result<std::string> LibFaketime();

class FakeClock {
 public:
  // `control_file`: where this node's setting lives (created real-time, "+0 x1").
  static Result<FakeClock> Make(const std::string& control_file);

  // What the node's process gets in its environment (ProcessSpec::env).
  const std::vector<std::string>& env() const { return env_; }
  // The node's process (re)started now: its clock starts again at the current
  // setting (its offset then; a rate holds from then on).
  Status Started();
  // Steps the clock by `step_s` now and runs it at `rate` from now on. Returns
  // the setting now in force. REQUIRES: rate > 0.
  Result<ClockSetting> Change(double step_s, double rate);
  // Real time again (offset 0, rate 1); returns the setting it replaced.
  Result<ClockSetting> Reset();
  ClockSetting now() const;

 private:
  FakeClock() = default;
  Status Write();

  std::string file_;
  std::vector<std::string> env_;
  double start_s_ = 0;   // the process' start (real time, s), where libfaketime's rate applies from
  double anchor_s_ = 0;  // real time (s) of the last change, and the offset then
  double offset_s_ = 0;
  double rate_ = 1;
};

// OK when process `pid` has libfaketime mapped (its clock reads go through it), else why
// not: a static program, or one that cleared LD_PRELOAD. A fault on such a node would be
// counted and never injected. OK for pid 0 (a node that is down starts preloaded).
Status CheckPreloaded(int pid);

// Real time now, in seconds since the epoch (not faked: this process has no libfaketime).
double RealNow();

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_CLOCK_FAKE_CLOCK_H_
