// A node's process wherever it runs: a Process of the run on this machine, or
// a RemoteProcess kept by jepsen-keeper on a host (remote/remote_process.h).
// Nodes acts on either through this.
#ifndef JEPSEN_SYSTEMS_NODE_PROCESS_H_
#define JEPSEN_SYSTEMS_NODE_PROCESS_H_

#include <uv.h>

#include <memory>
#include <string>

#include "history/status.h"
#include "systems/process.h"

namespace jepsen::systems {

class NodeProcess {
 public:
  virtual ~NodeProcess() = default;
  virtual Status Start() = 0;  // a no-op when it runs
  // SIGKILL to its group: it stays down until Start.
  virtual Status Kill() = 0;
  virtual Status Pause() = 0;   // SIGSTOP to its group
  virtual Status Resume() = 0;  // SIGCONT to its group
  virtual bool running() const = 0;
  virtual bool paused() const = 0;
  // Its process group's id where it runs (its host's, for a remote one); 0 when down.
  virtual int pid() const = 0;
  virtual bool local() const = 0;  // pid() is a process of this machine
  // The end of its output since it last started, for messages.
  virtual std::string RecentOutput() const = 0;
};

std::unique_ptr<NodeProcess> LocalNodeProcess(uv_loop_t* loop, ProcessSpec spec);

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_NODE_PROCESS_H_
