// The layer's own directory inside the backing directory: the strict
// metadata rule's stashed entries and the undo logs of files written through
// before they were durable. The mount never shows it, and corrupt never picks
// a file in it.
#ifndef JEPSEN_DISKFS_STATE_DIR_H_
#define JEPSEN_DISKFS_STATE_DIR_H_

namespace jepsen::diskfs {

inline constexpr const char* kStateDirName = ".jepsen-diskfs";

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_STATE_DIR_H_
