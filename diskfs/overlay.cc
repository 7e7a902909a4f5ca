#include "diskfs/overlay.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace jepsen::diskfs {

void Overlay::Write(uint64_t offset, std::string_view data) {
  if (data.empty()) return;
  // The extent it lands in or touches from the left grows in place (appends stay cheap).
  auto target = extents_.upper_bound(offset);
  if (target != extents_.begin()) {
    auto previous = std::prev(target);
    if (previous->first + previous->second.size() >= offset) target = previous;
  }
  if (target == extents_.end() || target->first > offset) {
    target = extents_.emplace(offset, std::string()).first;
  }
  std::string& text = target->second;
  const uint64_t base = target->first;
  bytes_ -= text.size();
  if (offset + data.size() - base > text.size()) text.resize(offset + data.size() - base);
  std::memcpy(text.data() + (offset - base), data.data(), data.size());
  // Extents it now reaches are absorbed; their bytes beyond it are kept.
  for (auto next = std::next(target);
       next != extents_.end() && next->first <= base + text.size();) {
    const uint64_t next_end = next->first + next->second.size();
    if (next_end > base + text.size()) {
      text.append(next->second, base + text.size() - next->first, std::string::npos);
    }
    bytes_ -= next->second.size();
    next = extents_.erase(next);
  }
  bytes_ += text.size();
}

bool Overlay::Holds(uint64_t offset, uint64_t length) const {
  auto it = extents_.upper_bound(offset);
  if (it != extents_.begin() && std::prev(it)->first + std::prev(it)->second.size() > offset) {
    return length > 0;
  }
  return it != extents_.end() && it->first < offset + length;
}

void Overlay::Read(uint64_t offset, uint64_t length, char* out) const {
  const uint64_t end = offset + length;
  auto it = extents_.upper_bound(offset);
  if (it != extents_.begin()) --it;
  for (; it != extents_.end() && it->first < end; ++it) {
    const uint64_t from = std::max(offset, it->first);
    const uint64_t to = std::min(end, it->first + it->second.size());
    if (from < to)
      std::memcpy(out + (from - offset), it->second.data() + (from - it->first), to - from);
  }
}

void Overlay::Truncate(uint64_t size) {
  auto it = extents_.lower_bound(size);
  while (it != extents_.end()) {
    bytes_ -= it->second.size();
    it = extents_.erase(it);
  }
  if (extents_.empty()) return;
  auto last = std::prev(extents_.end());
  if (last->first + last->second.size() > size) {
    bytes_ -= last->second.size() - (size - last->first);
    last->second.resize(size - last->first);
  }
}

uint64_t Overlay::end() const {
  if (extents_.empty()) return 0;
  auto last = std::prev(extents_.end());
  return last->first + last->second.size();
}

}  // namespace jepsen::diskfs
