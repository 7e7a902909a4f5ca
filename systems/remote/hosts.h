// Where a system's nodes run: on this machine (no hosts), or node i on host i
// over SSH (docs/remote-hosts.md). The options that say so (hosts, ssh-user,
// ssh-port, ssh-key, ssh-config, ssh-opts, remote-dir, remote-port) are declared once here and
// added to the options of every system that can place its nodes on hosts.
#ifndef JEPSEN_SYSTEMS_REMOTE_HOSTS_H_
#define JEPSEN_SYSTEMS_REMOTE_HOSTS_H_

#include <string>
#include <vector>

#include "history/status.h"
#include "options/option.h"
#include "systems/remote/ssh_host.h"

namespace jepsen::systems::remote {

struct Hosts {
  std::vector<std::string> names;  // node i runs on names[i]; empty: all local
  std::vector<SshOptions> ssh;     // ssh[i]: how names[i] is reached (ssh-*, its file line's)
  std::string dir;                 // on each host, the runs' directories are made under it
  int port = 0;  // each node's first port on its host (the next one is its peer port)
  bool remote() const { return !names.empty(); }
};

std::vector<options::Option> HostOptions();
// From the values of HostOptions(): errors name the option (an empty host name,
// a remote-dir that is not absolute), or a hosts file's line. A hosts file has a
// host a line, optionally followed by its own user=, port= and key= (over ssh-user,
// ssh-port and ssh-key).
Result<Hosts> HostsFrom(const options::Values& values);

}  // namespace jepsen::systems::remote

#endif  // JEPSEN_SYSTEMS_REMOTE_HOSTS_H_
