#include "systems/postgres/pg_client.h"

#include <cstdlib>

#include "systems/netns/network.h"

namespace jepsen::systems::postgres {
namespace {

using history::EventType;

constexpr uint64_t kBackoffMs = 100;

std::string Trimmed(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ConnectionParams(const std::string& host,
                                                                  int port) {
  return {{"hostaddr", host},
          {"port", std::to_string(port)},
          {"user", "postgres"},
          {"dbname", "postgres"},
          {"sslmode", "disable"},
          {"gssencmode", "disable"},
          {"application_name", "jepsen"}};
}

PgClient::PgClient(uv_loop_t* loop, ClientConfig config)
    : loop_(loop), config_(std::move(config)), timers_(loop) {}

PgClient::~PgClient() { Drop(); }

void PgClient::Invoke(const Request& request, Done done) {
  if (done_) Drop();  // the last op is still out: the run gave up on it
  Result<Statement> statement = StatementFor(config_.workload, request, config_.fencing);
  done_ = std::move(done);
  if (!statement.ok()) return Finish({EventType::kFail, nullptr, statement.message()});
  statement_ = std::move(statement).value();
  rows_.clear();
  touched_ = 0;
  error_.reset();
  // A server that went while the connection was idle may have said so already: then the op
  // goes out on a new connection (refused: `fail`) rather than into a dead one (`info`).
  if (state_ == State::kReady && (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK)) {
    Drop();
  }
  if (state_ == State::kReady) return Send();
  if (state_ == State::kIdle) Connect();
}

void PgClient::Connect() {
  const auto params = ConnectionParams(config_.host, config_.port);
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  Status entered = netns::InNamespace(
      config_.netns_fd, [&] { conn_ = PQconnectStartParams(keys.data(), values.data(), 0); });
  if (!entered.ok() || conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD) {
    const std::string error = entered.ok() ? ConnectionError() : entered.message();
    Drop();
    return Finish({EventType::kFail, nullptr, error}, true);
  }
  state_ = State::kConnecting;
  Watch(UV_WRITABLE);  // libpq's first wish: the connect's completion
}

void PgClient::Connecting() {
  PostgresPollingStatusType polled = PGRES_POLLING_FAILED;
  // libpq may close its socket and open another in here: a fresh poll handle afterwards.
  if (poll_ != nullptr) {
    uv_poll_stop(poll_);
    uv::CloseAndDelete(poll_);
    poll_ = nullptr;
    poll_fd_ = -1;
  }
  Status entered = netns::InNamespace(config_.netns_fd, [&] { polled = PQconnectPoll(conn_); });
  if (!entered.ok()) polled = PGRES_POLLING_FAILED;
  switch (polled) {
    case PGRES_POLLING_READING:
      return Watch(UV_READABLE);
    case PGRES_POLLING_WRITING:
      return Watch(UV_WRITABLE);
    case PGRES_POLLING_OK:
      PQsetnonblocking(conn_, 1);
      state_ = State::kReady;
      if (statement_) return Send();
      return Watch(UV_READABLE);  // to learn at once when the server goes
    default: {
      const std::string error = entered.ok() ? ConnectionError() : entered.message();
      Drop();
      if (statement_) Finish({EventType::kFail, nullptr, error}, true);
    }
  }
}

void PgClient::Send() {
  std::vector<const char*> values;
  for (const std::string& p : statement_->params) values.push_back(p.c_str());
  if (PQsendQueryParams(conn_, statement_->sql.c_str(), static_cast<int>(values.size()), nullptr,
                        values.data(), nullptr, nullptr, 0) == 0) {
    // Some of it may have left already.
    const std::string error = ConnectionError();
    Drop();
    return Finish({EventType::kInfo, nullptr, "sending: " + error});
  }
  state_ = State::kQuerying;
  Querying(UV_WRITABLE);
}

void PgClient::Querying(int events) {
  auto lost = [this](const std::string& what) {
    const std::string error = what + ConnectionError();
    Drop();
    Finish({EventType::kInfo, nullptr, error});
  };
  if (events & UV_WRITABLE) {
    const int flushed = PQflush(conn_);
    if (flushed < 0) return lost("connection lost: ");
    Watch(flushed == 0 ? UV_READABLE : UV_READABLE | UV_WRITABLE);
  }
  if ((events & UV_READABLE) && PQconsumeInput(conn_) == 0) return lost("connection lost: ");
  while (PQisBusy(conn_) == 0) {
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) break;
    switch (PQresultStatus(result)) {
      case PGRES_TUPLES_OK:
        for (int i = 0; i < PQntuples(result); ++i) {
          Row row;
          for (int j = 0; j < PQnfields(result); ++j) {
            row.push_back(PQgetisnull(result, i, j)
                              ? std::nullopt
                              : std::optional<std::string>(PQgetvalue(result, i, j)));
          }
          rows_.push_back(std::move(row));
        }
        touched_ = static_cast<int64_t>(rows_.size());
        break;
      case PGRES_COMMAND_OK:
        touched_ = std::atoll(PQcmdTuples(result));
        break;
      default: {
        const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
        const EventType type = ErrorOutcome(severity != nullptr ? severity : "");
        error_ = Completion{type, nullptr, Trimmed(PQresultErrorMessage(result))};
      }
    }
    PQclear(result);
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    // The server went mid-reply: an ERROR it sent first still says the op failed.
    if (error_ && error_->type == EventType::kFail) {
      Completion c = *error_;
      Drop();
      return Finish(std::move(c));
    }
    return lost("connection lost: ");
  }
  if (PQisBusy(conn_) != 0) return;  // more to come
  state_ = State::kReady;
  Watch(UV_READABLE);
  Finish(error_ ? *error_ : Interpret(*statement_, rows_, touched_));
}

void PgClient::Poll(int status, int events) {
  if (status < 0) events = UV_READABLE | UV_WRITABLE;  // libpq finds out what is wrong
  switch (state_) {
    case State::kConnecting:
      return Connecting();
    case State::kQuerying:
      return Querying(events);
    case State::kReady:  // idle: the server closed the connection, or a notice
      if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) Drop();
      return;
    case State::kIdle:
      return;
  }
}

void PgClient::Watch(int events) {
  const int fd = PQsocket(conn_);
  if (poll_ != nullptr && fd != poll_fd_) {
    uv_poll_stop(poll_);
    uv::CloseAndDelete(poll_);
    poll_ = nullptr;
  }
  if (poll_ == nullptr) {
    poll_ = new uv_poll_t;
    if (uv_poll_init(loop_, poll_, fd) != 0) {
      delete poll_;
      poll_ = nullptr;
      const bool sent = state_ == State::kQuerying;
      Drop();
      if (statement_) {
        Finish({sent ? EventType::kInfo : EventType::kFail, nullptr, "cannot watch the socket"},
               !sent);
      }
      return;
    }
    poll_->data = this;
    poll_fd_ = fd;
  }
  uv_poll_start(poll_, events, [](uv_poll_t* p, int status, int events) {
    static_cast<PgClient*>(p->data)->Poll(status, events);
  });
}

void PgClient::Drop() {
  if (poll_ != nullptr) {  // before libpq closes the socket under it
    uv_poll_stop(poll_);
    uv::CloseAndDelete(poll_);
    poll_ = nullptr;
    poll_fd_ = -1;
  }
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
  state_ = State::kIdle;
}

void PgClient::Finish(Completion completion, bool backoff) {
  statement_.reset();
  Done done = std::move(done_);
  done_ = nullptr;
  // Never inside Invoke, and never with this client's state half changed.
  timers_.After(
      backoff ? kBackoffMs : 0,
      [done = std::move(done), c = std::move(completion)]() mutable { done(std::move(c)); });
}

std::string PgClient::ConnectionError() const {
  return conn_ != nullptr ? Trimmed(PQerrorMessage(conn_)) : "out of memory";
}

}  // namespace jepsen::systems::postgres
