#include "systems/remote/remote_process.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "systems/remote/line_escape.h"

namespace jepsen::systems::remote {
namespace {

// A keeper answers at once, but a kill waits until the node's group is gone (up to 10 s).
constexpr int kAnswerMs = 15000;

}  // namespace

RemoteProcess::RemoteProcess(uv_loop_t* loop, std::vector<std::string> session, std::string where,
                             std::string log_path)
    : loop_(loop),
      session_argv_(std::move(session)),
      where_(std::move(where)),
      log_path_(std::move(log_path)) {}

RemoteProcess::~RemoteProcess() { Close(); }

Status RemoteProcess::Open() {
  if (session_ && session_->running() && to_ >= 0) return Status();
  Close();
  ProcessSpec spec;
  spec.argv = session_argv_;
  spec.pipes = true;
  spec.log_path = log_path_;
  session_ = std::make_unique<Process>(loop_, std::move(spec));
  if (Status s = session_->Start(); !s.ok()) return s;
  to_ = session_->TakeStdin();
  from_ = session_->TakeStdout();
  ::fcntl(from_, F_SETFL, ::fcntl(from_, F_GETFL) | O_NONBLOCK);
  Result<std::string> status = Ask("status");  // the keeper runs (and ssh got through)
  if (!status.ok()) return status.status();
  return Status();
}

void RemoteProcess::Close() {
  // "exit", then the session's end: the keeper has killed the command and detached its mount.
  if (to_ >= 0 && ::write(to_, "exit\n", 5) == 5) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kAnswerMs);
    while (Drain() && std::chrono::steady_clock::now() < deadline) {
      pollfd fd = {from_, POLLIN, 0};
      ::poll(&fd, 1, 100);
    }
  }
  for (int* fd : {&to_, &from_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
  if (session_) session_->Kill();
  session_.reset();
  running_ = paused_ = false;
  input_.clear();
}

bool RemoteProcess::Note(const std::string& line) const {
  if (line.rfind("exited ", 0) != 0) return false;
  running_ = paused_ = false;
  return true;
}

bool RemoteProcess::Drain() const {
  if (from_ < 0) return false;
  char buffer[512];
  while (true) {
    const ssize_t n = ::read(from_, buffer, sizeof buffer);
    if (n > 0) {
      input_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    running_ = paused_ = false;  // the session ended: so did the node
    return false;
  }
  for (size_t end; (end = input_.find('\n')) != std::string::npos;) {
    if (!Note(input_.substr(0, end))) break;  // an answer: Ask's to take
    input_.erase(0, end + 1);
  }
  return true;
}

Result<std::string> RemoteProcess::Ask(const std::string& command) const {
  const std::string line = command + "\n";
  if (to_ < 0 || ::write(to_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    return Status::Error(where_ + ": the node's keeper is gone (see " + log_path_ + ")");
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kAnswerMs);
  while (true) {
    const bool open = Drain();
    const size_t end = input_.find('\n');
    if (end != std::string::npos) {
      std::string answer = input_.substr(0, end);
      input_.erase(0, end + 1);
      if (answer.rfind("error ", 0) == 0) return Status::Error(where_ + ": " + answer.substr(6));
      return answer;
    }
    if (!open) {
      return Status::Error(where_ + ": the SSH session to the node's keeper ended: " +
                           (session_ ? session_->RecentOutput() : std::string()) + " (see " +
                           log_path_ + ")");
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return Status::Error(where_ + ": the node's keeper did not answer " + command);
    pollfd fd = {from_, POLLIN, 0};
    ::poll(&fd, 1, static_cast<int>(left));
  }
}

Status RemoteProcess::Start() {
  if (Status s = Open(); !s.ok()) return s;
  Result<std::string> answer = Ask("start");
  if (!answer.ok()) return answer.status();
  const size_t space = answer->find(' ');
  pid_ = space == std::string::npos ? 0 : std::atoi(answer->c_str() + space + 1);
  running_ = pid_ > 0;
  paused_ = false;
  return Status();
}

Status RemoteProcess::Kill() {
  if (to_ < 0) return Status();  // no session: no node
  Result<std::string> answer = Ask("kill");
  if (!answer.ok()) return answer.status();
  running_ = paused_ = false;
  return Status();
}

Status RemoteProcess::Pause() {
  if (to_ < 0) return Status();
  Result<std::string> answer = Ask("stop");
  if (!answer.ok()) return answer.status();
  paused_ = *answer == "stopped";
  return Status();
}

Status RemoteProcess::Resume() {
  if (to_ < 0) return Status();
  Result<std::string> answer = Ask("cont");
  if (!answer.ok()) return answer.status();
  paused_ = false;
  return Status();
}

bool RemoteProcess::running() const {
  Drain();
  return running_;
}

std::string RemoteProcess::RecentOutput() const {
  Result<std::string> answer = to_ >= 0 ? Ask("recent") : Result<std::string>(Status::Error(""));
  if (!answer.ok() || answer->rfind("recent ", 0) != 0) return "";
  return UnescapeLine(answer->substr(7));
}

Result<ClockSetting> RemoteProcess::Clock(const std::string& command) {
  if (to_ < 0) return Status::Error(where_ + ": the node's keeper is not running");
  Result<std::string> answer = Ask(command);
  if (!answer.ok()) return answer.status();
  ClockSetting setting;
  if (std::sscanf(answer->c_str(), "clock %lf %lf", &setting.offset_s, &setting.rate) != 2) {
    return Status::Error(where_ + ": the keeper answered '" + *answer + "' to " + command);
  }
  return setting;
}

Result<ClockSetting> RemoteProcess::SkewClock(double step_s, double rate) {
  char command[80];
  std::snprintf(command, sizeof command, "clock %.9f %.9f", step_s, rate);
  return Clock(command);
}

Result<ClockSetting> RemoteProcess::ResetClock() { return Clock("clock reset"); }

Result<std::string> RemoteProcess::DiskControl(const std::string& command) {
  if (to_ < 0) return Status::Error(where_ + ": the filesystem's keeper is not running");
  Result<std::string> answer = Ask("control " + command);
  if (!answer.ok()) return answer.status();
  if (answer->rfind("reply ", 0) != 0) {
    return Status::Error(where_ + ": the keeper answered '" + *answer + "' to " + command);
  }
  return answer->substr(6);
}

Status RemoteProcess::Nft(const std::string& script) {
  if (to_ < 0) return Status::Error(where_ + ": the node's keeper is not running");
  Result<std::string> answer = Ask("nft " + EscapeLine(script));
  if (!answer.ok()) return answer.status();
  if (*answer != "done") return Status::Error(where_ + ": the keeper answered '" + *answer + "'");
  return Status();
}

}  // namespace jepsen::systems::remote
