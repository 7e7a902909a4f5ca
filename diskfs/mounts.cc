#include "diskfs/mounts.h"

#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace jepsen::diskfs {
namespace {

// /proc/self/mounts escapes space, tab, newline and backslash as \ooo.
std::string Unescape(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      const std::string digits = field.substr(i + 1, 3);
      if (digits.find_first_not_of("01234567") == std::string::npos) {
        out.push_back(static_cast<char>(std::stoi(digits, nullptr, 8)));
        i += 3;
        continue;
      }
    }
    out.push_back(field[i]);
  }
  return out;
}

bool Under(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         (dir.back() == '/' || path[dir.size()] == '/'));
}

}  // namespace

std::vector<std::string> DiskfsMountsUnder(const std::string& dir) {
  std::error_code error;
  const std::string root = std::filesystem::weakly_canonical(dir, error).string();
  std::vector<std::string> found;
  std::ifstream mounts("/proc/self/mounts");
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string source, target, type;
    fields >> source >> target >> type;
    target = Unescape(target);
    if (type == kMountType && Under(target, error ? dir : root)) found.push_back(target);
  }
  return found;
}

Result<std::vector<std::string>> UnmountStaleDiskfsUnder(const std::string& dir) {
  std::vector<std::string> detached;
  // Deepest first, so a mount inside another goes before it.
  std::vector<std::string> mounts = DiskfsMountsUnder(dir);
  for (auto it = mounts.rbegin(); it != mounts.rend(); ++it) {
    struct stat st;
    if (::stat(it->c_str(), &st) == 0 || errno != ENOTCONN) continue;  // served: alive
    if (::umount2(it->c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
      return Status::Error("cannot unmount the stale jepsen-diskfs at " + *it + ": " +
                           std::strerror(errno));
    }
    detached.push_back(*it);
  }
  return detached;
}

}  // namespace jepsen::diskfs
