#include "systems/redis/redis_system.h"

#include <hiredis/hiredis.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <sstream>

#include "systems/netns/network.h"
#include "systems/redis/redis_client.h"

namespace jepsen::systems::redis {
namespace {

struct SyncConnect {
  const char* host;
  int port;
  redisContext* context = nullptr;
};

int SyncConnectHere(void* arg) {
  auto* args = static_cast<SyncConnect*>(arg);
  const timeval timeout{0, 300 * 1000};
  args->context = redisConnectWithTimeout(args->host, args->port, timeout);
  return 0;
}

// The replies to `commands`, sent in turn on one connection to `node`, as
// text (a status, string or integer), or the first error.
Result<std::vector<std::string>> Ask(const NodeInfo& node, int netns_fd,
                                     const std::vector<std::string>& commands) {
  SyncConnect args{node.host.c_str(), node.port};
  if (netns_fd < 0) {
    SyncConnectHere(&args);
  } else if (netns::InNamespace(netns_fd, SyncConnectHere, &args) != 0) {
    return Status::Error("cannot enter the clients' network namespace");
  }
  if (args.context == nullptr) return Status::Error("cannot make a hiredis context");
  std::unique_ptr<redisContext, void (*)(redisContext*)> context(args.context, redisFree);
  if (context->err != 0) return Status::Error(context->errstr);
  const timeval timeout{0, 300 * 1000};
  redisSetTimeout(context.get(), timeout);
  std::vector<std::string> replies;
  for (const std::string& command : commands) {
    auto* reply = static_cast<redisReply*>(redisCommand(context.get(), command.c_str()));
    if (reply == nullptr) return Status::Error(context->errstr);
    std::string text = reply->str != nullptr ? std::string(reply->str, reply->len)
                                             : std::to_string(reply->integer);
    const bool error = reply->type == REDIS_REPLY_ERROR;
    freeReplyObject(reply);
    if (error) return Status::Error(text);
    replies.push_back(std::move(text));
  }
  return replies;
}

}  // namespace

Result<std::string> FindRedisServer() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/redis-server";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return Status::Error(
      "system=redis needs redis-server on PATH: apt-get install redis-server "
      "(scripts/bootstrap.sh installs it)");
}

SystemType Registration() {
  const RedisSystem::Options defaults;
  std::vector<options::Option> declared = {
      options::Switch("appendonly", defaults.appendonly,
                      "Keep the append-only file (off: nothing survives a restart)"),
      options::Choice("appendfsync", defaults.appendfsync, {"always", "everysec", "no"},
                      "When the append-only file is fsynced: before each reply, once a second "
                      "(Redis' default), or when the kernel likes"),
      options::Integer("nodes", defaults.nodes, {0, 16},
                       "How many redis-servers: n1 the primary, the rest its replicas (0: 1); "
                       "clients talk to n1"),
      options::Integer("wait", defaults.wait, {0, 15},
                       "After each write, WAIT for this many replicas; a write fewer reached "
                       "is info"),
      options::Switch("fencing", defaults.fencing,
                      "workload=leases: on: a write is taken only with a token no lower than "
                      "the highest taken; off: any token is (the unsafe pattern)")};
  for (options::Option& o : remote::HostOptions()) declared.push_back(std::move(o));
  return {
      "redis", "the Debian redis-server started by the run: one primary (n1), optionally replicas",
      std::move(declared), [](const options::Values& values) -> Result<std::unique_ptr<System>> {
        RedisSystem::Options o;
        o.appendonly = values.On("appendonly");
        o.appendfsync = values.Text("appendfsync");
        if (values.Integer("nodes") != 0) o.nodes = static_cast<int>(values.Integer("nodes"));
        o.wait = static_cast<int>(values.Integer("wait"));
        o.fencing = values.On("fencing");
        if (o.wait > o.nodes - 1) {
          return Status::Error("system=redis: wait=" + std::to_string(o.wait) + " needs at least " +
                               std::to_string(o.wait + 1) + " nodes (one primary and " +
                               std::to_string(o.wait) +
                               " replicas); nodes=" + std::to_string(o.nodes));
        }
        Result<remote::Hosts> hosts = remote::HostsFrom(values);
        if (!hosts.ok()) return hosts.status();
        return std::unique_ptr<System>(new RedisSystem(o, std::move(*hosts)));
      }};
}

Abilities RedisSystem::abilities(const SetupContext& context) const {
  Abilities a;
  AddAbilities(context, a);
  a.capabilities.insert(Leadership::kName);
  a.capabilities.erase(Clocks::kName);
  a.why_not[Clocks::kName] =
      "cannot fake its nodes' clocks: Debian's redis-server links jemalloc, which calls "
      "clock_gettime() while libfaketime initializes, and libfaketime then gives up "
      "(wolfcw/libfaketime#130): the server never serves";
  return a;
}

