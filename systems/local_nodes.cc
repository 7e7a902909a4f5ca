#include "systems/local_nodes.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "systems/remote/command.h"
#include "systems/remote/remote_process.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems {
namespace {

// What disk faults need on a host (a shell fragment ending in "; "): root and /dev/fuse.
const std::string kDiskChecks =
    "[ \"$(id -u)\" = 0 ] || { echo 'disk faults need root there (to mount jepsen-diskfs)' >&2; "
    "exit 5; }; [ -w /dev/fuse ] || { echo 'disk faults need /dev/fuse there' >&2; exit 5; }; ";

// Detaches what a run killed outright left mounted under `dir` (a shell fragment ending in
// "; "): its filesystem died with it, and a stale mount fails every access below it.
std::string StaleMounts(const std::string& dir) {
  return "awk -v d=" + remote::ShellWord(dir + "/") +
         " 'index($2, d) == 1 {print $2}' /proc/mounts | while read -r m; do umount -l \"$m\"; "
         "done; ";
}

}  // namespace

Status LocalNodes::StartNodes(const SetupContext& context, int count, const Command& command) {
  loop_ = context.loop;
  if (on_hosts()) return StartOnHosts(context, count, command);
  std::vector<std::string> names;
  for (int i = 1; i <= count; ++i) names.push_back("n" + std::to_string(i));
  if (context.private_network) {
    Result<std::unique_ptr<netns::Network>> network =
        netns::Network::Create(names, context.log_path);
    if (!network.ok()) return network.status();
    network_ = std::move(network).value();
  }
  // Every node's name, address, ports and directory first: a node's command may name its peers.
  for (const std::string& name : names) {
    LocalNode info;
    info.name = name;
    info.host = network_ ? network_->address(name) : std::string("127.0.0.1");
    for (int* port : {&info.port, &info.peer_port}) {
      Result<int> free = uv::FreeLoopbackPort();
      if (!free.ok()) return free.status();
      *port = *free;
    }
    info.data_dir = context.data_dir + "/" + name;
    Node node;
    if (context.disks) {  // the data lives in <node>.disk, seen through the mount
      Result<std::unique_ptr<NodeDisk>> disk =
          NodeDisk::Mount(context.loop, context.binary_dir, info.data_dir + ".disk", info.data_dir,
                          context.log_path, context.disk_flags);
      if (!disk.ok()) return disk.status();
      node.disk = std::move(*disk);
    }
    std::error_code error;
    std::filesystem::create_directories(info.data_dir, error);
    if (error) return Status::Error(info.data_dir + ": cannot create: " + error.message());
    if (context.clocks) {
      Result<std::unique_ptr<FakeClock>> clock = FakeClock::Make(info.data_dir + ".faketime");
      if (!clock.ok()) return clock.status();
      node.clock = std::move(*clock);
    }
    info_.push_back(std::move(info));
    nodes_.push_back(std::move(node));
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    Result<ProcessSpec> spec = command(info_[i]);
    if (!spec.ok()) return spec.status();
    // `ip netns exec` execs the command in place: the node stays a direct child.
    if (network_) {
      spec->argv.insert(spec->argv.begin(),
                        {"ip", "netns", "exec", network_->namespace_of(info_[i].name)});
    }
    if (spec->log_path.empty()) spec->log_path = context.log_path;
    if (nodes_[i].clock) {
      const std::vector<std::string>& env = nodes_[i].clock->env();
      spec->env.insert(spec->env.end(), env.begin(), env.end());
    }
    nodes_[i].log_path = spec->log_path;
    nodes_[i].process = LocalNodeProcess(context.loop, std::move(*spec));
    if (Status s = nodes_[i].process->Start(); !s.ok()) return s;
  }
  return Status();
}

std::vector<std::string> LocalNodes::node_names() const {
  std::vector<std::string> names;
  for (const LocalNode& n : info_) names.push_back(n.name);
  return names;
}

Result<remote::CommandOutput> LocalNodes::RunOnHost(const LocalNode& node,
                                                    const std::string& shell_line,
                                                    double timeout_s) const {
  for (size_t i = 0; i < info_.size(); ++i) {
    if (info_[i].name == node.name && nodes_[i].host != nullptr) {
      return nodes_[i].host->Exec(shell_line, timeout_s);
    }
  }
  return Status::Error(who_ + ": " + node.name + " runs on no host");
}

Result<const LocalNodes::Node*> LocalNodes::Find(const std::string& name) const {
  for (size_t i = 0; i < info_.size(); ++i) {
    if (info_[i].name != name) continue;
    if (!nodes_[i].process) return Status::Error(who_ + ": " + name + " was never started");
    return &nodes_[i];
  }
  return Status::Error(who_ + ": no node '" + name + "'");
}

