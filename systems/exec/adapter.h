// A user's client adapter: a child process that turns our ops into calls on
// their system, speaking JSON lines on stdin/stdout (docs/exec-protocol.md).
// It is started with an `init` naming the nodes and must answer `init_ok`;
// then requests go out with ids and replies come back in any order, several
// in flight. If it dies, its in-flight ops complete `info` and it restarts
// (its Process's restart policy); so does one that writes a line longer than
// kMaxLine (it is broken).
#ifndef JEPSEN_SYSTEMS_EXEC_ADAPTER_H_
#define JEPSEN_SYSTEMS_EXEC_ADAPTER_H_

#include <uv.h>

#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "systems/process.h"
#include "systems/system.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems::exec {

class Adapter {
 public:
  static constexpr size_t kMaxLine = 1 << 20;

  // `command` runs under /bin/sh; stderr and protocol complaints go to `log_path`.
  Adapter(uv_loop_t* loop, std::string command, std::string log_path, Json init);
  ~Adapter();
  Adapter(const Adapter&) = delete;
  Adapter& operator=(const Adapter&) = delete;

  Status Start();
  // Runs the loop until the adapter answered init_ok; an adapter that exits first is an error
  // saying how it exited and what it wrote last. REQUIRES: the loop is not running.
  // `give_up`, asked on each turn, may end the wait early with an error of its own.
  Status AwaitReady(double timeout_s, const std::function<Status()>& give_up = {});
  void Invoke(int64_t process, const Request& request, Client::Done done);

  // Faults, when the adapter is the system (no node command).
  void Kill();
  void Pause();
  void Resume();
  bool running() const { return process_.running(); }
  bool paused() const { return process_.paused(); }
  int pid() const { return process_.pid(); }
  // Stops restarting it and kills it.
  void Shutdown();

 private:
  struct Pipes;
  void Started();
  void Exited(int64_t status, int signal);
  void Broken(const std::string& why);
  void Received(const char* data, size_t size);
  void Line(std::string_view line);
  void Send(const std::string& line);
  void FlushQueue();
  void Complain(const std::string& what);

  uv_loop_t* loop_;
  std::string command_;
  std::string log_path_;
  std::ofstream log_;
  Json init_;
  uv::Timers timers_;  // ops failed while it is down; cancelled with the adapter
  Process process_;
  std::shared_ptr<Pipes> pipes_;
  bool ready_ = false;  // answered init_ok since its last start
  bool shutdown_ = false;
  bool restart_pending_ = false;  // killed by the nemesis, which starts it again
  std::string broken_;            // why we killed it, for its ops in flight
  std::string last_exit_;         // how it last exited before answering init_ok
  uint64_t next_id_ = 1;
  std::map<uint64_t, Client::Done> in_flight_;
  std::deque<std::string> queue_;  // requests waiting for init_ok
  std::deque<std::pair<uint64_t, Client::Done>> queued_done_;
  uv::Lines input_;
};

}  // namespace jepsen::systems::exec

#endif  // JEPSEN_SYSTEMS_EXEC_ADAPTER_H_
