#include "tests/support/fleet.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "systems/remote/command.h"

namespace jepsen::testing {
namespace {

constexpr const char* kSshd = "/usr/sbin/sshd";

Status Keygen(const std::string& path) {
  Result<systems::remote::CommandOutput> made = systems::remote::RunCommand(
      {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path}, "", 30);
  if (!made.ok()) return made.status();
  if (made->exit_code != 0) return Status::Error("ssh-keygen failed: " + made->err);
  return Status();
}

}  // namespace

Result<std::unique_ptr<Fleet>> Fleet::Start(uv_loop_t* loop, int hosts) {
  if (::geteuid() != 0) return Status::Error("needs root (network namespaces)");
  if (::access(kSshd, X_OK) != 0) {
    return Status::Error(std::string(kSshd) + " missing (Debian package openssh-server)");
  }
  std::unique_ptr<Fleet> f(new Fleet());
  f->loop_ = loop;
  char dir[] = "/tmp/jepsen-fleet-XXXXXX";
  if (::mkdtemp(dir) == nullptr) return Status::Error("mkdtemp failed");
  f->dir_ = dir;
  for (const char* key : {"/host_key", "/user_key"}) {
    if (Status s = Keygen(f->dir_ + key); !s.ok()) return s;
  }
  std::filesystem::copy_file(f->dir_ + "/user_key.pub", f->dir_ + "/authorized_keys");
  std::filesystem::create_directories("/run/sshd");  // sshd's privilege separation directory
  std::vector<std::string> names;
  for (int i = 1; i <= hosts; ++i) names.push_back("h" + std::to_string(i));
  Result<std::unique_ptr<systems::netns::Network>> network =
      systems::netns::Network::Create(names, f->dir_ + "/network.log");
  if (!network.ok()) return network.status();
  f->network_ = std::move(*network);
  for (const std::string& name : names) {
    const std::string address = f->network_->address(name);
    const std::string config = f->dir_ + "/sshd_" + name + ".conf";
    std::ofstream(config) << "ListenAddress " << address << "\nPort 22\nHostKey " << f->dir_
                          << "/host_key\nAuthorizedKeysFile " << f->dir_
                          << "/authorized_keys\nPermitRootLogin prohibit-password\n"
                             "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                             "UsePAM no\nStrictModes no\nPidFile none\nMaxSessions 100\n"
                             "MaxStartups 100\nUseDNS no\nPrintMotd no\nPrintLastLog no\n";
    systems::ProcessSpec spec;
    spec.argv = {"ip", "netns", "exec", f->network_->namespace_of(name), kSshd, "-D",
                 "-e", "-f",    config};
    spec.log_path = f->dir_ + "/sshd_" + name + ".log";
    auto server = std::make_unique<systems::Process>(loop, std::move(spec));
    if (Status s = server->Start(); !s.ok()) return s;
    f->servers_.push_back(std::move(server));
    f->addresses_.push_back(address);
    f->namespaces_.push_back(f->network_->namespace_of(name));
  }
  // The test becomes the control node: in the clients' namespace, as are the ssh it starts.
  f->home_netns_ = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (::setns(f->network_->clients_fd(), CLONE_NEWNET) != 0) {
    return Status::Error("setns into the clients' namespace failed");
  }
  // Until every server listens.
  for (const std::string& address : f->addresses_) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (true) {
      Result<systems::remote::CommandOutput> probe =
          systems::remote::RunCommand({"ssh-keyscan", "-T", "1", address}, "", 5);
      if (probe.ok() && !probe->out.empty()) break;
      if (std::chrono::steady_clock::now() > deadline) {
        return Status::Error("sshd on " + address + " did not start; see " + f->dir_);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return f;
}

Fleet::~Fleet() {
  for (auto& server : servers_) {
    if (server) server->Kill();
  }
  // What the servers left in the hosts' namespaces: sessions whose client is gone wait for a
  // connection that the namespaces' removal would cut without a word, and live on.
  for (const std::string& ns : namespaces_) {
    Result<systems::remote::CommandOutput> pids =
        systems::remote::RunCommand({"ip", "netns", "pids", ns}, "", 10);
    std::istringstream in(pids.ok() ? pids->out : "");
    for (int pid; in >> pid;) ::kill(pid, SIGKILL);
  }
  if (home_netns_ >= 0) {
    ::setns(home_netns_, CLONE_NEWNET);
    ::close(home_netns_);
  }
  if (network_) network_->Remove();
  for (int i = 0; i < 50 && loop_ != nullptr; ++i) uv_run(loop_, UV_RUN_NOWAIT);  // reap them
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::vector<std::string> Fleet::hosts() const { return addresses_; }

systems::remote::SshOptions Fleet::ssh_options() const {
  systems::remote::SshOptions o;
  o.user = "root";
  o.identity = dir_ + "/user_key";
  o.extra = {"-o", "UserKnownHostsFile=" + dir_ + "/known_hosts",
             "-o", "StrictHostKeyChecking=accept-new",
             "-o", "IdentitiesOnly=yes",
             "-o", "ConnectTimeout=5"};
  return o;
}

std::string Fleet::ssh_opts() const {
  std::string opts;
  for (const std::string& o : ssh_options().extra) opts += (opts.empty() ? "" : " ") + o;
  return opts;
}

std::string Fleet::OnHost(int i, const std::string& command) const {
  Result<systems::remote::CommandOutput> r = systems::remote::RunCommand(
      {"ip", "netns", "exec", namespaces_.at(static_cast<size_t>(i)), "sh", "-c", command}, "", 30);
  return r.ok() ? r->out + r->err : r.message();
}

void Fleet::StopServer(int i) { servers_.at(static_cast<size_t>(i))->Kill(); }

}  // namespace jepsen::testing
