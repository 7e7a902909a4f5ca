// The clock family's `clock` fault: a node's clocks (realtime and monotonic,
// as the node reads them through libc) stepped by seconds, or run faster or
// slower, through libfaketime preloaded into the node (systems::Clocks); real
// time again when it ends. Each event records the clocks it left per node
// (value.clocks.<node>: offset_s from real time, rate), so a checker can tell
// what a node's clock read at any time of the run (docs/clock-faults.md).
#ifndef JEPSEN_NEMESIS_CLOCK_CLOCK_PACKAGE_H_
#define JEPSEN_NEMESIS_CLOCK_CLOCK_PACKAGE_H_

#include <memory>

#include "nemesis/package.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewClockPackage();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_CLOCK_CLOCK_PACKAGE_H_
