// A fleet of hosts on this machine for the SSH tests: each host a network
// namespace of a netns::Network running Debian's OpenSSH server (`sshd -D`)
// with a throwaway host key, letting in a throwaway user key; the test itself
// moves into the network's clients namespace, as a control node outside the
// hosts. Everything (daemons, keys, namespaces) goes with the fleet.
#ifndef JEPSEN_TESTS_SUPPORT_FLEET_H_
#define JEPSEN_TESTS_SUPPORT_FLEET_H_

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "history/status.h"
#include "systems/netns/network.h"
#include "systems/process.h"
#include "systems/remote/ssh_host.h"

namespace jepsen::testing {

class Fleet {
 public:
  // `hosts` hosts h1..hN; an error saying what is missing (sshd, root) for a skip.
  static Result<std::unique_ptr<Fleet>> Start(uv_loop_t* loop, int hosts);
  ~Fleet();  // stops the daemons, returns the test to its namespace, removes the rest

  std::vector<std::string> hosts() const;  // their addresses
  // ssh-opts for jepsen-run: the fleet's known hosts, nothing of the user's.
  std::string ssh_opts() const;
  // Runs `command` (a shell command line) inside host i's namespace, as root there: its output.
  std::string OnHost(int i, const std::string& command) const;
  // How to reach them: the user key, the fleet's known hosts.
  systems::remote::SshOptions ssh_options() const;
  const std::string& dir() const { return dir_; }  // keys, configs, logs
  // Stops host i's SSH server (a host gone from the network for new connections).
  void StopServer(int i);

 private:
  Fleet() = default;
  uv_loop_t* loop_ = nullptr;
  std::string dir_;
  std::unique_ptr<systems::netns::Network> network_;
  std::vector<std::string> addresses_;
  std::vector<std::string> namespaces_;
  std::vector<std::unique_ptr<systems::Process>> servers_;
  int home_netns_ = -1;  // the test's own namespace, to return to
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TESTS_SUPPORT_FLEET_H_
