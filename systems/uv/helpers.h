// What every part of a run's libuv loop shares, written once: one-shot timers,
// closing and freeing a handle made with `new`, writing a string to a stream,
// cutting a stream into lines (the JSON-lines protocols: the exec adapter, the
// reference store's server and client), and a free loopback port for a node.
#ifndef JEPSEN_SYSTEMS_UV_HELPERS_H_
#define JEPSEN_SYSTEMS_UV_HELPERS_H_

#include <uv.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "history/status.h"

namespace jepsen::systems::uv {

// Closes `handle`, made with `new Handle`, and deletes it once libuv is done with it.
template <class Handle>
void CloseAndDelete(Handle* handle) {
  uv_close(reinterpret_cast<uv_handle_t*>(handle),
           [](uv_handle_t* h) { delete reinterpret_cast<Handle*>(h); });
}

// Runs `fn` once on `loop`, `ms` milliseconds from now (0: on the loop's next
// turn, never inside the caller), then frees the timer.
void After(uv_loop_t* loop, uint64_t ms, std::function<void()> fn);

// One-shot timers that go with their owner: those that have not fired when it
// is destroyed never run. REQUIRES: destroyed while the loop is still open.
class Timers {
 public:
  explicit Timers(uv_loop_t* loop) : loop_(loop) {}
  ~Timers();
  Timers(const Timers&) = delete;
  Timers& operator=(const Timers&) = delete;

  void After(uint64_t ms, std::function<void()> fn);

  struct Timer;  // a pending one

 private:
  uv_loop_t* loop_;
  std::set<Timer*> pending_;
};

// Writes `data` to `stream`, keeping it until written. Returns libuv's error
// code (0: the write is under way; its own failure shows as the stream's).
int Write(uv_stream_t* stream, std::string data);

// A byte stream cut into lines at '\n'.
class Lines {
 public:
  // Appends `data`, then hands each line now complete (without its '\n') to
  // `line`, a bool(std::string_view): false stops, and what follows waits for
  // the next call. The view is valid during the call only.
  template <class F>
  void Feed(std::string_view data, F&& line) {
    buffer_.append(data);
    size_t start = 0;
    for (size_t end; (end = buffer_.find('\n', start)) != std::string::npos;) {
      const std::string_view text(buffer_.data() + start, end - start);
      start = end + 1;
      if (!line(text)) break;
    }
    buffer_.erase(0, std::min(start, buffer_.size()));  // `line` may have cleared it
  }
  // Bytes of a line not complete yet (to refuse a peer that never ends one).
  size_t partial() const { return buffer_.size(); }
  void Clear() { buffer_.clear(); }

 private:
  std::string buffer_;
};

// A free TCP port on 127.0.0.1 (bound and released): below the kernel's ephemeral range
// (ip_local_port_range), where no outgoing connection takes it before its node binds it, and
// never one this process was given before.
Result<int> FreeLoopbackPort();

}  // namespace jepsen::systems::uv

#endif  // JEPSEN_SYSTEMS_UV_HELPERS_H_
