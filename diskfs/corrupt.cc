#include "diskfs/corrupt.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

#include "diskfs/state_dir.h"

namespace jepsen::diskfs {
namespace {

namespace fs = std::filesystem;
constexpr uint64_t kSector = 512;
constexpr int kZeroTries = 32;  // sectors drawn before a zeroing that changes nothing is reported

Status IoError(const std::string& what, const std::string& file) {
  return Status::Error("corrupt: cannot " + what + " " + file + ": " + std::strerror(errno));
}

}  // namespace

Result<Corruption> CorruptFile(const std::string& backing, uint64_t seed, const std::string& glob) {
  std::vector<std::pair<std::string, uint64_t>> files;  // relative path, size
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(backing, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->path().filename() == kStateDirName && it.depth() == 0) {  // the layer's own
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(error) || it->file_size(error) == 0) continue;
    const std::string relative = fs::relative(it->path(), backing, error).string();
    const std::string name = it->path().filename().string();
    if (::fnmatch(glob.c_str(), relative.c_str(), 0) == 0 ||
        ::fnmatch(glob.c_str(), name.c_str(), 0) == 0) {
      files.emplace_back(relative, it->file_size(error));
    }
  }
  if (files.empty()) {
    return Status::Error("corrupt: no non-empty file under " + backing + " matches '" + glob + "'");
  }
  std::sort(files.begin(), files.end());
  std::mt19937_64 rng(seed);
  const auto& [relative, size] = files[rng() % files.size()];
  const std::string path = backing + "/" + relative;
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return IoError("open", relative);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  Corruption done;
  done.file = relative;
  if (rng() % 2 == 0) {
    done.how = "bits";
    done.offset = rng() % size;
    done.length = 1;
    done.mask = 1 + static_cast<unsigned>(rng() % 255);
    unsigned char byte = 0;
    if (::pread(fd, &byte, 1, static_cast<off_t>(done.offset)) != 1)
      return IoError("read", relative);
    byte ^= static_cast<unsigned char>(done.mask);
    if (::pwrite(fd, &byte, 1, static_cast<off_t>(done.offset)) != 1) {
      return IoError("write", relative);
    }
    done.changed = true;
    return done;
  }
  done.how = "zero";
  const uint64_t sectors = (size + kSector - 1) / kSector;
  std::string sector(kSector, '\0');
  for (int tries = 0; tries < kZeroTries && !done.changed; ++tries) {
    done.offset = (rng() % sectors) * kSector;
    done.length = std::min(kSector, size - done.offset);
    const ssize_t n = ::pread(fd, sector.data(), done.length, static_cast<off_t>(done.offset));
    if (n < 0) return IoError("read", relative);
    done.changed = std::any_of(sector.begin(), sector.begin() + n, [](char c) { return c != 0; });
  }
  if (done.changed) {
    const std::string zeros(done.length, '\0');
    if (::pwrite(fd, zeros.data(), done.length, static_cast<off_t>(done.offset)) !=
        static_cast<ssize_t>(done.length)) {
      return IoError("write", relative);
    }
  }
  return done;
}

}  // namespace jepsen::diskfs
