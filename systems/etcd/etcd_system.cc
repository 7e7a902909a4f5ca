#include "systems/etcd/etcd_system.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>
#include <utility>

#include "systems/etcd/gateway.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems::etcd {
namespace {

using Clock = std::chrono::steady_clock;

// etcd's shortest lease with its default election timeout (1 s): a shorter TTL is granted as this.
constexpr int64_t kShortestTtlMs = 2000;

Clock::time_point Deadline(double seconds) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// A member's /v3/maintenance/status, or an error.
Result<Json> MemberStatus(const std::string& url, int64_t timeout_ms, int netns_fd) {
  http::Response r = http::RequestNow(url + "/v3/maintenance/status", "{}", timeout_ms, netns_fd);
  if (!r.ok) return Status::Error(r.error);
  Result<Json> json = ParseReply(r.body);
  if (!json.ok()) return json.status();
  if (std::optional<Error> e = ErrorOf(*json)) return Status::Error(e->message);
  return json;
}

}  // namespace

Result<std::string> FindEtcd() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/etcd";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return Status::Error(
      "system=etcd needs the etcd binary on PATH: apt-get install etcd-server "
      "(scripts/bootstrap.sh installs it)");
}

SystemType Registration() {
  const EtcdSystem::Options defaults;
  return {"etcd",
          "a cluster of the Debian etcd (etcd-server), started by the run",
          {options::Integer("nodes", defaults.nodes, {0, 64}, "How many members (0: 3)"),
           options::Choice("reads", "linearizable", {"linearizable", "serializable"},
                           "linearizable (quorum) or serializable (any member's own state, "
                           "possibly stale)"),
           options::Switch("fencing", defaults.fencing,
                           "workload=leases: on: the protected resource is written by a txn "
                           "comparing the lock's create_revision to the token; off: by a plain "
                           "put")},
          [](const options::Values& values) -> Result<std::unique_ptr<System>> {
            EtcdSystem::Options o;
            if (values.Integer("nodes") != 0) o.nodes = static_cast<int>(values.Integer("nodes"));
            o.serializable_reads = values.Text("reads") == "serializable";
            o.fencing = values.On("fencing");
            return std::unique_ptr<System>(new EtcdSystem(o));
          }};
}

Status EtcdSystem::AdjustWorkload(const std::string&, options::Values& values) const {
  if (!values.Has("ttl-ms")) return Status();  // a workload without leases
  if (!values.Given("ttl-ms") || values.Integer("ttl-ms") == 0) {
    values.Set("ttl-ms", kShortestTtlMs);
    return Status();
  }
  const int64_t ttl_ms = values.Integer("ttl-ms");
  if (ttl_ms % 1000 != 0 || ttl_ms < kShortestTtlMs) {
    // A shorter TTL is granted as 2 s: the checker would then judge holds
    // and renews against a lease that is not the one etcd keeps.
    return Status::Error(
        "etcd grants leases in whole seconds and at least 2 s (its default "
        "election timeout): use ttl-ms=2000 or another multiple of 1000");
  }
  return Status();
}

Json EtcdSystem::HeaderOptions(const std::string& workload) const {
  Json header = {{"nodes", options_.nodes},
                 {"reads", options_.serializable_reads ? "serializable" : "linearizable"}};
  if (workload == "leases") header["fencing"] = options_.fencing;
  return header;
}

Abilities EtcdSystem::abilities(const SetupContext& context) const {
  Abilities a;
  // A network in the run's own namespaces (Setup says when it cannot make one).
  a.capabilities = {ProcessNodes::kName, Network::kName, Leadership::kName};
  if (context.disks) a.capabilities.insert(Disks::kName);
  a.why_not[Clocks::kName] =
      "cannot fake its nodes' clocks: etcd is a Go program, whose runtime reads the time "
      "through the vDSO, not libc, so libfaketime never sees it";
  return a;
}

