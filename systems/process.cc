#include "systems/process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace jepsen::systems {
namespace {

void FreeHandle(uv_handle_t* handle) { delete reinterpret_cast<uv_process_t*>(handle); }

}  // namespace

Process::Process(uv_loop_t* loop, ProcessSpec spec) : loop_(loop), spec_(std::move(spec)) {}

Process::~Process() {
  Kill();
  if (process_ != nullptr) {
    process_->data = nullptr;  // the exit callback must not reach a dead object
    if (!uv_is_closing(reinterpret_cast<uv_handle_t*>(process_))) {
      uv_close(reinterpret_cast<uv_handle_t*>(process_), FreeHandle);
    }
  }
}

Status Process::Start() {
  if (running_) {
    // Killed but not reaped yet (a loaded machine, a child stuck in fsync): start it the moment
    // its exit is reaped, or a restart right after a kill would be lost and the node left down.
    if (killed_) start_on_exit_ = true;
    return Status();
  }
  if (process_ != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(process_), FreeHandle);
    process_ = nullptr;
  }
  int log = ::open(spec_.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) {
    return Status::Error(spec_.log_path + ": cannot open log: " + std::strerror(errno));
  }
  std::vector<char*> argv;
  for (std::string& a : spec_.argv) argv.push_back(a.data());
  argv.push_back(nullptr);
  uv_stdio_container_t stdio[3];
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_INHERIT_FD;
  stdio[1].data.fd = log;
  stdio[2].flags = UV_INHERIT_FD;
  stdio[2].data.fd = log;
  uv_process_options_t options{};
  options.file = argv[0];
  options.args = argv.data();
  options.exit_cb = Exited;
  options.stdio = stdio;
  options.stdio_count = 3;
  if (!spec_.cwd.empty()) options.cwd = spec_.cwd.c_str();
  process_ = new uv_process_t{};
  process_->data = this;
  int e = uv_spawn(loop_, process_, &options);
  ::close(log);
  if (e != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(process_), FreeHandle);
    process_ = nullptr;
    return Status::Error("cannot start " + spec_.argv[0] + ": " + uv_strerror(e));
  }
  running_ = true;
  paused_ = false;
  killed_ = false;
  return Status();
}

void Process::Kill() {
  if (!running_) return;
  if (paused_) uv_process_kill(process_, SIGCONT);  // a stopped process dies on SIGKILL too
  uv_process_kill(process_, SIGKILL);
  paused_ = false;
  killed_ = true;
  start_on_exit_ = false;
}

void Process::Pause() {
  if (running_ && !paused_) {
    uv_process_kill(process_, SIGSTOP);
    paused_ = true;
  }
}

void Process::Resume() {
  if (running_ && paused_) {
    uv_process_kill(process_, SIGCONT);
    paused_ = false;
  }
}

void Process::Exited(uv_process_t* handle, int64_t status, int signal) {
  auto* self = static_cast<Process*>(handle->data);
  if (self == nullptr) {  // its owner is gone
    uv_close(reinterpret_cast<uv_handle_t*>(handle), FreeHandle);
    return;
  }
  self->running_ = false;
  self->paused_ = false;
  if (self->on_exit_) self->on_exit_(status, signal);
  if (self->start_on_exit_) {
    self->start_on_exit_ = false;
    self->Start();  // a failure shows as a node that stays down (running() is false)
  }
}

}  // namespace jepsen::systems