Json RedisSystem::HeaderOptions(const std::string& workload) const {
  Json header = {{"appendonly", options_.appendonly},
                 {"appendfsync", options_.appendfsync},
                 {"nodes", options_.nodes},
                 {"wait", options_.wait}};
  if (workload == "leases") header["fencing"] = options_.fencing;
  return header;
}

std::vector<std::string> RedisSystem::CommandLine(const std::string& server, const NodeInfo& node,
                                                  const NodeInfo& primary) const {
  std::vector<std::string> argv = {server, "--port", std::to_string(node.port), "--bind", node.host,
                                   "--dir", node.data_dir, "--appendonly",
                                   options_.appendonly ? "yes" : "no", "--appendfsync",
                                   options_.appendfsync, "--save", "", "--daemonize", "no",
                                   // bound to the run's own addresses, no password: clients
                                   // come from the clients' namespace, not 127.0.0.1
                                   "--protected-mode", "no", "--logfile", ""};
  if (node.name != primary.name) {
    argv.insert(argv.end(), {"--replicaof", primary.host, std::to_string(primary.port)});
  }
  // The primary would wait 5 s for more replicas before a full sync (Redis 7's default).
  argv.insert(argv.end(), {"--repl-diskless-sync-delay", "0"});
  return argv;
}

Status RedisSystem::Setup(const SetupContext& context) {
  context_ = context;
  // On hosts, the host's own redis-server (the keeper says when it has none).
  Result<std::string> server = on_hosts() ? Result<std::string>("redis-server") : FindRedisServer();
  if (!server.ok()) return server.status();
  // Every node's address is known before the first starts (replicas name n1).
  return StartNodes(context, options_.nodes,
                    [this, server = *server](const NodeInfo& node) -> Result<ProcessSpec> {
                      ProcessSpec spec;
                      spec.argv = CommandLine(server, node,
                                              node_info().empty() ? node : node_info().front());
                      return spec;
                    });
}

std::string RedisSystem::NotServing() const {
  const std::vector<NodeInfo>& nodes = node_info();
  if (nodes.size() == 1) {
    // PING is refused too while a disk error keeps writes off (MISCONF).
    Result<std::vector<std::string>> pong = Ask(nodes.front(), clients_fd(), {"PING"});
    if (!pong.ok()) return "n1: " + pong.message();
    return pong->front() == "PONG" ? "" : "n1: " + pong->front();
  }
  // Every replica acknowledges a write: n1 streams to a replica only from its
  // first acknowledgement, up to a second after the replica reports the link up.
  // And only a write n1 replicates counts: before n1 has a replica it keeps no
  // replication offset, and WAIT then counts a replica that acknowledged nothing.
  const std::string replicas = std::to_string(nodes.size() - 1);
  Result<std::vector<std::string>> replies =
      Ask(nodes.front(), clients_fd(),
          {"INFO replication", "SET jepsen:ready 1", "WAIT " + replicas + " 100"});
  if (!replies.ok()) return "n1: " + replies.message();
  const std::string& info = (*replies)[0];
  const size_t offset = info.find("master_repl_offset:");
  if (offset == std::string::npos ||
      std::atoll(info.c_str() + offset + std::strlen("master_repl_offset:")) <= 0) {
    return "n1: no replica has synced yet";
  }
  const std::string& acked = (*replies)[2];
  return acked == replicas ? "" : "n1: " + acked + " of " + replicas + " replicas acknowledge";
}

Status RedisSystem::AwaitServing(double timeout_s, bool before_run) {
  return Nodes::AwaitServing(timeout_s, before_run,
                             [this]() -> Result<std::string> { return NotServing(); });
}

std::unique_ptr<Client> RedisSystem::NewClient(int) {
  const NodeInfo& primary = node_info().front();
  ClientConfig config;
  config.workload = context_.workload;
  config.host = primary.host;
  config.port = primary.port;
  config.fencing = options_.fencing;
  config.wait_replicas = options_.wait;
  // WAIT answers before the run gives up on the op.
  config.wait_timeout_ms = std::max<int64_t>(1, context_.op_timeout_ms / 2);
  config.connect_timeout_ms = std::max<int64_t>(50, context_.op_timeout_ms / 2);
  config.netns_fd = clients_fd();
  return std::make_unique<RedisClient>(context_.loop, std::move(config));
}

}  // namespace jepsen::systems::redis
