// A private network for one run, so its nodes can be partitioned: a network
// namespace per node and one for the run's clients, each with one veth into a
// bridge that lives in a switch namespace of its own. Addresses are in
// 127.77.0.0/24 (loopback range, allowed on the veths by route_localnet);
// nothing is routed to or from the machine's own namespace. A partition is an
// nftables table inside each node's namespace dropping what comes from the
// nodes it holds a grudge against, so removing the namespaces removes the
// rules too. Needs root.
#ifndef JEPSEN_SYSTEMS_NETNS_NETWORK_H_
#define JEPSEN_SYSTEMS_NETNS_NETWORK_H_

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "history/status.h"

namespace jepsen::systems::netns {

class Network {
 public:
  // Creates the namespaces, veths, bridge and addresses; commands' output goes
  // to `log_path`. Removes namespaces left by runs that died (their pid is gone).
  static Result<std::unique_ptr<Network>> Create(const std::vector<std::string>& nodes,
                                                 const std::string& log_path);
  ~Network();  // Remove()
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Of a node, or of the clients (systems::Network::kClients, "clients").
  std::string address(const std::string& node) const;       // "127.77.0.1"
  std::string namespace_of(const std::string& node) const;  // for `ip netns exec`
  // An fd of the clients' namespace, for sockets opened there (setns).
  int clients_fd() const { return clients_fd_; }

  // Each party (a node, or "clients") drops packets from those it names;
  // replaces any partition.
  Status Partition(const std::map<std::string, std::set<std::string>>& grudge);
  Status Heal();  // of the partition
  // systems::Network's: nftables' random drop in a table of its own in the
  // node's namespace (so a partition's heal leaves it), and a token bucket
  // (tbf) on both ends of the node's veth.
  Status SetLoss(const std::string& node, int percent);
  Status SetRate(const std::string& node, int64_t kbit);
  // Deletes every namespace this network made (and with them its veths, bridge
  // and rules). Processes still inside keep theirs until they exit.
  void Remove();
  // Names of namespaces that exist now, of this run or any other jepsen run.
  static std::vector<std::string> List();

 private:
  Network() = default;
  Status Run(const std::vector<std::string>& argv);

  std::string port_of(const std::string& node) const;  // its veth's end on the bridge

  std::string prefix_;  // "jepsen-<pid>-<n>-"
  std::string log_path_;
  std::vector<std::string> nodes_;
  std::vector<std::string> namespaces_;  // made, in order
  std::set<std::string> limited_;        // nodes whose links have a rate limit
  int clients_fd_ = -1;
};

// An nftables statement dropping `percent` (1-100) of the packets it sees, at random.
std::string RandomDrop(int percent);

// Runs `fn` with the calling thread inside the network namespace `fd`, then
// returns it to where it was. For sockets that must live in a run's namespace.
int InNamespace(int fd, int (*fn)(void*), void* arg);
// The same for a library that opens its sockets itself (libpq's connect): `fn`
// runs inside the namespace `netns_fd`, or where the caller is when it is negative.
Status InNamespace(int netns_fd, const std::function<void()>& fn);

// A socket (close-on-exec) opened inside the namespace `netns_fd`, or in the
// caller's own when it is negative; -1 with errno on failure.
int SocketIn(int netns_fd, int family, int type, int protocol = 0);

}  // namespace jepsen::systems::netns

#endif  // JEPSEN_SYSTEMS_NETNS_NETWORK_H_
