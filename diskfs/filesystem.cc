#include "diskfs/filesystem.h"

#define FUSE_USE_VERSION 312
#include <dirent.h>
#include <fcntl.h>
#include <fuse.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "diskfs/control.h"
#include "diskfs/corrupt.h"
#include "diskfs/namespace_log.h"
#include "diskfs/page_cache.h"
#include "diskfs/state_dir.h"

namespace jepsen::diskfs {
namespace {

using Json = nlohmann::json;

// One open file: the backing file's descriptor, its inode (the cache's key), and whether
// its writes are synchronous (O_SYNC, O_DSYNC).
struct Handle {
  int fd;
  ino_t ino;
  bool sync;
};

// The filesystem's state; FUSE runs its requests on threads of its own (fuse_loop_mt), the
// control channel on another, and they hold `mutex` while they touch the cache or the backing
// files (recursive: a create holds it across the steps that each take it).
struct State {
  FilesystemOptions options;
  std::recursive_mutex mutex;
  PageCache cache;
  NamespaceLog names;  // --strict-metadata: the namespace changes not yet durable
  explicit State(const FilesystemOptions& o)
      : options(o), cache(o.max_file_bytes, o.backing + "/" + kStateDirName), names(o.backing) {}
};
State* state = nullptr;

std::string Full(const char* path) { return state->options.backing + path; }
std::string Relative(const char* path) { return path[1] ? path + 1 : "."; }
Handle* HandleOf(fuse_file_info* fi) { return reinterpret_cast<Handle*>(fi->fh); }
bool Strict() { return state->options.strict_metadata; }
// The layer's state directory is not the mount's to see.
bool Hidden(const char* path) {
  const size_t n = std::strlen(kStateDirName);
  return path != nullptr && path[0] == '/' && std::strncmp(path + 1, kStateDirName, n) == 0 &&
         (path[n + 1] == '\0' || path[n + 1] == '/');
}

void* Init(fuse_conn_info* conn, fuse_config* cfg) {
  conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;  // every write reaches us, when the app makes it
  cfg->use_ino = 1;                         // the backing inodes: SQLite tells files apart by them
  cfg->attr_timeout = 0;                    // sizes change under the kernel at a power loss
  cfg->entry_timeout = 0;
  cfg->negative_timeout = 0;
  cfg->hard_remove = 1;  // unlink at once, no .fuse_hidden files: handles work without paths
  cfg->nullpath_ok = 1;
  cfg->direct_io = 0;     // the kernel's page cache stays, so shared mmap (SQLite's -shm) works
  cfg->kernel_cache = 0;  // and is dropped at each open, so nothing lost stays visible
  return nullptr;
}

int Getattr(const char* path, struct stat* st, fuse_file_info* fi) {
  if (fi == nullptr && Hidden(path)) return -ENOENT;
  std::lock_guard lock(state->mutex);
  if ((fi ? ::fstat(HandleOf(fi)->fd, st) : ::lstat(Full(path).c_str(), st)) != 0) return -errno;
  if (S_ISREG(st->st_mode)) {
    if (CachedFile* file = state->cache.Find(st->st_ino))
      st->st_size = static_cast<off_t>(file->size);
  }
  return 0;
}

// Opens (or creates) the backing file. Appends, synchronous writes and direct I/O are ours to
// carry out, so the backing descriptor has none of them.
int Open(const char* path, fuse_file_info* fi, bool create, mode_t mode) {
  const int flags =
      (fi->flags & ~(O_APPEND | O_SYNC | O_DSYNC | O_DIRECT)) | O_CLOEXEC | (create ? O_CREAT : 0);
  std::lock_guard lock(state->mutex);
  const int fd = ::open(Full(path).c_str(), flags, mode);
  if (fd < 0) return -errno;
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return -error;
  }
  CachedFile& file = state->cache.Get(st.st_ino, static_cast<uint64_t>(st.st_size), Relative(path));
  ++file.open;
  if (fi->flags & O_TRUNC) state->cache.Truncate(file, 0);
  fi->fh =
      reinterpret_cast<uint64_t>(new Handle{fd, st.st_ino, (fi->flags & (O_SYNC | O_DSYNC)) != 0});
  return 0;
}

// 0, or -ENOSPC while the disk is full (disk-full): a new name needs room.
int CreateRefused() {
  std::lock_guard lock(state->mutex);
  return state->cache.Create();
}

int OpenOp(const char* path, fuse_file_info* fi) { return Open(path, fi, false, 0); }
// Under --strict-metadata a name made is logged, to be undone unless its directory is fsynced.
int Made(const char* op, const char* path, int result) {
  if (result == 0 && Strict()) {
    std::lock_guard lock(state->mutex);
    state->names.Created(op, path);
  }
  return result;
}

// A name made for a caller belongs to the caller, as on a disk: the filesystem runs as root, and
// a program run as another user (PostgreSQL) refuses a data directory it does not own.
int OwnedByCaller(const char* path, int result) {
  const fuse_context* caller = fuse_get_context();
  if (result != 0 || caller == nullptr || ::geteuid() != 0) return result;
  if (caller->uid == 0 && caller->gid == 0) return result;
  return ::lchown(Full(path).c_str(), caller->uid, caller->gid) == 0 ? 0 : -errno;
}

int Create(const char* path, mode_t mode, fuse_file_info* fi) {
  std::lock_guard lock(state->mutex);  // the strict log's order is the backing directory's
  if (int r = CreateRefused(); r != 0) return r;
  struct stat st;
  if (::lstat(Full(path).c_str(), &st) == 0) return Open(path, fi, true, mode);  // not made
  return OwnedByCaller(path, Made("create", path, Open(path, fi, true, mode)));
}

int Read(const char*, char* buffer, size_t size, off_t offset, fuse_file_info* fi) {
  Handle* handle = HandleOf(fi);
  std::lock_guard lock(state->mutex);
  CachedFile* file = state->cache.Find(handle->ino);
  if (file == nullptr || file->overlay.empty()) {
    const ssize_t n = ::pread(handle->fd, buffer, size, offset);
    return n < 0 ? -errno : static_cast<int>(n);
  }
  const uint64_t from = static_cast<uint64_t>(offset);
  if (from >= file->size) return 0;
  const uint64_t length = std::min<uint64_t>(size, file->size - from);
  ssize_t got = ::pread(handle->fd, buffer, length, offset);
  if (got < 0) return -errno;
  std::memset(buffer + got, 0, length - static_cast<uint64_t>(got));  // beyond the backing file
  file->overlay.Read(from, length, buffer);
  return static_cast<int>(length);
}

int Write(const char*, const char* data, size_t size, off_t offset, fuse_file_info* fi) {
  Handle* handle = HandleOf(fi);
  std::lock_guard lock(state->mutex);
  CachedFile* file = state->cache.Find(handle->ino);
  if (file == nullptr) return -EBADF;
  if (int r = state->cache.Write(*file, static_cast<uint64_t>(offset), data, size, handle->fd);
      r != 0)
    return r;
  // A synchronous write is durable when it returns. The kernel follows it with an fsync of the
  // whole file anyway (FUSE's fsync carries no range), so the whole file is made durable here.
  if (handle->sync) {
    if (int r = state->cache.Flush(*file, handle->fd); r != 0) return r;
  }
  return static_cast<int>(size);
}

int Fsync(const char*, int datasync, fuse_file_info* fi) {
  Handle* handle = HandleOf(fi);
  {
    std::lock_guard lock(state->mutex);
    if (CachedFile* file = state->cache.Find(handle->ino)) {
      if (int r = state->cache.Flush(*file, handle->fd); r != 0) return r;
    }
  }
  // Durable in the layer now; the real disk's fsync needs no lock (other requests go on).
  if (state->options.real_fsync &&
      (datasync ? ::fdatasync(handle->fd) : ::fsync(handle->fd)) != 0) {
    return -errno;
  }
  return 0;
}

int Release(const char*, fuse_file_info* fi) {
  Handle* handle = HandleOf(fi);
  std::lock_guard lock(state->mutex);
  if (CachedFile* file = state->cache.Find(handle->ino)) {
    struct stat st;
    const bool gone = ::fstat(handle->fd, &st) == 0 && st.st_nlink == 0;
    // A file with nothing cached is read from its backing file alone until it is opened again.
    if (--file->open == 0 && (gone || (file->overlay.empty() && file->undo == nullptr)))
      state->cache.Forget(handle->ino);
  }
  ::close(handle->fd);
  delete handle;
  return 0;
}

int Truncate(const char* path, off_t size, fuse_file_info* fi) {
  std::lock_guard lock(state->mutex);
  struct stat st;
  if (fi != nullptr) {
    if (::ftruncate(HandleOf(fi)->fd, size) != 0 || ::fstat(HandleOf(fi)->fd, &st) != 0)
      return -errno;
  } else if (::truncate(Full(path).c_str(), size) != 0 || ::lstat(Full(path).c_str(), &st) != 0) {
    return -errno;
  }
  if (CachedFile* file = state->cache.Find(st.st_ino)) {
    state->cache.Truncate(*file, static_cast<uint64_t>(size));
  }
  return 0;
}

// `path`'s inode leaves the namespace: what is cached of it goes when no handle holds it.
void Unlinked(const struct stat& st) {
  if (!S_ISREG(st.st_mode) || st.st_nlink > 1) return;
  CachedFile* file = state->cache.Find(st.st_ino);
  if (file != nullptr && file->open == 0) state->cache.Forget(st.st_ino);
}

int Unlink(const char* path) {
  std::lock_guard lock(state->mutex);
  struct stat st;
  if (::lstat(Full(path).c_str(), &st) != 0) return -errno;
  if (Strict()) {
    if (int r = state->names.Unlink(path); r != 0) return r;
  } else if (::unlink(Full(path).c_str()) != 0) {
    return -errno;
  }
  Unlinked(st);
  return 0;
}

int Rename(const char* from, const char* to, unsigned int flags) {
  std::lock_guard lock(state->mutex);
  struct stat replaced;
  const bool replaces = ::lstat(Full(to).c_str(), &replaced) == 0 && !(flags & RENAME_EXCHANGE);
  if (Strict()) {
    if (int r = state->names.Rename(from, to, flags); r != 0) return r;
  } else if (::renameat2(AT_FDCWD, Full(from).c_str(), AT_FDCWD, Full(to).c_str(), flags) != 0) {
    return -errno;
  }
  struct stat moved;
  if (replaces && ::lstat(Full(to).c_str(), &moved) == 0 && moved.st_ino != replaced.st_ino) {
    Unlinked(replaced);
  }
  if (::lstat(Full(to).c_str(), &moved) == 0) {
    if (CachedFile* file = state->cache.Find(moved.st_ino)) file->path = Relative(to);
  }
  return 0;
}

int Mknod(const char* path, mode_t mode, dev_t rdev) {
  std::lock_guard lock(state->mutex);
  if (int r = CreateRefused(); r != 0) return r;
  const int r =
      S_ISFIFO(mode) ? ::mkfifo(Full(path).c_str(), mode) : ::mknod(Full(path).c_str(), mode, rdev);
  return OwnedByCaller(path, Made("mknod", path, r == 0 ? 0 : -errno));
}

int Mkdir(const char* path, mode_t mode) {
  std::lock_guard lock(state->mutex);
  if (int r = CreateRefused(); r != 0) return r;
  return OwnedByCaller(path,
                       Made("mkdir", path, ::mkdir(Full(path).c_str(), mode) == 0 ? 0 : -errno));
}
int Rmdir(const char* path) {
  if (Strict()) {
    std::lock_guard lock(state->mutex);
    return state->names.Rmdir(path);
  }
  return ::rmdir(Full(path).c_str()) == 0 ? 0 : -errno;
}
int Symlink(const char* target, const char* path) {
  std::lock_guard lock(state->mutex);
  if (int r = CreateRefused(); r != 0) return r;
  return OwnedByCaller(
      path, Made("symlink", path, ::symlink(target, Full(path).c_str()) == 0 ? 0 : -errno));
}
int Link(const char* from, const char* to) {
  std::lock_guard lock(state->mutex);
  if (int r = CreateRefused(); r != 0) return r;
  return Made("link", to, ::link(Full(from).c_str(), Full(to).c_str()) == 0 ? 0 : -errno);
}
int Readlink(const char* path, char* buffer, size_t size) {
  const ssize_t n = ::readlink(Full(path).c_str(), buffer, size - 1);
  if (n < 0) return -errno;
  buffer[n] = '\0';
  return 0;
}
int Chmod(const char* path, mode_t mode, fuse_file_info* fi) {
  return (fi ? ::fchmod(HandleOf(fi)->fd, mode) : ::chmod(Full(path).c_str(), mode)) == 0 ? 0
                                                                                          : -errno;
}
int Chown(const char* path, uid_t uid, gid_t gid, fuse_file_info* fi) {
  return (fi ? ::fchown(HandleOf(fi)->fd, uid, gid) : ::lchown(Full(path).c_str(), uid, gid)) == 0
             ? 0
             : -errno;
}
int Utimens(const char* path, const struct timespec times[2], fuse_file_info* fi) {
  return (fi ? ::futimens(HandleOf(fi)->fd, times)
             : ::utimensat(AT_FDCWD, Full(path).c_str(), times, AT_SYMLINK_NOFOLLOW)) == 0
             ? 0
             : -errno;
}
int Access(const char* path, int mask) {
  return ::access(Full(path).c_str(), mask) == 0 ? 0 : -errno;
}
int Statfs(const char* path, struct statvfs* st) {
  return ::statvfs(Full(path).c_str(), st) == 0 ? 0 : -errno;
}

// An open directory; the root's listing leaves the layer's state directory out.
struct DirHandle {
  DIR* dir;
  bool root;
};
DirHandle* DirOf(fuse_file_info* fi) { return reinterpret_cast<DirHandle*>(fi->fh); }

int Opendir(const char* path, fuse_file_info* fi) {
  DIR* dir = ::opendir(Full(path).c_str());
  if (dir == nullptr) return -errno;
  fi->fh = reinterpret_cast<uint64_t>(new DirHandle{dir, std::strcmp(path, "/") == 0});
  return 0;
}
int Readdir(const char*, void* buffer, fuse_fill_dir_t fill, off_t, fuse_file_info* fi,
            fuse_readdir_flags) {
  DIR* dir = DirOf(fi)->dir;
  const bool root = DirOf(fi)->root;
  ::rewinddir(dir);  // offset 0 to every entry: libfuse asks once and pages itself
  while (dirent* entry = ::readdir(dir)) {
    if (root && std::strcmp(entry->d_name, kStateDirName) == 0) continue;
    struct stat st {};
    st.st_ino = entry->d_ino;
    st.st_mode = static_cast<mode_t>(DTTOIF(entry->d_type));
    if (fill(buffer, entry->d_name, &st, 0, static_cast<fuse_fill_dir_flags>(0))) break;
  }
  return 0;
}
int Releasedir(const char*, fuse_file_info* fi) {
  ::closedir(DirOf(fi)->dir);
  delete DirOf(fi);
  return 0;
}
// Ordered metadata is durable as soon as it is made (docs/disk-faults.md): a directory's fsync
// has nothing left to do on the layer. Strict metadata: it makes the directory's changes durable.
int Fsyncdir(const char*, int, fuse_file_info* fi) {
  const int fd = ::dirfd(DirOf(fi)->dir);
  if (Strict()) {
    struct stat st;
    if (::fstat(fd, &st) != 0) return -errno;
    std::lock_guard lock(state->mutex);
    state->names.Durable(st.st_ino);
  }
  if (state->options.real_fsync && ::fsync(fd) != 0) return -errno;
  return 0;
}

// The power-loss reply's account of the namespace changes it undid (strict metadata), newest
// first; `metadata_errors` only if one could not be undone.
void UndoMetadata(Json& reply) {
  std::vector<std::string> errors;
  Json undone = Json::array();
  for (const NamespaceChange& c : state->names.Undo(errors)) {
    Json change{{"op", c.op}, {"path", c.path}};
    if (c.op == "rename") change["from"] = c.from;
    undone.push_back(std::move(change));
  }
  reply["metadata"] = std::move(undone);
  if (!errors.empty()) reply["metadata_errors"] = errors;
}

Json StatsJson() {
  const CacheStats s = state->cache.Stats();
  return {{"ok", true},
          {"files_dirty", s.files_dirty},
          {"bytes_dirty", s.bytes_dirty},
          {"writes_pending", s.writes_pending},
          {"writes", s.writes},
          {"fsyncs", s.fsyncs},
          {"spills", s.spills},
          {"files_through", s.files_through},
          {"bytes_through", s.bytes_through},
          {"power_losses", s.power_losses},
          {"lost_bytes", s.lost_bytes},
          {"lost_writes", s.lost_writes},
          {"full", state->cache.full()},
          {"full_refusals", s.full_refusals},
          {"failed_fsyncs", s.failed_fsyncs},
          {"metadata_pending", state->names.pending()}};
}

// `corrupt <seed> [<glob>]` (diskfs/corrupt.h); the reply says whether the layer's cache holds
// newer bytes of the damaged range (which hide it until they are written over it).
std::string Corrupt(const std::string& arguments) {
  const size_t space = arguments.find(' ');
  const std::string seed = arguments.substr(0, space);
  const std::string glob = space == std::string::npos ? "*" : arguments.substr(space + 1);
  if (seed.empty() || seed.size() > 19 ||
      seed.find_first_not_of("0123456789") != std::string::npos) {
    return Json{{"ok", false}, {"error", "corrupt wants a seed, not '" + seed + "'"}}.dump();
  }
  Result<Corruption> done = CorruptFile(state->options.backing, std::stoull(seed), glob);
  if (!done.ok()) return Json{{"ok", false}, {"error", done.message()}}.dump();
  bool cached = false;
  struct stat st;
  if (::lstat((state->options.backing + "/" + done->file).c_str(), &st) == 0) {
    if (CachedFile* file = state->cache.Find(st.st_ino)) {
      cached = file->overlay.Holds(done->offset, done->length);
    }
  }
  Json reply{{"ok", true},
             {"file", done->file},
             {"offset", done->offset},
             {"length", done->length},
             {"how", done->how},
             {"changed", done->changed},
             {"cached", cached}};
  if (done->how == "bits") reply["mask"] = done->mask;
  return reply.dump();
}

std::string Command(const std::string& command) {
  std::lock_guard lock(state->mutex);
  if (command == "power-loss") {
    std::vector<std::string> errors;
    const Loss loss = state->cache.PowerLoss(&errors);
    Json reply{{"ok", true}, {"files", loss.files}, {"bytes", loss.bytes}, {"writes", loss.writes}};
    UndoMetadata(reply);
    if (!errors.empty()) {  // the disk is not what the rule says: a failed fault
      reply["ok"] = false;
      reply["error"] = "power loss: " + errors.front();
    }
    return reply.dump();
  }
  if (command.rfind("power-loss torn ", 0) == 0) {
    const std::string seed = command.substr(16);
    if (seed.empty() || seed.size() > 19 ||
        seed.find_first_not_of("0123456789") != std::string::npos) {
      return Json{{"ok", false}, {"error", "power-loss torn wants a seed, not '" + seed + "'"}}
          .dump();
    }
    Result<Loss> loss = state->cache.TornPowerLoss(
        std::stoull(seed), [](const std::string& path, uint64_t offset, std::string_view data) {
          const int fd =
              ::open((state->options.backing + "/" + path).c_str(), O_WRONLY | O_CLOEXEC);
          if (fd < 0) return -errno;
          const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
          const int error = n < 0 ? errno : (static_cast<size_t>(n) < data.size() ? EIO : 0);
          ::close(fd);
          return -error;
        });
    if (!loss.ok()) return Json{{"ok", false}, {"error", loss.message()}}.dump();
    Json torn = Json::array();
    for (const TornWrite& t : loss->torn) {
      torn.push_back({{"file", t.file},
                      {"offset", t.offset},
                      {"length", t.length},
                      {"how", t.how},
                      {"kept", t.kept}});
    }
    Json reply{{"ok", true},
               {"files", loss->files},
               {"bytes", loss->bytes},
               {"writes", loss->writes},
               {"torn", torn}};
    UndoMetadata(reply);
    return reply.dump();
  }
  if (command.rfind("corrupt ", 0) == 0) return Corrupt(command.substr(8));
  if (command == "stats") return StatsJson().dump();
  if (command == "disk-full on" || command == "disk-full off") {
    const bool on = command == "disk-full on";
    const uint64_t refused = state->cache.SetFull(on);
    Json reply{{"ok", true}, {"full", on}};
    if (!on) reply["refused"] = refused;  // writes, fsyncs, creates refused while it was full
    return reply.dump();
  }
  constexpr const char* kCommands =
      " (power-loss, power-loss torn <seed>, corrupt <seed> [<glob>], stats, disk-full on|off, "
      "fsync-error N)";
  if (command.rfind("fsync-error ", 0) == 0) {
    const std::string n = command.substr(12);
    if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos) {
      return Json{{"ok", false}, {"error", "fsync-error wants a count, not '" + n + "'"}}.dump();
    }
    const FsyncErrors done = state->cache.ArmFsyncErrors(std::stoull(n));
    return Json{{"ok", true},
                {"armed", std::stoull(n)},
                {"failed", done.failed},
                {"left", done.left},
                {"files", done.dropped.files},
                {"bytes", done.dropped.bytes},
                {"writes", done.dropped.writes}}
        .dump();
  }
  const std::string error = "unknown command '" + command + "'" + kCommands;
  return Json{{"ok", false}, {"error", error}}.dump();
}

}  // namespace

