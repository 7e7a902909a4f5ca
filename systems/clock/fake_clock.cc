#include "systems/clock/fake_clock.h"

#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace jepsen::systems {
namespace {

timespec Now(clockid_t clock) {
  timespec t{};
  ::clock_gettime(clock, &t);
  return t;
}

double Seconds(const timespec& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Real time now (this process has no libfaketime).
double RealNow() { return Seconds(Now(CLOCK_REALTIME)); }

// libfaketime 0.9.10's shared memory (struct ft_shared_s): two counters, then the start of
// each clock it fakes as a timespec: realtime, monotonic, monotonic raw, boottime. It reads
// the start from here when FAKETIME_SHARED names the memory (fake_clock_test shows it does).
constexpr size_t kStartsAt = 16;
constexpr clockid_t kStarted[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW,
                                  CLOCK_BOOTTIME};
constexpr size_t kSharedSize = 4096;  // larger than the struct: nothing it reads is past the end

}  // namespace

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

Result<std::unique_ptr<FakeClock>> FakeClock::Make(const std::string& control_file) {
  Result<std::string> library = LibFaketime();
  if (!library.ok()) return library.status();
  std::unique_ptr<FakeClock> clock(new FakeClock);
  clock->file_ = control_file;
  if (Status s = clock->Share(); !s.ok()) return s;
  std::string preload = *library;
  if (const char* already = std::getenv("LD_PRELOAD"); already != nullptr && *already != 0) {
    preload += std::string(":") + already;
  }
  // A node built with AddressSanitizer refuses to start when its runtime is not the first
  // library loaded; libfaketime's clock functions must come first, so the check is off.
  std::string asan = "verify_asan_link_order=0";
  if (const char* given = std::getenv("ASAN_OPTIONS"); given != nullptr && *given != 0) {
    asan = std::string(given) + ":" + asan;
  }
  clock->env_ = {"LD_PRELOAD=" + preload, "FAKETIME_TIMESTAMP_FILE=" + control_file,
                 "FAKETIME_NO_CACHE=1", "FAKETIME_SHARED=" + clock->sem_ + " " + clock->shm_,
                 "ASAN_OPTIONS=" + asan};
  clock->anchor_s_ = RealNow();
  if (Status s = clock->Write(); !s.ok()) return s;
  return clock;
}

// The semaphore and shared memory every process of the node shares, with the start in it.
Status FakeClock::Share() {
  static std::atomic<int> made{0};
  const std::string id = std::to_string(::getpid()) + "_" + std::to_string(made++);
  const std::string sem = "/jepsen_faketime_sem_" + id, shm = "/jepsen_faketime_shm_" + id;
  // Open to every user, whatever the umask: a node may run as a user of its own (PostgreSQL
  // as postgres), whose libfaketime must open both.
  sem_t* s = ::sem_open(sem.c_str(), O_CREAT | O_EXCL, 0666, 1);
  if (s == SEM_FAILED) return Status::Error(sem + ": cannot create: " + std::strerror(errno));
  ::sem_close(s);
  sem_ = sem;  // from here on the destructor removes what was made
  if (::chmod(("/dev/shm/sem." + sem.substr(1)).c_str(), 0666) != 0) {
    return Status::Error(sem + ": cannot open to the node's user: " + std::strerror(errno));
  }
  const int fd = ::shm_open(shm.c_str(), O_CREAT | O_EXCL | O_RDWR, 0666);
  if (fd < 0) return Status::Error(shm + ": cannot create: " + std::strerror(errno));
  shm_ = shm;
  if (::fchmod(fd, 0666) != 0) {
    ::close(fd);
    return Status::Error(shm + ": cannot open to the node's user: " + std::strerror(errno));
  }
  void* memory = ::ftruncate(fd, kSharedSize) == 0
                     ? ::mmap(nullptr, kSharedSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                     : MAP_FAILED;
  const int error = errno;
  ::close(fd);
  if (memory == MAP_FAILED) return Status::Error(shm + ": cannot map: " + std::strerror(error));
  timespec starts[std::size(kStarted)];
  for (size_t i = 0; i < std::size(kStarted); ++i) starts[i] = Now(kStarted[i]);
  std::memcpy(static_cast<char*>(memory) + kStartsAt, starts, sizeof starts);
  ::munmap(memory, kSharedSize);
  start_s_ = Seconds(starts[0]);
  return Status();
}

FakeClock::~FakeClock() {
  if (!sem_.empty()) ::sem_unlink(sem_.c_str());
  if (!shm_.empty()) ::shm_unlink(shm_.c_str());
}

ClockSetting FakeClock::now() const {
  return {offset_s_ + (RealNow() - anchor_s_) * (rate_ - 1), rate_};
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
  std::snprintf(line, sizeof line, "%+.9f x%.9f\n", o, rate_);
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