Status EtcdSystem::Setup(const SetupContext& context) {
  context_ = context;
  Result<std::string> etcd = FindEtcd();
  if (!etcd.ok()) return etcd.status();
  const int count = std::max(1, options_.nodes);
  std::vector<std::string> names;
  for (int i = 1; i <= count; ++i) names.push_back("n" + std::to_string(i));
  if (context.private_network) {
    Result<std::unique_ptr<netns::Network>> network =
        netns::Network::Create(names, context.log_path);
    if (!network.ok()) return network.status();
    network_ = std::move(network).value();
  }
  for (const std::string& name : names) {
    Node node;
    node.name = name;
    if (network_) {  // a namespace of its own: etcd's usual ports are free there
      node.host = network_->address(name);
      node.client_port = 2379;
      node.peer_port = 2380;
    } else {
      node.host = "127.0.0.1";
      Result<int> client = uv::FreeLoopbackPort();
      if (!client.ok()) return client.status();
      Result<int> peer = uv::FreeLoopbackPort();
      if (!peer.ok()) return peer.status();
      node.client_port = *client;
      node.peer_port = *peer;
    }
    nodes_.push_back(std::move(node));
  }
  std::string cluster;
  for (const Node& n : nodes_)
    cluster += (cluster.empty() ? "" : ",") + n.name + "=" + n.peer_url();
  // A token of this run's own, so members of two runs never join each other.
  const std::string token = "jepsen-" + std::to_string(::getpid()) + "-" +
                            std::to_string(Clock::now().time_since_epoch().count());
  std::error_code error;
  std::filesystem::create_directories(context.data_dir, error);
  if (error) return Status::Error(context.data_dir + ": cannot create: " + error.message());
  for (Node& n : nodes_) {
    if (context.disks) {  // the member's data lives in <name>.disk, seen through <name>
      const std::string data = context.data_dir + "/" + n.name;
      Result<std::unique_ptr<NodeDisk>> disk =
          NodeDisk::Mount(context.loop, context.binary_dir, data + ".disk", data, context.log_path,
                          context.disk_flags);
      if (!disk.ok()) return disk.status();
      n.disk = std::move(*disk);
    }
    ProcessSpec spec;
    spec.argv = {*etcd,
                 "--name",
                 n.name,
                 "--data-dir",
                 context.data_dir + "/" + n.name,
                 "--listen-client-urls",
                 n.client_url(),
                 "--advertise-client-urls",
                 n.client_url(),
                 "--listen-peer-urls",
                 n.peer_url(),
                 "--initial-advertise-peer-urls",
                 n.peer_url(),
                 "--initial-cluster",
                 cluster,
                 "--initial-cluster-state",
                 "new",
                 "--initial-cluster-token",
                 token,
                 "--logger",
                 "zap",
                 "--log-outputs",
                 "stderr"};
    if (network_) {
      // `ip netns exec` execs etcd in place: the node stays a direct child.
      spec.argv.insert(spec.argv.begin(), {"ip", "netns", "exec", network_->namespace_of(n.name)});
      spec.argv[0] = "/usr/sbin/ip";
      if (::access(spec.argv[0].c_str(), X_OK) != 0) spec.argv[0] = "/sbin/ip";
    }
    spec.log_path = context.data_dir + "/" + n.name + ".log";
    n.process = std::make_unique<Process>(context.loop, std::move(spec));
    if (Status s = n.process->Start(); !s.ok()) return s;
  }
  http_ = std::make_shared<http::Client>(context.loop, netns_fd());
  return Status();
}

std::vector<std::string> EtcdSystem::nodes() const {
  std::vector<std::string> names;
  for (const Node& n : nodes_) names.push_back(n.name);
  return names;
}

Result<const EtcdSystem::Node*> EtcdSystem::Find(const std::string& name) const {
  for (const Node& n : nodes_) {
    if (n.name == name) return &n;
  }
  return Status::Error("etcd has no node '" + name + "'");
}

Result<EtcdSystem::Node*> EtcdSystem::Find(const std::string& name) {
  Result<const Node*> node = std::as_const(*this).Find(name);
  if (!node.ok()) return node.status();
  return const_cast<Node*>(*node);
}

int EtcdSystem::ProcessGroup(const std::string& name) const {
  Result<const Node*> n = Find(name);
  return n.ok() ? (*n)->process->pid() : 0;
}

Status EtcdSystem::Kill(const std::string& name) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  (*n)->process->Kill();
  return Status();
}

Status EtcdSystem::Restart(const std::string& name) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  return (*n)->process->Start();  // same command; etcd finds its data and rejoins
}

Status EtcdSystem::Pause(const std::string& name) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  (*n)->process->Pause();
  return Status();
}

Status EtcdSystem::Resume(const std::string& name) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  (*n)->process->Resume();
  return Status();
}

Status EtcdSystem::AwaitReady(double timeout_s) { return AwaitServing(timeout_s, true); }

