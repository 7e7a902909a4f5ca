#include "nemesis/schedule.h"

#include <algorithm>
#include <optional>

namespace jepsen::nemesis {
namespace {

using generator::Context;
using generator::Step;

class FaultCycleGen final : public generator::Generator {
 public:
  FaultCycleGen(std::vector<Offered> faults, Plan plan, generator::Rng rng, bool random_gaps)
      : faults_(std::move(faults)), plan_(std::move(plan)), rng_(rng), random_gaps_(random_gaps) {}

  Step Next(const Context& ctx) override {
    if (next_ < 0) next_ = ctx.now() + Healthy();
    if (ctx.now() < next_) return Step::Pending(next_);
    std::optional<generator::Thread> thread = ctx.FreeThread();
    if (!thread) return Step::Pending();
    if (end_) {
      Op op = std::move(*end_);
      end_.reset();
      next_ = ctx.now() + Healthy();
      return Step::Invoke(*thread, std::move(op));
    }
    const Offered& offered = faults_[rng_.Uniform(faults_.size())];
    Fault fault = offered.package->NextFault(offered.name, plan_, rng_);
    fault.begin.key = fault.end.key = offered.name;
    end_ = std::move(fault.end);
    next_ = ctx.now() + std::max<Nanos>(plan_.interval.count(), fault.lasts);
    return Step::Invoke(*thread, std::move(fault.begin));
  }

  std::unique_ptr<Generator> Clone() const override {
    return std::make_unique<FaultCycleGen>(*this);
  }

 private:
  Nanos Healthy() {
    const Nanos interval = plan_.interval.count();
    return random_gaps_ ? rng_.Between(interval / 2, interval + interval / 2) : interval;
  }

  std::vector<Offered> faults_;
  Plan plan_;
  generator::Rng rng_;
  bool random_gaps_;
  Nanos next_ = -1;        // when to act next
  std::optional<Op> end_;  // the end of the fault in force
};

}  // namespace

generator::GenPtr FaultCycle(std::vector<Offered> faults, Plan plan, generator::Rng rng,
                             bool random_gaps) {
  return std::make_unique<FaultCycleGen>(std::move(faults), std::move(plan), rng, random_gaps);
}

generator::Rng StreamFor(uint64_t seed, std::string_view name) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a: the same on every machine
  for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
  return generator::Rng(seed ^ hash);
}

}  // namespace jepsen::nemesis