Result<LocalNodes::Node*> LocalNodes::Find(const std::string& name) {
  Result<const Node*> node = std::as_const(*this).Find(name);
  if (!node.ok()) return node.status();
  return const_cast<Node*>(*node);
}

Result<LocalNodes::Node*> LocalNodes::WithDisk(const std::string& name) {
  Result<Node*> node = Find(name);
  if (node.ok() && !(*node)->disk) {
    return Status::Error(who_ + ": " + name + " keeps its data on no disk of the run's own");
  }
  return node;
}

Result<LocalNodes::Node*> LocalNodes::WithClock(const std::string& name) {
  Result<Node*> node = Find(name);
  if (node.ok() && !(*node)->clock && !(*node)->remote_clock) {
    return Status::Error(who_ + ": " + name + " runs without libfaketime (no clock fault asked)");
  }
  return node;
}

Status LocalNodes::Kill(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return (*node)->process->Kill();
}

Status LocalNodes::Restart(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return (*node)->process->Start();  // a no-op when it still runs
}

Status LocalNodes::Pause(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return (*node)->process->Pause();
}

Status LocalNodes::Resume(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return (*node)->process->Resume();
}

int LocalNodes::ProcessGroup(const std::string& name) const {
  Result<const Node*> node = Find(name);
  return node.ok() ? (*node)->process->pid() : 0;
}

Result<LostWrites> LocalNodes::PowerLoss(const std::string& name,
                                         std::optional<uint64_t> torn_seed) {
  Result<Node*> node = WithDisk(name);
  if (!node.ok()) return node.status();
  return (*node)->disk->PowerLoss((*node)->process->pid(), torn_seed);
}

Result<std::string> LocalNodes::DiskCommand(const std::string& name, const std::string& command,
                                            bool once_down) {
  Result<Node*> node = WithDisk(name);
  if (!node.ok()) return node.status();
  return once_down ? (*node)->disk->CommandOnceDown((*node)->process->pid(), command)
                   : (*node)->disk->Command(command);
}

Result<ClockSetting> LocalNodes::SkewClock(const std::string& name, double step_s, double rate) {
  Result<Node*> node = WithClock(name);
  if (!node.ok()) return node.status();
  if ((*node)->remote != nullptr) return (*node)->remote->SkewClock(step_s, rate);
  // A node that does not read time through libfaketime would have the fault counted, not felt.
  if (Status s = CheckPreloaded((*node)->process->pid()); !s.ok()) {
    return Status::Error(name + ": " + s.message());
  }
  return (*node)->clock->Change(step_s, rate);
}

Result<ClockSetting> LocalNodes::ResetClock(const std::string& name) {
  Result<Node*> node = WithClock(name);
  if (!node.ok()) return node.status();
  if ((*node)->remote != nullptr) return (*node)->remote->ResetClock();
  return (*node)->clock->Reset();
}

Status LocalNodes::NodeExited(const std::string& when) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].process && nodes_[i].process->running()) continue;
    return Status::Error("node " + info_[i].name + " exited " + when + Output(i));
  }
  return Status();
}

std::string LocalNodes::Output(size_t i) const {
  const std::string output = nodes_[i].process ? nodes_[i].process->RecentOutput() : "";
  return (output.empty() ? "" : ": " + output) + " (see " + nodes_[i].log_path + ")";
}

bool LocalNodes::NodeUp(const std::string& name) const {
  Result<const Node*> node = Find(name);
  return node.ok() && (*node)->process->running() && !(*node)->process->paused();
}

bool LocalNodes::NodesUp() const {
  for (const LocalNode& n : info_) {
    if (!NodeUp(n.name)) return false;
  }
  return true;
}

Status LocalNodes::AwaitServing(double timeout_s, bool before_run, const Probe& probe) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(timeout_s));
  std::string last;
  while (true) {
    if (before_run) uv_run(loop_, UV_RUN_NOWAIT);  // reaps a node that exited at once
    if (Status exited = NodeExited("before serving"); !exited.ok()) return exited;
    Result<std::string> said = probe();
    if (!said.ok()) return said.status();
    if (said->empty()) return Status();
    last = *said;
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  char within[32];
  std::snprintf(within, sizeof within, "%g s", timeout_s);
  return Status::Error(who_ + " did not start serving within " + within + " (" + last + "); see " +
                       (nodes_.empty() ? std::string("the run's log") : nodes_.front().log_path));
}

