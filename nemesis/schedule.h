// Fault schedules made of the packages' faults (Package::NextFault), in the
// style of Jepsen's nemesis generators: healthy for a while, a fault, its end,
// again and again. Each op carries the name of its fault kind in its `key`,
// which routes it back to its package (nemesis.h) and tags the event recorded.
#ifndef JEPSEN_NEMESIS_SCHEDULE_H_
#define JEPSEN_NEMESIS_SCHEDULE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "generator/generator.h"
#include "generator/rng.h"
#include "nemesis/package.h"

namespace jepsen::nemesis {

// A fault a schedule may draw: its package and its name.
struct Offered {
  std::shared_ptr<const Package> package;
  std::string name;
};

// Healthy for the interval, then one fault (each of `faults` equally likely)
// held for the longer of the interval and what the fault asks, then its end;
// again and again. With `random_gaps`, each healthy spell is drawn uniformly
// from [interval/2, 3 interval/2] instead, so cycles side by side drift apart.
// REQUIRES: faults not empty, plan.nodes set.
generator::GenPtr FaultCycle(std::vector<Offered> faults, Plan plan, generator::Rng rng,
                             bool random_gaps);

// A random stream of its own for `name`, from the run's seed: one schedule's
// draws never shift another's, and a seed replays them all.
generator::Rng StreamFor(uint64_t seed, std::string_view name);

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_SCHEDULE_H_
