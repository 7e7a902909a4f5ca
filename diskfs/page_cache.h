// The layer's page cache: every file's writes that are not durable yet
// (Overlay), by the backing file's inode so a rename keeps them, with the
// file's size as readers see it and as a power loss would leave it. It does
// no I/O but the flush of a file to its backing file; the filesystem calls it
// under one lock.
#ifndef JEPSEN_DISKFS_PAGE_CACHE_H_
#define JEPSEN_DISKFS_PAGE_CACHE_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diskfs/overlay.h"
#include "history/status.h"

namespace jepsen::diskfs {

struct CachedFile {
  Overlay overlay;            // written, not durable
  uint64_t size = 0;          // as readers see it: max(durable_size, overlay end), or a truncate's
  uint64_t durable_size = 0;  // the backing file's size, what a power loss leaves
  uint64_t writes = 0;        // writes since the file was last durable
  std::string path;           // for reports, relative to the mount; the last name it was given
  int open = 0;               // open handles
  uint64_t last_offset = 0;   // the last write not yet durable (torn): where,
  uint64_t last_length = 0;   // and how long; 0: none
};

// A write a torn power loss kept in part: whole 512-byte sectors of it.
struct TornWrite {
  std::string file;
  uint64_t offset = 0, length = 0;                  // the write
  std::string how;                                  // "prefix" or "sectors" (a random subset)
  std::vector<std::pair<uint64_t, uint64_t>> kept;  // [from, to) byte ranges that reached disk
};

inline constexpr uint64_t kSectorBytes = 512;

// What a power loss dropped.
struct Loss {
  std::vector<std::string> files;  // each file that lost data, by its last known path
  uint64_t bytes = 0;
  uint64_t writes = 0;
  std::vector<TornWrite> torn;  // a torn power loss': what it kept of each file's last write
};

// What failing fsyncs (fsync-error) did since they were last armed.
struct FsyncErrors {
  uint64_t failed = 0;  // fsyncs that failed with EIO
  uint64_t left = 0;    // armed, not yet failed
  Loss dropped;         // what they dropped from the cache, as a power loss would
};

struct CacheStats {
  uint64_t files_dirty = 0, bytes_dirty = 0, writes_pending = 0;
  uint64_t writes = 0, fsyncs = 0, refused_writes = 0, power_losses = 0;
  uint64_t lost_bytes = 0, lost_writes = 0;
  uint64_t full_refusals = 0;  // writes, fsyncs and creates refused while the disk was full
  uint64_t failed_fsyncs = 0;  // fsync-error's
};

class PageCache {
 public:
  // A file may hold at most `max_file_bytes` not yet durable: beyond, writes fail
  // (ENOSPC) rather than reach the backing file, where a power loss could not undo them.
  explicit PageCache(uint64_t max_file_bytes) : max_file_bytes_(max_file_bytes) {}

  // The file of inode `ino`, made on first use from its backing file's size.
  CachedFile& Get(ino_t ino, uint64_t backing_size, const std::string& path);
  CachedFile* Find(ino_t ino);
  // Its inode is gone (unlinked, no handle open): what it held goes with it.
  void Forget(ino_t ino) { files_.erase(ino); }

  // disk-full: while on, writes, fsyncs and creates fail with ENOSPC and nothing
  // cached changes. Returns how many were refused since it was last turned on.
  uint64_t SetFull(bool on);
  bool full() const { return full_; }
  // 0, or -ENOSPC while the disk is full (counted): asked before a file is created.
  int Create() { return full_ ? RefusedFull() : 0; }

  // fsync-error: the next `count` fsyncs fail with EIO and, as Linux's do, drop the
  // file's cached writes (they will never be written: reads return what is durable).
  // Returns what the fsyncs failed since the last arming did; 0 disarms.
  FsyncErrors ArmFsyncErrors(uint64_t count);

  // 0, or -ENOSPC when the file would hold more than the limit or the disk is full.
  int Write(CachedFile& file, uint64_t offset, const char* data, uint64_t length);
  // Makes the file durable: its cached writes to the backing file `fd`. 0 or -errno:
  // -ENOSPC, nothing written, while the disk is full; -EIO, its cached writes dropped,
  // when fsync-error has it fail.
  int Flush(CachedFile& file, int fd);
  // A truncate reaches the backing file at once (metadata is durable; see
  // docs/disk-faults.md): the file is that long, durably.
  void Truncate(CachedFile& file, uint64_t size);
  // Drops every write not durable; files no handle holds are forgotten.
  Loss PowerLoss();
  // Writes `data` at `offset` of the backing file `path`: 0 or -errno.
  using WriteBack =
      std::function<int(const std::string& path, uint64_t offset, std::string_view data)>;
  // A power loss as a disk can leave it: first, of each file's last write not yet durable,
  // whole sectors reach the backing file (through `write_back`) — a prefix, or a random
  // subset, never all, drawn from `seed` (files in path order, so a seed tears alike) — then
  // the rest is dropped as by PowerLoss(). The Loss' bytes exclude what was kept. On a
  // write-back error nothing is dropped and it is returned.
  Result<Loss> TornPowerLoss(uint64_t seed, const WriteBack& write_back);
  CacheStats Stats() const;

 private:
  int RefusedFull();  // counts one refusal; -ENOSPC
  uint64_t max_file_bytes_;
  std::map<ino_t, CachedFile> files_;
  CacheStats counters_;  // the running totals (writes, fsyncs, ...)
  bool full_ = false;
  uint64_t refused_while_full_ = 0;  // since disk-full was last turned on
  FsyncErrors fsync_errors_;         // since fsync-error was last armed
};

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_PAGE_CACHE_H_
