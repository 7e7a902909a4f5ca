// The disk family's `power` fault: a node loses power. Its process group is
// SIGKILLed and its filesystem (jepsen-diskfs, systems::Disks) drops every
// write that was not made durable; it stays down until the fault ends, then
// restarts on what its disk kept, unless another fault still holds it down
// (node_holds.h: it comes back at the end of the last). target=all: the
// whole cluster at once.
// Needs root and /dev/fuse, and a system whose nodes keep their data on a
// filesystem of the run's own; refused before the run starts otherwise.
// NewTornPackage: the same, tearing the last write of each file.
#ifndef JEPSEN_NEMESIS_DISK_POWER_PACKAGE_H_
#define JEPSEN_NEMESIS_DISK_POWER_PACKAGE_H_

#include <memory>

#include "nemesis/package.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewPowerPackage();
// `torn`: a power loss during which each file's last write not yet durable
// reaches the disk in part (whole 512-byte sectors: a prefix, or a random
// subset; drawn from a seed of the run's, value.seed). The torn-power-off event
// records what was lost and, in value.lost.<node>.torn, which bytes were kept.
std::unique_ptr<Package> NewTornPackage();
// `corrupt`: the node is killed (nothing dropped), and once its process group is
// gone one of its files, drawn among those the `corrupt-files` glob matches, gets
// bits of a byte flipped or a 512-byte sector zeroed on disk (diskfs/corrupt.h);
// restarted when the fault ends. value.corrupted.<node>: file, offset, length,
// how, mask, changed, and cached (the layer's cache holds newer bytes over it).
std::unique_ptr<Package> NewCorruptPackage();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_DISK_POWER_PACKAGE_H_
