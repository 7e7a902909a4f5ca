#include "systems/refstore/client.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "systems/netns/network.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems::refstore {
namespace {

constexpr uint64_t kRetryBackoffMs = 100;  // a refused connection fails its ops this late

history::EventType TypeOf(const std::string& type) {
  if (type == "ok") return history::EventType::kOk;
  if (type == "fail") return history::EventType::kFail;
  return history::EventType::kInfo;
}

}  // namespace

struct RefstoreClient::Connection {
  uv_tcp_t handle{};
  uv_connect_t connect{};
  RefstoreClient* owner = nullptr;  // null once the client is gone
  uv::Lines input;
  bool closing = false;
  std::shared_ptr<Connection> self;  // alive until the handle's close callback

  void Close() {
    if (closing) return;
    closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&handle),
             [](uv_handle_t* h) { static_cast<Connection*>(h->data)->self.reset(); });
  }
};

RefstoreClient::RefstoreClient(uv_loop_t* loop, std::string workload, std::string host, int port,
                               int netns_fd)
    : loop_(loop),
      workload_(std::move(workload)),
      host_(std::move(host)),
      port_(port),
      netns_fd_(netns_fd) {}

RefstoreClient::~RefstoreClient() {
  if (connection_) {
    connection_->owner = nullptr;
    connection_->Close();
  }
}

void RefstoreClient::Invoke(const systems::Request& request, Done done) {
  const uint64_t id = next_id_++;
  std::string line = ToLine(Request{id, workload_, request.f, request.key, request.value});
  queue_.emplace_back(std::move(line), std::move(done));
  queued_ids_.push_back(id);
  if (connection_ && !connecting_) {
    SendQueued();
  } else if (!connecting_) {
    Connect();
  }
}

void RefstoreClient::Connect() {
  connecting_ = true;
  auto c = std::make_shared<Connection>();
  c->owner = this;
  c->self = c;
  uv_tcp_init(loop_, &c->handle);
  c->handle.data = c.get();
  c->connect.data = c.get();
  connection_ = c;
  sockaddr_in address{};
  uv_ip4_addr(host_.c_str(), port_, &address);
  int e = 0;
  if (netns_fd_ >= 0) {  // the socket lives in the clients' namespace of the run's own network
    const int fd = netns::SocketIn(netns_fd_, AF_INET, SOCK_STREAM);
    e = fd < 0 ? uv_translate_sys_error(errno) : uv_tcp_open(&c->handle, fd);
    if (e != 0 && fd >= 0) ::close(fd);
  }
  if (e == 0) {
    e = uv_tcp_connect(&c->connect, &c->handle, reinterpret_cast<const sockaddr*>(&address),
                       [](uv_connect_t* req, int status) {
                         auto* conn = static_cast<Connection*>(req->data);
                         if (conn->owner != nullptr) conn->owner->Connected(status);
                       });
  }
  if (e != 0) Connected(e);
}

void RefstoreClient::Connected(int status) {
  connecting_ = false;
  if (status < 0) {
    // Nothing was sent: the queued ops certainly did not happen. Fail them a
    // little later, so a node that is down is not hammered in a tight loop.
    connection_->owner = nullptr;
    connection_->Close();
    connection_.reset();
    auto failed = std::make_shared<std::vector<Done>>();
    for (auto& [line, done] : queue_) failed->push_back(std::move(done));
    queue_.clear();
    queued_ids_.clear();
    const std::string why = std::string("cannot connect: ") + uv_strerror(status);
    uv::After(loop_, kRetryBackoffMs, [failed, why] {
      for (Done& done : *failed) done({history::EventType::kFail, nullptr, why});
    });
    return;
  }
  uv_tcp_nodelay(&connection_->handle, 1);
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&connection_->handle),
      [](uv_handle_t*, size_t suggested, uv_buf_t* buf) {
        buf->base = new char[suggested];
        buf->len = suggested;
      },
      [](uv_stream_t* stream, ssize_t n, const uv_buf_t* buf) {
        auto* conn = static_cast<Connection*>(stream->data);
        if (conn->owner != nullptr) {
          if (n > 0) {
            conn->owner->Received(buf->base, static_cast<size_t>(n));
          } else if (n < 0) {
            conn->owner->Lost(n == UV_EOF ? "connection closed by the node"
                                          : std::string("connection lost: ") +
                                                uv_strerror(static_cast<int>(n)));
          }
        }
        delete[] buf->base;
      });
  SendQueued();
}

void RefstoreClient::SendQueued() {
  if (queue_.empty()) return;
  std::string data;
  while (!queue_.empty()) {
    data += queue_.front().first;
    in_flight_.emplace(queued_ids_.front(), std::move(queue_.front().second));
    queue_.pop_front();
    queued_ids_.pop_front();
  }
  if (int e = uv::Write(reinterpret_cast<uv_stream_t*>(&connection_->handle), std::move(data));
      e != 0) {
    Lost(std::string("write failed: ") + uv_strerror(e));
  }
}

void RefstoreClient::Received(const char* data, size_t size) {
  // The connection outlives a callback that tears it down (until its handle is closed).
  std::shared_ptr<Connection> connection = connection_;
  connection->input.Feed({data, size}, [this, &connection](std::string_view line) {
    Result<Reply> reply = ParseReply(line);
    if (!reply.ok()) return true;  // cannot tell whose it was; that op will time out as info
    auto it = in_flight_.find(reply->id);
    if (it == in_flight_.end()) return true;
    Done done = std::move(it->second);
    in_flight_.erase(it);
    done({TypeOf(reply->type), std::move(reply->value), std::move(reply->error)});
    return connection_ == connection;  // the callback may have torn things down
  });
}

void RefstoreClient::Lost(const std::string& why) {
  std::map<uint64_t, Done> lost;
  lost.swap(in_flight_);
  if (connection_) {
    connection_->owner = nullptr;
    connection_->Close();
    connection_.reset();
  }
  for (auto& [id, done] : lost) done({history::EventType::kInfo, nullptr, why});
  if (!queue_.empty() && !connecting_) Connect();
}

}  // namespace jepsen::systems::refstore