Status LocalNodes::AwaitAccepting(double timeout_s, bool before_run) {
  return AwaitServing(timeout_s, before_run, [this]() -> Result<std::string> {
    for (const LocalNode& info : info_) {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<uint16_t>(info.port));
      ::inet_pton(AF_INET, info.host.c_str(), &address.sin_addr);
      const int fd = netns::SocketIn(clients_fd(), AF_INET, SOCK_STREAM);
      const bool up =
          fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      const int error = errno;
      if (fd >= 0) ::close(fd);
      if (!up) {
        return info.name + " (" + info.host + ":" + std::to_string(info.port) +
               "): " + std::strerror(error);
      }
    }
    return std::string();
  });
}

void LocalNodes::StopNodes() {
  if (firewall_ != nullptr) firewall_->Remove();
  for (Node& n : nodes_) {
    if (n.process) (void)n.process->Kill();
    if (n.disk) n.disk->Unmount();
    for (const auto& [there, here] : n.remote_logs) {  // come home, as a local node's are written
      Result<std::string> log = n.host->Run("cat " + remote::ShellWord(there), 60);
      std::error_code ignored;
      std::filesystem::create_directories(std::filesystem::path(here).parent_path(), ignored);
      std::ofstream(here, std::ios::app)
          << (log.ok() ? *log
                       : "jepsen-run: could not fetch " + there + ": " + log.message() + "\n");
    }
    n.process.reset();  // a remote node's session ends: its keeper exits
  }
  for (auto& connection : connections_) connection->Close();
  if (!control_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(control_dir_, ignored);
  }
  if (network_) network_->Remove();
}

void LocalNodes::AddAbilities(const SetupContext& context, Abilities& a) const {
  a.capabilities.insert(ProcessNodes::kName);
  // On hosts, partitions and lossy links by the hosts' nftables.
  if (on_hosts() || context.private_network) a.capabilities.insert(Network::kName);
  if (on_hosts()) {
    a.why_not[Network::kSlowLinks] =
        "runs its nodes on remote hosts, where slow links are not carried out (tc there would "
        "slow the run's SSH sessions too)";
  } else {
    a.capabilities.insert(Network::kSlowLinks);
  }
  if (context.disks) a.capabilities.insert(Disks::kName);
  if (context.clocks) a.capabilities.insert(Clocks::kName);
}

