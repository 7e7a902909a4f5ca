#include "systems/remote/hosts.h"

#include <fstream>
#include <sstream>

namespace jepsen::systems::remote {
namespace {

std::vector<std::string> Split(const std::string& text, char by) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, by)) parts.push_back(part);
  return parts;
}

}  // namespace

std::vector<options::Option> HostOptions() {
  return {
      options::Text("hosts",
                    "Run node i on host i over SSH: h1,h2,h3 (as ssh takes them: user@host, "
                    "ssh://user@host:port), or @FILE, one per line; none: every node on this "
                    "machine (docs/remote-hosts.md)"),
      options::Text("ssh-user", "The user ssh logs in as (else ssh's own choice or config)"),
      options::Integer("ssh-port", 0, {0, 65535}, "The hosts' SSH port (0: ssh's own choice)"),
      options::Text("ssh-key", "A private key file for ssh (-i)"),
      options::Text("ssh-config", "An ssh config file (-F) instead of ~/.ssh/config"),
      options::Text("ssh-opts", "More of ssh's own flags, separated by spaces"),
      options::Text("remote-dir", "/tmp/jepsen",
                    "On each host, where the run keeps its nodes' data, logs and jepsen-keeper"),
      options::Integer("remote-port", 7000, {1, 65534},
                       "On each host, the node's port (and the next one for its peers)"),
  };
}

// A hosts file: one host per line as ssh takes it; blank lines and # comments skipped.
Result<std::vector<std::string>> ReadHostsFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Error("hosts: cannot read " + path);
  std::vector<std::string> names;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::string name, extra;
    if (!(words >> name)) continue;
    if (words >> extra) {
      return Status::Error(path + ":" + std::to_string(number) + ": hosts: one host per line, " +
                           "found '" + extra + "' after '" + name +
                           "' (per-host settings go in an ssh config: ssh-config)");
    }
    names.push_back(name);
  }
  if (names.empty()) return Status::Error(path + ": hosts: no host in the file");
  return names;
}

Result<Hosts> HostsFrom(const options::Values& values) {
  Hosts hosts;
  const std::string given = values.Text("hosts");
  if (given.rfind('@', 0) == 0) {
    Result<std::vector<std::string>> names = ReadHostsFile(given.substr(1));
    if (!names.ok()) return names.status();
    hosts.names = std::move(*names);
  } else if (!given.empty()) {
    for (const std::string& name : Split(given, ',')) {
      if (name.empty()) return Status::Error("hosts: an empty host name in '" + given + "'");
      hosts.names.push_back(name);
    }
  }
  hosts.ssh.user = values.Text("ssh-user");
  hosts.ssh.port = static_cast<int>(values.Integer("ssh-port"));
  hosts.ssh.identity = values.Text("ssh-key");
  hosts.ssh.config = values.Text("ssh-config");
  for (const std::string& flag : Split(values.Text("ssh-opts"), ' ')) {
    if (!flag.empty()) hosts.ssh.extra.push_back(flag);
  }
  hosts.dir = values.Text("remote-dir");
  if (hosts.dir.empty() || hosts.dir[0] != '/') {
    return Status::Error("remote-dir: '" + hosts.dir + "' is not an absolute path");
  }
  hosts.port = static_cast<int>(values.Integer("remote-port"));
  return hosts;
}

}  // namespace jepsen::systems::remote
