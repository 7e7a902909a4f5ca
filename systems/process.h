// A child process the run started and supervises on its libuv loop: kill
// (SIGKILL), pause (SIGSTOP), resume (SIGCONT), restart, and optionally a
// restart policy: started again after an exit the run did not ask for. The command runs in a
// process group of its own and every signal goes to the group, so what it
// starts in turn (a shell's `&` child) is killed, paused and resumed with it.
//
// Nothing outlives the run, even a run killed with SIGKILL: the command is
// started by a keeper, a small forked process of ours that waits for it. The
// keeper learns of the run's death (PR_SET_PDEATHSIG) and then kills the
// command's group; when the command exits, the keeper kills what is left of
// the group and exits with the command's status, which the loop reaps at once.
// PR_SET_PDEATHSIG fires when the thread that started the keeper exits:
// REQUIRES: Start() on the loop's thread, which lives as long as the run.
#ifndef JEPSEN_SYSTEMS_PROCESS_H_
#define JEPSEN_SYSTEMS_PROCESS_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "history/status.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0]: the program (a path, or a name on PATH)
  std::string log_path;           // stderr, and stdout unless `pipes`, are appended here
  std::string cwd;                // "" = the runner's
  bool pipes = false;             // stdin and stdout are pipes to us (TakeStdin, TakeStdout)
  // >= 0: after an exit the run did not ask for (a crash; not Kill), started again this many
  // ms later; < 0: it stays down until Start().
  int64_t restart_after_ms = -1;
  // NAME=value entries the command gets besides the run's own environment (which they override).
  std::vector<std::string> env;
};

class Process {
 public:
  Process(uv_loop_t* loop, ProcessSpec spec);
  ~Process();  // kills the group if it still runs; the keeper is reaped later by the loop
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // No-op when running; after Kill, before the exit is reaped, it starts again once it is
  // (paused, when Pause came after the kill). Errors (a program that cannot be executed)
  // name the program.
  Status Start();
  // SIGKILL to the group; the exit is reaped by the loop. It stays down until Start(): a restart
  // the policy has due is cancelled. No-op when not running.
  void Kill();
  // SIGKILL to the group, then started again as after a crash (the policy's delay; at once
  // without a policy) unless Kill() comes first.
  void KillAndRestart();
  void Pause();   // SIGSTOP to the group
  void Resume();  // SIGCONT to the group
  bool running() const { return running_; }
  bool paused() const { return paused_; }
  // Running as far as the loop knows, but its command has exited by itself (not killed), the
  // exit not yet reaped: what a caller blocking inside a callback of the loop sees of a node
  // that crashed meanwhile.
  bool CrashedUnreaped() const;
  // Down, and a start will follow without being asked (the policy, KillAndRestart, or a Start()
  // that waits for a kill to be reaped).
  bool restarting() const { return restart_due_ || restart_after_exit_ || start_on_exit_; }
  // The command's pid, which is also its process group's id; 0 when not running.
  int pid() const { return running_ ? group_ : 0; }
  // Called once per exit (after Kill too) with the command's exit status and signal.
  void OnExit(std::function<void(int64_t status, int signal)> callback) {
    on_exit_ = std::move(callback);
  }
  // Called after every start, also one that waited for a kill to be reaped.
  void OnStart(std::function<void()> callback) { on_start_ = std::move(callback); }
  // With `pipes`: our ends of the command's stdin (to write) and stdout (to read) since its
  // last start, close-on-exec; the caller owns them (uv_pipe_open). -1 once taken.
  int TakeStdin();
  int TakeStdout();
  // The last lines (at most ~2 KB) appended to the log since the last start: why a node that
  // exited at once did so, for error messages.
  std::string RecentOutput() const;

 private:
  struct Watch;  // the keeper's pid and the SIGCHLD handle that reaps it
  void Reaped(int64_t status, int signal);
  void Signal(int signal);
  void ClosePipes();

  uv_loop_t* loop_;
  ProcessSpec spec_;
  Watch* watch_ = nullptr;  // closes and frees itself once its owner is gone and it is reaped
  int group_ = 0;           // the command's pid and process group
  int stdin_ = -1, stdout_ = -1;
  long log_offset_ = 0;  // the log's size when the command last started
  bool running_ = false;
  bool paused_ = false;
  bool killed_ = false;              // SIGKILL sent, exit not yet reaped
  bool start_on_exit_ = false;       // Start() came in that window
  bool restart_after_exit_ = false;  // KillAndRestart() in that window
  bool restart_due_ = false;         // a restart is on its timer
  uint64_t restart_id_ = 0;          // that timer's
  uv::Timers restarts_;
  std::function<void(int64_t, int)> on_exit_;
  std::function<void()> on_start_;
};

// A write to a pipe or socket whose reader is gone must fail with EPIPE, not
// kill the run: ignores SIGPIPE in this process (children start with it
// restored). Idempotent.
void IgnoreSigpipe();

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_PROCESS_H_
