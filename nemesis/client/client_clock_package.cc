#include "nemesis/client/client_clock_package.h"

#include <set>

#include "nemesis/client/client_pause_package.h"
#include "nemesis/clock_skew.h"

namespace jepsen::nemesis {
namespace {

constexpr const char* kClientClock = "client-clock";
constexpr const char* kSkew = "client-clock-skew";
constexpr const char* kReset = "client-clock-reset";
constexpr const char* kStepOption = "client-clock-step";
constexpr const char* kRateOption = "client-clock-rate";

// Drawn when neither option is given: a step back of 1-10 s, or one of these slow rates.
constexpr double kRates[] = {0.25, 0.5};
constexpr ClockSkewOptions kSkewOptions{kStepOption, kRateOption, kRates, false};

class ClientClockPackage final : public Package {
 public:
  std::vector<history::FaultKind> kinds() const override {
    return {{kClientClock,
             "client",
             {kSkew},
             {kReset},
             true,
             "client thread's own clock (its lease timer) stepped or run at another rate "
             "(value: step_s, rate; clocks.<client>: its offset_s from real time and rate after "
             "the event), real time again when it ends",
             "#e0b0c8"}};
  }

  std::string Help(const std::string&) const override {
    return "skew a client thread's own clock, its lease timer (client-clock-rate=, e.g. 0.25, "
           "or client-clock-step=, e.g. -5): it acts on a lease that ended; workload=leases";
  }

  std::vector<options::Option> options() const override {
    return {options::Number(kStepOption, 0, {-86400, 86400},
                            "Seconds a client-clock fault steps its client's clock by (negative: "
                            "back); with neither client-clock-step nor client-clock-rate, each "
                            "fault draws a step back of 1-10 s or a rate of 0.25 or 0.5"),
            options::Number(kRateOption, 1, {0.01, 100},
                            "How fast a client-clock fault runs its client's clock (0.25: a "
                            "quarter of a second for each real one)")};
  }

  bool TakesTargets(const std::string&) const override { return false; }

  Status Supports(const std::string&, const Plan& plan) const override {
    if (plan.clients < 1) return Status::Error("the run has no client threads");
    if (!plan.clients_keep_time) {
      return Status::Error(
          "the workload's clients keep no time of their own (workload=leases' do): a skewed "
          "client clock would change nothing");
    }
    if (GivenSkewIsNone(plan, kSkewOptions)) {
      return Status::Error(
          "client-clock-step=0 with client-clock-rate=1 leaves every clock as it is");
    }
    return Status();
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    const Json clients = Json::array({ClientName(static_cast<int>(rng.Uniform(plan.clients)))});
    Json value = {{"clients", clients}};
    DrawSkew(plan, kSkewOptions, rng, value);
    return Fault{Op{kSkew, nullptr, std::move(value)}, Op{kReset, nullptr, clients}, 0};
  }

  Status Bind(systems::System&, ClientControl* clients) override {
    clients_ = clients;
    if (clients_ == nullptr) return Status::Error("client-clock needs the run's client threads");
    return Status();
  }

  // client-clock-skew {"clients": [...], "step_s": S, "rate": R}; client-clock-reset: the
  // clients named, or (null) every one it skewed.
  Applied Apply(const Op& op) override {
    Applied applied{op.f, op.value, "", ""};
    if (op.f != kSkew && op.f != kReset) {
      applied.error = "the client-clock package has no op '" + op.f + "'";
      return applied;
    }
    std::vector<int> threads(skewed_.begin(), skewed_.end());
    const Json value = op.value.is_object() ? op.value : Json{{"clients", op.value}};
    if (op.f == kSkew || !op.value.is_null()) {
      Result<std::vector<int>> named = Threads(value.value("clients", Json()));
      if (!named.ok()) {
        applied.error = named.message();
        return applied;
      }
      threads = *named;
    }
    if (op.f == kReset) return Reset(threads, applied);
    const Result<ClockSkew> skew = SkewOf(value, kSkew);
    if (!skew.ok()) {
      applied.error = skew.message();
      return applied;
    }
    Json clients = Json::array(), clocks = Json::object();
    for (int thread : threads) {
      Result<systems::ClockSetting> set = clients_->SkewClock(thread, skew->step_s, skew->rate);
      if (!set.ok()) {
        applied.error = ClientName(thread) + ": " + set.message();
        Applied undone{kReset, nullptr, "", kClientClock};
        Reset(std::vector<int>(skewed_.begin(), skewed_.end()), undone);
        return applied;
      }
      skewed_.insert(thread);
      clients.push_back(ClientName(thread));
      clocks[ClientName(thread)] = SettingJson(*set);
    }
    applied.value = {{"clients", clients},
                     {"step_s", value.value("step_s", Json(0.0))},
                     {"rate", value.value("rate", Json(1.0))},
                     {"clocks", clocks}};
    return applied;
  }

  std::vector<Applied> Heal() override {
    if (skewed_.empty()) return {};
    Applied healed{kReset, nullptr, "", kClientClock};
    return {Reset(std::vector<int>(skewed_.begin(), skewed_.end()), healed)};
  }

  bool healed() const override { return skewed_.empty(); }

 private:
  // The threads of a list of "client-<thread>" names.
  Result<std::vector<int>> Threads(const Json& names) const {
    if (!names.is_array()) return Status::Error("a client-clock op names a list of clients");
    std::vector<int> threads;
    for (const Json& name : names) {
      const int thread = name.is_string() ? ClientThread(name.get<std::string>()) : -1;
      if (thread < 0 || thread >= clients_->clients()) {
        return Status::Error("nemesis op names unknown client " + name.dump());
      }
      threads.push_back(thread);
    }
    return threads;
  }

  // Real time again on `threads`; the value records each one's clock before (skewed) and
  // after (real).
  Applied& Reset(const std::vector<int>& threads, Applied& applied) {
    Json clients = Json::array(), clocks = Json::object(), before = Json::object();
    for (int thread : threads) {
      skewed_.erase(thread);
      Result<systems::ClockSetting> was = clients_->ResetClock(thread);
      if (!was.ok()) {
        if (applied.error.empty()) applied.error = ClientName(thread) + ": " + was.message();
        continue;
      }
      clients.push_back(ClientName(thread));
      before[ClientName(thread)] = SettingJson(*was);
      clocks[ClientName(thread)] = SettingJson(systems::ClockSetting{});
    }
    applied.value = {{"clients", clients}, {"clocks", clocks}, {"before", before}};
    return applied;
  }

  ClientControl* clients_ = nullptr;
  std::set<int> skewed_;  // threads whose clock is not real time
};

}  // namespace

std::unique_ptr<Package> NewClientClockPackage() { return std::make_unique<ClientClockPackage>(); }

}  // namespace jepsen::nemesis
