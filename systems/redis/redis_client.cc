#include "systems/redis/redis_client.h"

#include <hiredis/adapters/libuv.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <utility>
#include <vector>

#include "systems/netns/network.h"

namespace jepsen::systems::redis {
namespace {

using history::EventType;

constexpr uint64_t kBackoffMs = 100;  // before a `fail` of an op never sent

Reply FromHiredis(const redisReply* r) {
  Reply reply;
  switch (r->type) {
    case REDIS_REPLY_NIL:
      reply.kind = Reply::Kind::kNil;
      break;
    case REDIS_REPLY_INTEGER:
      reply.kind = Reply::Kind::kInteger;
      reply.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      reply.kind = Reply::Kind::kString;
      reply.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      reply.kind = Reply::Kind::kStatus;
      reply.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      reply.kind = Reply::Kind::kError;
      reply.text.assign(r->str, r->len);
      break;
    default:
      reply.kind = Reply::Kind::kOther;
      reply.text = "a reply of type " + std::to_string(r->type);
  }
  return reply;
}

struct ConnectArgs {
  const char* host;
  int port;
  redisAsyncContext* context = nullptr;
};

// hiredis 0.14 makes its socket inside redisAsyncConnect: in the clients'
// namespace it must be called there.
int ConnectHere(void* arg) {
  auto* args = static_cast<ConnectArgs*>(arg);
  args->context = redisAsyncConnect(args->host, args->port);
  return 0;
}

}  // namespace

struct RedisClient::InFlight {
  RedisClient* client;  // null once dropped: its outcome was already told
  Command command;
  Done done;
  bool after_write = false;  // the WAIT of a write that succeeded: anything but ok is info
  Completion ok;             // that write's outcome
};

RedisClient::RedisClient(uv_loop_t* loop, ClientConfig config)
    : loop_(loop), config_(std::move(config)), timers_(loop) {}

RedisClient::~RedisClient() {
  Drop();
  waiting_.clear();
}

void RedisClient::Later(const Done& done, Completion c, uint64_t delay_ms) {
  timers_.After(delay_ms, [done, c = std::move(c)]() mutable { done(std::move(c)); });
}

void RedisClient::Invoke(const Request& request, Done done) {
  Result<Command> command = ToCommand(config_.workload, request, config_.fencing);
  if (!command.ok()) return Later(done, {EventType::kFail, nullptr, command.message()});
  // One op at a time: one still out was timed out by the run; its connection
  // may be stuck (a paused node, a partition), so start afresh.
  if (!in_flight_.empty()) Drop();
  // Likewise ops still waiting for a slow connection: never sent, they are not sent late.
  if (!waiting_.empty()) FailWaiting("the run gave up on it before the connection came up");
  if (connected_) return Send(std::move(command).value(), std::move(done));
  waiting_.push_back({std::move(command).value(), std::move(done)});
  if (context_ == nullptr) Connect();
}

void RedisClient::Connect() {
  ConnectArgs args{config_.host.c_str(), config_.port};
  if (config_.netns_fd < 0) {
    ConnectHere(&args);
  } else if (netns::InNamespace(config_.netns_fd, ConnectHere, &args) != 0) {
    return FailWaiting("cannot enter the clients' network namespace");
  }
  redisAsyncContext* context = args.context;
  if (context == nullptr) return FailWaiting("cannot make a hiredis context");
  if (context->err != 0) {  // refused at once (a node that is down)
    const std::string why = context->errstr;
    redisAsyncFree(context);
    return FailWaiting(why);
  }
  if (redisLibuvAttach(context, loop_) != REDIS_OK) {
    redisAsyncFree(context);
    return FailWaiting("cannot watch the connection on the loop");
  }
  context->data = this;
  redisAsyncSetConnectCallback(context, OnConnect);
  redisAsyncSetDisconnectCallback(context, OnDisconnect);
  context_ = context;
  const uint64_t attempt = ++attempt_;
  // hiredis' libuv adapter drops a socket error on the floor (a refusal
  // through the run's network, a SYN into a partition): without this the
  // connect would never end.
  timers_.After(static_cast<uint64_t>(config_.connect_timeout_ms), [this, attempt] {
    if (attempt != attempt_ || context_ == nullptr || connected_) return;
    Drop();
    FailWaiting("no connection to " + config_.host + ":" + std::to_string(config_.port) +
                " within " + std::to_string(config_.connect_timeout_ms) + " ms");
  });
}

void RedisClient::Drop() {
  // Ops sent and not answered: their fate is unknown.
  for (InFlight* op : in_flight_) {
    op->client = nullptr;
    Later(op->done, {EventType::kInfo, nullptr, "connection dropped with the op unanswered"});
  }
  in_flight_.clear();
  if (context_ != nullptr) {
    context_->data = nullptr;  // its callbacks no longer reach this client
    redisAsyncFree(context_);  // runs the dropped ops' callbacks, which only free them
  }
  context_ = nullptr;
  connected_ = false;
}

void RedisClient::FailWaiting(const std::string& why) {
  std::deque<Waiting> waiting = std::move(waiting_);
  waiting_.clear();
  for (Waiting& w : waiting) {
    Later(w.done, {EventType::kFail, nullptr, "not connected: " + why}, kBackoffMs);
  }
}

void RedisClient::Send(Command command, Done done) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& a : command.argv) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* op = new InFlight{this, std::move(command), std::move(done)};
  if (redisAsyncCommandArgv(context_, OnReply, op, static_cast<int>(argv.size()), argv.data(),
                            lengths.data()) != REDIS_OK) {
    // Nothing was written: the connection is going away.
    Later(op->done, {EventType::kFail, nullptr, "connection closing; not sent"}, kBackoffMs);
    delete op;
    return;
  }
  in_flight_.insert(op);
}

