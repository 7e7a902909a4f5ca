// What the two clock faults share (clock: a node's clocks; client-clock: a
// client thread's own): the skew a fault applies, from its step and rate
// options or drawn, its place in an event's value, and a clock setting as an
// event records it.
#ifndef JEPSEN_NEMESIS_CLOCK_SKEW_H_
#define JEPSEN_NEMESIS_CLOCK_SKEW_H_

#include <span>
#include <string>

#include "nemesis/package.h"
#include "systems/capabilities.h"

namespace jepsen::nemesis {

struct ClockSkewOptions {
  const char* step;               // the option of the step in seconds ("clock-step")
  const char* rate;               // the option of the rate ("clock-rate")
  std::span<const double> rates;  // drawn from when neither option is given
  bool steps_forward;             // drawn steps may go forward too (else only back)
};

// With either option given: whether they change nothing (a step of 0 at rate 1).
bool GivenSkewIsNone(const Plan& plan, const ClockSkewOptions& options);

// Sets `value`'s step_s and rate: the options' when either is given, else,
// half the time, a step of 1-10 s (back, or either way) at rate 1, otherwise
// no step at one of `rates`.
void DrawSkew(const Plan& plan, const ClockSkewOptions& options, generator::Rng& rng, Json& value);

struct ClockSkew {
  double step_s = 0;
  double rate = 1;
};

// A skew op's step_s (0 when absent) and rate (1 when absent); an error naming
// `op` unless the step is a number and the rate a number above 0.
Result<ClockSkew> SkewOf(const Json& value, const std::string& op);

// {"offset_s", "rate"}, as the clock faults' events record a clock.
Json SettingJson(const systems::ClockSetting& setting);

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_CLOCK_SKEW_H_
