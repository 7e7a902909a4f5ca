// The jepsen-diskfs mounts this process can see (/proc/self/mounts), and
// their removal: a run killed outright (SIGKILL) leaves its filesystems
// mounted with no process behind them; the next run in the same store
// detaches them before it starts.
#ifndef JEPSEN_DISKFS_MOUNTS_H_
#define JEPSEN_DISKFS_MOUNTS_H_

#include <string>
#include <vector>

#include "history/status.h"

namespace jepsen::diskfs {

// The type /proc/self/mounts shows for our filesystems.
inline constexpr const char* kMountType = "fuse.jepsen-diskfs";

// Mount points of jepsen-diskfs at or under `dir` (an absolute, normalised path).
std::vector<std::string> DiskfsMountsUnder(const std::string& dir);

// Detaches (umount2 MNT_DETACH) every stale jepsen-diskfs mount under `dir`:
// those whose filesystem is gone (ENOTCONN). A live one, another run's in the
// same store, is left alone. Returns those it detached; errors name the mount
// point that could not be.
Result<std::vector<std::string>> UnmountStaleDiskfsUnder(const std::string& dir);

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_MOUNTS_H_