void RedisClient::SendWait(Completion ok, Done done) {
  Command wait;
  wait.argv = {"WAIT", std::to_string(config_.wait_replicas),
               std::to_string(config_.wait_timeout_ms)};
  wait.mutates = true;
  const int wanted = config_.wait_replicas;
  wait.decode = [ok, wanted](const Reply& r) {
    if (r.kind == Reply::Kind::kInteger && r.integer >= wanted) return ok;
    return Completion{EventType::kInfo, nullptr,
                      "WAIT reached " + std::to_string(r.integer) + " of " +
                          std::to_string(wanted) + " replicas"};
  };
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& a : wait.argv) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* op = new InFlight{this, std::move(wait), std::move(done), true, std::move(ok)};
  if (context_ == nullptr ||
      redisAsyncCommandArgv(context_, OnReply, op, static_cast<int>(argv.size()), argv.data(),
                            lengths.data()) != REDIS_OK) {
    Later(op->done, {EventType::kInfo, nullptr, "written, but WAIT could not be sent"});
    delete op;
    return;
  }
  in_flight_.insert(op);
}

void RedisClient::OnConnect(const redisAsyncContext* context, int status) {
  auto* self = static_cast<RedisClient*>(context->data);
  if (self == nullptr) return;
  if (status != REDIS_OK) {  // hiredis frees the context after this
    self->context_ = nullptr;
    self->connected_ = false;
    return self->FailWaiting(context->errstr);
  }
  self->connected_ = true;
  std::deque<Waiting> waiting = std::move(self->waiting_);
  self->waiting_.clear();
  for (Waiting& w : waiting) self->Send(std::move(w.command), std::move(w.done));
}

void RedisClient::OnDisconnect(const redisAsyncContext* context, int) {
  auto* self = static_cast<RedisClient*>(context->data);
  if (self == nullptr) return;
  self->context_ = nullptr;  // hiredis frees it after this
  self->connected_ = false;
}

void RedisClient::OnReply(redisAsyncContext* context, void* reply, void* privdata) {
  std::unique_ptr<InFlight> op(static_cast<InFlight*>(privdata));
  RedisClient* self = op->client;
  if (self == nullptr) return;  // dropped: already told
  (void)context;
  self->in_flight_.erase(op.get());
  Completion c;
  if (reply == nullptr) {  // the connection went with the op unanswered
    c = {op->command.mutates ? EventType::kInfo : EventType::kFail, nullptr,
         "connection lost before the reply"};
  } else {
    const Reply r = FromHiredis(static_cast<redisReply*>(reply));
    c = r.kind == Reply::Kind::kError ? FromError(r.text, op->command.mutates)
                                      : op->command.decode(r);
  }
  if (op->after_write && c.type != EventType::kOk) c.type = EventType::kInfo;
  if (!op->after_write && op->command.mutates && c.type == EventType::kOk &&
      self->config_.wait_replicas > 0) {
    return self->SendWait(std::move(c), std::move(op->done));
  }
  self->Later(op->done, std::move(c));
}

}  // namespace jepsen::systems::redis
