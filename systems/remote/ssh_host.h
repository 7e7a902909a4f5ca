// One remote host reached with OpenSSH's own client, so the user's
// ~/.ssh/config, agent, jump hosts and known hosts apply as for any ssh: a
// master connection (ControlMaster) opened once, a process of the run, and
// every command after it a session over that connection (a round trip, not a
// handshake). Nothing is installed on the host: what the run needs there it
// uploads into a directory of its own (docs/remote-hosts.md).
#ifndef JEPSEN_SYSTEMS_REMOTE_SSH_HOST_H_
#define JEPSEN_SYSTEMS_REMOTE_SSH_HOST_H_

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "history/status.h"
#include "systems/process.h"
#include "systems/remote/command.h"

namespace jepsen::systems::remote {

// How to reach the hosts; empty fields leave the choice to ssh and its config.
struct SshOptions {
  std::string user;                // ssh-user: -l
  int port = 0;                    // ssh-port: -p (0: ssh's)
  std::string identity;            // ssh-key: -i
  std::string config;              // ssh-config: -F
  std::vector<std::string> extra;  // ssh-opts: more of ssh's flags, as given
};

class SshHost {
 public:
  // Opens the master connection to `host`, its socket in `control_dir`, ssh's
  // own messages appended to `log_path`; returns once a command runs through it,
  // or an error naming the host with what ssh said. Never asks for a password
  // (BatchMode): a host that wants one is an error.
  static Result<std::unique_ptr<SshHost>> Connect(uv_loop_t* loop, const std::string& host,
                                                  const SshOptions& options,
                                                  const std::string& control_dir,
                                                  const std::string& log_path, double timeout_s);
  ~SshHost();  // Close()
  SshHost(const SshHost&) = delete;
  SshHost& operator=(const SshHost&) = delete;

  const std::string& host() const { return host_; }
  // Runs `command`, a /bin/sh command line, on the host with `input` on its stdin:
  // its stdout, or an error naming the host with its exit code and stderr.
  Result<std::string> Run(const std::string& command, double timeout_s,
                          const std::string& input = "");
  // The same, its outcome as it is (exit code, stdout, stderr).
  Result<CommandOutput> Exec(const std::string& command, double timeout_s,
                             const std::string& input = "");
  // Copies the local file to `remote_path` on the host, mode 0755 (over the same
  // connection: no scp or sftp subsystem needed).
  Status Upload(const std::string& local_path, const std::string& remote_path);
  // ssh's argv running `command` on the host over the master connection: for a
  // Process of the run whose session lasts (a node's keeper).
  std::vector<std::string> Argv(const std::string& command) const;
  // Ends the master connection, and with it every session over it.
  void Close();

 private:
  SshHost(std::string host, SshOptions options, std::string socket)
      : host_(std::move(host)), options_(std::move(options)), socket_(std::move(socket)) {}
  std::vector<std::string> Base() const;  // ssh and the options every use shares

  std::string host_;
  SshOptions options_;
  std::string socket_;  // the master's ControlPath
  std::unique_ptr<Process> master_;
};

}  // namespace jepsen::systems::remote

#endif  // JEPSEN_SYSTEMS_REMOTE_SSH_HOST_H_
