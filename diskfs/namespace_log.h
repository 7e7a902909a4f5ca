// The strict metadata rule (jepsen-diskfs --strict-metadata, docs/disk-faults.md):
// a namespace change (create, mkdir, mknod, symlink, link, rename, unlink, rmdir)
// reaches the backing directory at once, and is logged with what undoes it until
// a directory fsync makes it durable; a power loss undoes the changes not yet
// durable, newest first. What a change removes (an unlinked file, a file a rename
// replaced) waits in the state directory (state_dir.h) until it is durable.
#ifndef JEPSEN_DISKFS_NAMESPACE_LOG_H_
#define JEPSEN_DISKFS_NAMESPACE_LOG_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace jepsen::diskfs {

// One change, as a power loss reports undoing it. Paths are relative to the mount.
struct NamespaceChange {
  std::string op;    // "create", "mkdir", "mknod", "symlink", "link", "rename", "unlink", "rmdir"
  std::string path;  // the name made or removed; a rename's destination
  std::string from;  // a rename's source
  // How to undo it, beyond the op itself:
  std::string stash;           // the removed or replaced entry, kept in the state directory
  mode_t dir_mode = 0;         // a removed (or replaced) empty directory (S_ISDIR): made
  uid_t dir_uid = 0;           //   again with its mode and owner
  gid_t dir_gid = 0;           //
  bool exchange = false;       // a RENAME_EXCHANGE: undone by exchanging again
  std::vector<ino_t> parents;  // the directories whose entries it changed
};

class NamespaceLog {
 public:
  // `backing`: the backing directory (absolute); its state directory must exist.
  explicit NamespaceLog(std::string backing);

  // Each carries the change out in the backing directory and logs it: 0 or -errno (nothing
  // changed, nothing logged). Paths are FUSE's: "/a/b".
  void Created(const std::string& op, const char* path);  // made by the caller already
  int Unlink(const char* path);
  int Rmdir(const char* path);
  int Rename(const char* from, const char* to, unsigned int flags);

  // A directory fsync of the directory `dir`: makes durable every change up to the last one
  // that changed its entries (changes are made durable in order, as a journal commits them).
  // Returns how many became durable.
  size_t Durable(ino_t dir);
  // A power loss: undoes every change not durable, newest first. Returns them, newest first;
  // `errors` gets what could not be undone (none expected).
  std::vector<NamespaceChange> Undo(std::vector<std::string>& errors);
  size_t pending() const { return changes_.size(); }

 private:
  std::string Full(const std::string& relative) const { return backing_ + "/" + relative; }
  ino_t ParentOf(const std::string& relative) const;
  // Keeps a hard link to the file (not directory) at `relative` in the state directory:
  // its name there, or "" (errno set).
  std::string Stash(const std::string& relative);
  void Discard(const NamespaceChange& change);  // durable: what it kept goes
  std::string backing_;
  uint64_t stashed_ = 0;  // names stash entries
  std::vector<NamespaceChange> changes_;
};

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_NAMESPACE_LOG_H_
