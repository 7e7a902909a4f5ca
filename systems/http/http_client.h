// HTTP POSTs on the run's libuv loop: libcurl's multi interface driven by
// uv_poll (one per socket curl watches) and one uv_timer (curl's timeouts),
// so many requests are in flight at once with no thread per request.
//
// Each request gets its own connection (no reuse): a request that could not
// connect then certainly never reached the server, which is what lets a
// client answer `fail` rather than `info` (curl re-sends a request whose
// reused connection died, and a reused connection hides that).
#ifndef JEPSEN_SYSTEMS_HTTP_HTTP_CLIENT_H_
#define JEPSEN_SYSTEMS_HTTP_HTTP_CLIENT_H_

#include <uv.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace jepsen::systems::http {

struct Response {
  bool ok = false;    // an HTTP response arrived (any status)
  bool sent = false;  // the request may have reached the server (false: certainly not)
  long status = 0;    // HTTP status when ok
  std::string body;
  std::string error;  // why not ok
};

class Client {
 public:
  using Callback = std::function<void(Response)>;

  // netns_fd >= 0: sockets are opened inside that network namespace (a run's
  // private network, see systems/netns/).
  explicit Client(uv_loop_t* loop, int netns_fd = -1);
  // Abandons requests in flight: their callbacks never run.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // POSTs `body` (JSON) to `url`; `done` runs once, on the loop, never from
  // inside Post(). Returns an id for Cancel().
  uint64_t Post(const std::string& url, std::string body, int64_t timeout_ms, Callback done);
  // Drops a request: its callback never runs. No-op for an unknown id.
  void Cancel(uint64_t id);
  size_t in_flight() const { return transfers_.size(); }

 private:
  struct Transfer;
  struct Socket;
  static int OnSocket(void* easy, int fd, int what, void* self, void* socket_data);
  static int OnTimer(void* multi, long timeout_ms, void* self);
  void Act(int fd, int events);
  void Drain();

  uv_loop_t* loop_;
  int netns_fd_;
  void* multi_;  // CURLM*
  uv_timer_t* timer_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::unique_ptr<Transfer>> transfers_;
};

// One request that blocks until it ends or `timeout_ms` passes, for setup and
// health checks outside the loop's hot path: a GET when `body` is empty, else
// a POST.
Response RequestNow(const std::string& url, const std::string& body, int64_t timeout_ms,
                    int netns_fd = -1);

}  // namespace jepsen::systems::http

#endif  // JEPSEN_SYSTEMS_HTTP_HTTP_CLIENT_H_
