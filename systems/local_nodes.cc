#include "systems/local_nodes.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <utility>

#include "systems/uv/helpers.h"

namespace jepsen::systems {

Status LocalNodes::StartNodes(const SetupContext& context, int count, const Command& command) {
  loop_ = context.loop;
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
    nodes_[i].process = std::make_unique<Process>(context.loop, std::move(*spec));
    if (Status s = nodes_[i].process->Start(); !s.ok()) return s;
  }
  return Status();
}

std::vector<std::string> LocalNodes::node_names() const {
  std::vector<std::string> names;
  for (const LocalNode& n : info_) names.push_back(n.name);
  return names;
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
  if (node.ok() && !(*node)->clock) {
    return Status::Error(who_ + ": " + name + " runs without libfaketime (no clock fault asked)");
  }
  return node;
}

Status LocalNodes::Kill(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  (*node)->process->Kill();
  return Status();
}

Status LocalNodes::Restart(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return (*node)->process->Start();  // a no-op when it still runs
}

Status LocalNodes::Pause(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  (*node)->process->Pause();
  return Status();
}

Status LocalNodes::Resume(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  (*node)->process->Resume();
  return Status();
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
  // A node that does not read time through libfaketime would have the fault counted, not felt.
  if (Status s = CheckPreloaded((*node)->process->pid()); !s.ok()) {
    return Status::Error(name + ": " + s.message());
  }
  return (*node)->clock->Change(step_s, rate);
}

Result<ClockSetting> LocalNodes::ResetClock(const std::string& name) {
  Result<Node*> node = WithClock(name);
  if (!node.ok()) return node.status();
  return (*node)->clock->Reset();
}

Status LocalNodes::NodeExited() const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].process && nodes_[i].process->running()) continue;
    return Status::Error("node " + info_[i].name + " exited before the run began" + Output(i));
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

Status LocalNodes::AwaitAccepting(double timeout_s, bool before_run) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(timeout_s));
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const LocalNode& info = info_[i];
    const std::string named =
        "node " + info.name + " (" + info.host + ":" + std::to_string(info.port) + ")";
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(info.port));
    ::inet_pton(AF_INET, info.host.c_str(), &address.sin_addr);
    for (;;) {
      if (before_run) uv_run(loop_, UV_RUN_NOWAIT);  // reaps a node that exited at once
      if (!nodes_[i].process->running()) {
        return Status::Error(named + " exited before serving" + Output(i));
      }
      const int fd = netns::SocketIn(clients_fd(), AF_INET, SOCK_STREAM);
      const bool up =
          fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      if (fd >= 0) ::close(fd);
      if (up) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        return Status::Error(named + " did not start serving; see " + nodes_[i].log_path);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return Status();
}

void LocalNodes::StopNodes() {
  for (Node& n : nodes_) {
    if (n.process) n.process->Kill();
    if (n.disk) n.disk->Unmount();
  }
  if (network_) network_->Remove();
}

}  // namespace jepsen::systems
