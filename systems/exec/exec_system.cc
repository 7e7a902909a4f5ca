#include "systems/exec/exec_system.h"

#include <filesystem>
#include <utility>

#include "systems/uv/helpers.h"

namespace jepsen::systems::exec {
namespace {

constexpr int kDefaultNodes = 1;

// A thin per-thread face of the one shared adapter.
class ExecClient : public Client {
 public:
  explicit ExecClient(std::shared_ptr<Adapter> adapter) : adapter_(std::move(adapter)) {}
  void Invoke(const Request& request, Done done) override {
    adapter_->Invoke(request.process, request, std::move(done));
  }

 private:
  std::shared_ptr<Adapter> adapter_;
};

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// `text` as one word for /bin/sh.
std::string ShellWord(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string Expand(std::string command, const std::string& node, const std::string& host, int port,
                   const std::string& data_dir) {
  ReplaceAll(command, "{node}", node);
  ReplaceAll(command, "{host}", host);
  ReplaceAll(command, "{port}", std::to_string(port));
  ReplaceAll(command, "{data_dir}", data_dir);
  return command;
}

SystemType Registration() {
  return {
      "exec",
      "your own system: node-cmd starts each node, client-cmd the client adapter "
      "(docs/exec-protocol.md)",
      {options::Text("node-cmd",
                     "Shell command starting one node; {node}, {host}, {port}, {data_dir} are "
                     "filled in "
                     "(leave out when the system lives inside the adapter)"),
       options::Text("client-cmd",
                     "Shell command starting the client adapter (required; "
                     "docs/exec-protocol.md)"),
       options::Integer("nodes", kDefaultNodes, {0, 64}, "How many nodes node-cmd starts (0: 1)")},
      [](const options::Values& values) -> Result<std::unique_ptr<System>> {
        if (values.Text("client-cmd").empty()) {
          return Status::Error("system=exec needs client-cmd=\"...\" (the client adapter)");
        }
        const int nodes = static_cast<int>(values.Integer("nodes"));
        return std::unique_ptr<System>(new ExecSystem(values.Text("node-cmd"),
                                                      values.Text("client-cmd"),
                                                      nodes == 0 ? kDefaultNodes : nodes));
      }};
}

Abilities ExecSystem::abilities(const SetupContext& context) const {
  Abilities a;
  a.capabilities = {ProcessNodes::kName};
  if (context.disks && !node_command_.empty()) a.capabilities.insert(Disks::kName);
  if (context.private_network && !node_command_.empty()) a.capabilities.insert(Network::kName);
  if (node_command_.empty()) {
    a.why_not[Clocks::kName] = "has no node-cmd: clock faults act on nodes the run starts";
  } else if (context.clocks) {
    a.capabilities.insert(Clocks::kName);
  }
  if (node_command_.empty() || node_count_ <= 1) a.capabilities.insert(Leadership::kName);
  return a;
}

Json ExecSystem::HeaderOptions(const std::string&) const {
  return {{"node_cmd", node_command_}, {"client_cmd", client_command_}, {"nodes", node_count_}};
}

Status ExecSystem::Setup(const SetupContext& context) {
  context_ = context;
  Json nodes = Json::array();
  if (!node_command_.empty() && context.private_network) {
    std::vector<std::string> names;
    for (int i = 1; i <= node_count_; ++i) names.push_back("n" + std::to_string(i));
    Result<std::unique_ptr<netns::Network>> network =
        netns::Network::Create(names, context.log_path);
    if (!network.ok()) return network.status();
    network_ = std::move(network).value();
  }
  if (!node_command_.empty()) {
    for (int i = 1; i <= node_count_; ++i) {
      Node node;
      node.name = "n" + std::to_string(i);
      if (network_) node.host = network_->address(node.name);
      Result<int> port = uv::FreeLoopbackPort();
      if (!port.ok()) return port.status();
      node.port = *port;
      node.data_dir = context.data_dir + "/" + node.name;
      if (context.disks) {  // the data lives in <node>.disk
        Result<std::unique_ptr<NodeDisk>> disk =
            NodeDisk::Mount(context.loop, context.binary_dir, node.data_dir + ".disk",
                            node.data_dir, context.log_path, context.disk_flags);
        if (!disk.ok()) return disk.status();
        node.disk = std::move(*disk);
      }
      std::error_code error;
      std::filesystem::create_directories(node.data_dir, error);
      if (error) return Status::Error(node.data_dir + ": cannot create: " + error.message());
      ProcessSpec spec;
      spec.argv = {"/bin/sh", "-c",
                   "exec " + Expand(node_command_, node.name, node.host, node.port, node.data_dir)};
      // `ip netns exec` execs it in place: the node stays a direct child.
      if (network_) {
        spec.argv.insert(spec.argv.begin(),
                         {"ip", "netns", "exec", network_->namespace_of(node.name)});
      }
      spec.log_path = context.log_path;
      if (context.clocks) {
        Result<std::unique_ptr<FakeClock>> clock = FakeClock::Make(node.data_dir + ".faketime");
        if (!clock.ok()) return clock.status();
        node.clock = std::move(*clock);
        spec.env = node.clock->env();
      }
      node.process = std::make_unique<Process>(context.loop, std::move(spec));
      if (Status s = node.process->Start(); !s.ok()) return s;
      nodes.push_back({{"name", node.name},
                       {"host", node.host},
                       {"port", node.port},
                       {"data_dir", node.data_dir}});
      nodes_.push_back(std::move(node));
    }
  }
  const std::string adapter_dir = context.data_dir + "/adapter";
  std::error_code error;
  std::filesystem::create_directories(adapter_dir, error);
  const int first_port = nodes_.empty() ? 0 : nodes_.front().port;
  const std::string first_host = nodes_.empty() ? "127.0.0.1" : nodes_.front().host;
  std::string adapter_command =
      Expand(client_command_, "adapter", first_host, first_port, adapter_dir);
  if (network_) {  // the adapter reaches the nodes from the clients' namespace
    adapter_command = "ip netns exec " + network_->namespace_of(Network::kClients) +
                      " /bin/sh -c " + ShellWord("exec " + adapter_command);
  }
  adapter_ = std::make_shared<Adapter>(context.loop, adapter_command, context.log_path,
                                       Json{{"workload", context.workload}, {"nodes", nodes}});
  return adapter_->Start();
}

std::vector<std::string> ExecSystem::nodes() const {
  if (nodes_.empty()) return {"adapter"};
  std::vector<std::string> names;
  for (const Node& n : nodes_) names.push_back(n.name);
  return names;
}

Result<const ExecSystem::Node*> ExecSystem::Find(const std::string& name) const {
  for (const Node& n : nodes_) {
    if (n.name == name) return &n;
  }
  if (nodes_.empty() && name == "adapter") return static_cast<const Node*>(nullptr);
  return Status::Error("system exec has no node '" + name + "'");
}

Result<ExecSystem::Node*> ExecSystem::Find(const std::string& name) {
  Result<const Node*> node = std::as_const(*this).Find(name);
  if (!node.ok()) return node.status();
  return const_cast<Node*>(*node);
}

Result<FakeClock*> ExecSystem::ClockOf(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  if (*node == nullptr || !(*node)->clock) {
    return Status::Error("system exec's " + name + " runs without libfaketime");
  }
  return (*node)->clock.get();
}

Result<ClockSetting> ExecSystem::SkewClock(const std::string& name, double step_s, double rate) {
  Result<FakeClock*> clock = ClockOf(name);
  if (!clock.ok()) return clock.status();
  if (Status s = CheckPreloaded(ProcessGroup(name)); !s.ok()) {
    return Status::Error(name + ": " + s.message());
  }
  return (*clock)->Change(step_s, rate);
}

Result<ClockSetting> ExecSystem::ResetClock(const std::string& name) {
  Result<FakeClock*> clock = ClockOf(name);
  if (!clock.ok()) return clock.status();
  return (*clock)->Reset();
}

int ExecSystem::ProcessGroup(const std::string& name) const {
  Result<const Node*> node = Find(name);
  if (!node.ok()) return 0;
  return *node == nullptr ? adapter_->pid() : (*node)->process->pid();
}

Result<std::string> ExecSystem::Leader() {
  const std::vector<std::string> all = nodes();
  if (all.size() == 1) return all[0];
  return Status::Error("system exec cannot tell which of its " + std::to_string(all.size()) +
                       " nodes leads");
}

Status ExecSystem::Kill(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  if (*node == nullptr) {
    adapter_->Kill();
  } else {
    (*node)->process->Kill();
  }
  return Status();
}

Status ExecSystem::Restart(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  return *node == nullptr ? adapter_->Start() : (*node)->process->Start();
}

Status ExecSystem::Pause(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  if (*node == nullptr) {
    adapter_->Pause();
  } else {
    (*node)->process->Pause();
  }
  return Status();
}

Status ExecSystem::Resume(const std::string& name) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  if (*node == nullptr) {
    adapter_->Resume();
  } else {
    (*node)->process->Resume();
  }
  return Status();
}

Status ExecSystem::AwaitReady(double timeout_s) {
  // A node that exits while the adapter is still getting ready is reported at once.
  auto node_exited = [this]() -> Status {
    for (const Node& n : nodes_) {
      if (n.process->running()) continue;
      const std::string output = n.process->RecentOutput();
      return Status::Error("node " + n.name + " exited before the run began" +
                           (output.empty() ? "" : ": " + output) + " (see " + context_.log_path +
                           ")");
    }
    return Status();
  };
  Status ready = adapter_->AwaitReady(timeout_s, node_exited);
  if (!ready.ok()) return ready;
  uv_run(context_.loop, UV_RUN_NOWAIT);
  return node_exited();
}

bool ExecSystem::Up() const {
  for (const Node& n : nodes_) {
    if (!n.process->running() || n.process->paused()) return false;
  }
  return adapter_->running() && !adapter_->paused();
}

std::unique_ptr<Client> ExecSystem::NewClient(int) {
  return std::make_unique<ExecClient>(adapter_);
}

Result<LostWrites> ExecSystem::PowerLoss(const std::string& name,
                                         std::optional<uint64_t> torn_seed) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  if (*node == nullptr || !(*node)->disk) {
    return Status::Error("exec's " + name + " keeps its data on no disk of the run's own");
  }
  return (*node)->disk->PowerLoss((*node)->process->pid(), torn_seed);
}

Result<std::string> ExecSystem::DiskCommand(const std::string& name, const std::string& command,
                                            bool once_down) {
  Result<Node*> node = Find(name);
  if (!node.ok()) return node.status();
  if (*node == nullptr || !(*node)->disk) {
    return Status::Error("exec's " + name + " keeps its data on no disk of the run's own");
  }
  return once_down ? (*node)->disk->CommandOnceDown((*node)->process->pid(), command)
                   : (*node)->disk->Command(command);
}

void ExecSystem::Teardown() {
  if (adapter_) adapter_->Shutdown();
  for (Node& n : nodes_) {
    if (n.process) n.process->Kill();
    if (n.disk) n.disk->Unmount();
  }
  if (network_) network_->Remove();
}

}  // namespace jepsen::systems::exec
