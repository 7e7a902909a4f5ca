// The disk family's `disk-full` fault: a node's disk is full. While it lasts,
// its filesystem (jepsen-diskfs, systems::Disks) fails every write, fsync and
// create with ENOSPC; nothing about the data changes (what was cached stays
// cached, what was durable stays durable). The end records how many calls it
// refused on each node. Needs root and /dev/fuse.
#ifndef JEPSEN_NEMESIS_DISK_DISK_FULL_PACKAGE_H_
#define JEPSEN_NEMESIS_DISK_DISK_FULL_PACKAGE_H_

#include <memory>

#include "nemesis/package.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewDiskFullPackage();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_DISK_DISK_FULL_PACKAGE_H_
