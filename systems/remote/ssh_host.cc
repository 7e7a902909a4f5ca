#include "systems/remote/ssh_host.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "systems/remote/command.h"

namespace jepsen::systems::remote {
namespace {

// The last line ssh wrote, for messages.
std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const size_t at = text.rfind('\n');
  return at == std::string::npos ? text : text.substr(at + 1);
}

}  // namespace

std::vector<std::string> SshHost::Base() const {
  std::vector<std::string> argv = {"ssh",
                                   "-o",
                                   "ControlPath=" + socket_,
                                   "-o",
                                   "BatchMode=yes",
                                   "-o",
                                   "ServerAliveInterval=5",
                                   "-o",
                                   "ServerAliveCountMax=3"};
  if (!options_.config.empty()) argv.insert(argv.end(), {"-F", options_.config});
  if (!options_.user.empty()) argv.insert(argv.end(), {"-l", options_.user});
  if (options_.port > 0) argv.insert(argv.end(), {"-p", std::to_string(options_.port)});
  if (!options_.identity.empty()) argv.insert(argv.end(), {"-i", options_.identity});
  argv.insert(argv.end(), options_.extra.begin(), options_.extra.end());
  return argv;
}

Result<std::unique_ptr<SshHost>> SshHost::Connect(uv_loop_t* loop, const std::string& host,
                                                  const SshOptions& options,
                                                  const std::string& control_dir,
                                                  const std::string& log_path, double timeout_s) {
  // %C: a hash of the connection, so the socket's path stays short whatever the host's name.
  std::unique_ptr<SshHost> h(new SshHost(host, options, control_dir + "/%C"));
  ProcessSpec master;
  master.argv = h->Base();
  master.argv.insert(master.argv.end(), {"-M", "-N", "-o", "ControlPersist=no", host});
  master.log_path = log_path;
  h->master_ = std::make_unique<Process>(loop, std::move(master));
  if (Status s = h->master_->Start(); !s.ok()) return s;
  std::vector<std::string> check = h->Base();
  check.insert(check.end(), {"-O", "check", host});
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(timeout_s));
  while (true) {
    uv_run(loop, UV_RUN_NOWAIT);  // reaps a master that gave up
    if (!h->master_->running()) {
      return Status::Error("host " + host + ": ssh could not connect: " +
                           LastLine(h->master_->RecentOutput()) + " (see " + log_path + ")");
    }
    Result<CommandOutput> checked = RunCommand(check, "", 5);
    if (checked.ok() && checked->exit_code == 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Error("host " + host + ": no SSH connection within " +
                           std::to_string(static_cast<int>(timeout_s)) + " s: " +
                           LastLine(h->master_->RecentOutput()) + " (see " + log_path + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return h;
}

SshHost::~SshHost() { Close(); }

std::vector<std::string> SshHost::Argv(const std::string& command) const {
  std::vector<std::string> argv = Base();
  argv.insert(argv.end(), {"-o", "ControlMaster=no", host_, "--", command});
  return argv;
}

Result<CommandOutput> SshHost::Exec(const std::string& command, double timeout_s,
                                    const std::string& input) {
  return RunCommand(Argv(command), input, timeout_s);
}

Result<std::string> SshHost::Run(const std::string& command, double timeout_s,
                                 const std::string& input) {
  Result<CommandOutput> ran = Exec(command, timeout_s, input);
  if (!ran.ok()) return ran.status();
  if (ran->timed_out) {
    return Status::Error("host " + host_ + ": `" + command + "` did not finish within " +
                         std::to_string(timeout_s) + " s");
  }
  if (ran->exit_code != 0) {
    // 255 is ssh's own failure: the connection, not the command.
    return Status::Error("host " + host_ + ": `" + command + "` " +
                         (ran->exit_code == 255 ? std::string("failed in ssh")
                                                : "exited " + std::to_string(ran->exit_code)) +
                         (ran->err.empty() ? "" : ": " + LastLine(ran->err)));
  }
  return std::move(ran->out);
}

Status SshHost::Upload(const std::string& local_path, const std::string& remote_path) {
  std::ifstream in(local_path, std::ios::binary);
  if (!in) return Status::Error(local_path + ": cannot read");
  std::stringstream bytes;
  bytes << in.rdbuf();
  // Written beside and renamed, so a node never runs a half-written program.
  const std::string part = ShellWord(remote_path + ".part");
  Result<std::string> done = Run("cat > " + part + " && chmod 755 " + part + " && mv -f " + part +
                                     " " + ShellWord(remote_path),
                                 60, bytes.str());
  return done.ok() ? Status() : done.status();
}

void SshHost::Close() {
  if (!master_) return;
  std::vector<std::string> exit = Base();
  exit.insert(exit.end(), {"-O", "exit", host_});
  (void)RunCommand(exit, "", 5);
  master_->Kill();  // and if it did not listen
  master_.reset();
}

}  // namespace jepsen::systems::remote
