#include "nemesis/clock_skew.h"

#include <utility>

namespace jepsen::nemesis {
namespace {

bool EitherGiven(const Plan& plan, const ClockSkewOptions& options) {
  return plan.options.Given(options.step) || plan.options.Given(options.rate);
}

std::pair<double, double> Given(const Plan& plan, const ClockSkewOptions& options) {
  const Json& step = plan.options.Get(options.step);
  const Json& rate = plan.options.Get(options.rate);
  return {step.is_number() ? step.get<double>() : 0.0, rate.is_number() ? rate.get<double>() : 1.0};
}

}  // namespace

bool GivenSkewIsNone(const Plan& plan, const ClockSkewOptions& options) {
  if (!EitherGiven(plan, options)) return false;
  const auto [step, rate] = Given(plan, options);
  return step == 0 && rate == 1;
}

void DrawSkew(const Plan& plan, const ClockSkewOptions& options, generator::Rng& rng, Json& value) {
  if (EitherGiven(plan, options)) {
    const auto [step, rate] = Given(plan, options);
    value["step_s"] = step;
    value["rate"] = rate;
  } else if (rng.Chance(0.5)) {
    const double seconds = static_cast<double>(rng.Between(1, 10));
    value["step_s"] = options.steps_forward && rng.Chance(0.5) ? seconds : -seconds;
    value["rate"] = 1.0;
  } else {
    value["step_s"] = 0.0;
    value["rate"] = options.rates[rng.Uniform(options.rates.size())];
  }
}

Result<ClockSkew> SkewOf(const Json& value, const std::string& op) {
  const Json step = value.value("step_s", Json(0.0)), rate = value.value("rate", Json(1.0));
  if (!step.is_number() || !rate.is_number() || rate.get<double>() <= 0) {
    return Status::Error("a " + op + " needs a numeric step_s and a rate > 0: " + value.dump());
  }
  return ClockSkew{step.get<double>(), rate.get<double>()};
}

Json SettingJson(const systems::ClockSetting& setting) {
  return {{"offset_s", setting.offset_s}, {"rate", setting.rate}};
}

}  // namespace jepsen::nemesis
