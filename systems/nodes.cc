#include "systems/nodes.h"

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

Status Nodes::StartNodes(const SetupContext& context, int count, const Command& command) {
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
    NodeInfo info;
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

std::vector<std::string> Nodes::node_names() const {
  std::vector<std::string> names;
  for (const NodeInfo& n : info_) names.push_back(n.name);
  return names;
}

Result<remote::CommandOutput> Nodes::RunOnHost(const NodeInfo& node, const std::string& shell_line,
                                               double timeout_s) const {
  for (size_t i = 0; i < info_.size(); ++i) {
    if (info_[i].name == node.name && nodes_[i].host != nullptr) {
      return nodes_[i].host->Exec(shell_line, timeout_s);
    }
  }
  return Status::Error(who_ + ": " + node.name + " runs on no host");
}

Result<const Nodes::Node*> Nodes::Find(const std::string& name) const {
  for (size_t i = 0; i < info_.size(); ++i) {
    if (info_[i].name != name) continue;
    if (!nodes_[i].process) return Status::Error(who_ + ": " + name + " was never started");
    return &nodes_[i];
  }
  return Status::Error(who_ + ": no node '" + name + "'");
}

Result<Nodes::Node*> Nodes::Find(const std::string& name) {
  Result<const Node*> node = std::as_const(*this).Find(name);
  if (!node.ok()) return node.status();
  return const_cast<Node*>(*node);
}

Result<Nodes::Node*> Nodes::WithDisk(const std::string& name) {
  Result<Node*> node = Find(name);
  if (node.ok() && !(*node)->disk) {
    return Status::Error(who_ + ": " + name + " keeps its data on no disk of the run's own");
  }
  return node;
}

Result<Nodes::Node*> Nodes::WithClock(const std::string& name) {
  Result<Node*> node = Find(name);
  if (node.ok() && !(*node)->clock && !(*node)->remote_clock) {
    return Status::Error(who_ + ": " + name + " runs without libfaketime (no clock fault asked)");
  }
  return node;
}

Status Nodes::Kill(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return (*node)->process->Kill();
}

Status Nodes::Restart(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return (*node)->process->Start();  // a no-op when it still runs
}

Status Nodes::Pause(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return (*node)->process->Pause();
}

Status Nodes::Resume(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return (*node)->process->Resume();
}

int Nodes::ProcessGroup(const std::string& name) const {
  Result<const Node*> node = Find(name);
  return node.ok() ? (*node)->process->pid() : 0;
}

Result<LostWrites> Nodes::PowerLoss(const std::string& name, std::optional<uint64_t> torn_seed) {
  Result<Node*> node = WithDisk(name);
  if (!node.ok()) return node.status();
  return (*node)->disk->PowerLoss((*node)->process->pid(), torn_seed);
}

Result<std::string> Nodes::DiskCommand(const std::string& name, const std::string& command,
                                       bool once_down) {
  Result<Node*> node = WithDisk(name);
  if (!node.ok()) return node.status();
  return once_down ? (*node)->disk->CommandOnceDown((*node)->process->pid(), command)
                   : (*node)->disk->Command(command);
}

Result<ClockSetting> Nodes::SkewClock(const std::string& name, double step_s, double rate) {
  Result<Node*> node = WithClock(name);
  if (!node.ok()) return node.status();
  if ((*node)->remote != nullptr) return (*node)->remote->SkewClock(step_s, rate);
  // A node that does not read time through libfaketime would have the fault counted, not felt.
  if (Status s = CheckPreloaded((*node)->process->pid()); !s.ok()) {
    return Status::Error(name + ": " + s.message());
  }
  return (*node)->clock->Change(step_s, rate);
}

Result<ClockSetting> Nodes::ResetClock(const std::string& name) {
  Result<Node*> node = WithClock(name);
  if (!node.ok()) return node.status();
  if ((*node)->remote != nullptr) return (*node)->remote->ResetClock();
  return (*node)->clock->Reset();
}

Status Nodes::NodeExited(const std::string& when) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].process && nodes_[i].process->running()) continue;
    return Status::Error("node " + info_[i].name + " exited " + when + Output(i));
  }
  return Status();
}

std::string Nodes::Output(size_t i) const {
  const std::string output = nodes_[i].process ? nodes_[i].process->RecentOutput() : "";
  return (output.empty() ? "" : ": " + output) + " (see " + nodes_[i].log_path + ")";
}

bool Nodes::NodeUp(const std::string& name) const {
  Result<const Node*> node = Find(name);
  return node.ok() && (*node)->process->running() && !(*node)->process->paused();
}

bool Nodes::NodesUp() const {
  for (const NodeInfo& n : info_) {
    if (!NodeUp(n.name)) return false;
  }
  return true;
}

Status Nodes::AwaitServing(double timeout_s, bool before_run, const Probe& probe) {
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

Status Nodes::AwaitAccepting(double timeout_s, bool before_run) {
  return AwaitServing(timeout_s, before_run, [this]() -> Result<std::string> {
    for (const NodeInfo& info : info_) {
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

void Nodes::StopNodes() {
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

void Nodes::AddAbilities(const SetupContext& context, Abilities& a) const {
  a.capabilities.insert(ProcessNodes::kName);
  a.on_hosts = on_hosts();
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

}  // namespace jepsen::systems
