// A client of the PostgreSQL node for one worker thread: one libpq connection,
// driven asynchronously on the run's loop (PQconnectStart/PQconnectPoll, then
// PQsendQueryParams; PQsocket watched by a uv_poll, PQconsumeInput and
// PQgetResult when it is readable), made again after it is lost. A connection
// that was refused before the op was sent ends it `fail`; one lost after it was
// sent, `info`. In the run's own network the sockets are made in the clients'
// namespace: libpq makes them inside PQconnectStart and PQconnectPoll, so those
// calls run there (netns::InNamespace).
#ifndef JEPSEN_SYSTEMS_POSTGRES_PG_CLIENT_H_
#define JEPSEN_SYSTEMS_POSTGRES_PG_CLIENT_H_

#include <libpq-fe.h>
#include <uv.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "systems/postgres/sql_ops.h"
#include "systems/system.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems::postgres {

struct ClientConfig {
  std::string workload;
  std::string host;
  int port = 0;
  bool fencing = true;
  int netns_fd = -1;  // the clients' namespace, -1: the machine's own
};

// libpq's connection keywords and values for `config`'s node (user postgres, no TLS).
std::vector<std::pair<std::string, std::string>> ConnectionParams(const std::string& host,
                                                                  int port);

class PgClient : public Client {
 public:
  PgClient(uv_loop_t* loop, ClientConfig config);
  ~PgClient() override;
  PgClient(const PgClient&) = delete;
  PgClient& operator=(const PgClient&) = delete;

  // One op at a time: an op invoked while the last is still out (the run gave up on it) drops
  // that connection, and the new one goes out on a new connection.
  void Invoke(const Request& request, Done done) override;

 private:
  enum class State { kIdle, kConnecting, kReady, kQuerying };
  void Connect();
  void Send();
  void Poll(int status, int events);
  void Connecting();
  void Querying(int events);
  // Watches the connection's socket for `events` (a new poll when libpq changed sockets).
  void Watch(int events);
  // Closes the connection (its poll first, then the socket).
  void Drop();
  // Ends the op in flight: a `fail` for one never sent waits a little first, so a node that is
  // down is not hammered in a tight loop.
  void Finish(Completion completion, bool backoff = false);
  std::string ConnectionError() const;

  uv_loop_t* loop_;
  ClientConfig config_;
  State state_ = State::kIdle;
  PGconn* conn_ = nullptr;
  uv_poll_t* poll_ = nullptr;  // on `poll_fd_`
  int poll_fd_ = -1;
  std::optional<Statement> statement_;  // the op in flight
  Done done_;
  std::vector<Row> rows_;
  int64_t touched_ = 0;
  std::optional<Completion> error_;  // an error result, ended once results run out
  uv::Timers timers_;
};

}  // namespace jepsen::systems::postgres

#endif  // JEPSEN_SYSTEMS_POSTGRES_PG_CLIENT_H_
