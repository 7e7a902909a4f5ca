// The client family's `client-clock` fault: one client thread's own clock
// (generator::ClientClock, what a lease client times its lease by) stepped by
// seconds or run at another rate (slow: it keeps acting on a lease that has
// ended), through the run's ClientControl; real time again when it ends and at
// the final heal. Only workloads whose clients keep time (leases) are changed
// by it: for others it is refused before the run. Each event records the
// clocks it left per thread (value.clocks."client-<thread>": offset_s from real
// time, rate), as the node `clock` fault does per node (docs/clock-faults.md).
#ifndef JEPSEN_NEMESIS_CLIENT_CLIENT_CLOCK_PACKAGE_H_
#define JEPSEN_NEMESIS_CLIENT_CLIENT_CLOCK_PACKAGE_H_

#include <memory>

#include "nemesis/package.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewClientClockPackage();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_CLIENT_CLIENT_CLOCK_PACKAGE_H_
