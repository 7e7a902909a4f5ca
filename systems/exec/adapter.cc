#include "systems/exec/adapter.h"

#include <chrono>
#include <cstring>

#include "systems/uv/helpers.h"

namespace jepsen::systems::exec {
namespace {

constexpr uint64_t kBackoffMs = 100;

history::EventType TypeOf(const std::string& type) {
  if (type == "ok") return history::EventType::kOk;
  if (type == "fail") return history::EventType::kFail;
  return history::EventType::kInfo;
}

}  // namespace

// The adapter's stdin and stdout; outlives the Adapter until both are closed.
struct Adapter::Pipes {
  uv_pipe_t in{}, out{};
  Adapter* owner = nullptr;
  int open = 2;
  std::shared_ptr<Pipes> self;
  void Close() {
    owner = nullptr;
    for (uv_pipe_t* p : {&in, &out}) {
      if (!uv_is_closing(reinterpret_cast<uv_handle_t*>(p))) {
        uv_close(reinterpret_cast<uv_handle_t*>(p), [](uv_handle_t* h) {
          auto* pipes = static_cast<Pipes*>(h->data);
          if (--pipes->open == 0) pipes->self.reset();
        });
      }
    }
  }
};

Adapter::Adapter(uv_loop_t* loop, std::string command, std::string log_path, Json init)
    : loop_(loop),
      command_(std::move(command)),
      log_path_(std::move(log_path)),
      log_(log_path_, std::ios::app),
      init_(std::move(init)),
      timers_(loop),
      process_(loop, ProcessSpec{
                         {"/bin/sh", "-c", "exec " + command_}, log_path_, "", true, kBackoffMs}) {
  process_.OnStart([this] { Started(); });
  process_.OnExit([this](int64_t status, int signal) { Exited(status, signal); });
}

Adapter::~Adapter() {
  Shutdown();
  if (pipes_) pipes_->Close();
}

void Adapter::Complain(const std::string& what) {
  log_ << "jepsen-run: adapter: " << what << std::endl;
}

Status Adapter::Start() {
  shutdown_ = false;
  last_exit_.clear();
  Status started = process_.Start();  // after a kill not yet reaped: once it is
  if (!started.ok()) Complain(started.message());
  return started.ok() ? Status()
                      : Status::Error("cannot start the client adapter '" + command_ +
                                      "': " + started.message());
}

// A new adapter process: talk to it over its stdin and stdout, starting with init.
void Adapter::Started() {
  restart_pending_ = false;
  ready_ = false;
  broken_.clear();
  input_.Clear();
  pipes_ = std::make_shared<Pipes>();
  pipes_->self = pipes_;
  pipes_->owner = this;
  uv_pipe_init(loop_, &pipes_->in, 0);
  uv_pipe_init(loop_, &pipes_->out, 0);
  pipes_->in.data = pipes_.get();
  pipes_->out.data = pipes_.get();
  uv_pipe_open(&pipes_->in, process_.TakeStdin());
  uv_pipe_open(&pipes_->out, process_.TakeStdout());
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&pipes_->out),
      [](uv_handle_t*, size_t suggested, uv_buf_t* buf) {
        buf->base = new char[suggested];
        buf->len = suggested;
      },
      [](uv_stream_t* stream, ssize_t n, const uv_buf_t* buf) {
        auto* pipes = static_cast<Pipes*>(stream->data);
        if (pipes->owner != nullptr && n > 0) {
          pipes->owner->Received(buf->base, static_cast<size_t>(n));
        }
        delete[] buf->base;
      });
  Json init = init_;
  init["type"] = "init";
  Send(init.dump() + "\n");
}

void Adapter::Exited(int64_t status, int signal) {
  const bool was_ready = ready_;
  ready_ = false;
  if (pipes_) {
    pipes_->Close();
    pipes_.reset();
  }
  input_.Clear();
  const std::string how =
      "exited (status " + std::to_string(status) + ", signal " + std::to_string(signal) + ")";
  Complain(how);
  if (!was_ready && !restart_pending_) {
    const std::string output = process_.RecentOutput();
    last_exit_ = how + " before answering init_ok" + (output.empty() ? "" : ": " + output);
  }
  const std::string error =
      broken_.empty() ? "client adapter exited" : "client adapter broken: " + broken_;
  std::map<uint64_t, Client::Done> lost;
  lost.swap(in_flight_);
  for (auto& [id, done] : lost) done({history::EventType::kInfo, nullptr, error});
}

