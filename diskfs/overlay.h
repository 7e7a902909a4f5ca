// A file's writes that are not durable yet, as a page cache holds them: byte
// ranges over the backing file's contents, newest write wins. Reads merge it
// over what the backing file holds; a power loss drops it; an fsync writes it
// to the backing file and clears it.
#ifndef JEPSEN_DISKFS_OVERLAY_H_
#define JEPSEN_DISKFS_OVERLAY_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace jepsen::diskfs {

class Overlay {
 public:
  // Extents by offset: never overlapping, never touching (a write next to one joins it).
  using Extents = std::map<uint64_t, std::string>;

  void Write(uint64_t offset, std::string_view data);
  // Copies what it holds of [offset, offset + length) into `out` (out[0] is offset);
  // the rest of `out` is left as it was.
  void Read(uint64_t offset, uint64_t length, char* out) const;
  // Whether it holds any byte of [offset, offset + length).
  bool Holds(uint64_t offset, uint64_t length) const;
  // Forgets everything at or beyond `size`.
  void Truncate(uint64_t size);
  void Clear() {
    extents_.clear();
    bytes_ = 0;
  }

  const Extents& extents() const { return extents_; }
  uint64_t bytes() const { return bytes_; }  // held in memory
  bool empty() const { return extents_.empty(); }
  uint64_t end() const;  // one past its last byte; 0 when empty

 private:
  Extents extents_;
  uint64_t bytes_ = 0;
};

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_OVERLAY_H_
