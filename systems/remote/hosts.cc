#include "systems/remote/hosts.h"

#include <cstdlib>
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
                    "ssh://user@host:port), or @FILE, one per line with its own user=, port=, "
                    "key= if any; none: every node on this machine (docs/remote-hosts.md)"),
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

namespace {

// A hosts file: a host per line as ssh takes it, then settings of its own (user=, port=,
// key=) over `common`; blank lines and # comments skipped.
Status ReadHostsFile(const std::string& path, const SshOptions& common, Hosts& hosts) {
  std::ifstream in(path);
  if (!in) return Status::Error("hosts: cannot read " + path);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string where = path + ":" + std::to_string(number) + ": hosts: ";
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::string name, setting;
    if (!(words >> name)) continue;
    SshOptions ssh = common;
    while (words >> setting) {
      const size_t equals = setting.find('=');
      std::string key = setting.substr(0, equals == std::string::npos ? 0 : equals);
      const std::string value = equals == std::string::npos ? "" : setting.substr(equals + 1);
      if (key.rfind("ssh-", 0) == 0) key.erase(0, 4);  // ssh-user= as the option is spelled
      if (key == "user" && !value.empty()) {
        ssh.user = value;
      } else if (key == "key" && !value.empty()) {
        ssh.identity = value;
      } else if (key == "port") {
        char* end = nullptr;
        const long port = std::strtol(value.c_str(), &end, 10);
        if (value.empty() || *end != 0 || port < 1 || port > 65535) {
          return Status::Error(where + "port=" + value + " is not a port");
        }
        ssh.port = static_cast<int>(port);
      } else {
        return Status::Error(where + "'" + setting + "' after '" + name +
                             "' is not user=, port= or key= (other per-host settings go in an "
                             "ssh config: ssh-config)");
      }
    }
    hosts.names.push_back(name);
    hosts.ssh.push_back(std::move(ssh));
  }
  if (hosts.names.empty()) return Status::Error(path + ": hosts: no host in the file");
  return Status();
}

}  // namespace

Result<Hosts> HostsFrom(const options::Values& values) {
  SshOptions common;
  common.user = values.Text("ssh-user");
  common.port = static_cast<int>(values.Integer("ssh-port"));
  common.identity = values.Text("ssh-key");
  common.config = values.Text("ssh-config");
  for (const std::string& flag : Split(values.Text("ssh-opts"), ' ')) {
    if (!flag.empty()) common.extra.push_back(flag);
  }
  Hosts hosts;
  const std::string given = values.Text("hosts");
  if (given.rfind('@', 0) == 0) {
    if (Status s = ReadHostsFile(given.substr(1), common, hosts); !s.ok()) return s;
  } else if (!given.empty()) {
    for (const std::string& name : Split(given, ',')) {
      if (name.empty()) return Status::Error("hosts: an empty host name in '" + given + "'");
      hosts.names.push_back(name);
      hosts.ssh.push_back(common);
    }
  }
  hosts.dir = values.Text("remote-dir");
  if (hosts.dir.empty() || hosts.dir[0] != '/') {
    return Status::Error("remote-dir: '" + hosts.dir + "' is not an absolute path");
  }
  hosts.port = static_cast<int>(values.Integer("remote-port"));
  return hosts;
}

}  // namespace jepsen::systems::remote
