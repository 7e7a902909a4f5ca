#include "systems/netns/network.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

extern char** environ;

namespace jepsen::systems::netns {
namespace {

constexpr char kRunDir[] = "/run/netns";
constexpr char kSubnet[] = "127.77.0.";
constexpr char kClients[] = "clients";

std::string Joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// Writes 1 to a sysctl of the namespace the calling thread is in.
int EnableLocalnet(void*) {
  int failed = 0;
  for (const char* path : {"/proc/sys/net/ipv4/conf/all/route_localnet",
                           "/proc/sys/net/ipv4/conf/eth0/route_localnet"}) {
    std::ofstream out(path);
    out << "1\n";
    out.flush();
    if (!out) failed = 1;
  }
  return failed;
}

}  // namespace

namespace {

struct SocketRequest {
  int family, type, protocol;
};

int OpenSocket(void* arg) {
  auto* r = static_cast<SocketRequest*>(arg);
  return ::socket(r->family, r->type | SOCK_CLOEXEC, r->protocol);
}

}  // namespace

int SocketIn(int netns_fd, int family, int type, int protocol) {
  SocketRequest r{family, type, protocol};
  return netns_fd < 0 ? OpenSocket(&r) : InNamespace(netns_fd, OpenSocket, &r);
}

int InNamespace(int fd, int (*fn)(void*), void* arg) {
  int home = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) return -1;
  if (::setns(fd, CLONE_NEWNET) != 0) {
    ::close(home);
    return -1;
  }
  const int result = fn(arg);
  const int saved = errno;
  ::setns(home, CLONE_NEWNET);
  ::close(home);
  errno = saved;
  return result;
}

Status InNamespace(int netns_fd, const std::function<void()>& fn) {
  if (netns_fd < 0) {
    fn();
    return Status();
  }
  auto call = [](void* f) {
    (*static_cast<const std::function<void()>*>(f))();
    return 0;
  };
  if (InNamespace(netns_fd, call, const_cast<std::function<void()>*>(&fn)) != 0) {
    return Status::Error(std::string("cannot enter the clients' network namespace: ") +
                         std::strerror(errno));
  }
  return Status();
}

std::vector<std::string> Network::List() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kRunDir, error)) {
    const std::string name = entry.path().filename();
    if (name.rfind("jepsen-", 0) == 0) names.push_back(name);
  }
  return names;
}

Status Network::Run(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int e = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (e != 0) return Status::Error("cannot run " + Joined(argv) + ": " + std::strerror(e));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Error(Joined(argv) + " failed (exit " + std::to_string(WEXITSTATUS(status)) +
                         "); see " + log_path_);
  }
  return Status();
}

Result<std::unique_ptr<Network>> Network::Create(const std::vector<std::string>& nodes,
                                                 const std::string& log_path) {
  if (::geteuid() != 0) {
    return Status::Error(
        "nemesis=partition needs root: it makes network namespaces (ip netns) and nftables "
        "rules for the run's nodes");
  }
  std::unique_ptr<Network> net(new Network());
  net->log_path_ = log_path;
  net->nodes_ = nodes;
  // Namespaces of runs that died without removing them (their pid is gone).
  for (const std::string& name : List()) {
    const size_t dash = name.find('-', 7);
    const pid_t pid = static_cast<pid_t>(std::atol(name.substr(7, dash - 7).c_str()));
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
      (void)net->Run({"ip", "netns", "del", name});
    }
  }
  static std::atomic<int> runs{0};
  net->prefix_ = "jepsen-" + std::to_string(::getpid()) + "-" + std::to_string(runs++) + "-";
  const std::string sw = net->prefix_ + "switch";
  auto add = [&](const std::string& ns) -> Status {
    if (Status s = net->Run({"ip", "netns", "add", ns}); !s.ok()) return s;
    net->namespaces_.push_back(ns);
    return Status();
  };
  if (Status s = add(sw); !s.ok()) return s;
  for (const auto& argv : std::vector<std::vector<std::string>>{
           {"ip", "-n", sw, "link", "add", "br0", "type", "bridge"},
           {"ip", "-n", sw, "link", "set", "br0", "up"}}) {
    if (Status s = net->Run(argv); !s.ok()) return s;
  }
  std::vector<std::string> members = nodes;
  members.push_back(kClients);
  for (size_t i = 0; i < members.size(); ++i) {
    const std::string& m = members[i];
    const std::string ns = net->prefix_ + m;
    const std::string port = "v" + std::to_string(i);
    const std::string address =
        m == kClients ? std::string(kSubnet) + "100" : std::string(kSubnet) + std::to_string(i + 1);
    if (Status s = add(ns); !s.ok()) return s;
    for (const auto& argv : std::vector<std::vector<std::string>>{
             {"ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port,
              "netns", sw},
             {"ip", "-n", sw, "link", "set", port, "master", "br0"},
             {"ip", "-n", sw, "link", "set", port, "up"},
             {"ip", "-n", ns, "link", "set", "lo", "up"},
             {"ip", "-n", ns, "link", "set", "eth0", "up"},
             {"ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0"}}) {
      if (Status s = net->Run(argv); !s.ok()) return s;
    }
    const std::string path = std::string(kRunDir) + "/" + ns;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::Error(path + ": " + std::strerror(errno));
    // 127.77.0.x on a veth is a martian unless route_localnet is on.
    const int failed = InNamespace(fd, EnableLocalnet, nullptr);
    if (m == kClients) {
      net->clients_fd_ = fd;
    } else {
      ::close(fd);
    }
    if (failed != 0) return Status::Error(ns + ": cannot enable route_localnet");
  }
  return net;
}

