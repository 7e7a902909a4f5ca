// A client of the Redis primary for one worker thread: hiredis' async API on
// the run's loop (its libuv adapter), one connection, one op at a time
// (redis_ops.h says which command each op is). A connection that was refused
// or never came up fails the ops waiting for it (nothing was sent); one lost
// after sending makes them `info`. An op invoked while the previous one is
// still out means the run timed that one out: the connection is dropped and a
// fresh one made, so a stuck one (a paused node, a partition) is not reused.
#ifndef JEPSEN_SYSTEMS_REDIS_REDIS_CLIENT_H_
#define JEPSEN_SYSTEMS_REDIS_REDIS_CLIENT_H_

#include <uv.h>

#include <deque>
#include <set>
#include <string>

#include "systems/redis/redis_ops.h"
#include "systems/system.h"
#include "systems/uv/helpers.h"

struct redisAsyncContext;

namespace jepsen::systems::redis {

struct ClientConfig {
  std::string workload;
  std::string host;
  int port = 0;
  bool fencing = true;
  int wait_replicas = 0;          // > 0: WAIT for as many after each write
  int64_t wait_timeout_ms = 500;  // WAIT's own timeout
  int64_t connect_timeout_ms = 500;
  int netns_fd = -1;  // the clients' namespace to open the socket in; -1: our own
};

class RedisClient : public Client {
 public:
  RedisClient(uv_loop_t* loop, ClientConfig config);
  ~RedisClient() override;
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  void Invoke(const Request& request, Done done) override;

 private:
  struct InFlight;  // an op in hiredis' hands
  struct Waiting {
    Command command;
    Done done;
  };

  void Connect();
  void Drop();  // frees the connection; what was sent completes `info`
  void Send(Command command, Done done);
  // WAIT after a write that succeeded with `ok`: fewer replicas than asked make it `info`.
  void SendWait(Completion ok, Done done);
  void FailWaiting(const std::string& why);
  // Completes on the loop's next turn (never inside hiredis or Invoke); a
  // `fail` of an op never sent waits a little, so a node that is down is not
  // hammered in a tight loop.
  void Later(const Done& done, Completion c, uint64_t delay_ms = 0);

  static void OnConnect(const redisAsyncContext* context, int status);
  static void OnDisconnect(const redisAsyncContext* context, int status);
  static void OnReply(redisAsyncContext* context, void* reply, void* privdata);

  uv_loop_t* loop_;
  ClientConfig config_;
  redisAsyncContext* context_ = nullptr;
  bool connected_ = false;
  uint64_t attempt_ = 0;           // connections made, so a stale connect timer knows its own
  std::set<InFlight*> in_flight_;  // sent on this connection and not answered
  std::deque<Waiting> waiting_;    // for the connection to come up
  uv::Timers timers_;              // cancelled with the client
};

}  // namespace jepsen::systems::redis

#endif  // JEPSEN_SYSTEMS_REDIS_REDIS_CLIENT_H_
