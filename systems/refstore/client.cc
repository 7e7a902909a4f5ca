#include "systems/refstore/client.h"

#include <vector>

namespace jepsen::systems::refstore {
namespace {

constexpr uint64_t kRetryBackoffMs = 100;  // a refused connection fails its ops this late

struct WriteRequest {
  uv_write_t request{};
  std::string data;
};

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
  std::string input;
  bool closing = false;
  std::shared_ptr<Connection> self;  // alive until the handle's close callback

  void Close() {
    if (closing) return;
    closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&handle),
             [](uv_handle_t* h) { static_cast<Connection*>(h->data)->self.reset(); });
  }
};

RefstoreClient::RefstoreClient(uv_loop_t* loop, std::string workload, int port)
    : loop_(loop), workload_(std::move(workload)), port_(port) {}

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
  uv_ip4_addr("127.0.0.1", port_, &address);
  int e = uv_tcp_connect(&c->connect, &c->handle, reinterpret_cast<const sockaddr*>(&address),
                         [](uv_connect_t* req, int status) {
                           auto* conn = static_cast<Connection*>(req->data);
                           if (conn->owner != nullptr) conn->owner->Connected(status);
                         });
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
    std::string why = std::string("cannot connect: ") + uv_strerror(status);
    auto* timer = new uv_timer_t;
    uv_timer_init(loop_, timer);
    timer->data = new std::pair<std::shared_ptr<std::vector<Done>>, std::string>(failed, why);
    uv_timer_start(
        timer,
        [](uv_timer_t* t) {
          auto* payload =
              static_cast<std::pair<std::shared_ptr<std::vector<Done>>, std::string>*>(t->data);
          for (Done& done : *payload->first) done({history::EventType::kFail, nullptr, payload->second});
          delete payload;
          uv_close(reinterpret_cast<uv_handle_t*>(t),
                   [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
        },
        kRetryBackoffMs, 0);
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
                                          : std::string("connection lost: ") + uv_strerror(static_cast<int>(n)));
          }
        }
        delete[] buf->base;
      });
  SendQueued();
}

void RefstoreClient::SendQueued() {
  if (queue_.empty()) return;
  auto* write = new WriteRequest;
  while (!queue_.empty()) {
    write->data += queue_.front().first;
    in_flight_.emplace(queued_ids_.front(), std::move(queue_.front().second));
    queue_.pop_front();
    queued_ids_.pop_front();
  }
  uv_buf_t buf = uv_buf_init(write->data.data(), static_cast<unsigned>(write->data.size()));
  int e = uv_write(&write->request, reinterpret_cast<uv_stream_t*>(&connection_->handle), &buf, 1,
                   [](uv_write_t* req, int) { delete reinterpret_cast<WriteRequest*>(req); });
  if (e != 0) {
    delete write;
    Lost(std::string("write failed: ") + uv_strerror(e));
  }
}

void RefstoreClient::Received(const char* data, size_t size) {
  std::string& input = connection_->input;
  input.append(data, size);
  size_t start = 0;
  while (true) {
    size_t end = input.find('\n', start);
    if (end == std::string::npos) break;
    Result<Reply> reply = ParseReply(std::string_view(input).substr(start, end - start));
    start = end + 1;
    if (!reply.ok()) continue;  // cannot tell whose it was; that op will time out as info
    auto it = in_flight_.find(reply->id);
    if (it == in_flight_.end()) continue;
    Done done = std::move(it->second);
    in_flight_.erase(it);
    done({TypeOf(reply->type), std::move(reply->value), std::move(reply->error)});
    if (!connection_) return;  // the callback may have torn things down
  }
  connection_->input.erase(0, start);
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