Status LocalNodes::StartOnHosts(const SetupContext& context, int count, const Command& command) {
  namespace fs = std::filesystem;
  if (hosts_.ssh.size() != hosts_.names.size()) {
    return Status::Error("hosts: each host needs its ssh settings (remote::HostsFrom)");
  }
  if (static_cast<int>(hosts_.names.size()) < count) {
    return Status::Error("hosts: " + std::to_string(hosts_.names.size()) + " given for " +
                         std::to_string(count) + " nodes (node i runs on host i)");
  }
  char dir[] = "/tmp/jepsen-ssh-XXXXXX";  // short: a socket's path has a limit
  if (::mkdtemp(dir) == nullptr) return Status::Error("cannot make a directory in /tmp");
  control_dir_ = dir;
  const std::string run = fs::path(context.data_dir).parent_path().filename().string();
  const std::string remote_run = hosts_.dir + "/" + run;
  const std::string table = "jepsen-run-" + std::to_string(::getpid());
  std::vector<remote::HostFirewall::Member> members;
  for (int i = 0; i < count; ++i) {
    const std::string& name = hosts_.names[static_cast<size_t>(i)];
    Result<std::unique_ptr<remote::SshHost>> host = remote::SshHost::Connect(
        context.loop, name, hosts_.ssh[static_cast<size_t>(i)], control_dir_, context.log_path, 15);
    if (!host.ok()) return host.status();
    remote::SshHost* h = host->get();
    connections_.push_back(std::move(*host));
    LocalNode info;
    info.name = "n" + std::to_string(i + 1);
    info.port = hosts_.port;
    info.peer_port = hosts_.port + 1;
    info.data_dir = remote_run + "/" + info.name;
    info.remote = true;
    // What the run needs there, where the host is, and its clock; tables a killed run left.
    const auto asked = std::chrono::system_clock::now();
    Result<remote::CommandOutput> facts = h->Exec(
        "mkdir -p " + remote::ShellWord(info.data_dir) +
            (context.disks ? " " + remote::ShellWord(info.data_dir + ".disk") : "") +
            " || exit 3; command -v nft >/dev/null || { echo 'nft (nftables) is not installed' "
            ">&2; exit 4; }; for t in $(nft list tables 2>/dev/null | awk '$3 ~ /^jepsen-run-/ "
            "{print $3}'); do nft delete table inet $t; done; " +
            (context.disks ? kDiskChecks + StaleMounts(hosts_.dir) : std::string()) +
            "echo $SSH_CONNECTION; date +%s.%N",
        30);
    const double local_s =
        std::chrono::duration<double>(asked.time_since_epoch()).count() +
        std::chrono::duration<double>(std::chrono::system_clock::now() - asked).count() / 2;
    if (!facts.ok()) return facts.status();
    if (facts->exit_code != 0) {
      std::string why = facts->err;
      while (!why.empty() && why.back() == '\n') why.pop_back();
      return Status::Error("host " + name + ": " +
                           (facts->exit_code == 255 ? "ssh failed: " : "not ready: ") + why);
    }
    std::istringstream said(facts->out);
    std::string client, client_port, server;
    int ssh_port = 22;
    double host_s = 0;
    said >> client >> client_port >> server >> ssh_port >> host_s;
    if (server.empty() || host_s == 0) {
      return Status::Error("host " + name +
                           ": could not tell its address and clock from: " + facts->out);
    }
    if (std::abs(host_s - local_s) > 2) {
      return Status::Error("host " + name + ": its clock is " +
                           std::to_string(static_cast<int64_t>(host_s - local_s)) +
                           " s off this machine's; sync the clocks (NTP) first");
    }
    info.host = server;
    for (const char* program : {"jepsen-keeper", "jepsen-diskfs"}) {
      if (program == std::string("jepsen-diskfs") && !context.disks) continue;
      const std::string there = remote_run + "/" + program;
      if (Status s = h->Upload(context.binary_dir + "/" + program, there); !s.ok()) return s;
    }
    members.push_back({info.name, nullptr, server, client, ssh_port});  // its keeper once started
    Node node;
    node.host = h;
    node.remote_clock = context.clocks;
    info_.push_back(std::move(info));
    nodes_.push_back(std::move(node));
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (context.disks) {
      if (Status s = MountOnHost(context, i, remote_run); !s.ok()) return s;
    }
    Result<ProcessSpec> spec = command(info_[i]);
    if (!spec.ok()) return spec.status();
    Node& node = nodes_[i];
    node.log_path = spec->log_path.empty() ? context.log_path : spec->log_path;
    const std::string log = remote_run + "/" + info_[i].name + ".log";
    node.remote_logs.emplace_back(log, node.log_path);
    std::string line = "exec " + remote::ShellWord(remote_run + "/jepsen-keeper") + " --log " +
                       remote::ShellWord(log);
    if (!spec->cwd.empty()) line += " --cwd " + remote::ShellWord(spec->cwd);
    if (node.remote_clock) line += " --clock " + remote::ShellWord(info_[i].data_dir + ".faketime");
    // Should the control node die, the keeper's exit removes the run's tables on its host.
    line += " --nft-table " + table + " --nft-table " + table + "-loss";
    line += " --";
    if (!spec->env.empty()) line += " env " + remote::ShellLine(spec->env);
    line += " " + remote::ShellLine(spec->argv);
    auto process = std::make_unique<remote::RemoteProcess>(
        context.loop, node.host->Argv(line), "host " + hosts_.names[i] + " (" + info_[i].name + ")",
        context.log_path);
    node.remote = process.get();
    members[i].keeper = node.remote;
    node.process = std::move(process);
    if (Status s = node.process->Start(); !s.ok()) return s;
  }
  auto firewall = std::make_unique<remote::HostFirewall>(std::move(members), table);
  firewall_ = firewall.get();
  elsewhere_ = std::move(firewall);
  return Status();
}

Status LocalNodes::MountOnHost(const SetupContext& context, size_t i,
                               const std::string& remote_run) {
  Node& node = nodes_[i];
  const LocalNode& info = info_[i];
  const std::string log = remote_run + "/" + info.name + ".diskfs.log";
  node.remote_logs.emplace_back(log, context.log_path);
  // Abstract, in the host's network namespace: nothing left on its disk.
  const std::string control = "@jepsen-diskfs-" + std::to_string(::getpid()) + "-" + info.name;
  std::vector<std::string> argv = {remote_run + "/jepsen-diskfs", info.data_dir + ".disk",
                                   info.data_dir, "--control", control};
  argv.insert(argv.end(), context.disk_flags.begin(), context.disk_flags.end());
  const std::string line = "exec " + remote::ShellWord(remote_run + "/jepsen-keeper") + " --log " +
                           remote::ShellWord(log) + " --unmount " +
                           remote::ShellWord(info.data_dir) + " --control " +
                           remote::ShellWord(control) + " -- " + remote::ShellLine(argv);
  Result<std::unique_ptr<NodeDisk>> disk = NodeDisk::MountOnHost(
      std::make_unique<remote::RemoteProcess>(
          context.loop, node.host->Argv(line),
          "host " + hosts_.names[i] + " (" + info.name + "'s disk)", context.log_path),
      info.data_dir);
  if (!disk.ok()) return disk.status();
  node.disk = std::move(*disk);
  return Status();
}

}  // namespace jepsen::systems
