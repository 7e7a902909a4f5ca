// What a system offers the fault packages (nemesis/), each as a small
// interface of its own: a system offers one by implementing it and naming it
// in its Abilities (so a run that needs it is refused before it starts when
// it is not there), and a package asks for the one it needs with Find<>().
// A new kind of fault needs at most a new capability here, never a new
// virtual on System.
#ifndef JEPSEN_SYSTEMS_CAPABILITIES_H_
#define JEPSEN_SYSTEMS_CAPABILITIES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "history/status.h"

namespace jepsen::systems {

// Nodes that are processes of the run, each in a process group of its own
// (systems/process.h): killed, restarted, paused and resumed by node name.
class ProcessNodes {
 public:
  static constexpr const char* kName = "process-nodes";
  virtual ~ProcessNodes() = default;
  // SIGKILL to the node's group. The node stays down until Restart.
  virtual Status Kill(const std::string& node) = 0;
  // Starts a killed node again with the same command and data; a no-op when it
  // runs. After a kill whose exit is not reaped yet, it starts once it is.
  virtual Status Restart(const std::string& node) = 0;
  virtual Status Pause(const std::string& node) = 0;   // SIGSTOP to its group
  virtual Status Resume(const std::string& node) = 0;  // SIGCONT to its group
  // The node's process group (its command's pid), 0 while it is down.
  virtual int ProcessGroup(const std::string& node) const = 0;
};

// A network of the system's own between its nodes, which can be cut.
class Network {
 public:
  static constexpr const char* kName = "network";
  // Offered besides kName where SetRate is carried out (not on remote hosts).
  static constexpr const char* kSlowLinks = "slow-links";
  // The run's clients, as a party of a grudge: "n1": {"clients"} cuts n1 off
  // from them (and "clients": {"n1"} them from n1).
  static constexpr const char* kClients = "clients";
  // Each party stops hearing from the parties it names (the grudge is
  // symmetric); clients keep reaching every node the grudge does not cut them
  // from. Replaces any partition in force.
  using Grudge = std::map<std::string, std::set<std::string>>;
  virtual ~Network() = default;
  virtual Status Partition(const Grudge& grudge) = 0;
  virtual Status Heal() = 0;  // of the partition; lossy and slow links stay
  // The node's link made lossy: `percent` of the packets it sends and of those
  // it receives dropped at random (0: none), on top of any partition.
  virtual Status SetLoss(const std::string& node, int percent) = 0;
  // The node's link made slow: at most `kbit` kbit/s each way, the rest queued
  // (0: no limit).
  virtual Status SetRate(const std::string& node, int64_t kbit) = 0;
};

// What a power loss took from a node's disk: the writes to its data that were
// not durable yet (docs/disk-faults.md).
// A write a torn power loss kept in part: whole 512-byte sectors of it.
struct TornWrite {
  std::string file;  // relative to the node's data_dir
  int64_t offset = 0, length = 0;
  std::string how;                                // "prefix" or "sectors" (a random subset)
  std::vector<std::pair<int64_t, int64_t>> kept;  // [from, to) that reached the disk
};

struct LostWrites {
  std::vector<std::string> files;  // each file that lost data, relative to the node's data_dir
  int64_t bytes = 0;               // lost (what a torn write kept is not)
  int64_t writes = 0;
  std::vector<TornWrite> torn;  // a torn power loss': each file's last write, kept in part
  // disk-metadata=strict: the namespace changes it undid, newest first ("create a",
  // "unlink b", "rename c>d")
  std::vector<std::string> metadata;
};

// Each node's data_dir mounted through jepsen-diskfs (a filesystem of the
// run's own, SetupContext::disks), whose writes not yet durable can be dropped.
class Disks {
 public:
  static constexpr const char* kName = "disks";
  virtual ~Disks() = default;
  // Drops every write to the node's data that was not made durable; with a
  // `torn_seed`, each file's last such write is first kept in part (whole
  // sectors, drawn from the seed), as a disk losing power mid-write leaves it.
  // REQUIRES: the node is down (killed, its process group gone).
  virtual Result<LostWrites> PowerLoss(const std::string& node,
                                       std::optional<uint64_t> torn_seed) = 0;
  // Sends `command` to the node's jepsen-diskfs control channel ("disk-full on",
  // docs/disk-faults.md) and returns its reply, a JSON object whose "ok" is true;
  // an error when it does not answer or refuses. With `once_down`, it is sent once
  // the node's process group (killed) has left no process whose write could still
  // be on its way. REQUIRES for `once_down`: the node was killed.
  virtual Result<std::string> DiskCommand(const std::string& node, const std::string& command,
                                          bool once_down) = 0;
};

// A node's clock as the node reads it: real time + offset_s, running at `rate`
// (2: two seconds pass for each real one).
struct ClockSetting {
  double offset_s = 0;
  double rate = 1;
};

// Each node's clocks (CLOCK_REALTIME and CLOCK_MONOTONIC, as the node reads
// them through libc) faked by libfaketime, preloaded into the node's processes
// when the run asks for clocks (SetupContext::clocks; docs/clock-faults.md).
// A node's clock is the node's, across restarts of its process.
class Clocks {
 public:
  static constexpr const char* kName = "clocks";
  virtual ~Clocks() = default;
  // Steps the node's clock by `step_s` now and runs it at `rate` from now on;
  // returns its setting now. REQUIRES: rate > 0.
  virtual Result<ClockSetting> SkewClock(const std::string& node, double step_s, double rate) = 0;
  // Real time again; returns the setting it replaced.
  virtual Result<ClockSetting> ResetClock(const std::string& node) = 0;
};

// Which node leads now, for faults aimed at the leader.
class Leadership {
 public:
  static constexpr const char* kName = "leadership";
  virtual ~Leadership() = default;
  virtual Result<std::string> Leader() = 0;
};

// The capability C of `system`, or nullptr when it offers none.
template <class C, class S>
C* Find(S& system) {
  return dynamic_cast<C*>(&system);
}

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_CAPABILITIES_H_
