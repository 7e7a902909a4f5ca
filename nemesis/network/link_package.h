// The network family's link faults (systems::Network): `loss`, a target's link
// dropping a share of its packets at random each way, and `slow`, a target's
// link limited to a bandwidth; each switched on when it begins and off when it
// ends, independent of partitions (a heal of one leaves the other).
#ifndef JEPSEN_NEMESIS_NETWORK_LINK_PACKAGE_H_
#define JEPSEN_NEMESIS_NETWORK_LINK_PACKAGE_H_

#include <memory>

#include "nemesis/package.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewLossPackage();
std::unique_ptr<Package> NewSlowPackage();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_NETWORK_LINK_PACKAGE_H_
