// The reference store's network side: a libuv TCP server on loopback that
// reads JSON-line requests, applies each batch (everything that arrived in one
// loop iteration) in one transaction, commits once, then replies — group
// commit, so durability costs one fsync per batch rather than per op.
#ifndef JEPSEN_SYSTEMS_REFSTORE_SERVER_H_
#define JEPSEN_SYSTEMS_REFSTORE_SERVER_H_

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "systems/refstore/store.h"

namespace jepsen::systems::refstore {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  StoreOptions store;
  int deferred_commit_ms = 200;  // how late kAckBeforeDurable commits
};

class Server {
 public:
  // Opens the store and starts listening on `loop`. Errors (an unusable data dir, a port in use)
  // say which; the loop may then still hold a listener to close on its next turn.
  static Result<std::unique_ptr<Server>> Start(uv_loop_t* loop, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  // Stops listening and closes every connection; the loop can then finish.
  void Close();

  struct Connection;  // one client's socket and unparsed input

 private:
  struct Pending {
    std::shared_ptr<Connection> connection;
    Request request;
    bool parsed;
    std::string error;
  };

  Server(uv_loop_t* loop, ServerOptions options) : loop_(loop), options_(std::move(options)) {}
  static void OnConnection(uv_stream_t* listener, int status);
  static void OnCheck(uv_check_t* check);
  static void OnCommitTimer(uv_timer_t* timer);
  void Receive(const std::shared_ptr<Connection>& connection, const char* data, size_t size);
  void Flush();
  void Send(Connection& connection, std::string data);

  uv_loop_t* loop_;
  ServerOptions options_;
  std::unique_ptr<Store> store_;
  uv_tcp_t* listener_ = nullptr;
  uv_check_t check_{};
  uv_timer_t commit_timer_{};
  int port_ = 0;
  bool serving_ = false;  // Start() succeeded
  bool closed_ = false;
  std::vector<Pending> batch_;
  std::vector<std::shared_ptr<Connection>> connections_;
};

}  // namespace jepsen::systems::refstore

#endif  // JEPSEN_SYSTEMS_REFSTORE_SERVER_H_
