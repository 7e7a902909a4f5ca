#include "systems/exec/adapter.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace jepsen::systems::exec {
namespace {

constexpr uint64_t kBackoffMs = 100;

struct WriteRequest {
  uv_write_t request{};
  std::string data;
};

history::EventType TypeOf(const std::string& type) {
  if (type == "ok") return history::EventType::kOk;
  if (type == "fail") return history::EventType::kFail;
  return history::EventType::kInfo;
}

// Runs `fn` on the loop after `ms` milliseconds.
void After(uv_loop_t* loop, uint64_t ms, std::function<void()> fn) {
  auto* timer = new uv_timer_t;
  uv_timer_init(loop, timer);
  timer->data = new std::function<void()>(std::move(fn));
  uv_timer_start(
      timer,
      [](uv_timer_t* t) {
        auto* f = static_cast<std::function<void()>*>(t->data);
        (*f)();
        delete f;
        uv_close(reinterpret_cast<uv_handle_t*>(t),
                 [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
      },
      ms, 0);
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
      init_(std::move(init)) {}

Adapter::~Adapter() {
  Shutdown();
  if (pipes_) pipes_->Close();
  if (process_ != nullptr) {
    process_->data = nullptr;
    if (!uv_is_closing(reinterpret_cast<uv_handle_t*>(process_))) {
      uv_close(reinterpret_cast<uv_handle_t*>(process_),
               [](uv_handle_t* h) { delete reinterpret_cast<uv_process_t*>(h); });
    }
  }
}

void Adapter::Complain(const std::string& what) {
  log_ << "jepsen-run: adapter: " << what << std::endl;
}

Status Adapter::Start() {
  if (running_) {
    // Killed, exit not reaped yet: start it once it is, or the restart would be lost.
    if (killed_) start_on_exit_ = true;
    return Status();
  }
  shutdown_ = false;
  Spawn();
  return running_ ? Status() : Status::Error("cannot start the client adapter: " + command_);
}

void Adapter::Spawn() {
  restart_pending_ = false;
  killed_ = false;
  start_on_exit_ = false;
  int log = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pipes_ = std::make_shared<Pipes>();
  pipes_->self = pipes_;
  pipes_->owner = this;
  uv_pipe_init(loop_, &pipes_->in, 0);
  uv_pipe_init(loop_, &pipes_->out, 0);
  pipes_->in.data = pipes_.get();
  pipes_->out.data = pipes_.get();
  uv_stdio_container_t stdio[3];
  stdio[0].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_READABLE_PIPE);
  stdio[0].data.stream = reinterpret_cast<uv_stream_t*>(&pipes_->in);
  stdio[1].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[1].data.stream = reinterpret_cast<uv_stream_t*>(&pipes_->out);
  stdio[2].flags = log >= 0 ? UV_INHERIT_FD : UV_IGNORE;
  stdio[2].data.fd = log;
  std::string script = "exec " + command_;
  char sh[] = "/bin/sh", dash_c[] = "-c";
  char* args[] = {sh, dash_c, script.data(), nullptr};
  uv_process_options_t options{};
  options.file = "/bin/sh";
  options.args = args;
  options.stdio = stdio;
  options.stdio_count = 3;
  options.exit_cb = [](uv_process_t* p, int64_t status, int signal) {
    auto* self = static_cast<Adapter*>(p->data);
    uv_close(reinterpret_cast<uv_handle_t*>(p),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_process_t*>(h); });
    if (self != nullptr) {
      self->process_ = nullptr;
      self->Exited(status, signal);
    }
  };
  process_ = new uv_process_t{};
  process_->data = this;
  int e = uv_spawn(loop_, process_, &options);
  if (log >= 0) ::close(log);
  if (e != 0) {
    Complain(std::string("cannot start '") + command_ + "': " + uv_strerror(e));
    uv_close(reinterpret_cast<uv_handle_t*>(process_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_process_t*>(h); });
    process_ = nullptr;
    pipes_->Close();
    pipes_.reset();
    return;
  }
  running_ = true;
  paused_ = false;
  ready_ = false;
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
  running_ = false;
  paused_ = false;
  ready_ = false;
  if (pipes_) {
    pipes_->Close();
    pipes_.reset();
  }
  input_.clear();
  Complain("exited (status " + std::to_string(status) + ", signal " + std::to_string(signal) + ")");
  std::map<uint64_t, Client::Done> lost;
  lost.swap(in_flight_);
  for (auto& [id, done] : lost) done({history::EventType::kInfo, nullptr, "client adapter exited"});
  if (start_on_exit_ && !shutdown_) {
    Spawn();  // the nemesis's restart came before the kill was reaped
  } else if (!shutdown_ && !restart_pending_) {
    // It died on its own (a crash, not the nemesis): start it again.
    restart_pending_ = true;
    After(loop_, kBackoffMs, [this] {
      if (!shutdown_ && !running_ && restart_pending_) Spawn();
    });
  }
}

void Adapter::Kill() {
  if (!running_) return;
  restart_pending_ = true;  // the nemesis restarts it, not us
  killed_ = true;
  start_on_exit_ = false;
  if (paused_) uv_process_kill(process_, SIGCONT);
  uv_process_kill(process_, SIGKILL);
}

void Adapter::Pause() {
  if (running_ && !paused_) {
    uv_process_kill(process_, SIGSTOP);
    paused_ = true;
  }
}

void Adapter::Resume() {
  if (running_ && paused_) {
    uv_process_kill(process_, SIGCONT);
    paused_ = false;
  }
}

void Adapter::Shutdown() {
  shutdown_ = true;
  if (running_) {
    if (paused_) uv_process_kill(process_, SIGCONT);
    uv_process_kill(process_, SIGKILL);
  }
}

Status Adapter::AwaitReady(double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(timeout_s));
  uv_timer_t tick;
  uv_timer_init(loop_, &tick);
  uv_timer_start(
      &tick, [](uv_timer_t*) {}, 20, 20);  // wake the loop to look at the clock
  while (!ready_ && std::chrono::steady_clock::now() < deadline) uv_run(loop_, UV_RUN_ONCE);
  uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
  uv_run(loop_, UV_RUN_NOWAIT);
  if (ready_) return Status();
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
  if (!running_ && !restart_pending_) {
    // Nothing will carry it: it certainly did not happen.
    After(loop_, kBackoffMs, [done = std::move(done)] {
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
  if (!pipes_) return;
  auto* write = new WriteRequest;
  write->data = line;
  uv_buf_t buf = uv_buf_init(write->data.data(), static_cast<unsigned>(write->data.size()));
  if (uv_write(&write->request, reinterpret_cast<uv_stream_t*>(&pipes_->in), &buf, 1,
               [](uv_write_t* r, int) { delete reinterpret_cast<WriteRequest*>(r); }) != 0) {
    delete write;
  }
}

void Adapter::Received(const char* data, size_t size) {
  input_.append(data, size);
  size_t start = 0;
  while (true) {
    size_t end = input_.find('\n', start);
    if (end == std::string::npos) break;
    Line(std::string_view(input_).substr(start, end - start));
    start = end + 1;
  }
  input_.erase(0, start);
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
