#include "systems/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace jepsen::systems {
namespace {

// What the keeper tells us on its report pipe: the command's pid; then, only
// when exec failed, its errno. End of file after the pid: exec succeeded.
struct Report {
  int32_t kind = 0;
  int32_t value = 0;
};
constexpr int32_t kStarted = 1, kExecFailed = 2, kForkFailed = 3;

// What the keeper needs, all prepared before fork: after it, in a copy of a
// process that may have threads, only async-signal-safe calls are allowed.
struct KeeperArgs {
  pid_t parent = 0;
  char** argv = nullptr;
  char** envp = nullptr;  // the command's whole environment
  const char* cwd = nullptr;
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
  int report = -1;
};

void WriteReport(int fd, int32_t kind, int32_t value) {
  Report r{kind, value};
  const char* at = reinterpret_cast<const char*>(&r);
  size_t left = sizeof r;
  while (left > 0) {
    ssize_t n = ::write(fd, at, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    at += n;
    left -= static_cast<size_t>(n);
  }
}

// Reads one report; false at end of file (or on an error).
bool ReadReport(int fd, Report& r) {
  char* at = reinterpret_cast<char*>(&r);
  size_t got = 0;
  while (got < sizeof r) {
    ssize_t n = ::read(fd, at + got, sizeof r - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

// Every signal at its default and none blocked, as a freshly exec'd program expects.
void DefaultSignals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) {
    if (s != SIGKILL && s != SIGSTOP) ::sigaction(s, &dfl, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

void Wake(int) {}  // interrupts the keeper's waitpid when the run dies

// Closes every descriptor from 3 up but `keep`.
void CloseAllBut(int keep) {
  if (keep > 3) ::close_range(3, static_cast<unsigned>(keep - 1), 0);
  if (::close_range(static_cast<unsigned>(keep + 1), ~0U, 0) != 0) {
    for (int fd = keep + 1; fd < 65536; ++fd) ::close(fd);
  }
}

// A descriptor that dup2 onto 0..2 cannot clobber (the run's own stdin may be closed).
int AboveStdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

void CloseIfOpen(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// The keeper: starts the command in a process group of its own and waits for
// it. When the run dies it kills the group; when the command exits it kills
// what is left of the group and exits as the command did.
[[noreturn]] void Keeper(const KeeperArgs& a) {
  DefaultSignals();
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  // The keeper shares the run's process group: a Ctrl-C at the terminal is the run's to handle.
  for (int s : {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE}) {
    ::sigaction(s, &ignore, nullptr);
  }
  struct sigaction wake {};
  wake.sa_handler = Wake;  // no SA_RESTART: waitpid returns EINTR
  ::sigaction(SIGUSR1, &wake, nullptr);
  ::prctl(PR_SET_PDEATHSIG, SIGUSR1);
  if (::getppid() != a.parent) _exit(126);  // the run died before we could watch it
  ::dup2(a.stdin_fd, STDIN_FILENO);
  ::dup2(a.stdout_fd, STDOUT_FILENO);
  ::dup2(a.stderr_fd, STDERR_FILENO);
  CloseAllBut(a.report);  // the run's sockets, pipes and files stay its own
  const pid_t keeper = ::getpid();
  const pid_t command = ::fork();
  if (command < 0) {
    WriteReport(a.report, kForkFailed, errno);
    _exit(126);
  }
  if (command == 0) {
    ::setpgid(0, 0);
    DefaultSignals();  // what the keeper ignores must not carry over exec
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != keeper) _exit(126);
    if (a.cwd != nullptr && ::chdir(a.cwd) != 0) {
      WriteReport(a.report, kExecFailed, errno);
      _exit(127);
    }
    ::execvpe(a.argv[0], a.argv, a.envp);
    WriteReport(a.report, kExecFailed, errno);
    _exit(127);
  }
  ::setpgid(command, command);  // also here, so the group exists before we report the pid
  WriteReport(a.report, kStarted, command);
  ::close(a.report);
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) ::close(fd);
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(command), &info, WEXITED | WNOWAIT) != 0) {
    if (errno != EINTR) _exit(125);
    if (::getppid() != a.parent) ::kill(-command, SIGKILL);  // the run is gone: so is its group
  }
  // Still a zombie, so its pid (the group's id) cannot have been reused yet.
  ::kill(-command, SIGKILL);
  int status = 0;
  while (::waitpid(command, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  const int sig = WTERMSIG(status);
  struct rlimit no_core {};
  ::setrlimit(RLIMIT_CORE, &no_core);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(sig, &dfl, nullptr);
  ::kill(::getpid(), sig);
  _exit(128 + sig);
}

// The start's pipes, above stdio: `report` always, for the keeper's reports;
// `in` and `out` when the command has pipes, else `in[0]` reads /dev/null.
// False (errno set) when one could not be made.
bool MakePipes(bool pipes, int in[2], int out[2], int report[2]) {
  bool made = ::pipe2(report, O_CLOEXEC) == 0;
  if (made && pipes) {
    made = ::pipe2(in, O_CLOEXEC) == 0 && ::pipe2(out, O_CLOEXEC) == 0;
  } else if (made) {
    in[0] = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    made = in[0] >= 0;
  }
  for (int* fd : {&in[0], &in[1], &out[0], &out[1], &report[0], &report[1]}) *fd = AboveStdio(*fd);
  return made;
}

// What the keeper reported on its pipe, until end of file: the command's pid
// and, only when exec failed, the command's errno (which may come first); or
// the keeper's own errno when its fork failed.
struct KeeperReports {
  int32_t command = 0, exec_errno = 0, keeper_errno = 0;
};

KeeperReports ReadKeeperReports(int fd) {
  KeeperReports reports;
  for (Report r; ReadReport(fd, r);) {
    if (r.kind == kStarted) reports.command = r.value;
    if (r.kind == kExecFailed) reports.exec_errno = r.value;
    if (r.kind == kForkFailed) reports.keeper_errno = r.value;
  }
  return reports;
}

// The run's environment with `extra` (NAME=value) replacing or adding entries.
std::vector<std::string> Environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  auto named = [](const std::string& entry) { return entry.substr(0, entry.find('=') + 1); };
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const bool replaced = std::any_of(
        extra.begin(), extra.end(), [&](const std::string& x) { return named(x) == named(entry); });
    if (!replaced) env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// Why a start failed, for its error.
std::string WhyNotStarted(pid_t keeper, int fork_errno, const KeeperReports& reports) {
  return keeper < 0                  ? std::strerror(fork_errno)
         : reports.exec_errno != 0   ? std::strerror(reports.exec_errno)
         : reports.keeper_errno != 0 ? std::strerror(reports.keeper_errno)
                                     : "its keeper exited";
}

}  // namespace

void IgnoreSigpipe() {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, nullptr);
}

// Reaps the keeper when SIGCHLD comes. Outlives its Process while a keeper is
// still to be reaped, then closes and frees itself.
struct Process::Watch {
  uv_signal_t signal{};
  Process* owner = nullptr;
  pid_t keeper = 0;  // 0: none to reap

  // Made at the first start; kept across restarts.
  static Watch* Make(Process* owner, uv_loop_t* loop) {
    auto* w = new Watch;
    w->owner = owner;
    w->signal.data = w;
    uv_signal_init(loop, &w->signal);
    return w;
  }

  void Close() {
    uv_close(reinterpret_cast<uv_handle_t*>(&signal),
             [](uv_handle_t* h) { delete static_cast<Watch*>(h->data); });
  }

  static void Reap(uv_signal_t* handle, int) {
    auto* w = static_cast<Watch*>(handle->data);
    if (w->keeper == 0) return;
    int status = 0;
    const pid_t r = ::waitpid(w->keeper, &status, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR)) return;  // not this child, or not yet
    // r < 0 (ECHILD): someone else reaped it; it is gone all the same.
    w->keeper = 0;
    uv_signal_stop(&w->signal);
    if (w->owner == nullptr) return w->Close();
    const bool known = r > 0;
    w->owner->Reaped(known && WIFEXITED(status) ? WEXITSTATUS(status) : 0,
                     known && WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
};

Process::Process(uv_loop_t* loop, ProcessSpec spec)
    : loop_(loop), spec_(std::move(spec)), restarts_(loop) {}

Process::~Process() {
  Kill();
  ClosePipes();
  if (watch_ == nullptr) return;
  watch_->owner = nullptr;                   // the exit must not reach a dead object
  if (watch_->keeper == 0) watch_->Close();  // else once the keeper is reaped
}

bool Process::CrashedUnreaped() const {
  if (!running_ || killed_ || watch_ == nullptr || watch_->keeper == 0) return false;
  // The keeper exits when the command does; WNOWAIT leaves it for the loop to reap.
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(watch_->keeper), &info, WEXITED | WNOHANG | WNOWAIT) ==
             0 &&
         info.si_pid == watch_->keeper;
}

int Process::TakeStdin() { return std::exchange(stdin_, -1); }
int Process::TakeStdout() { return std::exchange(stdout_, -1); }

void Process::ClosePipes() {
  CloseIfOpen(stdin_);
  CloseIfOpen(stdout_);
}

Status Process::Start() {
  restart_due_ = false;
  if (running_) {
    // Killed but not reaped yet (a loaded machine, a child stuck in fsync): start it the moment
    // its exit is reaped, or a restart right after a kill would be lost and the node left down.
    if (killed_) start_on_exit_ = true;
    return Status();
  }
  ClosePipes();                      // a previous start's, never taken
  if (spec_.pipes) IgnoreSigpipe();  // writing to a command that died gives EPIPE
  int log =
      AboveStdio(::open(spec_.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (log < 0) {
    return Status::Error(spec_.log_path + ": cannot open log: " + std::strerror(errno));
  }
  log_offset_ = static_cast<long>(::lseek(log, 0, SEEK_END));
  int in[2] = {-1, -1}, out[2] = {-1, -1}, report[2] = {-1, -1};
  const bool made = MakePipes(spec_.pipes, in, out, report);
  auto close_all = [&] {
    for (int* fd : {&log, &in[0], &in[1], &out[0], &out[1], &report[0], &report[1]}) {
      CloseIfOpen(*fd);
    }
  };
  if (!made) {
    Status error = Status::Error("cannot start " + spec_.argv[0] + ": " + std::strerror(errno));
    close_all();
    return error;
  }
  std::vector<char*> argv;
  for (std::string& a : spec_.argv) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = Environment(spec_.env);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const KeeperArgs args{.parent = ::getpid(),
                        .argv = argv.data(),
                        .envp = envp.data(),
                        .cwd = spec_.cwd.empty() ? nullptr : spec_.cwd.c_str(),
                        .stdin_fd = in[0],
                        .stdout_fd = spec_.pipes ? out[1] : log,
                        .stderr_fd = log,
                        .report = report[1]};
  if (watch_ == nullptr) watch_ = Watch::Make(this, loop_);
  // Watching before the fork: a keeper that exits at once is still reaped.
  uv_signal_start(&watch_->signal, Watch::Reap, SIGCHLD);
  const pid_t keeper = ::fork();
  if (keeper == 0) Keeper(args);
  const int fork_errno = errno;
  CloseIfOpen(log);
  CloseIfOpen(in[0]);
  CloseIfOpen(out[1]);
  CloseIfOpen(report[1]);
  const KeeperReports reports = keeper > 0 ? ReadKeeperReports(report[0]) : KeeperReports{};
  if (reports.command > 0 && reports.exec_errno == 0) {
    CloseIfOpen(report[0]);
    watch_->keeper = keeper;
    group_ = reports.command;
    stdin_ = in[1];
    stdout_ = out[0];
    running_ = true;
    paused_ = killed_ = false;
    if (on_start_) on_start_();
    return Status();
  }
  const std::string why = WhyNotStarted(keeper, fork_errno, reports);
  if (keeper > 0) {
    while (::waitpid(keeper, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  uv_signal_stop(&watch_->signal);
  close_all();
  return Status::Error("cannot start " + spec_.argv[0] + ": " + why);
}

void Process::Signal(int signal) {
  if (group_ > 0) ::kill(-group_, signal);
}

void Process::Kill() {
  restart_due_ = false;
  restart_after_exit_ = false;
  if (!running_) return;
  Signal(SIGKILL);
  paused_ = false;
  killed_ = true;
  start_on_exit_ = false;
}

void Process::KillAndRestart() {
  const bool was_running = running_;
  Kill();
  if (was_running) {
    restart_after_exit_ = true;
  } else {
    Start();  // a failure shows as a process that stays down
  }
}

void Process::Pause() {
  if (running_ && !paused_) {
    Signal(SIGSTOP);
    paused_ = true;
  }
}

void Process::Resume() {
  if (running_ && paused_) {
    Signal(SIGCONT);
    paused_ = false;
  }
}

void Process::Reaped(int64_t status, int signal) {
  // A pause asked for after the kill (Kill() clears paused_) is meant for the restart that
  // waits for this reap; a restart on the policy's timer starts unpaused, as after a crash.
  const bool pause_restart = start_on_exit_ && paused_;
  // Started again after a crash when there is a policy, and after KillAndRestart().
  restart_due_ = (!killed_ && spec_.restart_after_ms >= 0) || restart_after_exit_;
  running_ = false;
  paused_ = false;
  killed_ = false;
  restart_after_exit_ = false;
  group_ = 0;
  if (on_exit_) on_exit_(status, signal);  // may Kill() (cancels the restart) or Start()
  if (start_on_exit_) {
    start_on_exit_ = false;
    // A failure shows as a node that stays down (running() is false).
    if (Start().ok() && pause_restart) Pause();
  } else if (restart_due_ && !running_) {
    // Never inside this callback: after the policy's delay, or on the loop's next turn. Only
    // the latest timer acts: one of a restart cancelled since must not start it early.
    const uint64_t id = ++restart_id_;
    restarts_.After(static_cast<uint64_t>(std::max<int64_t>(0, spec_.restart_after_ms)),
                    [this, id] {
                      if (restart_due_ && id == restart_id_) Start();  // a failure: stays down
                    });
  }
}

std::string Process::RecentOutput() const {
  constexpr long kMax = 2048;
  std::ifstream in(spec_.log_path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const long end = static_cast<long>(in.tellg());
  const long from = std::max(log_offset_, end - kMax);
  if (end <= from) return "";
  in.seekg(from);
  std::string text(static_cast<size_t>(end - from), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  // The last few lines, on one line.
  std::vector<std::string> lines;
  std::istringstream split(text);
  for (std::string line; std::getline(split, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  std::string out;
  for (size_t i = lines.size() > 5 ? lines.size() - 5 : 0; i < lines.size(); ++i) {
    out += (out.empty() ? "" : " | ") + lines[i];
  }
  return out;
}

}  // namespace jepsen::systems
