// What the disk family's packages share before a run: whether this machine and
// the run's system can have disk faults at all (root, /dev/fuse, a system
// keeping its nodes' data on jepsen-diskfs: systems::Disks).
#ifndef JEPSEN_NEMESIS_DISK_DISK_CHECKS_H_
#define JEPSEN_NEMESIS_DISK_DISK_CHECKS_H_

#include <string>
#include <vector>

#include "nemesis/package.h"

namespace jepsen::nemesis {

// OK, or why the system of `plan` cannot `doing` ("lose power", "fill its disks"):
// words following "system <name>", as Package::Supports wants them. With
// `processes`, its nodes must also be processes of the run (killed, restarted).
Status SupportsDisks(const Plan& plan, const std::string& doing, bool processes);

// The disk family's options of how the filesystem behaves (disk-metadata, disk-fsync),
// declared by the power package, and the jepsen-diskfs flags their values in `options` ask for.
std::vector<options::Option> DiskOptions();
std::vector<std::string> DiskFlags(const options::Values& options);

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_DISK_DISK_CHECKS_H_
