// What a system under test offers a run: nodes, clients that turn ops into
// requests, and the capabilities (capabilities.h) fault packages act through.
// Implementations: the bundled reference store (refstore/), etcd (etcd/) and
// the user's own program (exec/); each declares its options and is registered
// in systems.cc.
#ifndef JEPSEN_SYSTEMS_SYSTEM_H_
#define JEPSEN_SYSTEMS_SYSTEM_H_

#include <uv.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "history/event.h"
#include "history/status.h"
#include "options/option.h"
#include "systems/capabilities.h"

namespace jepsen::systems {

using history::Json;

// An op as a client sends it: the fields of a history invoke.
struct Request {
  std::string f;
  Json key;
  Json value;
  int64_t process = 0;  // the history process invoking it
};

// How an op ended, as the system told the client.
struct Completion {
  history::EventType type = history::EventType::kInfo;  // ok, fail or info
  Json value;
  std::string error;
};

class Client {
 public:
  using Done = std::function<void(Completion)>;
  virtual ~Client() = default;
  // Sends the request; `done` runs once, on the loop, with its outcome. A
  // request that certainly never reached the system completes `fail`; one
  // whose fate is unknown (connection lost after sending) completes `info`.
  virtual void Invoke(const Request& request, Done done) = 0;
  // A client-side stall (a GC pause as the client sees it): until Thaw() the
  // client sends nothing, runs no timer of its own and delivers no reply;
  // what arrives meanwhile waits. The runner also holds back replies and op
  // timeouts of a frozen thread, so a client with no background work of its
  // own may keep these no-ops.
  virtual void Freeze() {}
  virtual void Thaw() {}
};

// What every system is told when it starts; its own options it got when it
// was made (SystemType::make).
struct SetupContext {
  uv_loop_t* loop = nullptr;
  std::string workload;          // "register", "leases", "checkpoints"
  std::string data_dir;          // where nodes keep state (inside the run's store)
  std::string log_path;          // nodes append their output here
  std::string binary_dir;        // where the project's executables are
  int64_t op_timeout_ms = 1000;  // the runner's op timeout
  bool private_network = false;  // nodes in the run's own network namespaces (for partitions)
  bool disks = false;  // each node's data_dir mounted through jepsen-diskfs (for disk faults)
  std::vector<std::string> disk_flags;  // and jepsen-diskfs' flags (--strict-metadata)
  bool clocks = false;  // each node started with libfaketime preloaded (for clock faults)
};

// What a system offers, known before it starts, so a run refuses a fault or
// target it cannot carry out as a usage error instead of finding out mid-run.
struct Abilities {
  // The capabilities (capabilities.h) it offers in this configuration, by name:
  // ProcessNodes::kName, Network::kName, Leadership::kName, Disks::kName.
  std::set<std::string> capabilities;
  // Why it cannot offer one, where there is more to say than that it does not (words
  // following "system <name>"): etcd's clocks.
  std::map<std::string, std::string> why_not;
  // Its nodes run on remote hosts: what their faults need (libfaketime, root and /dev/fuse for
  // jepsen-diskfs) is checked there at setup, not on this machine.
  bool on_hosts = false;

  bool offers(const std::string& capability) const { return capabilities.count(capability) > 0; }
};

class System {
 public:
  virtual ~System() = default;
  // REQUIRES: before Setup, with the context Setup will get.
  virtual Abilities abilities(const SetupContext& context) const = 0;
  // Before the run: refuses or adjusts the options of the run's workload (as
  // its WorkloadType declares them) where this system needs it; etcd grants
  // lease TTLs only in whole seconds.
  virtual Status AdjustWorkload(const std::string& workload, options::Values& values) const {
    (void)workload;
    (void)values;
    return Status();
  }
  // What the history header's `options` records of this system's own options
  // with `workload` (the report shows them; results.json's `bugs` comes from
  // a `bugs` field).
  virtual Json HeaderOptions(const std::string& workload) const = 0;
  // Starts every node. Returns once they are started (not necessarily serving).
  virtual Status Setup(const SetupContext& context) = 0;
  virtual std::vector<std::string> nodes() const = 0;
  // Blocks until every node serves (before the run's loop starts).
  virtual Status AwaitReady(double timeout_s) = 0;
  // Whether every node runs unpaused (after a heal, before final reads).
  virtual bool Up() const = 0;
  // Blocks until the system serves as a whole again after a heal (a cluster
  // with a leader, every member healthy); errors say what is still wrong.
  virtual Status AwaitHealthy(double timeout_s) {
    (void)timeout_s;
    return Status();
  }
  // A client for one worker thread.
  virtual std::unique_ptr<Client> NewClient(int thread) = 0;
  // Kills every process the system started. The loop must then run to reap them.
  virtual void Teardown() = 0;
};

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_SYSTEM_H_
