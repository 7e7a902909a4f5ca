// A file's undo log: what lets the layer write a file's writes that are not
// durable yet through to its backing file (when they pass the per-file memory
// limit) and still undo them exactly at a power loss. Before bytes of the
// durable file are overwritten, they are appended to an undo file of the
// layer's own (in its state directory, state_dir.h); a restore writes them back,
// oldest last, and cuts the file to its durable size. An fsync of the file makes
// the log moot: it is deleted.
#ifndef JEPSEN_DISKFS_UNDO_LOG_H_
#define JEPSEN_DISKFS_UNDO_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "history/status.h"

namespace jepsen::diskfs {

class UndoLog {
 public:
  // Starts a log at `path` (made afresh) for the backing file open as `fd` (reopened
  // read-write for the log's own use), whose durable size is `durable_size`.
  static Result<std::unique_ptr<UndoLog>> Start(const std::string& path, int fd,
                                                uint64_t durable_size);
  ~UndoLog();  // closes and deletes the undo file: the file is durable, or restored
  UndoLog(const UndoLog&) = delete;
  UndoLog& operator=(const UndoLog&) = delete;

  // Writes `data` at `offset` of the backing file, after saving the durable bytes it
  // overwrites. 0 or -errno.
  int WriteThrough(uint64_t offset, std::string_view data);
  // The file was truncated to `size`, durably: bytes at or beyond it are no longer the
  // durable file's (they are zeros, or gone), so they are never restored.
  void Truncated(uint64_t size);
  // Reads [offset, offset + length) of the backing file into `out` (zeros beyond its end).
  int Read(uint64_t offset, uint64_t length, char* out) const;
  // Restores the backing file to exactly its durable state, `durable_size` long. 0 or -errno.
  int Restore(uint64_t durable_size);

  uint64_t written() const { return written_; }  // bytes written through, not durable
  uint64_t saved() const { return saved_; }      // bytes of the undo file

 private:
  UndoLog(std::string path, int fd, int undo_fd, uint64_t floor)
      : path_(std::move(path)), fd_(fd), undo_fd_(undo_fd), floor_(floor) {}
  std::string path_;
  int fd_;          // the backing file, read-write
  int undo_fd_;     // records: offset (8 bytes), length (8 bytes), the old bytes
  uint64_t floor_;  // below it, overwritten durable bytes are in the log; from it on, zeros
  uint64_t written_ = 0, saved_ = 0;
};

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_UNDO_LOG_H_
