#include "systems/etcd/etcd_system.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <utility>

#include "systems/etcd/gateway.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems::etcd {
namespace {

using Clock = std::chrono::steady_clock;

// etcd's shortest lease with its default election timeout (1 s): a shorter TTL is granted as this.
constexpr int64_t kShortestTtlMs = 2000;

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
  std::vector<options::Option> declared = {
      options::Integer("nodes", defaults.nodes, {0, 64}, "How many members (0: 3)"),
      options::Choice("reads", "linearizable", {"linearizable", "serializable"},
                      "linearizable (quorum) or serializable (any member's own state, "
                      "possibly stale)"),
      options::Switch("fencing", defaults.fencing,
                      "workload=leases: on: the protected resource is written by a txn "
                      "comparing the lock's create_revision to the token; off: by a plain "
                      "put")};
  for (options::Option& o : remote::HostOptions()) declared.push_back(std::move(o));
  return {"etcd", "a cluster of the Debian etcd (etcd-server), started by the run",
          std::move(declared),
          [](const options::Values& values) -> Result<std::unique_ptr<System>> {
            EtcdSystem::Options o;
            if (values.Integer("nodes") != 0) o.nodes = static_cast<int>(values.Integer("nodes"));
            o.serializable_reads = values.Text("reads") == "serializable";
            o.fencing = values.On("fencing");
            Result<remote::Hosts> hosts = remote::HostsFrom(values);
            if (!hosts.ok()) return hosts.status();
            return std::unique_ptr<System>(new EtcdSystem(o, std::move(*hosts)));
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
  AddAbilities(context, a);
  // A network in the run's own namespaces or on the hosts (Setup says when it cannot make one).
  a.capabilities.insert({Network::kName, Leadership::kName});
  a.capabilities.erase(Clocks::kName);
  a.why_not[Clocks::kName] =
      "cannot fake its nodes' clocks: etcd is a Go program, whose runtime reads the time "
      "through the vDSO, not libc, so libfaketime never sees it";
  return a;
}

namespace {

std::string ClientUrl(const NodeInfo& n) {
  return "http://" + n.host + ":" + std::to_string(n.port);
}
std::string PeerUrl(const NodeInfo& n) {
  return "http://" + n.host + ":" + std::to_string(n.peer_port);
}

}  // namespace

Status EtcdSystem::Setup(const SetupContext& context) {
  context_ = context;
  // On hosts, the host's own etcd (the keeper says when it has none).
  Result<std::string> etcd = on_hosts() ? Result<std::string>("etcd") : FindEtcd();
  if (!etcd.ok()) return etcd.status();
  // A token of this run's own, so members of two runs never join each other.
  const std::string token = "jepsen-" + std::to_string(::getpid()) + "-" +
                            std::to_string(Clock::now().time_since_epoch().count());
  Status started = StartNodes(context, std::max(1, options_.nodes), [&](const NodeInfo& n) {
    std::string cluster;
    for (const NodeInfo& peer : node_info())
      cluster += (cluster.empty() ? "" : ",") + peer.name + "=" + PeerUrl(peer);
    ProcessSpec spec;
    spec.argv = {*etcd,        "--name",
                 n.name,       "--data-dir",
                 n.data_dir,   "--listen-client-urls",
                 ClientUrl(n), "--advertise-client-urls",
                 ClientUrl(n), "--listen-peer-urls",
                 PeerUrl(n),   "--initial-advertise-peer-urls",
                 PeerUrl(n),   "--initial-cluster",
                 cluster,      "--initial-cluster-state",
                 "new",        "--initial-cluster-token",
                 token,        "--logger",
                 "zap",        "--log-outputs",
                 "stderr"};
    spec.log_path = context.data_dir + "/" + n.name + ".log";
    return Result<ProcessSpec>(std::move(spec));
  });
  if (!started.ok()) return started;
  http_ = std::make_shared<http::Client>(context.loop, netns_fd());
  return Status();
}

Status EtcdSystem::AwaitReady(double timeout_s) { return AwaitServing(timeout_s, true); }

Status EtcdSystem::AwaitServing(double timeout_s, bool before_run) {
  return Nodes::AwaitServing(timeout_s, before_run, [this]() -> Result<std::string> {
    for (const NodeInfo& n : node_info()) {
      http::Response r = http::RequestNow(ClientUrl(n) + "/health", "", 500, netns_fd());
      if (!r.ok || r.body.find("\"health\":\"true\"") == std::string::npos) {
        return n.name + ": " + (r.ok ? r.body : r.error);
      }
      std::string& id = member_ids_[n.name];
      if (id.empty()) {
        Result<Json> status = MemberStatus(ClientUrl(n), 500, netns_fd());
        if (status.ok()) id = (*status)["header"].value("member_id", "");
      }
      if (id.empty()) return n.name + ": no member id yet";
    }
    return std::string();
  });
}

Result<std::string> EtcdSystem::Leader() {
  std::map<std::string, int> votes;  // leader member id -> members naming it
  for (const NodeInfo& n : node_info()) {
    if (!NodeUp(n.name)) continue;
    Result<Json> status = MemberStatus(ClientUrl(n), 300, netns_fd());
    if (!status.ok()) continue;
    std::string& id = member_ids_[n.name];
    if (id.empty()) id = (*status)["header"].value("member_id", "");
    const std::string leader = status->value("leader", "");
    if (!leader.empty() && leader != "0") ++votes[leader];
  }
  std::string best;
  for (const auto& [id, count] : votes) {
    if (best.empty() || count > votes[best]) best = id;
  }
  for (const auto& [name, id] : member_ids_) {
    if (!best.empty() && id == best) return name;
  }
  return Status::Error("no etcd member names a leader");
}

std::unique_ptr<Client> EtcdSystem::NewClient(int thread) {
  const NodeInfo& n = node_info()[static_cast<size_t>(thread) % node_info().size()];
  ClientConfig config;
  config.workload = context_.workload;
  config.url = ClientUrl(n);
  config.node = n.name;
  config.serializable = options_.serializable_reads;
  config.fencing = options_.fencing;
  // Longer than the op timeout: a late reply is still logged as late, not lost.
  config.timeout_ms = std::max<int64_t>(5000, 2 * context_.op_timeout_ms);
  config.http = http_;
  config.leases = leases_;
  return std::make_unique<EtcdClient>(context_.loop, std::move(config));
}

void EtcdSystem::Teardown() {
  http_.reset();  // the clients are gone; requests of their own (revokes) go too
  StopNodes();    // the killed nodes leave their namespaces as they exit
}

}  // namespace jepsen::systems::etcd
