#include "systems/clock/fake_clock.h"

#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace jepsen::systems {

double RealNow() {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

Result<std::string> LibFaketime() {
  if (const char* named = std::getenv("JEPSEN_LIBFAKETIME"); named != nullptr && *named != 0) {
    if (::access(named, R_OK) != 0) {
      return Status::Error(std::string("JEPSEN_LIBFAKETIME=") + named + ": " +
                           std::strerror(errno));
    }
    return std::string(named);
  }
  for (const char* path :
       {"/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1", "/usr/local/lib/faketime/libfaketime.so.1"}) {
    if (::access(path, R_OK) == 0) return std::string(path);
  }
  return Status::Error(
      "libfaketime is not installed (Debian: apt-get install libfaketime; scripts/bootstrap.sh "
      "installs it), or set JEPSEN_LIBFAKETIME to its libfaketime.so.1");
}

Status CheckPreloaded(int pid) {
  if (pid <= 0) return Status();
  const std::string maps = "/proc/" + std::to_string(pid) + "/maps";
  std::ifstream in(maps);
  if (!in) return Status::Error(maps + ": cannot read: " + std::strerror(errno));
  for (std::string line; std::getline(in, line);) {
    if (line.find("libfaketime") != std::string::npos) return Status();
  }
  return Status::Error(
      "its process (pid " + std::to_string(pid) +
      ") has no libfaketime loaded, so its clock cannot be faked (a static program, or one that "
      "clears LD_PRELOAD)");
}

Result<FakeClock> FakeClock::Make(const std::string& control_file) {
  Result<std::string> library = LibFaketime();
  if (!library.ok()) return library.status();
  FakeClock clock;
  clock.file_ = control_file;
  std::string preload = *library;
  if (const char* already = std::getenv("LD_PRELOAD"); already != nullptr && *already != 0) {
    preload += std::string(":") + already;
  }
  clock.env_ = {"LD_PRELOAD=" + preload, "FAKETIME_TIMESTAMP_FILE=" + control_file,
                "FAKETIME_NO_CACHE=1"};
  clock.start_s_ = clock.anchor_s_ = RealNow();
  if (Status s = clock.Write(); !s.ok()) return s;
  return clock;
}

ClockSetting FakeClock::now() const {
  return {offset_s_ + (RealNow() - anchor_s_) * (rate_ - 1), rate_};
}

Status FakeClock::Started() {
  const ClockSetting current = now();
  start_s_ = anchor_s_ = RealNow();
  offset_s_ = current.offset_s;
  return Write();
}

Result<ClockSetting> FakeClock::Change(double step_s, double rate) {
  const ClockSetting current = now();
  anchor_s_ = RealNow();
  offset_s_ = current.offset_s + step_s;
  rate_ = rate;
  if (Status s = Write(); !s.ok()) return s;
  return ClockSetting{offset_s_, rate_};
}

Result<ClockSetting> FakeClock::Reset() {
  const ClockSetting before = now();
  anchor_s_ = RealNow();
  offset_s_ = 0;
  rate_ = 1;
  if (Status s = Write(); !s.ok()) return s;
  return before;
}

// libfaketime's clock: real + O + (real - start)·(R - 1). At the anchor it must read
// anchor + offset, so O = offset - (anchor - start)·(R - 1). Written whole (a rename), so a
// clock read never sees half a setting.
Status FakeClock::Write() {
  const double o = offset_s_ - (anchor_s_ - start_s_) * (rate_ - 1);
  char line[96];
  std::snprintf(line, sizeof line, "%+.6f x%.6f\n", o, rate_);
  const std::string temporary = file_ + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << line;
    if (!out.flush()) return Status::Error(temporary + ": cannot write: " + std::strerror(errno));
  }
  if (std::rename(temporary.c_str(), file_.c_str()) != 0) {
    return Status::Error(file_ + ": cannot replace: " + std::strerror(errno));
  }
  return Status();
}

}  // namespace jepsen::systems
