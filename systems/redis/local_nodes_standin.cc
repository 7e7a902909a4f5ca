#include "systems/redis/local_nodes_standin.h"

#include <unistd.h>

#include <filesystem>
#include <utility>

#include "systems/uv/helpers.h"

namespace jepsen::systems::redis {

Status LocalNodes::StartNodes(const SetupContext& context, int count, const Command& command) {
  log_path_ = context.log_path;
  std::vector<std::string> names;
  for (int i = 1; i <= count; ++i) names.push_back("n" + std::to_string(i));
  if (context.private_network) {
    Result<std::unique_ptr<netns::Network>> network =
        netns::Network::Create(names, context.log_path);
    if (!network.ok()) return network.status();
    network_ = std::move(network).value();
  }
  for (const std::string& name : names) {
    LocalNode local;
    local.name = name;
    local.host = network_ ? network_->address(name) : "127.0.0.1";
    Result<int> port = uv::FreeLoopbackPort();
    if (!port.ok()) return port.status();
    local.port = *port;
    local.data_dir = context.data_dir + "/" + name;
    Node node;
    if (context.disks) {
      Result<std::unique_ptr<NodeDisk>> disk =
          NodeDisk::Mount(context.loop, context.binary_dir, local.data_dir + ".disk",
                          local.data_dir, context.log_path, context.disk_flags);
      if (!disk.ok()) return disk.status();
      node.disk = std::move(*disk);
    }
    std::error_code error;
    std::filesystem::create_directories(local.data_dir, error);
    if (error) return Status::Error(local.data_dir + ": cannot create: " + error.message());
    Result<ProcessSpec> spec = command(local);
    if (!spec.ok()) return spec.status();
    if (network_) {
      spec->argv.insert(spec->argv.begin(),
                        {"/usr/sbin/ip", "netns", "exec", network_->namespace_of(name)});
      if (::access("/usr/sbin/ip", X_OK) != 0) spec->argv[0] = "/sbin/ip";
    }
    spec->log_path = context.log_path;
    if (context.clocks) {
      Result<std::unique_ptr<FakeClock>> clock = FakeClock::Make(local.data_dir + ".faketime");
      if (!clock.ok()) return clock.status();
      node.clock = std::move(*clock);
      for (const std::string& e : node.clock->env()) spec->env.push_back(e);
    }
    node.process = std::make_unique<Process>(context.loop, std::move(*spec));
    if (Status s = node.process->Start(); !s.ok()) return s;
    local_.push_back(std::move(local));
    nodes_.push_back(std::move(node));
  }
  return Status();
}

std::vector<std::string> LocalNodes::node_names() const {
  std::vector<std::string> names;
  for (const LocalNode& n : local_) names.push_back(n.name);
  return names;
}

Status LocalNodes::NodeExited() const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].process->running()) continue;
    const std::string output = nodes_[i].process->RecentOutput();
    return Status::Error(local_[i].name + " (" + who_ + ") exited" +
                         (output.empty() ? "" : ": " + output) + " (see " + log_path_ + ")");
  }
  return Status();
}

bool LocalNodes::NodesUp() const {
  for (const Node& n : nodes_) {
    if (!n.process->running() || n.process->paused()) return false;
  }
  return true;
}

void LocalNodes::StopNodes() {
  for (Node& n : nodes_) {
    if (n.process) n.process->Kill();
    if (n.disk) n.disk->Unmount();
  }
  if (network_) network_->Remove();
}

Result<const LocalNodes::Node*> LocalNodes::Find(const std::string& name) const {
  for (size_t i = 0; i < local_.size(); ++i) {
    if (local_[i].name == name) return &nodes_[i];
  }
  return Status::Error(who_ + ": no node '" + name + "'");
}

Result<LocalNodes::Node*> LocalNodes::Find(const std::string& name) {
  Result<const Node*> node = std::as_const(*this).Find(name);
  if (!node.ok()) return node.status();
  return const_cast<Node*>(*node);
}

Status LocalNodes::Kill(const std::string& name) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  (*n)->process->Kill();
  return Status();
}

Status LocalNodes::Restart(const std::string& name) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  return (*n)->process->Start();
}

Status LocalNodes::Pause(const std::string& name) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  (*n)->process->Pause();
  return Status();
}

Status LocalNodes::Resume(const std::string& name) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  (*n)->process->Resume();
  return Status();
}

int LocalNodes::ProcessGroup(const std::string& name) const {
  Result<const Node*> n = Find(name);
  return n.ok() ? (*n)->process->pid() : 0;
}

Result<LostWrites> LocalNodes::PowerLoss(const std::string& name,
                                         std::optional<uint64_t> torn_seed) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  if (!(*n)->disk) return Status::Error(name + " keeps its data on no disk of the run's own");
  return (*n)->disk->PowerLoss((*n)->process->pid(), torn_seed);
}

Result<std::string> LocalNodes::DiskCommand(const std::string& name, const std::string& command,
                                            bool once_down) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  if (!(*n)->disk) return Status::Error(name + " keeps its data on no disk of the run's own");
  return once_down ? (*n)->disk->CommandOnceDown((*n)->process->pid(), command)
                   : (*n)->disk->Command(command);
}

Result<ClockSetting> LocalNodes::SkewClock(const std::string& name, double step_s, double rate) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  if (!(*n)->clock) return Status::Error(name + " runs without libfaketime");
  if (Status s = CheckPreloaded((*n)->process->pid()); !s.ok()) {
    return Status::Error(name + ": " + s.message());
  }
  return (*n)->clock->Change(step_s, rate);
}

Result<ClockSetting> LocalNodes::ResetClock(const std::string& name) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  if (!(*n)->clock) return Status::Error(name + " runs without libfaketime");
  return (*n)->clock->Reset();
}

}  // namespace jepsen::systems::redis
