// The `corrupt` fault's damage to a backing directory: one of its files,
// chosen at random among those a glob matches, gets random bits of one byte
// flipped, or one 512-byte sector zeroed, as a failing disk can leave it. It
// acts on the backing files only: a page cache (the layer's) holding newer
// bytes of the same range shadows the damage until it is written over.
#ifndef JEPSEN_DISKFS_CORRUPT_H_
#define JEPSEN_DISKFS_CORRUPT_H_

#include <cstdint>
#include <string>

#include "history/status.h"

namespace jepsen::diskfs {

struct Corruption {
  std::string file;  // relative to the backing directory
  uint64_t offset = 0, length = 0;
  std::string how;  // "bits" (one byte, `mask` flipped) or "zero" (a sector zeroed)
  unsigned mask = 0;
  bool changed = false;  // false only when every sector tried was zero already
};

// Damages one regular, non-empty file under `backing` whose relative path or name
// matches `glob` (fnmatch), everything drawn from `seed` (files in path order, so a
// seed damages alike). An error when no file matches or the file cannot be written.
Result<Corruption> CorruptFile(const std::string& backing, uint64_t seed, const std::string& glob);

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_CORRUPT_H_