Network::~Network() { Remove(); }

std::string Network::address(const std::string& node) const {
  if (node == kClients) return std::string(kSubnet) + "100";
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i] == node) return std::string(kSubnet) + std::to_string(i + 1);
  }
  return "";
}

std::string Network::namespace_of(const std::string& node) const { return prefix_ + node; }

std::string Network::port_of(const std::string& node) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i] == node) return "v" + std::to_string(i);
  }
  return "";
}

Status Network::Partition(const std::map<std::string, std::set<std::string>>& grudge) {
  if (Status s = Heal(); !s.ok()) return s;
  for (const auto& [node, enemies] : grudge) {
    if (enemies.empty()) continue;
    std::string set;
    for (const std::string& e : enemies) set += (set.empty() ? "" : ", ") + address(e);
    const std::string rules =
        "table inet jepsen { chain input { type filter hook input priority 0; "
        "policy accept; ip saddr { " +
        set + " } drop; }; }";
    if (Status s = Run({"ip", "netns", "exec", namespace_of(node), "nft", rules}); !s.ok()) {
      return s;
    }
  }
  return Status();
}

std::string RandomDrop(int percent) {
  // numgen's values are 0-99: "< 100" is refused, and means every packet anyway.
  return percent >= 100 ? "drop" : "numgen random mod 100 < " + std::to_string(percent) + " drop";
}

Status Network::SetLoss(const std::string& node, int percent) {
  // "add" first, so the delete finds a table whether or not one was made.
  std::string rules = "add table inet jepsen-loss; delete table inet jepsen-loss";
  if (percent > 0) {
    const std::string drop = RandomDrop(percent) + "; ";
    rules +=
        "; table inet jepsen-loss { chain input { type filter hook input priority -10; "
        "policy accept; iifname \"eth0\" " +
        drop +
        "}; chain output { type filter hook "
        "output priority -10; policy accept; oifname \"eth0\" " +
        drop + "}; }";
  }
  return Run({"ip", "netns", "exec", namespace_of(node), "nft", rules});
}

Status Network::SetRate(const std::string& node, int64_t kbit) {
  const std::string sw = prefix_ + "switch";
  const std::vector<std::pair<std::string, std::string>> ends = {
      {namespace_of(node), "eth0"}, {sw, port_of(node)}};  // what it sends, what it is sent
  if (kbit <= 0) {
    if (!limited_.erase(node)) return Status();
    Status result;
    for (const auto& [ns, dev] : ends) {
      if (Status s = Run({"ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", dev, "root"});
          !s.ok()) {
        result = s;
      }
    }
    return result;
  }
  // A bucket of 20 ms of traffic (at least 4 KiB), and up to a second queued before a drop.
  const int64_t burst = std::max<int64_t>(4096, kbit * 1000 / 8 / 50);
  for (const auto& [ns, dev] : ends) {
    if (Status s = Run({"ip", "netns", "exec", ns, "tc", "qdisc", "replace", "dev", dev, "root",
                        "tbf", "rate", std::to_string(kbit) + "kbit", "burst",
                        std::to_string(burst), "latency", "1s"});
        !s.ok()) {
      return s;
    }
  }
  limited_.insert(node);
  return Status();
}

Status Network::Heal() {
  Status result;
  std::vector<std::string> parties = nodes_;
  parties.push_back(kClients);
  for (const std::string& node : parties) {
    // "add" first, so the delete finds a table whether or not one was made.
    Status s = Run({"ip", "netns", "exec", namespace_of(node), "nft",
                    "add table inet jepsen; delete table inet jepsen"});
    if (!s.ok()) result = s;
  }
  return result;
}

void Network::Remove() {
  if (clients_fd_ >= 0) {
    ::close(clients_fd_);
    clients_fd_ = -1;
  }
  for (auto it = namespaces_.rbegin(); it != namespaces_.rend(); ++it) {
    (void)Run({"ip", "netns", "del", *it});
  }
  namespaces_.clear();
}

}  // namespace jepsen::systems::netns
