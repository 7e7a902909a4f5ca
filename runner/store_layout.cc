#include "runner/store_layout.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace jepsen::runner {

namespace fs = std::filesystem;

std::string UtcStamp(bool for_path) {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::ostringstream out;
  out << std::put_time(&tm, for_path ? "%Y%m%dT%H%M%S" : "%Y-%m-%dT%H:%M:%S") << "." << std::setw(3)
      << std::setfill('0') << ms << (for_path ? "" : "Z");
  return out.str();
}

Result<std::string> CreateRunDirectory(const std::string& store, const std::string& group) {
  const fs::path parent = fs::path(store) / group;
  std::error_code error;
  fs::create_directories(parent, error);
  if (error) return Status::Error(parent.string() + ": cannot create: " + error.message());
  const std::string stamp = UtcStamp(true);
  for (int n = 1; n < 1000; ++n) {
    const fs::path dir = parent / (n == 1 ? stamp : stamp + "-" + std::to_string(n));
    if (::mkdir(dir.c_str(), 0755) == 0) return dir.string();  // ours alone
    if (errno != EEXIST) {
      return Status::Error(dir.string() + ": cannot create: " + std::strerror(errno));
    }
  }
  return Status::Error(parent.string() + ": cannot create a run directory for " + stamp);
}

Status PointLatestAt(const std::string& store, const std::string& dir) {
  const fs::path latest = fs::path(store) / "latest";
  const fs::path target = fs::path(dir).lexically_relative(fs::path(store));
  const fs::path link = fs::path(store) / (".latest-" + std::to_string(::getpid()));
  std::error_code error;
  fs::remove(link, error);
  fs::create_directory_symlink(target, link, error);
  if (!error) fs::rename(link, latest, error);
  if (error) {
    fs::remove(link, error);
    return Status::Error(latest.string() + ": cannot point at " + dir + ": " + error.message());
  }
  return Status();
}

}  // namespace jepsen::runner
