#include "systems/uv/helpers.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <set>

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

namespace {

// Whether `port` can be bound on 127.0.0.1 now (0: any; its number is returned in `port`).
bool Bindable(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (bound) port = ntohs(address.sin_port);
  return bound;
}

}  // namespace

Result<int> FreeLoopbackPort() {
  // Below the kernel's ephemeral range: a port in it may become the source port of any
  // outgoing connection (a node's own, dialling its peers) between being found free here
  // and being bound by the node it is for. And never the same one twice in a process.
  static std::mutex mutex;
  static std::set<int> given;
  static std::mt19937 random{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mutex);
  int ephemeral = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral;
  constexpr int kLowest = 10000;
  for (int attempt = 0; ephemeral > kLowest + 1000 && attempt < 1000; ++attempt) {
    int port = kLowest + static_cast<int>(random() % static_cast<unsigned>(ephemeral - kLowest));
    if (given.count(port) > 0 || !Bindable(port)) continue;
    given.insert(port);
    return port;
  }
  for (int attempt = 0; attempt < 100; ++attempt) {  // a machine whose ephemeral range is all
    int port = 0;
    if (!Bindable(port)) break;
    if (given.insert(port).second) return port;
  }
  return Status::Error(std::string("cannot find a free port on 127.0.0.1: ") +
                       std::strerror(errno));
}

}  // namespace jepsen::systems::uv
