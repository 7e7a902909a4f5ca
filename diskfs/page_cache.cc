#include "diskfs/page_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <string_view>

namespace jepsen::diskfs {
namespace {

// What a file holds not durable: in memory, and written through (counted as written).
uint64_t NotDurableBytes(const CachedFile& file) {
  return file.overlay.bytes() + (file.undo != nullptr ? file.undo->written() : 0);
}

}  // namespace

CachedFile& PageCache::Get(ino_t ino, uint64_t backing_size, const std::string& path) {
  auto [it, made] = files_.try_emplace(ino);
  if (made) it->second.size = it->second.durable_size = backing_size;
  if (!path.empty()) it->second.path = path;
  return it->second;
}

CachedFile* PageCache::Find(ino_t ino) {
  auto it = files_.find(ino);
  return it == files_.end() ? nullptr : &it->second;
}

void PageCache::Forget(ino_t ino) {
  auto it = files_.find(ino);
  if (it == files_.end()) return;
  if (it->second.undo != nullptr) Drop(it->second);
  files_.erase(it);
}

int PageCache::Drop(CachedFile& file) {
  file.overlay.Clear();
  int result = 0;
  if (file.undo != nullptr) {
    result = file.undo->Restore(file.durable_size);
    file.undo.reset();
  }
  file.size = file.durable_size;
  file.writes = 0;
  file.last_length = 0;
  return result;
}

int PageCache::Spill(CachedFile& file, int fd) {
  if (file.undo == nullptr) {
    Result<std::unique_ptr<UndoLog>> undo =
        UndoLog::Start(undo_dir_ + "/undo-" + std::to_string(++undo_logs_), fd, file.durable_size);
    if (!undo.ok()) return -EIO;
    file.undo = std::move(*undo);
  }
  ++counters_.spills;
  for (const auto& [offset, text] : file.overlay.extents()) {
    if (int r = file.undo->WriteThrough(offset, text); r != 0) return r;
  }
  file.overlay.Clear();
  return 0;
}

uint64_t PageCache::SetFull(bool on) {
  if (on && !full_) refused_while_full_ = 0;
  full_ = on;
  return refused_while_full_;
}

int PageCache::RefusedFull() {
  ++refused_while_full_;
  ++counters_.full_refusals;
  return -ENOSPC;
}

FsyncErrors PageCache::ArmFsyncErrors(uint64_t count) {
  FsyncErrors done = fsync_errors_;
  fsync_errors_ = FsyncErrors{};
  fsync_errors_.left = count;
  return done;
}

int PageCache::Write(CachedFile& file, uint64_t offset, const char* data, uint64_t length, int fd) {
  if (full_) return RefusedFull();
  // An overwrite of cached bytes costs nothing more; counting the whole write keeps it simple
  // and errs towards spilling early.
  if (file.overlay.bytes() + length > max_file_bytes_) {
    if (int r = Spill(file, fd); r != 0) return r;
  }
  if (length > max_file_bytes_) {  // more than the file may hold at all: straight through
    if (int r = file.undo->WriteThrough(offset, std::string_view(data, length)); r != 0) return r;
  } else {
    file.overlay.Write(offset, std::string_view(data, length));
  }
  file.size = std::max(file.size, offset + length);
  file.last_offset = offset;
  file.last_length = length;
  ++file.writes;
  ++counters_.writes;
  return 0;
}

int PageCache::Flush(CachedFile& file, int fd) {
  if (full_) return RefusedFull();
  ++counters_.fsyncs;
  if (fsync_errors_.left > 0) {
    --fsync_errors_.left;
    ++fsync_errors_.failed;
    ++counters_.failed_fsyncs;
    Loss& dropped = fsync_errors_.dropped;
    if (file.dirty()) {
      if (std::find(dropped.files.begin(), dropped.files.end(), file.path) == dropped.files.end())
        dropped.files.push_back(file.path);
      const uint64_t bytes = NotDurableBytes(file);
      dropped.bytes += bytes;
      dropped.writes += file.writes;
      counters_.lost_bytes += bytes;
      counters_.lost_writes += file.writes;
    }
    Drop(file);  // as Linux: never to be written (a restore error shows as the EIO)
    return -EIO;
  }
  for (const auto& [offset, text] : file.overlay.extents()) {
    for (uint64_t done = 0; done < text.size();) {
      const ssize_t n =
          ::pwrite(fd, text.data() + done, text.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) return -errno;
      done += static_cast<uint64_t>(n);
    }
  }
  file.overlay.Clear();
  file.undo.reset();  // what went through is durable now
  file.durable_size = file.size;
  file.writes = 0;
  file.last_length = 0;
  return 0;
}

void PageCache::Truncate(CachedFile& file, uint64_t size) {
  file.overlay.Truncate(size);
  if (file.undo != nullptr) file.undo->Truncated(size);
  file.size = file.durable_size = size;
  if (file.last_offset >= size) file.last_length = 0;
  file.last_length = std::min(file.last_length, size - std::min(size, file.last_offset));
}

Loss PageCache::PowerLoss(std::vector<std::string>* errors) {
  Loss loss;
  ++counters_.power_losses;
  for (auto it = files_.begin(); it != files_.end();) {
    CachedFile& file = it->second;
    if (file.dirty()) {
      loss.files.push_back(file.path);
      loss.bytes += NotDurableBytes(file);
      loss.writes += file.writes;
    }
    if (int r = Drop(file); r != 0 && errors != nullptr) {
      errors->push_back("cannot restore " + file.path + ": " + std::strerror(-r));
    }
    it = file.open == 0 ? files_.erase(it) : std::next(it);
  }
  counters_.lost_bytes += loss.bytes;
  counters_.lost_writes += loss.writes;
  return loss;
}

Result<Loss> PageCache::TornPowerLoss(uint64_t seed, const WriteBack& write_back) {
  std::mt19937_64 rng(seed);
  std::vector<std::pair<ino_t, CachedFile*>> order;
  for (auto& [ino, file] : files_) {
    if (file.last_length > 0 && (!file.overlay.empty() || file.undo != nullptr))
      order.emplace_back(ino, &file);
  }
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.second->path < b.second->path; });
  std::vector<TornWrite> torn;
  struct Kept {
    ino_t ino;
    std::string path;
    uint64_t from;
    std::string data;
  };
  std::vector<Kept> kept;  // read before the power loss, written back after it
  uint64_t kept_bytes = 0;
  for (auto [ino, file] : order) {
    const uint64_t begin = file->last_offset;
    const uint64_t end = std::min(begin + file->last_length, file->size);
    if (end <= begin) continue;
    const uint64_t first = begin / kSectorBytes, sectors = (end - 1) / kSectorBytes - first + 1;
    std::vector<bool> keep(sectors, false);
    TornWrite write{file->path, begin, end - begin, "", {}};
    if (rng() % 2 == 0) {
      write.how = "prefix";
      const uint64_t whole = rng() % sectors;  // 0 .. sectors - 1: never the whole write
      for (uint64_t i = 0; i < whole; ++i) keep[i] = true;
    } else {
      write.how = "sectors";
      for (uint64_t i = 0; i < sectors; ++i) keep[i] = rng() % 2 == 0;
      if (std::find(keep.begin(), keep.end(), false) == keep.end()) keep[rng() % sectors] = false;
    }
    for (uint64_t i = 0; i < sectors; ++i) {
      if (!keep[i]) continue;
      const uint64_t from = std::max(begin, (first + i) * kSectorBytes);
      const uint64_t to = std::min(end, (first + i + 1) * kSectorBytes);
      if (!write.kept.empty() && write.kept.back().second == from) {
        write.kept.back().second = to;  // next to the last: one range
      } else {
        write.kept.emplace_back(from, to);
      }
    }
    for (const auto& [from, to] : write.kept) {
      std::string data(to - from, '\0');
      if (file->undo != nullptr) {  // what went through, under what is cached
        if (int r = file->undo->Read(from, to - from, data.data()); r != 0) {
          return Status::Error("torn power loss: cannot read " + file->path + ": " +
                               std::strerror(-r));
        }
      }
      file->overlay.Read(from, to - from, data.data());
      kept.push_back({ino, file->path, from, std::move(data)});
      kept_bytes += to - from;
    }
    torn.push_back(std::move(write));
  }
  std::vector<std::string> errors;
  Loss loss = PowerLoss(&errors);
  if (!errors.empty()) return Status::Error("torn power loss: " + errors.front());
  for (const Kept& k : kept) {
    if (int r = write_back(k.path, k.from, k.data); r != 0) {
      return Status::Error("torn power loss: cannot write back " + k.path + ": " +
                           std::strerror(-r));
    }
    if (CachedFile* file = Find(k.ino)) {
      file->durable_size = file->size = std::max(file->durable_size, k.from + k.data.size());
    }
  }
  loss.bytes -= std::min(loss.bytes, kept_bytes);
  counters_.lost_bytes -= std::min(counters_.lost_bytes, kept_bytes);
  loss.torn = std::move(torn);
  return loss;
}

CacheStats PageCache::Stats() const {
  CacheStats stats = counters_;
  stats.files_dirty = stats.bytes_dirty = stats.writes_pending = 0;
  for (const auto& [ino, file] : files_) {
    if (file.undo != nullptr) {
      ++stats.files_through;
      stats.bytes_through += file.undo->written();
    }
    if (!file.dirty()) continue;
    ++stats.files_dirty;
    stats.bytes_dirty += file.overlay.bytes();
    stats.writes_pending += file.writes;
  }
  return stats;
}

}  // namespace jepsen::diskfs
