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
  std::vector<options::Option> declared = {
      options::Text("node-cmd",
                    "Shell command starting one node; {node}, {host}, {port}, {data_dir} are "
                    "filled in (leave out when the system lives inside the adapter)"),
      options::Text("client-cmd",
                    "Shell command starting the client adapter (required; "
                    "docs/exec-protocol.md)"),
      options::Integer("nodes", kDefaultNodes, {0, 64}, "How many nodes node-cmd starts (0: 1)")};
  for (options::Option& o : remote::HostOptions()) declared.push_back(std::move(o));
  return {"exec",
          "your own system: node-cmd starts each node, client-cmd the client adapter "
          "(docs/exec-protocol.md)",
          std::move(declared),
          [](const options::Values& values) -> Result<std::unique_ptr<System>> {
            if (values.Text("client-cmd").empty()) {
              return Status::Error("system=exec needs client-cmd=\"...\" (the client adapter)");
            }
            Result<remote::Hosts> hosts = remote::HostsFrom(values);
            if (!hosts.ok()) return hosts.status();
            if (hosts->remote() && values.Text("node-cmd").empty()) {
              return Status::Error(
                  "hosts: system=exec runs nodes on hosts with node-cmd; "
                  "without it the system lives in the adapter, here");
            }
            const int nodes = static_cast<int>(values.Integer("nodes"));
            return std::unique_ptr<System>(
                new ExecSystem(values.Text("node-cmd"), values.Text("client-cmd"),
                               nodes == 0 ? kDefaultNodes : nodes, std::move(*hosts)));
          }};
}

Abilities ExecSystem::abilities(const SetupContext& context) const {
  Abilities a;
  if (node_command_.empty()) {  // the adapter is the one node: a process of the run
    a.capabilities = {ProcessNodes::kName, Leadership::kName};
    a.why_not[Clocks::kName] = "has no node-cmd: clock faults act on nodes the run starts";
    return a;
  }
  AddAbilities(context, a);
  if (node_count_ <= 1) a.capabilities.insert(Leadership::kName);
  return a;
}

Json ExecSystem::HeaderOptions(const std::string&) const {
  return {{"node_cmd", node_command_}, {"client_cmd", client_command_}, {"nodes", node_count_}};
}

Status ExecSystem::Setup(const SetupContext& context) {
  context_ = context;
  if (!node_command_.empty()) {
    Status started = StartNodes(context, node_count_, [this](const NodeInfo& node) {
      ProcessSpec spec;
      spec.argv = {"/bin/sh", "-c",
                   "exec " + Expand(node_command_, node.name, node.host, node.port, node.data_dir)};
      return Result<ProcessSpec>(std::move(spec));
    });
    if (!started.ok()) return started;
  }
  Json nodes = Json::array();
  for (const NodeInfo& n : node_info()) {
    nodes.push_back(
        {{"name", n.name}, {"host", n.host}, {"port", n.port}, {"data_dir", n.data_dir}});
  }
  const std::string adapter_dir = context.data_dir + "/adapter";
  std::error_code error;
  std::filesystem::create_directories(adapter_dir, error);
  const bool alone = node_info().empty();
  std::string adapter_command =
      Expand(client_command_, "adapter", alone ? "127.0.0.1" : node_info().front().host,
             alone ? 0 : node_info().front().port, adapter_dir);
  if (network_) {  // the adapter reaches the nodes from the clients' namespace
    adapter_command = "ip netns exec " + network_->namespace_of(Network::kClients) +
                      " /bin/sh -c " + ShellWord("exec " + adapter_command);
  }
  adapter_ = std::make_shared<Adapter>(context.loop, adapter_command, context.log_path,
                                       Json{{"workload", context.workload}, {"nodes", nodes}});
  return adapter_->Start();
}

std::vector<std::string> ExecSystem::nodes() const {
  if (node_command_.empty()) return {"adapter"};
  return node_names();
}

Result<bool> ExecSystem::IsAdapter(const std::string& name) const {
  if (!node_command_.empty()) return false;
  if (name == "adapter") return true;
  return Status::Error("system exec has no node '" + name + "' (only adapter: no node-cmd)");
}

int ExecSystem::ProcessGroup(const std::string& name) const {
  Result<bool> adapter = IsAdapter(name);
  if (!adapter.ok()) return 0;
  return *adapter ? adapter_->pid() : Nodes::ProcessGroup(name);
}

Result<std::string> ExecSystem::Leader() {
  const std::vector<std::string> all = nodes();
  if (all.size() == 1) return all[0];
  return Status::Error("system exec cannot tell which of its " + std::to_string(all.size()) +
                       " nodes leads");
}

Status ExecSystem::Kill(const std::string& name) {
  Result<bool> adapter = IsAdapter(name);
  if (!adapter.ok()) return adapter.status();
  if (!*adapter) return Nodes::Kill(name);
  adapter_->Kill();
  return Status();
}

Status ExecSystem::Restart(const std::string& name) {
  Result<bool> adapter = IsAdapter(name);
  if (!adapter.ok()) return adapter.status();
  return *adapter ? adapter_->Start() : Nodes::Restart(name);
}

Status ExecSystem::Pause(const std::string& name) {
  Result<bool> adapter = IsAdapter(name);
  if (!adapter.ok()) return adapter.status();
  if (!*adapter) return Nodes::Pause(name);
  adapter_->Pause();
  return Status();
}

Status ExecSystem::Resume(const std::string& name) {
  Result<bool> adapter = IsAdapter(name);
  if (!adapter.ok()) return adapter.status();
  if (!*adapter) return Nodes::Resume(name);
  adapter_->Resume();
  return Status();
}

Status ExecSystem::AwaitReady(double timeout_s) {
  // A node that exits while the adapter is still getting ready is reported at once.
  auto node_exited = [this] { return NodeExited(); };
  Status ready = adapter_->AwaitReady(timeout_s, node_exited);
  if (!ready.ok()) return ready;
  uv_run(context_.loop, UV_RUN_NOWAIT);
  return NodeExited();
}

bool ExecSystem::Up() const { return NodesUp() && adapter_->running() && !adapter_->paused(); }

std::unique_ptr<Client> ExecSystem::NewClient(int) {
  return std::make_unique<ExecClient>(adapter_);
}

void ExecSystem::Teardown() {
  if (adapter_) adapter_->Shutdown();
  StopNodes();
}

}  // namespace jepsen::systems::exec
