// The layer's page cache: every file's writes that are not durable yet
// (Overlay), by the backing file's inode so a rename keeps them, with the
// file's size as readers see it and as a power loss would leave it. Its only
// I/O is on backing files: the flush of a file, and the writes through of a
// file holding more than the limit in memory (UndoLog), which a power loss
// undoes. The filesystem calls it under one lock.
#ifndef JEPSEN_DISKFS_PAGE_CACHE_H_
#define JEPSEN_DISKFS_PAGE_CACHE_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diskfs/overlay.h"
#include "diskfs/undo_log.h"
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
  // Writes not durable that passed the limit went through to the backing file; this undoes
  // them. Null while everything not durable is in `overlay`.
  std::unique_ptr<UndoLog> undo;
  bool dirty() const { return !overlay.empty() || undo != nullptr || writes > 0; }
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
  uint64_t writes = 0, fsyncs = 0, power_losses = 0;
  uint64_t files_through = 0, bytes_through = 0;  // files with an undo log; what they wrote through
  uint64_t spills = 0;  // times a file's writes passed the limit and went through
  uint64_t lost_bytes = 0, lost_writes = 0;
  uint64_t full_refusals = 0;  // writes, fsyncs and creates refused while the disk was full
  uint64_t failed_fsyncs = 0;  // fsync-error's
};

class PageCache {
 public:
  // A file holds at most `max_file_bytes` not yet durable in memory: a write that would pass
  // it sends what the file holds (and the write) through to its backing file, the
  // overwritten durable bytes saved in an undo log in `undo_dir` (UndoLog).
  PageCache(uint64_t max_file_bytes, std::string undo_dir)
      : max_file_bytes_(max_file_bytes), undo_dir_(std::move(undo_dir)) {}

  // The file of inode `ino`, made on first use from its backing file's size.
  CachedFile& Get(ino_t ino, uint64_t backing_size, const std::string& path);
  CachedFile* Find(ino_t ino);
  // Its name is gone (unlinked, no handle open): what it held goes with it, and what it
  // wrote through is undone (a strict-metadata power loss may bring the name back).
  void Forget(ino_t ino);

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

  // Caches a write to the file open as the backing descriptor `fd`, or, past the limit,
  // sends it through (above). 0 or -errno: -ENOSPC while the disk is full.
  int Write(CachedFile& file, uint64_t offset, const char* data, uint64_t length, int fd);
  // Makes the file durable: its cached writes to the backing file `fd`. 0 or -errno:
  // -ENOSPC, nothing written, while the disk is full; -EIO, its cached writes dropped,
  // when fsync-error has it fail.
  int Flush(CachedFile& file, int fd);
  // A truncate reaches the backing file at once (metadata is durable; see
  // docs/disk-faults.md): the file is that long, durably.
  void Truncate(CachedFile& file, uint64_t size);
  // Drops every write not durable (undoing those written through); files no handle holds
  // are forgotten. `errors` gets the files whose backing file could not be restored.
  Loss PowerLoss(std::vector<std::string>* errors = nullptr);
  // Writes `data` at `offset` of the backing file `path`: 0 or -errno.
  using WriteBack =
      std::function<int(const std::string& path, uint64_t offset, std::string_view data)>;
  // A power loss as a disk can leave it: first, of each file's last write not yet durable,
  // whole sectors reach the backing file (through `write_back`) — a prefix, or a random
  // subset, never all, drawn from `seed` (files in path order, so a seed tears alike) — then
  // the rest is dropped as by PowerLoss(). The Loss' bytes exclude what was kept. On a
  // write-back error (what was not durable is dropped already) it is returned.
  Result<Loss> TornPowerLoss(uint64_t seed, const WriteBack& write_back);
  CacheStats Stats() const;

 private:
  int RefusedFull();  // counts one refusal; -ENOSPC
  // Sends what the file holds in memory through to its backing file `fd`.
  int Spill(CachedFile& file, int fd);
  // Drops the file's writes not durable: its overlay, and what its undo log undoes.
  // 0 or -errno (the backing file could not be restored).
  int Drop(CachedFile& file);
  uint64_t max_file_bytes_;
  std::string undo_dir_;
  uint64_t undo_logs_ = 0;  // names them
  std::map<ino_t, CachedFile> files_;
  CacheStats counters_;  // the running totals (writes, fsyncs, ...)
  bool full_ = false;
  uint64_t refused_while_full_ = 0;  // since disk-full was last turned on
  FsyncErrors fsync_errors_;         // since fsync-error was last armed
};

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_PAGE_CACHE_H_
