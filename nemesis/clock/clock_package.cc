#include "nemesis/clock/clock_package.h"

#include <set>

#include "nemesis/clock_skew.h"
#include "nemesis/targets.h"
#include "systems/capabilities.h"
#include "systems/clock/fake_clock.h"

namespace jepsen::nemesis {
namespace {

constexpr const char* kClock = "clock";
constexpr const char* kSkew = "clock-skew";
constexpr const char* kReset = "clock-reset";
constexpr const char* kStepOption = "clock-step";
constexpr const char* kRateOption = "clock-rate";

// Drawn when neither option is given: a step of 1-10 s either way, or one of these rates.
constexpr double kRates[] = {0.25, 0.5, 2, 4};
constexpr ClockSkewOptions kSkewOptions{kStepOption, kRateOption, kRates, true};

class ClockPackage final : public Package {
 public:
  std::vector<history::FaultKind> kinds() const override {
    return {{kClock,
             "clock",
             {kSkew},
             {kReset},
             true,
             "node's clock stepped or run at another rate (value: step_s, rate; clocks.<node>: "
             "its offset_s from real time and rate after the event), real time again when it "
             "ends",
             "#c9a0dc"}};
  }

  std::string Help(const std::string&) const override {
    return "step a node's clock (clock-step=) or change its rate (clock-rate=), realtime and "
           "monotonic alike; libfaketime, nodes that read time through libc";
  }

  std::vector<options::Option> options() const override {
    return {options::Number(kStepOption, 0, {-86400, 86400},
                            "Seconds a clock fault steps its node's clock by (negative: back); "
                            "with neither clock-step nor clock-rate, each fault draws a step of "
                            "1-10 s either way or a rate of 0.25, 0.5, 2 or 4"),
            options::Number(kRateOption, 1, {0.01, 100},
                            "How fast a clock fault runs its node's clock (2: two seconds for "
                            "each real one; 0.5: half a second)")};
  }

  bool TakesTargets(const std::string&) const override { return true; }

  Status Supports(const std::string&, const Plan& plan) const override {
    if (!plan.abilities.offers(systems::Clocks::kName)) {
      auto why = plan.abilities.why_not.find(systems::Clocks::kName);
      return Status::Error("system " + plan.system + " " +
                           (why != plan.abilities.why_not.end()
                                ? why->second
                                : std::string("cannot fake its nodes' clocks")));
    }
    Result<std::string> library = systems::LibFaketime();
    if (!plan.abilities.on_hosts && !library.ok()) {  // on hosts, their keepers need it
      return Status::Error("system " + plan.system +
                           " cannot fake its nodes' clocks here: " + library.message());
    }
    if (GivenSkewIsNone(plan, kSkewOptions)) {
      return Status::Error("clock-step=0 with clock-rate=1 leaves every clock as it is");
    }
    return Status();
  }

  void Configure(const std::string&, systems::SetupContext& setup) const override {
    setup.clocks = true;
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    Json value = {{"nodes", PickNodes(plan.targets, plan.nodes, rng)}};
    DrawSkew(plan, kSkewOptions, rng, value);
    return Fault{Op{kSkew, nullptr, std::move(value)}, Op{kReset, nullptr, nullptr}, 0};
  }

  Status Bind(systems::System& system, ClientControl*) override {
    clocks_ = systems::Find<systems::Clocks>(system);
    if (clocks_ == nullptr) return Status::Error("the system offers no clocks to fake");
    leadership_ = systems::Find<systems::Leadership>(system);
    known_ = system.nodes();
    return Status();
  }

  // clock-skew {"nodes": [...] or "leader", "step_s": S, "rate": R}; clock-reset: the nodes
  // named, or (null) every node it skewed.
  Applied Apply(const Op& op) override {
    Applied applied{op.f, op.value, "", ""};
    if (op.f != kSkew && op.f != kReset) {
      applied.error = "the clock package has no op '" + op.f + "'";
      return applied;
    }
    std::vector<std::string> targets(skewed_.begin(), skewed_.end());
    const Json value = op.value.is_object() ? op.value : Json{{"nodes", op.value}};
    if (op.f == kSkew || !op.value.is_null()) {
      Result<std::vector<std::string>> named =
          ResolveNodes(value.value("nodes", Json()), known_, leadership_);
      if (!named.ok()) {
        applied.error = named.message();
        return applied;
      }
      targets = *named;
    }
    if (op.f == kReset) return Reset(targets, applied);
    const Result<ClockSkew> skew = SkewOf(value, kSkew);
    if (!skew.ok()) {
      applied.error = skew.message();
      return applied;
    }
    Json nodes = Json::array(), clocks = Json::object();
    for (const std::string& node : targets) {
      Result<systems::ClockSetting> set = clocks_->SkewClock(node, skew->step_s, skew->rate);
      if (!set.ok()) {
        applied.error = node + ": " + set.message();
        Applied undone{kReset, nullptr, "", kClock};
        Reset(std::vector<std::string>(skewed_.begin(), skewed_.end()), undone);
        return applied;
      }
      skewed_.insert(node);
      nodes.push_back(node);
      clocks[node] = SettingJson(*set);
    }
    applied.value = {{"nodes", nodes},
                     {"step_s", value.value("step_s", Json(0.0))},
                     {"rate", value.value("rate", Json(1.0))},
                     {"clocks", clocks}};
    return applied;
  }

  std::vector<Applied> Heal() override {
    if (skewed_.empty()) return {};
    Applied healed{kReset, nullptr, "", kClock};
    return {Reset(std::vector<std::string>(skewed_.begin(), skewed_.end()), healed)};
  }

  bool healed() const override { return skewed_.empty(); }

 private:
  // Real time again on `targets`; the value records each node's clock before (skewed) and
  // after (real).
  Applied& Reset(const std::vector<std::string>& targets, Applied& applied) {
    Json nodes = Json::array(), clocks = Json::object(), before = Json::object();
    for (const std::string& node : targets) {
      skewed_.erase(node);
      Result<systems::ClockSetting> was = clocks_->ResetClock(node);
      if (!was.ok()) {
        if (applied.error.empty()) applied.error = node + ": " + was.message();
        continue;
      }
      nodes.push_back(node);
      before[node] = SettingJson(*was);
      clocks[node] = SettingJson(systems::ClockSetting{});
    }
    applied.value = {{"nodes", nodes}, {"clocks", clocks}, {"before", before}};
    return applied;
  }

  systems::Clocks* clocks_ = nullptr;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
  std::set<std::string> skewed_;  // nodes whose clock is not real time
};

}  // namespace

std::unique_ptr<Package> NewClockPackage() { return std::make_unique<ClockPackage>(); }

}  // namespace jepsen::nemesis
