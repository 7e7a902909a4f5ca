#include "diskfs/page_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <string_view>

namespace jepsen::diskfs {

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

int PageCache::Write(CachedFile& file, uint64_t offset, const char* data, uint64_t length) {
  if (full_) return RefusedFull();
  // An overwrite of cached bytes costs nothing more; counting the whole write keeps it simple
  // and errs towards refusing early.
  if (file.overlay.bytes() + length > max_file_bytes_) {
    ++counters_.refused_writes;
    return -ENOSPC;
  }
  file.overlay.Write(offset, std::string_view(data, length));
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
    if (!file.overlay.empty() || file.writes > 0) {
      if (std::find(dropped.files.begin(), dropped.files.end(), file.path) == dropped.files.end())
        dropped.files.push_back(file.path);
      dropped.bytes += file.overlay.bytes();
      dropped.writes += file.writes;
      counters_.lost_bytes += file.overlay.bytes();
      counters_.lost_writes += file.writes;
    }
    file.overlay.Clear();
    file.size = file.durable_size;
    file.writes = 0;
    file.last_length = 0;
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
  file.durable_size = file.size;
  file.writes = 0;
  file.last_length = 0;
  return 0;
}

void PageCache::Truncate(CachedFile& file, uint64_t size) {
  file.overlay.Truncate(size);
  file.size = file.durable_size = size;
  if (file.last_offset >= size) file.last_length = 0;
  file.last_length = std::min(file.last_length, size - std::min(size, file.last_offset));
}

Loss PageCache::PowerLoss() {
  Loss loss;
  ++counters_.power_losses;
  for (auto it = files_.begin(); it != files_.end();) {
    CachedFile& file = it->second;
    if (!file.overlay.empty() || file.writes > 0) {
      loss.files.push_back(file.path);
      loss.bytes += file.overlay.bytes();
      loss.writes += file.writes;
    }
    file.overlay.Clear();
    file.writes = 0;
    file.last_length = 0;
    file.size = file.durable_size;
    it = file.open == 0 ? files_.erase(it) : std::next(it);
  }
  counters_.lost_bytes += loss.bytes;
  counters_.lost_writes += loss.writes;
  return loss;
}

Result<Loss> PageCache::TornPowerLoss(uint64_t seed, const WriteBack& write_back) {
  std::mt19937_64 rng(seed);
  std::vector<CachedFile*> order;
  for (auto& [ino, file] : files_) {
    if (file.last_length > 0 && !file.overlay.empty()) order.push_back(&file);
  }
  std::sort(order.begin(), order.end(),
            [](const CachedFile* a, const CachedFile* b) { return a->path < b->path; });
  std::vector<TornWrite> torn;
  uint64_t kept_bytes = 0;
  for (CachedFile* file : order) {
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
      file->overlay.Read(from, to - from, data.data());
      if (int r = write_back(file->path, from, data); r != 0) {
        return Status::Error("torn power loss: cannot write back " + file->path + ": " +
                             std::strerror(-r));
      }
      kept_bytes += to - from;
      file->durable_size = std::max(file->durable_size, to);
    }
    torn.push_back(std::move(write));
  }
  Loss loss = PowerLoss();
  loss.bytes -= std::min(loss.bytes, kept_bytes);
  counters_.lost_bytes -= std::min(counters_.lost_bytes, kept_bytes);
  loss.torn = std::move(torn);
  return loss;
}

CacheStats PageCache::Stats() const {
  CacheStats stats = counters_;
  stats.files_dirty = stats.bytes_dirty = stats.writes_pending = 0;
  for (const auto& [ino, file] : files_) {
    if (file.overlay.empty()) continue;
    ++stats.files_dirty;
    stats.bytes_dirty += file.overlay.bytes();
    stats.writes_pending += file.writes;
  }
  return stats;
}

}  // namespace jepsen::diskfs