Status EtcdSystem::AwaitServing(double timeout_s, bool before_run) {
  const auto deadline = Deadline(timeout_s);
  std::string last;
  while (true) {
    if (before_run) uv_run(context_.loop, UV_RUN_NOWAIT);  // reaps a member that exited at once
    for (Node& n : nodes_) {
      if (n.process->running()) continue;
      const std::string output = n.process->RecentOutput();
      return Status::Error(n.name + " (etcd) exited before serving" +
                           (output.empty() ? "" : ": " + output) + " (see " + context_.data_dir +
                           "/" + n.name + ".log)");
    }
    bool all = true;
    for (Node& n : nodes_) {
      http::Response r = http::RequestNow(n.client_url() + "/health", "", 500, netns_fd());
      if (!r.ok || r.body.find("\"health\":\"true\"") == std::string::npos) {
        last = n.name + ": " + (r.ok ? r.body : r.error);
        all = false;
        break;
      }
      if (n.member_id.empty()) {
        Result<Json> status = MemberStatus(n.client_url(), 500, netns_fd());
        if (status.ok()) n.member_id = (*status)["header"].value("member_id", "");
      }
      if (n.member_id.empty()) {
        last = n.name + ": no member id yet";
        all = false;
        break;
      }
    }
    if (all) return Status();
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  char within[32];
  std::snprintf(within, sizeof within, "%g s", timeout_s);
  return Status::Error("etcd cluster not healthy within " + std::string(within) + " (" + last +
                       "); logs in " + context_.data_dir);
}

bool EtcdSystem::Up() const {
  for (const Node& n : nodes_) {
    if (!n.process->running() || n.process->paused()) return false;
  }
  return true;
}

Result<std::string> EtcdSystem::Leader() {
  std::map<std::string, int> votes;  // leader member id -> members naming it
  for (Node& n : nodes_) {
    if (!n.process->running() || n.process->paused()) continue;
    Result<Json> status = MemberStatus(n.client_url(), 300, netns_fd());
    if (!status.ok()) continue;
    if (n.member_id.empty()) n.member_id = (*status)["header"].value("member_id", "");
    const std::string leader = status->value("leader", "");
    if (!leader.empty() && leader != "0") ++votes[leader];
  }
  std::string best;
  for (const auto& [id, count] : votes) {
    if (best.empty() || count > votes[best]) best = id;
  }
  for (const Node& n : nodes_) {
    if (!best.empty() && n.member_id == best) return n.name;
  }
  return Status::Error("no etcd member names a leader");
}

std::unique_ptr<Client> EtcdSystem::NewClient(int thread) {
  const Node& n = nodes_[static_cast<size_t>(thread) % nodes_.size()];
  ClientConfig config;
  config.workload = context_.workload;
  config.url = n.client_url();
  config.node = n.name;
  config.serializable = options_.serializable_reads;
  config.fencing = options_.fencing;
  // Longer than the op timeout: a late reply is still logged as late, not lost.
  config.timeout_ms = std::max<int64_t>(5000, 2 * context_.op_timeout_ms);
  config.http = http_;
  config.leases = leases_;
  return std::make_unique<EtcdClient>(context_.loop, std::move(config));
}

Result<LostWrites> EtcdSystem::PowerLoss(const std::string& name,
                                         std::optional<uint64_t> torn_seed) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  if (!(*n)->disk)
    return Status::Error("etcd's " + name + " keeps its data on no disk of the run's own");
  return (*n)->disk->PowerLoss((*n)->process->pid(), torn_seed);
}

Result<std::string> EtcdSystem::DiskCommand(const std::string& name, const std::string& command,
                                            bool once_down) {
  Result<Node*> n = Find(name);
  if (!n.ok()) return n.status();
  if (!(*n)->disk)
    return Status::Error("etcd's " + name + " keeps its data on no disk of the run's own");
  return once_down ? (*n)->disk->CommandOnceDown((*n)->process->pid(), command)
                   : (*n)->disk->Command(command);
}

void EtcdSystem::Teardown() {
  http_.reset();  // the clients are gone; requests of their own (revokes) go too
  for (Node& n : nodes_) {
    if (n.process) n.process->Kill();
    if (n.disk) n.disk->Unmount();
  }
  if (network_) network_->Remove();  // the killed nodes leave theirs as they exit
}

}  // namespace jepsen::systems::etcd
