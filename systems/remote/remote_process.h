// A node's command on a remote host, kept there by jepsen-keeper (its child,
// in a process group of its own) and driven through one SSH session to the
// keeper: kill, pause, resume and restart act on the node's group on the host
// exactly as Process does locally. The session is a Process of the run; when
// it ends (the run ends or dies, the connection breaks) the keeper kills the
// node, so nothing of the run outlives it on the host.
#ifndef JEPSEN_SYSTEMS_REMOTE_REMOTE_PROCESS_H_
#define JEPSEN_SYSTEMS_REMOTE_REMOTE_PROCESS_H_

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "history/status.h"
#include "systems/capabilities.h"
#include "systems/node_process.h"
#include "systems/process.h"

namespace jepsen::systems::remote {

class RemoteProcess : public NodeProcess {
 public:
  // `session`: the argv that runs jepsen-keeper on the host over SSH (SshHost::Argv);
  // `where`: the host, for messages; the session's own errors go to `log_path`.
  RemoteProcess(uv_loop_t* loop, std::vector<std::string> session, std::string where,
                std::string log_path);
  ~RemoteProcess() override;  // Close()
  RemoteProcess(const RemoteProcess&) = delete;
  RemoteProcess& operator=(const RemoteProcess&) = delete;

  // Starts the command (opening the session first if needed); ok when it runs.
  Status Start() override;
  // SIGKILL to its group; returns once the keeper has reaped it.
  Status Kill() override;
  Status Pause() override;   // SIGSTOP to its group; returns once stopped
  Status Resume() override;  // SIGCONT to its group
  // What the keeper last said, and any exit it has reported since.
  bool running() const override;
  bool paused() const override { return paused_; }
  int pid() const override { return running_ ? pid_ : 0; }  // on the host
  bool local() const override { return false; }
  std::string RecentOutput() const override;
  // The node's clock (a keeper started with --clock): as FakeClock's Change and Reset.
  Result<ClockSetting> SkewClock(double step_s, double rate);
  Result<ClockSetting> ResetClock();
  // `command` to the jepsen-diskfs the keeper keeps (--control): its reply line.
  Result<std::string> DiskControl(const std::string& command);
  // An nftables script run by `nft -f -` on the host, through the keeper: one round trip,
  // and in order with the keeper's exit (which deletes the run's tables).
  Status Nft(const std::string& script);
  // Ends the session once the keeper has killed the command (and detached its mount).
  void Close();

 private:
  Status Open();
  // Sends a command line and returns the keeper's answer (exits told meanwhile noted).
  Result<std::string> Ask(const std::string& command) const;
  Result<ClockSetting> Clock(const std::string& command);
  // Reads what the keeper said unasked without waiting; false when the session ended.
  bool Drain() const;
  bool Note(const std::string& line) const;  // an "exited" line: noted, true

  uv_loop_t* loop_;
  std::vector<std::string> session_argv_;
  std::string where_, log_path_;
  std::unique_ptr<Process> session_;
  int to_ = -1, from_ = -1;  // the keeper's stdin and stdout
  // Kept up to date by reading the keeper, which a const query does too.
  mutable std::string input_;  // read from the keeper, not yet a whole line
  mutable bool running_ = false, paused_ = false;
  int pid_ = 0;
};

}  // namespace jepsen::systems::remote

#endif  // JEPSEN_SYSTEMS_REMOTE_REMOTE_PROCESS_H_
