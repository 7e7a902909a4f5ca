// The network family: `partition` cuts the network between a target's nodes
// and the rest (target all: every node alone), recorded as the grudge, and
// heals it when the fault ends; for systems with a network of their own
// (systems::Network), which it asks the system's setup for.
#ifndef JEPSEN_NEMESIS_NETWORK_PARTITION_PACKAGE_H_
#define JEPSEN_NEMESIS_NETWORK_PARTITION_PACKAGE_H_

#include <memory>

#include "nemesis/package.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewPartitionPackage();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_NETWORK_PARTITION_PACKAGE_H_
