// Keeps one core busy while alive, as another process on a loaded machine
// would: for tests of time limits.
#ifndef JEPSEN_TESTS_SUPPORT_BUSY_CORE_H_
#define JEPSEN_TESTS_SUPPORT_BUSY_CORE_H_

#include <atomic>
#include <thread>

namespace jepsen::testing {

class BusyCore {
 public:
  BusyCore()
      : thread_([this] {
          while (!done_.load(std::memory_order_relaxed)) {
          }
        }) {}
  ~BusyCore() {
    done_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TESTS_SUPPORT_BUSY_CORE_H_
