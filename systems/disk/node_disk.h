// A node's data directory mounted through jepsen-diskfs, for disk faults: the
// filesystem is a Process of the run (its own process group, killed with the
// run), the node's data lives in a backing directory beside the mount point,
// and the mount is detached when the NodeDisk goes (teardown, Ctrl-C). A run
// killed outright leaves the mount stale; the next run in the store detaches
// it (diskfs/mounts.h). On a remote host the filesystem is kept by a
// jepsen-keeper there, which relays its control channel and detaches the mount
// when its session ends, however the run ends.
#ifndef JEPSEN_SYSTEMS_DISK_NODE_DISK_H_
#define JEPSEN_SYSTEMS_DISK_NODE_DISK_H_

#include <uv.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "history/status.h"
#include "systems/capabilities.h"

namespace jepsen::systems {

class NodeProcess;
namespace remote {
class RemoteProcess;
}

class NodeDisk {
 public:
  // Mounts jepsen-diskfs (from `binary_dir`) on `mountpoint` over `backing`,
  // creating both, and returns once it answers. Its output goes to `log_path`; `flags`
  // are jepsen-diskfs' own (SetupContext::disk_flags).
  static Result<std::unique_ptr<NodeDisk>> Mount(uv_loop_t* loop, const std::string& binary_dir,
                                                 const std::string& backing,
                                                 const std::string& mountpoint,
                                                 const std::string& log_path,
                                                 const std::vector<std::string>& flags);
  // On a host: `keeper`, a session (not yet started) of jepsen-keeper running jepsen-diskfs
  // there with --unmount `mountpoint` and --control; returns once the filesystem answers.
  static Result<std::unique_ptr<NodeDisk>> MountOnHost(
      std::unique_ptr<remote::RemoteProcess> keeper, const std::string& mountpoint);
  ~NodeDisk();  // Unmount()
  NodeDisk(const NodeDisk&) = delete;
  NodeDisk& operator=(const NodeDisk&) = delete;

  // Drops every write not yet durable (jepsen-diskfs' `power-loss`, or with
  // `torn_seed` `power-loss torn <seed>`), once the node's process group `group`
  // (killed; 0: gone already) has left no process whose write could still be on its way.
  Result<LostWrites> PowerLoss(int group, std::optional<uint64_t> torn_seed);
  // Sends `command` to the filesystem's control channel: its reply, whose "ok" is true.
  Result<std::string> Command(const std::string& command);
  // The same, once the process group `group` (killed; 0: gone already) has left no process
  // (on a host the keeper's kill has waited for that).
  Result<std::string> CommandOnceDown(int group, const std::string& command);
  // Detaches the mount (even with files still open) and kills the filesystem. Idempotent.
  void Unmount();
  const std::string& mountpoint() const { return mountpoint_; }

 private:
  NodeDisk(std::string mountpoint, std::string control, std::unique_ptr<NodeProcess> process);
  // Starts the filesystem and waits until it answers (a loop to reap it when local).
  Status Start(uv_loop_t* loop, const std::string& log_path);
  Result<std::string> Send(const std::string& command, int timeout_ms);
  std::string mountpoint_;
  std::string control_;  // the control channel's (abstract) address; "" on a host
  std::unique_ptr<NodeProcess> process_;
  remote::RemoteProcess* remote_ = nullptr;  // process_, on a host
  bool mounted_ = true;
};

// Why disk faults cannot run on this machine ("" when they can): root and /dev/fuse.
std::string WhyNoDisks();

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_DISK_NODE_DISK_H_
