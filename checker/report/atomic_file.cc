#include "checker/report/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace jepsen::checker::report {

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  std::string temp = path + ".tmp-XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot write: " + std::strerror(errno));
  auto fail = [&](int error) {
    ::close(fd);
    ::unlink(temp.c_str());
    return Status::Error(path + ": cannot write: " + std::strerror(error));
  };
  for (size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(errno);
    done += static_cast<size_t>(n);
  }
  // The reader of `path` sees the old file or the whole new one: readable (0644) like any other.
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) return fail(errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return Status::Error(path + ": cannot write: " + std::strerror(error));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return Status::Error(path + ": cannot write: " + std::strerror(error));
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);  // the rename itself survives a crash
    ::close(d);
  }
  return Status();
}

}  // namespace jepsen::checker::report
