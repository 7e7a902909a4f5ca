#include "systems/postgres/local_nodes_stand_in.h"

#include <filesystem>

#include "systems/uv/helpers.h"

namespace jepsen::systems {

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
    LocalNode node;
    node.name = name;
    node.host = network_ ? network_->address(name) : "127.0.0.1";
    Result<int> port = uv::FreeLoopbackPort();
    if (!port.ok()) return port.status();
    node.port = *port;
    node.data_dir = context.data_dir + "/" + name;
    Node n;
    if (context.disks) {
      Result<std::unique_ptr<NodeDisk>> disk =
          NodeDisk::Mount(context.loop, context.binary_dir, node.data_dir + ".disk", node.data_dir,
                          context.log_path, context.disk_flags);
      if (!disk.ok()) return disk.status();
      n.disk = std::move(*disk);
    }
    std::error_code error;
    std::filesystem::create_directories(node.data_dir, error);
    if (error) return Status::Error(node.data_dir + ": cannot create: " + error.message());
    Result<ProcessSpec> spec = command(node);
    if (!spec.ok()) {
      nodes_.push_back(std::move(n));  // its disk goes with StopNodes
      local_.push_back(node);
      return spec.status();
    }
    if (network_) {
      spec->argv.insert(spec->argv.begin(), {"ip", "netns", "exec", network_->namespace_of(name)});
    }
    if (spec->log_path.empty()) spec->log_path = context.log_path;
    if (context.clocks) {
      Result<std::unique_ptr<FakeClock>> clock = FakeClock::Make(node.data_dir + ".faketime");
      if (!clock.ok()) return clock.status();
      n.clock = std::move(*clock);
      spec->env.insert(spec->env.end(), n.clock->env().begin(), n.clock->env().end());
    }
    n.process = std::make_unique<Process>(context.loop, std::move(*spec));
    Status started = n.process->Start();
    nodes_.push_back(std::move(n));
    local_.push_back(node);
    if (!started.ok()) return started;
  }
  return Status();
}

std::vector<std::string> LocalNodes::node_names() const {
  std::vector<std::string> names;
  for (const LocalNode& n : local_) names.push_back(n.name);
  return names;
}

Result<size_t> LocalNodes::Index(const std::string& name) const {
  for (size_t i = 0; i < local_.size(); ++i) {
    if (local_[i].name == name && nodes_[i].process) return i;
  }
  return Status::Error(who_ + ": no node '" + name + "'");
}

Status LocalNodes::NodeExited() const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!nodes_[i].process || nodes_[i].process->running()) continue;
    const std::string output = nodes_[i].process->RecentOutput();
    return Status::Error(local_[i].name + " exited" + (output.empty() ? "" : ": " + output) +
                         " (see " + log_path_ + ")");
  }
  return Status();
}

bool LocalNodes::NodesUp() const {
  for (const Node& n : nodes_) {
    if (!n.process || !n.process->running() || n.process->paused()) return false;
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

Status LocalNodes::Kill(const std::string& name) {
  Result<size_t> i = Index(name);
  if (!i.ok()) return i.status();
  nodes_[*i].process->Kill();
  return Status();
}

Status LocalNodes::Restart(const std::string& name) {
  Result<size_t> i = Index(name);
  if (!i.ok()) return i.status();
  return nodes_[*i].process->Start();
}

Status LocalNodes::Pause(const std::string& name) {
  Result<size_t> i = Index(name);
  if (!i.ok()) return i.status();
  nodes_[*i].process->Pause();
  return Status();
}

Status LocalNodes::Resume(const std::string& name) {
  Result<size_t> i = Index(name);
  if (!i.ok()) return i.status();
  nodes_[*i].process->Resume();
  return Status();
}

int LocalNodes::ProcessGroup(const std::string& name) const {
  Result<size_t> i = Index(name);
  return i.ok() ? nodes_[*i].process->pid() : 0;
}

Result<LostWrites> LocalNodes::PowerLoss(const std::string& name,
                                         std::optional<uint64_t> torn_seed) {
  Result<size_t> i = Index(name);
  if (!i.ok()) return i.status();
  Node& n = nodes_[*i];
  if (!n.disk) return Status::Error(who_ + ": " + name + " keeps its data on no disk of the run's");
  return n.disk->PowerLoss(n.process->pid(), torn_seed);
}

Result<std::string> LocalNodes::DiskCommand(const std::string& name, const std::string& command,
                                            bool once_down) {
  Result<size_t> i = Index(name);
  if (!i.ok()) return i.status();
  Node& n = nodes_[*i];
  if (!n.disk) return Status::Error(who_ + ": " + name + " keeps its data on no disk of the run's");
  return once_down ? n.disk->CommandOnceDown(n.process->pid(), command) : n.disk->Command(command);
}

Result<ClockSetting> LocalNodes::SkewClock(const std::string& name, double step_s, double rate) {
  Result<size_t> i = Index(name);
  if (!i.ok()) return i.status();
  if (!nodes_[*i].clock) return Status::Error(who_ + ": " + name + " runs without libfaketime");
  if (Status s = CheckPreloaded(ProcessGroup(name)); !s.ok()) {
    return Status::Error(name + ": " + s.message());
  }
  return nodes_[*i].clock->Change(step_s, rate);
}

Result<ClockSetting> LocalNodes::ResetClock(const std::string& name) {
  Result<size_t> i = Index(name);
  if (!i.ok()) return i.status();
  if (!nodes_[*i].clock) return Status::Error(who_ + ": " + name + " runs without libfaketime");
  return nodes_[*i].clock->Reset();
}

}  // namespace jepsen::systems
