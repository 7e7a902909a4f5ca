// A node that reads its clocks through libc, for tests of clock faults: every
// `interval_ms` for `duration_ms` it prints one line, "real_rt fake_rt
// real_mono fake_mono" in seconds: the real clocks by raw system call (which
// libfaketime does not see), the node's own through clock_gettime. It sleeps
// by raw system call too, so a faked rate does not change how often it reads.
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace {

double Seconds(const timespec& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double Raw(clockid_t clock) {
  timespec t{};
  ::syscall(SYS_clock_gettime, clock, &t);
  return Seconds(t);
}

double Libc(clockid_t clock) {
  timespec t{};
  ::clock_gettime(clock, &t);
  return Seconds(t);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: clock_probe DURATION_MS INTERVAL_MS\n");
    return 2;
  }
  const long duration_ms = std::atol(argv[1]), interval_ms = std::atol(argv[2]);
  for (long at = 0; at <= duration_ms; at += interval_ms) {
    std::printf("%.6f %.6f %.6f %.6f\n", Raw(CLOCK_REALTIME), Libc(CLOCK_REALTIME),
                Raw(CLOCK_MONOTONIC), Libc(CLOCK_MONOTONIC));
    std::fflush(stdout);
    timespec pause{interval_ms / 1000, (interval_ms % 1000) * 1'000'000};
    ::syscall(SYS_nanosleep, &pause, nullptr);
  }
  return 0;
}
