// A live status line on a terminal while a check takes a while: how many
// parts are decided, how many ops linearized, how long it has run.
#ifndef JEPSEN_CLI_PROGRESS_LINE_H_
#define JEPSEN_CLI_PROGRESS_LINE_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "checker/linearizable/linearizable.h"

namespace jepsen::cli {

// "history.jsonl: 3/10 parts done · 41/81 ops linearized · 4.20 s", the
// label shortened from its start to keep the line under 80 columns.
std::string ProgressText(const std::string& label, const checker::linearizable::Progress& progress,
                         double elapsed_seconds);

// Draws ProgressText on `out` once `delay` has passed since `start`, redrawn
// every `period` in place ("\r", erase to the end of the line), from a thread
// of its own. Stop() (or the destructor) erases it, so what is printed next
// starts on a clean line; nothing else may write to `out` until then.
class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  ProgressLine(std::ostream& out, std::string label,
               const checker::linearizable::Progress& progress, Clock::time_point start,
               Clock::duration delay = std::chrono::seconds(2),
               Clock::duration period = std::chrono::milliseconds(250));
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void Stop();

 private:
  void Draw();

  std::ostream& out_;
  const std::string label_;
  const checker::linearizable::Progress& progress_;
  const Clock::time_point start_;
  const Clock::duration delay_, period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool shown_ = false;
  std::thread thread_;
};

}  // namespace jepsen::cli

#endif  // JEPSEN_CLI_PROGRESS_LINE_H_
