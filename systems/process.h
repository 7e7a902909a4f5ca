// A child process the run started and supervises on its libuv loop: kill
// (SIGKILL), pause (SIGSTOP), resume (SIGCONT), restart. Children are reaped
// by the loop the moment they exit, so nothing is left as a zombie or orphan;
// the owner kills whatever is still running before the run ends.
#ifndef JEPSEN_SYSTEMS_PROCESS_H_
#define JEPSEN_SYSTEMS_PROCESS_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "history/status.h"

namespace jepsen::systems {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0]: the program (a path)
  std::string log_path;           // stdout and stderr are appended here
  std::string cwd;                // "" = the runner's
};

class Process {
 public:
  Process(uv_loop_t* loop, ProcessSpec spec);
  ~Process();  // kills the child if it still runs
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // No-op when running; after Kill, before the exit is reaped, it starts again once it is.
  Status Start();
  // SIGKILL; the exit is reaped by the loop. No-op when not running.
  void Kill();
  void Pause();
  void Resume();
  bool running() const { return running_; }
  bool paused() const { return paused_; }
  int pid() const { return running_ ? process_->pid : 0; }
  // Called once per exit (after Kill too) with the exit status and signal.
  void OnExit(std::function<void(int64_t status, int signal)> callback) {
    on_exit_ = std::move(callback);
  }

 private:
  static void Exited(uv_process_t* handle, int64_t status, int signal);

  uv_loop_t* loop_;
  ProcessSpec spec_;
  // Heap-allocated: a handle being closed must outlive this object until its close callback.
  uv_process_t* process_ = nullptr;
  bool running_ = false;
  bool paused_ = false;
  bool killed_ = false;         // SIGKILL sent, exit not yet reaped
  bool start_on_exit_ = false;  // Start() came in that window
  std::function<void(int64_t, int)> on_exit_;
};

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_PROCESS_H_
