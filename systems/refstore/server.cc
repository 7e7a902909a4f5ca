#include "systems/refstore/server.h"

#include <algorithm>
#include <cstring>

#include "systems/uv/helpers.h"

namespace jepsen::systems::refstore {

struct Server::Connection {
  uv_tcp_t handle{};
  Server* server = nullptr;
  uv::Lines input;
  bool open = true;
  std::shared_ptr<Connection> self;  // keeps it alive until its handle is closed
};

namespace {

constexpr size_t kMaxLine = 1 << 20;

void CloseConnection(uv_handle_t* handle) {
  auto* connection = static_cast<Server::Connection*>(handle->data);
  connection->self.reset();  // the last owner may be a pending batch entry
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(uv_loop_t* loop, ServerOptions options) {
  std::unique_ptr<Server> server(new Server(loop, std::move(options)));
  Result<std::unique_ptr<Store>> store = Store::Open(server->options_.store);
  if (!store.ok()) return store.status();
  server->store_ = std::move(store).value();

  sockaddr_in address{};
  if (int e = uv_ip4_addr(server->options_.host.c_str(), server->options_.port, &address); e) {
    return Status::Error("bad address " + server->options_.host + ": " + uv_strerror(e));
  }
  // On the heap: a listener that failed is closed on the loop's next turn, after the Server that
  // made it is gone.
  server->listener_ = new uv_tcp_t{};
  uv_tcp_init(loop, server->listener_);
  server->listener_->data = server.get();
  const std::string where = server->options_.host + ":" + std::to_string(server->options_.port);
  int e = uv_tcp_bind(server->listener_, reinterpret_cast<const sockaddr*>(&address), 0);
  if (e == 0) e = uv_listen(reinterpret_cast<uv_stream_t*>(server->listener_), 128, OnConnection);
  if (e != 0) return Status::Error("cannot listen on " + where + ": " + uv_strerror(e));
  sockaddr_storage bound{};
  int length = sizeof bound;
  uv_tcp_getsockname(server->listener_, reinterpret_cast<sockaddr*>(&bound), &length);
  server->port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

  uv_check_init(loop, &server->check_);
  server->check_.data = server.get();
  uv_check_start(&server->check_, OnCheck);
  uv_timer_init(loop, &server->commit_timer_);
  server->commit_timer_.data = server.get();
  server->serving_ = true;
  return server;
}

Server::~Server() { Close(); }

void Server::Close() {
  if (closed_) return;
  closed_ = true;
  if (listener_ != nullptr) {
    uv::CloseAndDelete(listener_);
    listener_ = nullptr;
  }
  if (!serving_) return;  // Start failed before the rest was made
  uv_close(reinterpret_cast<uv_handle_t*>(&check_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&commit_timer_), nullptr);
  for (const auto& connection : connections_) {
    if (connection->open) {
      connection->open = false;
      uv_close(reinterpret_cast<uv_handle_t*>(&connection->handle), CloseConnection);
    }
  }
  connections_.clear();
  store_->Commit();
}

void Server::OnConnection(uv_stream_t* listener, int status) {
  auto* server = static_cast<Server*>(listener->data);
  if (status < 0) return;
  auto connection = std::make_shared<Connection>();
  connection->server = server;
  connection->self = connection;
  uv_tcp_init(server->loop_, &connection->handle);
  connection->handle.data = connection.get();
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(&connection->handle)) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&connection->handle), CloseConnection);
    return;
  }
  uv_tcp_nodelay(&connection->handle, 1);
  server->connections_.push_back(connection);
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&connection->handle),
      [](uv_handle_t*, size_t suggested, uv_buf_t* buf) {
        buf->base = new char[suggested];
        buf->len = suggested;
      },
      [](uv_stream_t* stream, ssize_t n, const uv_buf_t* buf) {
        auto* c = static_cast<Connection*>(stream->data);
        if (n > 0) {
          c->server->Receive(c->self, buf->base, static_cast<size_t>(n));
        } else if (n < 0 && c->open) {
          c->open = false;
          auto& all = c->server->connections_;
          all.erase(std::remove(all.begin(), all.end(), c->self), all.end());
          uv_close(reinterpret_cast<uv_handle_t*>(stream), CloseConnection);
        }
        delete[] buf->base;
      });
}

void Server::Receive(const std::shared_ptr<Connection>& connection, const char* data, size_t size) {
  connection->input.Feed({data, size}, [&](std::string_view line) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return true;
    Result<Request> request = ParseRequest(line);
    if (request.ok()) {
      batch_.push_back({connection, std::move(request).value(), true, ""});
    } else {
      batch_.push_back({connection, Request{}, false, request.message()});
    }
    return true;
  });
  if (connection->input.partial() > kMaxLine) {
    batch_.push_back({connection, Request{}, false, "request line too long"});
    connection->input.Clear();
  }
}

void Server::OnCheck(uv_check_t* check) { static_cast<Server*>(check->data)->Flush(); }

void Server::OnCommitTimer(uv_timer_t* timer) {
  static_cast<Server*>(timer->data)->store_->Commit();
}

void Server::Flush() {
  if (batch_.empty()) return;
  std::vector<Pending> batch;
  batch.swap(batch_);
  std::vector<Reply> replies;
  replies.reserve(batch.size());
  Status begun = store_->Begin();
  for (const Pending& p : batch) {
    Reply reply;
    if (!p.parsed) {
      reply = Reply::Fail("malformed request: " + p.error);
    } else if (!begun.ok()) {
      reply = Reply::Fail(begun.message());  // nothing was applied
    } else {
      reply = store_->Apply(p.request);
      reply.id = p.request.id;
    }
    replies.push_back(std::move(reply));
  }
  if (store_->has_bug(Bug::kAckBeforeDurable)) {
    // The planted bug: answer now, make it durable later (a kill loses it).
    if (!uv_is_active(reinterpret_cast<uv_handle_t*>(&commit_timer_))) {
      uv_timer_start(&commit_timer_, OnCommitTimer,
                     static_cast<uint64_t>(options_.deferred_commit_ms), 0);
    }
  } else if (Status committed = store_->Commit(); !committed.ok()) {
    for (Reply& r : replies) {
      if (r.type == "ok") r = Reply::Info("commit failed: " + committed.message());
    }
  }
  // One write per connection for the whole batch.
  std::vector<std::pair<Connection*, std::string>> out;
  for (size_t i = 0; i < batch.size(); ++i) {
    Reply& reply = replies[i];
    reply.id = batch[i].parsed ? batch[i].request.id : 0;
    Connection* c = batch[i].connection.get();
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& o) { return o.first == c; });
    if (it == out.end()) it = out.insert(out.end(), {c, std::string()});
    it->second += ToLine(reply);
  }
  for (auto& [connection, data] : out) Send(*connection, std::move(data));
}

void Server::Send(Connection& connection, std::string data) {
  if (connection.open)
    uv::Write(reinterpret_cast<uv_stream_t*>(&connection.handle), std::move(data));
}

}  // namespace jepsen::systems::refstore
