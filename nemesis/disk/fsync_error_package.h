// The disk family's `fsync-error` fault: the next fsyncs of a node's
// filesystem (jepsen-diskfs, systems::Disks) fail with EIO, 1 to 3 of them
// (drawn per fault: value.fsyncs), and, as Linux's do, drop the data they
// should have made durable (it is never written; reads return what is
// durable). The end disarms what is left and records, per node, how many
// failed and what they dropped (files, bytes, writes). Needs root and /dev/fuse.
#ifndef JEPSEN_NEMESIS_DISK_FSYNC_ERROR_PACKAGE_H_
#define JEPSEN_NEMESIS_DISK_FSYNC_ERROR_PACKAGE_H_

#include <memory>

#include "nemesis/package.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewFsyncErrorPackage();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_DISK_FSYNC_ERROR_PACKAGE_H_