// It speaks no protocol we can follow any more: its ops in flight end info, it restarts.
void Adapter::Broken(const std::string& why) {
  Complain(why + "; killing it (it will be restarted)");
  broken_ = why;
  input_.Clear();
  if (pipes_) uv_read_stop(reinterpret_cast<uv_stream_t*>(&pipes_->out));
  process_.KillAndRestart();  // as after a crash
}

void Adapter::Kill() {
  if (!running()) return;
  restart_pending_ = true;  // the nemesis restarts it, not us
  process_.Kill();
}

void Adapter::Pause() { process_.Pause(); }

void Adapter::Resume() { process_.Resume(); }

void Adapter::Shutdown() {
  shutdown_ = true;
  process_.Kill();
}

Status Adapter::AwaitReady(double timeout_s, const std::function<Status()>& give_up) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(timeout_s));
  uv_timer_t tick;
  uv_timer_init(loop_, &tick);
  uv_timer_start(
      &tick, [](uv_timer_t*) {}, 20, 20);  // wake the loop to look at the clock
  Status given_up;
  while (!ready_ && last_exit_.empty() && given_up.ok() &&
         std::chrono::steady_clock::now() < deadline) {
    uv_run(loop_, UV_RUN_ONCE);
    if (give_up) given_up = give_up();
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
  uv_run(loop_, UV_RUN_NOWAIT);
  if (!given_up.ok()) return given_up;
  if (ready_) return Status();
  if (!last_exit_.empty()) {
    return Status::Error("the client adapter '" + command_ + "' " + last_exit_ + " (see " +
                         log_path_ + ")");
  }
  return Status::Error(
      "the client adapter did not answer {\"type\": \"init\"} with "
      "{\"type\": \"init_ok\"} within " +
      std::to_string(static_cast<int>(timeout_s)) + " s; see " + log_path_);
}

void Adapter::Invoke(int64_t process, const Request& request, Client::Done done) {
  const uint64_t id = next_id_++;
  Json line = {{"id", id}, {"process", process}, {"f", request.f}};
  if (!request.key.is_null()) line["key"] = request.key;
  if (!request.value.is_null()) line["value"] = request.value;
  if (!running() && !restart_pending_ && !process_.restarting()) {
    // Nothing will carry it: it certainly did not happen.
    timers_.After(kBackoffMs, [done = std::move(done)] {
      done({history::EventType::kFail, nullptr, "client adapter is down"});
    });
    return;
  }
  queue_.push_back(line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
  queued_done_.emplace_back(id, std::move(done));
  FlushQueue();
}

void Adapter::FlushQueue() {
  if (!ready_) return;
  while (!queue_.empty()) {
    in_flight_.emplace(queued_done_.front().first, std::move(queued_done_.front().second));
    Send(queue_.front());
    queue_.pop_front();
    queued_done_.pop_front();
  }
}

void Adapter::Send(const std::string& line) {
  if (pipes_) uv::Write(reinterpret_cast<uv_stream_t*>(&pipes_->in), line);
}

void Adapter::Received(const char* data, size_t size) {
  input_.Feed({data, size}, [this](std::string_view line) {
    Line(line);
    return true;
  });
  if (input_.partial() > kMaxLine) {
    Broken("wrote more than " + std::to_string(kMaxLine) + " bytes without a newline");
  }
}

void Adapter::Line(std::string_view text) {
  if (text.find_first_not_of(" \t\r") == std::string_view::npos) return;
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto complain = [&](const std::string& what) {
    Complain(what + ": " + std::string(text.substr(0, 300)));
  };
  if (json.is_discarded() || !json.is_object()) return complain("malformed line ignored");
  const std::string type = json.value("type", "");
  if (type == "init_ok") {
    ready_ = true;
    FlushQueue();
    return;
  }
  if (!json.contains("id") || !json["id"].is_number_unsigned()) {
    return complain("reply without a numeric 'id' ignored");
  }
  if (type != "ok" && type != "fail" && type != "info") {
    return complain("reply 'type' must be ok, fail or info; ignored (the op will time out)");
  }
  auto it = in_flight_.find(json["id"].get<uint64_t>());
  if (it == in_flight_.end()) return complain("reply to no request in flight ignored");
  Client::Done done = std::move(it->second);
  in_flight_.erase(it);
  Json error = json.value("error", Json());
  done({TypeOf(type), json.value("value", Json()),
        error.is_string() ? error.get<std::string>() : (error.is_null() ? "" : error.dump())});
}

}  // namespace jepsen::systems::exec
