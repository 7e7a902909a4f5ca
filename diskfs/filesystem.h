// The FUSE filesystem of jepsen-diskfs: everything passes through to a backing
// directory, except file data not yet durable, which stays in the layer's page
// cache (page_cache.h) until an fsync of the file; `power-loss` on the control
// channel drops it. The durability rule is docs/disk-faults.md's.
#ifndef JEPSEN_DISKFS_FILESYSTEM_H_
#define JEPSEN_DISKFS_FILESYSTEM_H_

#include <cstdint>
#include <string>

namespace jepsen::diskfs {

struct FilesystemOptions {
  std::string backing;                     // the directory whose contents it shows
  std::string mountpoint;                  // where it is mounted
  std::string control;                     // the control channel's address (control.h)
  uint64_t max_file_bytes = 256ull << 20;  // per file, not durable, in memory; beyond: undo log
  bool real_fsync = false;                 // also fsync the backing file (only the real disk cares)
  bool strict_metadata = false;            // namespace changes durable by a directory fsync only
};

// Mounts, serves until unmounted or SIGTERM/SIGINT/SIGHUP, then unmounts.
// Returns the process' exit code; errors are written to stderr.
int RunFilesystem(const FilesystemOptions& options);

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_FILESYSTEM_H_
