// Nodes on remote hosts (remote/hosts.h): each host reached over SSH and checked, jepsen-keeper
// (and for disk faults jepsen-diskfs) uploaded, node i started on host i by its keeper, the
// hosts' firewall made of the keepers (docs/remote-hosts.md).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "systems/nodes.h"
#include "systems/remote/command.h"
#include "systems/remote/remote_process.h"

namespace jepsen::systems {
namespace {

// What disk faults need on a host (a shell fragment ending in "; "): root and /dev/fuse.
const std::string kDiskChecks =
    "[ \"$(id -u)\" = 0 ] || { echo 'disk faults need root there (to mount jepsen-diskfs)' >&2; "
    "exit 5; }; [ -w /dev/fuse ] || { echo 'disk faults need /dev/fuse there' >&2; exit 5; }; ";

// Detaches what a run killed outright left mounted under `dir` (a shell fragment ending in
// "; "): its filesystem died with it, and a stale mount fails every access below it.
std::string StaleMounts(const std::string& dir) {
  return "awk -v d=" + remote::ShellWord(dir + "/") +
         " 'index($2, d) == 1 {print $2}' /proc/mounts | while read -r m; do umount -l \"$m\"; "
         "done; ";
}

}  // namespace

Status Nodes::StartOnHosts(const SetupContext& context, int count, const Command& command) {
  namespace fs = std::filesystem;
  if (hosts_.ssh.size() != hosts_.names.size()) {
    return Status::Error("hosts: each host needs its ssh settings (remote::HostsFrom)");
  }
  if (static_cast<int>(hosts_.names.size()) < count) {
    return Status::Error("hosts: " + std::to_string(hosts_.names.size()) + " given for " +
                         std::to_string(count) + " nodes (node i runs on host i)");
  }
  char dir[] = "/tmp/jepsen-ssh-XXXXXX";  // short: a socket's path has a limit
  if (::mkdtemp(dir) == nullptr) return Status::Error("cannot make a directory in /tmp");
  control_dir_ = dir;
  const std::string run = fs::path(context.data_dir).parent_path().filename().string();
  const std::string remote_run = hosts_.dir + "/" + run;
  const std::string table = "jepsen-run-" + std::to_string(::getpid());
  std::vector<remote::HostFirewall::Member> members;
  for (int i = 0; i < count; ++i) {
    const std::string& name = hosts_.names[static_cast<size_t>(i)];
    Result<std::unique_ptr<remote::SshHost>> host = remote::SshHost::Connect(
        context.loop, name, hosts_.ssh[static_cast<size_t>(i)], control_dir_, context.log_path, 15);
    if (!host.ok()) return host.status();
    remote::SshHost* h = host->get();
    connections_.push_back(std::move(*host));
    NodeInfo info;
    info.name = "n" + std::to_string(i + 1);
    info.port = hosts_.port;
    info.peer_port = hosts_.port + 1;
    info.data_dir = remote_run + "/" + info.name;
    info.remote = true;
    // What the run needs there, where the host is, and its clock; tables a killed run left.
    const auto asked = std::chrono::system_clock::now();
    Result<remote::CommandOutput> facts = h->Exec(
        "mkdir -p " + remote::ShellWord(info.data_dir) +
            (context.disks ? " " + remote::ShellWord(info.data_dir + ".disk") : "") +
            " || exit 3; command -v nft >/dev/null || { echo 'nft (nftables) is not installed' "
            ">&2; exit 4; }; for t in $(nft list tables 2>/dev/null | awk '$3 ~ /^jepsen-run-/ "
            "{print $3}'); do nft delete table inet $t; done; " +
            (context.disks ? kDiskChecks + StaleMounts(hosts_.dir) : std::string()) +
            "echo $SSH_CONNECTION; date +%s.%N",
        30);
    const double local_s =
        std::chrono::duration<double>(asked.time_since_epoch()).count() +
        std::chrono::duration<double>(std::chrono::system_clock::now() - asked).count() / 2;
    if (!facts.ok()) return facts.status();
    if (facts->exit_code != 0) {
      std::string why = facts->err;
      while (!why.empty() && why.back() == '\n') why.pop_back();
      return Status::Error("host " + name + ": " +
                           (facts->exit_code == 255 ? "ssh failed: " : "not ready: ") + why);
    }
    std::istringstream said(facts->out);
    std::string client, client_port, server;
    int ssh_port = 22;
    double host_s = 0;
    said >> client >> client_port >> server >> ssh_port >> host_s;
    if (server.empty() || host_s == 0) {
      return Status::Error("host " + name +
                           ": could not tell its address and clock from: " + facts->out);
    }
    if (std::abs(host_s - local_s) > 2) {
      return Status::Error("host " + name + ": its clock is " +
                           std::to_string(static_cast<int64_t>(host_s - local_s)) +
                           " s off this machine's; sync the clocks (NTP) first");
    }
    info.host = server;
    for (const char* program : {"jepsen-keeper", "jepsen-diskfs"}) {
      if (program == std::string("jepsen-diskfs") && !context.disks) continue;
      const std::string there = remote_run + "/" + program;
      if (Status s = h->Upload(context.binary_dir + "/" + program, there); !s.ok()) return s;
    }
    members.push_back({info.name, nullptr, server, client, ssh_port});  // its keeper once started
    Node node;
    node.host = h;
    node.remote_clock = context.clocks;
    info_.push_back(std::move(info));
    nodes_.push_back(std::move(node));
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (context.disks) {
      if (Status s = MountOnHost(context, i, remote_run); !s.ok()) return s;
    }
    Result<ProcessSpec> spec = command(info_[i]);
    if (!spec.ok()) return spec.status();
    Node& node = nodes_[i];
    node.log_path = spec->log_path.empty() ? context.log_path : spec->log_path;
    const std::string log = remote_run + "/" + info_[i].name + ".log";
    node.remote_logs.emplace_back(log, node.log_path);
    std::string line = "exec " + remote::ShellWord(remote_run + "/jepsen-keeper") + " --log " +
                       remote::ShellWord(log);
    if (!spec->cwd.empty()) line += " --cwd " + remote::ShellWord(spec->cwd);
    if (node.remote_clock) line += " --clock " + remote::ShellWord(info_[i].data_dir + ".faketime");
    // Should the control node die, the keeper's exit removes the run's tables on its host.
    line += " --nft-table " + table + " --nft-table " + table + "-loss";
    line += " --";
    if (!spec->env.empty()) line += " env " + remote::ShellLine(spec->env);
    line += " " + remote::ShellLine(spec->argv);
    auto process = std::make_unique<remote::RemoteProcess>(
        context.loop, node.host->Argv(line), "host " + hosts_.names[i] + " (" + info_[i].name + ")",
        context.log_path);
    node.remote = process.get();
    members[i].keeper = node.remote;
    node.process = std::move(process);
    if (Status s = node.process->Start(); !s.ok()) return s;
  }
  auto firewall = std::make_unique<remote::HostFirewall>(std::move(members), table);
  firewall_ = firewall.get();
  elsewhere_ = std::move(firewall);
  return Status();
}

Status Nodes::MountOnHost(const SetupContext& context, size_t i, const std::string& remote_run) {
  Node& node = nodes_[i];
  const NodeInfo& info = info_[i];
  const std::string log = remote_run + "/" + info.name + ".diskfs.log";
  node.remote_logs.emplace_back(log, context.log_path);
  // Abstract, in the host's network namespace: nothing left on its disk.
  const std::string control = "@jepsen-diskfs-" + std::to_string(::getpid()) + "-" + info.name;
  std::vector<std::string> argv = {remote_run + "/jepsen-diskfs", info.data_dir + ".disk",
                                   info.data_dir, "--control", control};
  argv.insert(argv.end(), context.disk_flags.begin(), context.disk_flags.end());
  const std::string line = "exec " + remote::ShellWord(remote_run + "/jepsen-keeper") + " --log " +
                           remote::ShellWord(log) + " --unmount " +
                           remote::ShellWord(info.data_dir) + " --control " +
                           remote::ShellWord(control) + " -- " + remote::ShellLine(argv);
  Result<std::unique_ptr<NodeDisk>> disk = NodeDisk::MountOnHost(
      std::make_unique<remote::RemoteProcess>(
          context.loop, node.host->Argv(line),
          "host " + hosts_.names[i] + " (" + info.name + "'s disk)", context.log_path),
      info.data_dir);
  if (!disk.ok()) return disk.status();
  node.disk = std::move(*disk);
  return Status();
}

}  // namespace jepsen::systems
