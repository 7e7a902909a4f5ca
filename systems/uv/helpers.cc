#include "systems/uv/helpers.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace jepsen::systems::uv {

struct Timers::Timer {
  uv_timer_t handle{};
  std::function<void()> fn;
  std::set<Timer*>* pending = nullptr;  // its owner's; null: After's, which nobody cancels
};

namespace {

void Start(uv_loop_t* loop, Timers::Timer* timer, uint64_t ms) {
  uv_timer_init(loop, &timer->handle);
  timer->handle.data = timer;
  uv_timer_start(
      &timer->handle,
      [](uv_timer_t* handle) {
        auto* t = static_cast<Timers::Timer*>(handle->data);
        std::function<void()> fn = std::move(t->fn);
        if (t->pending != nullptr) t->pending->erase(t);
        CloseAndDelete(t);
        fn();  // last: it may destroy the owner
      },
      ms, 0);
}

struct WriteRequest {
  uv_write_t request{};
  std::string data;
};

}  // namespace

void After(uv_loop_t* loop, uint64_t ms, std::function<void()> fn) {
  auto* timer = new Timers::Timer;
  timer->fn = std::move(fn);
  Start(loop, timer, ms);
}

Timers::~Timers() {
  for (Timer* t : pending_) CloseAndDelete(t);  // closed, so it never fires
}

void Timers::After(uint64_t ms, std::function<void()> fn) {
  auto* timer = new Timer;
  timer->fn = std::move(fn);
  timer->pending = &pending_;
  pending_.insert(timer);
  Start(loop_, timer, ms);
}

int Write(uv_stream_t* stream, std::string data) {
  auto* write = new WriteRequest;
  write->data = std::move(data);
  uv_buf_t buf = uv_buf_init(write->data.data(), static_cast<unsigned>(write->data.size()));
  const int e = uv_write(&write->request, stream, &buf, 1, [](uv_write_t* request, int) {
    delete reinterpret_cast<WriteRequest*>(request);
  });
  if (e != 0) delete write;
  return e;
}

Result<int> FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    Status error = Status::Error(std::string("cannot find a free port: ") + std::strerror(errno));
    ::close(fd);
    return error;
  }
  ::close(fd);
  return static_cast<int>(ntohs(address.sin_port));
}

}  // namespace jepsen::systems::uv
