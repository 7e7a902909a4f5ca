// A disk fault that is a state of the targets' filesystems (jepsen-diskfs,
// systems::Disks), switched on by a control command when the fault begins and
// off when it ends: disk-full, fsync-error. A switched fault
// (nemesis/switched_package.h) whose switch is each node's filesystem.
#ifndef JEPSEN_NEMESIS_DISK_DISK_SWITCH_H_
#define JEPSEN_NEMESIS_DISK_DISK_SWITCH_H_

#include <functional>
#include <memory>
#include <string>

#include "nemesis/package.h"

namespace jepsen::nemesis {

struct DiskSwitchedFault {
  history::FaultKind kind;  // exactly one begin f and one end f
  std::string help;         // Package::Help
  std::string doing;        // what a system without disks cannot do: "fill its disks"
  // Fields of the begin op's value besides "nodes", drawn for each fault; may be null.
  std::function<Json(generator::Rng&)> draw;
  // The command that switches it on, from the begin op's value.
  std::function<std::string(const Json& value)> on;
  std::string off;  // the command that switches it off; its reply is recorded
  // What the end records of a node, from its reply to `off` (an object).
  std::function<Json(const Json& reply)> record;
};

std::unique_ptr<Package> NewDiskSwitchedPackage(DiskSwitchedFault fault);

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_DISK_DISK_SWITCH_H_
