#include "diskfs/namespace_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "diskfs/state_dir.h"

namespace jepsen::diskfs {
namespace {

std::string Relative(const char* path) { return path[0] == '/' ? path + 1 : path; }

std::string ParentPath(const std::string& relative) {
  const size_t slash = relative.rfind('/');
  return slash == std::string::npos ? "" : relative.substr(0, slash);
}

}  // namespace

NamespaceLog::NamespaceLog(std::string backing) : backing_(std::move(backing)) {}

ino_t NamespaceLog::ParentOf(const std::string& relative) const {
  struct stat st {};
  ::lstat(Full(ParentPath(relative)).c_str(), &st);
  return st.st_ino;
}

std::string NamespaceLog::Stash(const std::string& relative) {
  const std::string stash = std::string(kStateDirName) + "/stash-" + std::to_string(++stashed_);
  if (::linkat(AT_FDCWD, Full(relative).c_str(), AT_FDCWD, Full(stash).c_str(), 0) != 0) return "";
  return stash;
}

void NamespaceLog::Created(const std::string& op, const char* path) {
  const std::string relative = Relative(path);
  changes_.push_back(NamespaceChange{op, relative, "", "", 0, 0, 0, false, {ParentOf(relative)}});
}

int NamespaceLog::Unlink(const char* path) {
  const std::string relative = Relative(path);
  struct stat st;
  if (::lstat(Full(relative).c_str(), &st) != 0) return -errno;
  if (S_ISDIR(st.st_mode)) return -EISDIR;
  const std::string stash = Stash(relative);
  if (stash.empty()) return -errno;
  if (::unlink(Full(relative).c_str()) != 0) {
    const int error = errno;
    ::unlink(Full(stash).c_str());
    return -error;
  }
  changes_.push_back(
      NamespaceChange{"unlink", relative, "", stash, 0, 0, 0, false, {ParentOf(relative)}});
  return 0;
}

int NamespaceLog::Rmdir(const char* path) {
  const std::string relative = Relative(path);
  struct stat st;
  if (::lstat(Full(relative).c_str(), &st) != 0) return -errno;
  if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
  if (::rmdir(Full(relative).c_str()) != 0) return -errno;
  changes_.push_back(NamespaceChange{
      "rmdir", relative, "", "", st.st_mode, st.st_uid, st.st_gid, false, {ParentOf(relative)}});
  return 0;
}

int NamespaceLog::Rename(const char* from_path, const char* to_path, unsigned int flags) {
  NamespaceChange change{"rename", Relative(to_path), Relative(from_path), "", 0, 0, 0, false, {}};
  change.exchange = (flags & RENAME_EXCHANGE) != 0;
  struct stat source, victim;
  if (::lstat(Full(change.from).c_str(), &source) != 0) return -errno;
  const bool replaces = !change.exchange && ::lstat(Full(change.path).c_str(), &victim) == 0;
  if (replaces && victim.st_ino == source.st_ino) {  // two names of one file: nothing changes
    return ::renameat2(AT_FDCWD, Full(change.from).c_str(), AT_FDCWD, Full(change.path).c_str(),
                       flags) == 0
               ? 0
               : -errno;
  }
  if (replaces && !(flags & RENAME_NOREPLACE)) {
    if (S_ISDIR(victim.st_mode)) {  // empty, or the rename fails: made again on undo
      change.dir_mode = victim.st_mode;
      change.dir_uid = victim.st_uid;
      change.dir_gid = victim.st_gid;
    } else if ((change.stash = Stash(change.path)).empty()) {
      return -errno;
    }
  }
  if (::renameat2(AT_FDCWD, Full(change.from).c_str(), AT_FDCWD, Full(change.path).c_str(),
                  flags) != 0) {
    const int error = errno;
    if (!change.stash.empty()) ::unlink(Full(change.stash).c_str());
    return -error;
  }
  change.parents = {ParentOf(change.from), ParentOf(change.path)};
  changes_.push_back(std::move(change));
  return 0;
}

void NamespaceLog::Discard(const NamespaceChange& change) {
  if (!change.stash.empty()) ::unlink(Full(change.stash).c_str());
}

size_t NamespaceLog::Durable(ino_t dir) {
  size_t count = 0;
  for (size_t i = 0; i < changes_.size(); ++i) {
    const std::vector<ino_t>& parents = changes_[i].parents;
    if (std::find(parents.begin(), parents.end(), dir) != parents.end()) count = i + 1;
  }
  for (size_t i = 0; i < count; ++i) Discard(changes_[i]);
  changes_.erase(changes_.begin(), changes_.begin() + static_cast<std::ptrdiff_t>(count));
  return count;
}

std::vector<NamespaceChange> NamespaceLog::Undo(std::vector<std::string>& errors) {
  std::vector<NamespaceChange> undone(changes_.rbegin(), changes_.rend());
  changes_.clear();
  auto check = [&](int result, const std::string& what) {
    if (result != 0) errors.push_back("cannot undo: " + what + ": " + std::strerror(errno));
  };
  // A removed or replaced empty directory, made again as it was (chmod: not umasked).
  auto MakeDirectory = [&](const NamespaceChange& c, const std::string& what) {
    const std::string path = Full(c.path);
    check(::mkdir(path.c_str(), c.dir_mode & 07777), what);
    check(::chmod(path.c_str(), c.dir_mode & 07777), what);
    check(::lchown(path.c_str(), c.dir_uid, c.dir_gid), what);
  };
  for (const NamespaceChange& c : undone) {
    const std::string path = Full(c.path);
    if (c.op == "mkdir") {
      check(::rmdir(path.c_str()), "mkdir " + c.path);
    } else if (c.op == "rmdir") {
      MakeDirectory(c, "rmdir " + c.path);
    } else if (c.op == "unlink") {
      check(::rename(Full(c.stash).c_str(), path.c_str()), "unlink " + c.path);
    } else if (c.op == "rename") {
      const std::string what = "rename " + c.from + " to " + c.path;
      check(::renameat2(AT_FDCWD, path.c_str(), AT_FDCWD, Full(c.from).c_str(),
                        c.exchange ? RENAME_EXCHANGE : 0),
            what);
      if (!c.stash.empty()) {
        check(::rename(Full(c.stash).c_str(), path.c_str()), what);
      } else if (S_ISDIR(c.dir_mode)) {
        MakeDirectory(c, what);
      }
    } else {  // create, mknod, symlink, link: the name goes
      check(::unlink(path.c_str()), c.op + " " + c.path);
    }
  }
  return undone;
}

}  // namespace jepsen::diskfs