int RunFilesystem(const FilesystemOptions& options) {
  // The state directory starts empty: what a layer killed outright left there (undo records,
  // stashed entries) is not undone; the backing directory is what that machine's disk kept.
  const std::string state_dir = options.backing + "/" + kStateDirName;
  std::error_code error;
  std::filesystem::remove_all(state_dir, error);
  if (!std::filesystem::create_directory(state_dir, error) || error) {
    std::cerr << "jepsen-diskfs: cannot make " << state_dir << ": " << error.message() << "\n";
    return 1;
  }
  static State shared(options);
  state = &shared;
  fuse_operations ops{};
  ops.init = Init;
  ops.getattr = Getattr;
  ops.readlink = Readlink;
  ops.mknod = Mknod;
  ops.mkdir = Mkdir;
  ops.unlink = Unlink;
  ops.rmdir = Rmdir;
  ops.symlink = Symlink;
  ops.rename = Rename;
  ops.link = Link;
  ops.chmod = Chmod;
  ops.chown = Chown;
  ops.truncate = Truncate;
  ops.open = OpenOp;
  ops.read = Read;
  ops.write = Write;
  ops.statfs = Statfs;
  ops.release = Release;
  ops.fsync = Fsync;
  ops.opendir = Opendir;
  ops.readdir = Readdir;
  ops.releasedir = Releasedir;
  ops.fsyncdir = Fsyncdir;
  ops.access = Access;
  ops.create = Create;
  ops.utimens = Utimens;

  fuse_args args = FUSE_ARGS_INIT(0, nullptr);
  fuse_opt_add_arg(&args, "jepsen-diskfs");
  fuse_opt_add_arg(&args, "-o");
  fuse_opt_add_arg(&args, "fsname=jepsen-diskfs,subtype=jepsen-diskfs,allow_other");
  fuse* fs = fuse_new(&args, &ops, sizeof ops, nullptr);
  fuse_opt_free_args(&args);
  if (fs == nullptr) {
    std::cerr << "jepsen-diskfs: cannot set up FUSE\n";
    return 1;
  }
  if (fuse_mount(fs, options.mountpoint.c_str()) != 0) {
    std::cerr << "jepsen-diskfs: cannot mount on " << options.mountpoint
              << " (root and /dev/fuse are needed)\n";
    fuse_destroy(fs);
    return 1;
  }
  int code = 0;
  if (fuse_set_signal_handlers(fuse_get_session(fs)) != 0) {
    std::cerr << "jepsen-diskfs: cannot catch signals\n";
    code = 1;
  } else if (Status s = ServeControl(options.control, Command); !s.ok()) {
    std::cerr << "jepsen-diskfs: " << s.message() << "\n";
    code = 1;
  } else {
    std::cerr << "jepsen-diskfs: " << options.backing << " mounted on " << options.mountpoint
              << ", control " << options.control
              << (options.strict_metadata ? ", strict metadata" : ", ordered metadata")
              << (options.real_fsync ? ", real fsync" : "") << std::endl;
    // Threads: a request waiting on the real disk (--real-fsync) holds up no other.
    fuse_loop_config* config = fuse_loop_cfg_create();
    fuse_loop_cfg_set_max_threads(config, 8);
    code = fuse_loop_mt(fs, config) == 0 ? 0 : 1;
    fuse_loop_cfg_destroy(config);
    fuse_remove_signal_handlers(fuse_get_session(fs));
  }
  fuse_unmount(fs);
  fuse_destroy(fs);
  if (options.control[0] != '@') ::unlink(options.control.c_str());
  return code;
}

}  // namespace jepsen::diskfs
