#include "diskfs/undo_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace jepsen::diskfs {
namespace {

constexpr uint64_t kChunk = 1 << 20;  // what a copy holds in memory at a time

int WriteAll(int fd, const char* data, uint64_t length, uint64_t offset) {
  for (uint64_t done = 0; done < length;) {
    const ssize_t n = ::pwrite(fd, data + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0) return -errno;
    done += static_cast<uint64_t>(n);
  }
  return 0;
}

// Reads what there is; zeros beyond the end. 0 or -errno.
int ReadAll(int fd, char* out, uint64_t length, uint64_t offset) {
  uint64_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd, out + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0) return -errno;
    if (n == 0) break;
    done += static_cast<uint64_t>(n);
  }
  std::memset(out + done, 0, length - done);
  return 0;
}

}  // namespace

Result<std::unique_ptr<UndoLog>> UndoLog::Start(const std::string& path, int fd,
                                                uint64_t durable_size) {
  // The handle's descriptor may be write-only; the log reads the durable bytes it saves.
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  const int own = ::open(self.c_str(), O_RDWR | O_CLOEXEC);
  if (own < 0)
    return Status::Error("undo log: cannot reopen the file: " + std::string(std::strerror(errno)));
  const int undo = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (undo < 0) {
    const std::string error = std::strerror(errno);
    ::close(own);
    return Status::Error("undo log: cannot make " + path + ": " + error);
  }
  return std::unique_ptr<UndoLog>(new UndoLog(path, own, undo, durable_size));
}

UndoLog::~UndoLog() {
  ::close(fd_);
  ::close(undo_fd_);
  ::unlink(path_.c_str());
}

int UndoLog::WriteThrough(uint64_t offset, std::string_view data) {
  // The durable bytes it overwrites: below the floor only (beyond it the durable file has
  // zeros or nothing, which a restore makes again by size).
  const uint64_t end = std::min<uint64_t>(offset + data.size(), floor_);
  std::vector<char> buffer;
  for (uint64_t from = offset; from < end;) {
    const uint64_t length = std::min(kChunk, end - from);
    buffer.resize(16 + length);
    std::memcpy(buffer.data(), &from, 8);
    std::memcpy(buffer.data() + 8, &length, 8);
    if (int r = ReadAll(fd_, buffer.data() + 16, length, from); r != 0) return r;
    if (int r = WriteAll(undo_fd_, buffer.data(), buffer.size(), saved_); r != 0) return r;
    saved_ += buffer.size();
    from += length;
  }
  if (int r = WriteAll(fd_, data.data(), data.size(), offset); r != 0) return r;
  written_ += data.size();
  return 0;
}

void UndoLog::Truncated(uint64_t size) { floor_ = std::min(floor_, size); }

int UndoLog::Read(uint64_t offset, uint64_t length, char* out) const {
  return ReadAll(fd_, out, length, offset);
}

int UndoLog::Restore(uint64_t durable_size) {
  // The records, newest first: the oldest record of a byte holds its durable value, and is
  // written last.
  std::vector<std::pair<uint64_t, uint64_t>> records;  // where in the undo file, its length
  for (uint64_t at = 0; at < saved_;) {
    uint64_t header[2];
    if (int r = ReadAll(undo_fd_, reinterpret_cast<char*>(header), 16, at); r != 0) return r;
    records.emplace_back(at, header[1]);
    at += 16 + header[1];
  }
  std::vector<char> buffer;
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    uint64_t offset;
    if (int r = ReadAll(undo_fd_, reinterpret_cast<char*>(&offset), 8, it->first); r != 0) return r;
    if (offset >= floor_) continue;  // a later truncate cut it: zeros now
    const uint64_t length = std::min(it->second, floor_ - offset);
    buffer.resize(length);
    if (int r = ReadAll(undo_fd_, buffer.data(), length, it->first + 16); r != 0) return r;
    if (int r = WriteAll(fd_, buffer.data(), length, offset); r != 0) return r;
  }
  // Beyond the floor the durable file is zeros up to its size: cut, then extend.
  if (::ftruncate(fd_, static_cast<off_t>(std::min(floor_, durable_size))) != 0 ||
      ::ftruncate(fd_, static_cast<off_t>(durable_size)) != 0) {
    return -errno;
  }
  return 0;
}

}  // namespace jepsen::diskfs
