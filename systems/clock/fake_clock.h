// A node's clock as libfaketime fakes it (docs/clock-faults.md): the node is
// started with libfaketime preloaded and a control file of its own, which
// libfaketime reads again on every clock call (FAKETIME_NO_CACHE), so a new
// setting takes effect at the node's next clock read. CLOCK_REALTIME and
// CLOCK_MONOTONIC (and everything derived from them through libc) move alike:
// by a step at once, by a rate from then on.
//
// libfaketime applies a rate from a start time ("+O xR" reads real + O +
// (real - start)·(R - 1)), which it keeps in a little shared memory per
// process tree (FAKETIME_SHARED). The clock makes that memory itself, with the
// start set to when the clock was made: every process of the node (restarts,
// children) then shares one start the clock knows exactly, so the offset
// written at each change keeps the node's clock continuous, across restarts
// too. And nothing is left in /dev/shm when a node is SIGKILLed: libfaketime
// removes only the memory it made, and only at a clean exit.
#ifndef JEPSEN_SYSTEMS_CLOCK_FAKE_CLOCK_H_
#define JEPSEN_SYSTEMS_CLOCK_FAKE_CLOCK_H_

#include <memory>
#include <string>
#include <vector>

#include "history/status.h"
#include "systems/capabilities.h"

namespace jepsen::systems {

// The preload library: $JEPSEN_LIBFAKETIME, else Debian's libfaketime.so.1
// (package libfaketime); an error naming the package when it is not installed.
Result<std::string> LibFaketime();

// OK when process `pid` has libfaketime mapped (its clock reads go through it), else why
// not: a static program, or one that cleared LD_PRELOAD. A fault on such a node would be
// counted and never injected. OK for pid 0 (a node that is down starts preloaded).
Status CheckPreloaded(int pid);

class FakeClock {
 public:
  // `control_file`: where this node's setting lives (created real-time, "+0 x1").
  static Result<std::unique_ptr<FakeClock>> Make(const std::string& control_file);
  ~FakeClock();  // removes the shared memory and semaphore
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  // What the node's processes get in their environment (ProcessSpec::env).
  const std::vector<std::string>& env() const { return env_; }
  // Steps the clock by `step_s` now and runs it at `rate` from now on. Returns
  // the setting now in force. REQUIRES: rate > 0.
  Result<ClockSetting> Change(double step_s, double rate);
  // Real time again (offset 0, rate 1); returns the setting it replaced.
  Result<ClockSetting> Reset();
  ClockSetting now() const;

 private:
  FakeClock() = default;
  Status Share();
  Status Write();

  std::string file_;
  std::string sem_, shm_;  // FAKETIME_SHARED's names ("/..."), empty until made
  std::vector<std::string> env_;
  double start_s_ = 0;   // the start libfaketime's rate applies from (real time, s)
  double anchor_s_ = 0;  // real time (s) of the last change, and the offset then
  double offset_s_ = 0;
  double rate_ = 1;
};

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_CLOCK_FAKE_CLOCK_H_
