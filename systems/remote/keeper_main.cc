// jepsen-keeper: the supervisor of one node on a remote host, started there
// over SSH by the run (docs/remote-hosts.md). It keeps the node's command as
// its child, in a process group of its own, and acts on it as the run asks on
// stdin, one command per line, answering each on stdout with one line:
//
//   start   "started <pid>", "running <pid>" if it runs, "error <why>"
//   kill    SIGKILL to the group; "killed" once the command is reaped, "down" if not running
//   stop    SIGSTOP to the group and every descendant; "stopped" ("down" if not running)
//   cont    SIGCONT to the group and every descendant; "continued" ("down" if not running)
//   status  "running <pid>" or "down"
//   recent  "recent <text>": the log's last ~2 KB since the last start, newlines as \n
//   clock STEP RATE   (with --clock) steps the node's clock by STEP s, runs it at RATE:
//                     "clock <offset> <rate>", the setting now in force
//   clock reset       real time again: "clock <offset> <rate>", the setting it replaced
//   control COMMAND   (with --control) COMMAND to the jepsen-diskfs it keeps: "reply <json>"
//   nft SCRIPT        SCRIPT (newlines as \n) to `nft -f -`: "done", or "error <what nft said>";
//                     one after another, so a table the run made is there before exit's delete
//   exit    kills the group (and detaches --unmount) and exits
//
// With --nft-table NAME (repeatable) the nftables table `inet NAME` is deleted at
// exit, if there: a partition in force when the control node died does not
// outlive the run on the host (the run's nft commands come through the keeper,
// so none can land after it).
//
// With --clock FILE the command runs with libfaketime preloaded, its setting in
// FILE and its start in shared memory the keeper made (systems/clock/fake_clock.h),
// so the node's clock is faked exactly as a local node's is, from the host's own
// real time. With --unmount PATH the mount at PATH (the jepsen-diskfs the keeper
// keeps) is detached before the command is killed at exit.
//
// and, unasked, "exited <code> <signal>" when the command exits on its own.
// When its input ends (the SSH session is gone: the run ended or died, or the
// connection broke) or on SIGHUP/SIGTERM, it kills the group and exits, so
// nothing of the run outlives it on the host.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "diskfs/control.h"
#include "systems/clock/fake_clock.h"
#include "systems/process_group.h"
#include "systems/remote/line_escape.h"

namespace {

using jepsen::Result;
using jepsen::Status;
using jepsen::systems::ClockSetting;
using jepsen::systems::FakeClock;

constexpr int kGroupGoneMs = 10000;  // a SIGKILLed group in a FUSE call may take a moment
constexpr int kControlMs = 10000;    // jepsen-diskfs answers at once; this is a hung one

std::vector<std::string> g_argv;  // the command
std::string g_log = "/dev/null";
std::string g_cwd;
pid_t g_child = 0;      // 0: down
off_t g_log_start = 0;  // the log's size at the last start
bool g_killing = false;
std::unique_ptr<FakeClock> g_clock;  // with --clock
std::string g_setup_error;           // --clock could not be set up: every start says why
std::string g_unmount;               // with --unmount
std::string g_control;               // with --control
std::vector<std::string> g_tables;   // with --nft-table

void Say(const std::string& line) {
  const std::string text = line + "\n";
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the run is gone; stdin's end will follow
    done += static_cast<size_t>(n);
  }
}

std::string Start(sigset_t blocked) {
  if (g_child != 0) return "running " + std::to_string(g_child);
  if (!g_setup_error.empty()) return "error " + g_setup_error;
  const int log = ::open(g_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return "error cannot open " + g_log + ": " + std::strerror(errno);
  g_log_start = ::lseek(log, 0, SEEK_END);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return std::string("error pipe: ") + std::strerror(errno);
  const pid_t keeper = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) return std::string("error fork: ") + std::strerror(errno);
  if (child == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a keeper killed outright takes its command along
    if (::getppid() != keeper) _exit(126);
    ::sigprocmask(SIG_UNBLOCK, &blocked, nullptr);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    if (g_clock) {
      for (const std::string& entry : g_clock->env()) ::putenv(::strdup(entry.c_str()));
    }
    if (!g_cwd.empty() && ::chdir(g_cwd.c_str()) != 0) {
      const int e = errno;
      (void)!::write(report[1], &e, sizeof e);
      _exit(127);
    }
    std::vector<char*> args;
    for (std::string& a : g_argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    const int e = errno;
    (void)!::write(report[1], &e, sizeof e);
    _exit(127);
  }
  ::setpgid(child, child);
  ::close(log);
  ::close(report[1]);
  int e = 0;
  ssize_t n;
  while ((n = ::read(report[0], &e, sizeof e)) < 0 && errno == EINTR) {
  }
  ::close(report[0]);
  if (n == sizeof e) {  // exec failed: reap it here, it never ran
    while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
    }
    return "error cannot run " + g_argv[0] + ": " + std::strerror(e);
  }
  g_child = child;
  return "started " + std::to_string(child);
}

// Reaps the command if it exited; says so unless the run killed it.
void Reap() {
  if (g_child == 0) return;
  int status = 0;
  const pid_t r = ::waitpid(g_child, &status, WNOHANG);
  if (r != g_child) return;
  ::kill(-g_child, SIGKILL);  // what it started in its group goes with it
  g_child = 0;
  if (g_killing) return;
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  Say("exited " + std::to_string(code) + " " + std::to_string(sig));
}

std::string Recent() {
  const int log = ::open(g_log.c_str(), O_RDONLY | O_CLOEXEC);
  std::string text;
  if (log >= 0) {
    const off_t end = ::lseek(log, 0, SEEK_END);
    const off_t from = end - g_log_start > 2048 ? end - 2048 : g_log_start;
    text.resize(static_cast<size_t>(end > from ? end - from : 0));
    const ssize_t n = ::pread(log, text.data(), text.size(), from);
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    ::close(log);
  }
  return "recent " + jepsen::systems::remote::EscapeLine(text);
}

std::string Kill() {
  if (g_child == 0) return "down";
  ::kill(-g_child, SIGKILL);
  ::kill(-g_child, SIGCONT);  // a stopped group dies only once it runs
  g_killing = true;
  int status = 0;
  while (::waitpid(g_child, &status, 0) < 0 && errno == EINTR) {
  }
  // "killed" means nothing of it runs: a power loss after it finds no write on its way.
  const bool gone = jepsen::systems::AwaitGroupGone(g_child, kGroupGoneMs);
  g_child = 0;
  g_killing = false;
  return gone ? "killed" : "error its process group still runs 10 s after SIGKILL";
}

std::string Said(const ClockSetting& setting) {
  char line[96];
  std::snprintf(line, sizeof line, "clock %.9f %.9f", setting.offset_s, setting.rate);
  return line;
}

std::string Clock(const std::string& args) {
  if (!g_clock) return "error the node runs without libfaketime (no --clock)";
  if (args == "reset") {
    Result<ClockSetting> before = g_clock->Reset();
    return before.ok() ? Said(*before) : "error " + before.message();
  }
  char* end = nullptr;
  const double step = std::strtod(args.c_str(), &end);
  const double rate = std::strtod(end, &end);
  if (end == args.c_str() || !(rate > 0)) return "error clock takes STEP RATE (RATE > 0)";
  // A node that does not read time through libfaketime would have the fault counted, not felt.
  if (Status s = jepsen::systems::CheckPreloaded(g_child); !s.ok()) return "error " + s.message();
  Result<ClockSetting> now = g_clock->Change(step, rate);
  return now.ok() ? Said(*now) : "error " + now.message();
}

// Runs `nft -f -` on `script`, answered once it exits.
std::string Nft(const std::string& script) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
    return std::string("error pipe: ") + std::strerror(errno);
  }
  const pid_t nft = ::fork();
  if (nft < 0) return std::string("error fork: ") + std::strerror(errno);
  if (nft == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(out[1], STDERR_FILENO);
    ::execlp("nft", "nft", "-f", "-", nullptr);
    std::fprintf(stderr, "cannot run nft: %s\n", std::strerror(errno));
    _exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  size_t done = 0;
  while (done < script.size()) {
    const ssize_t n = ::write(in[1], script.data() + done, script.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(in[1]);
  std::string said;
  char buffer[512];
  for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    said.append(buffer, static_cast<size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(nft, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "done";
  for (char& c : said) c = c == '\n' ? ' ' : c;
  return "error nft: " + said;
}

std::string Control(const std::string& command) {
  if (g_control.empty()) return "error no jepsen-diskfs here (no --control)";
  Result<std::string> reply = jepsen::diskfs::SendControl(g_control, command, kControlMs);
  return reply.ok() ? "reply " + *reply : "error " + reply.message();
}

// Detaches the filesystem first: gone from the tree even with files still open, so
// nothing is left mounted once its process is killed.
void Exit() {
  if (!g_unmount.empty()) ::umount2(g_unmount.c_str(), MNT_DETACH);
  Kill();
  for (const std::string& table : g_tables) {
    const pid_t nft = ::fork();
    if (nft == 0) {
      const int null = ::open("/dev/null", O_RDWR);
      for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) ::dup2(null, fd);
      ::execlp("nft", "nft", "delete", "table", "inet", table.c_str(), nullptr);
      _exit(127);
    }
    while (nft > 0 && ::waitpid(nft, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

// Every descendant of `pid`, parents first: /proc's children lists of each of its threads.
std::vector<pid_t> Descendants(pid_t pid) {
  std::vector<pid_t> found;
  std::error_code error;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", error)) {
    std::ifstream children(task.path() / "children");
    for (pid_t child; children >> child;) {
      found.push_back(child);
      for (pid_t below : Descendants(child)) found.push_back(below);
    }
  }
  return found;
}

// SIGSTOP or SIGCONT to the group and to every descendant outside it (PostgreSQL puts each
// backend in a session of its own: a pause of the group alone would leave them serving),
// answered once its leader has stopped or continued (or exited): a pause the run counts has
// happened.
std::string Signal(int sig, const char* done) {
  if (g_child == 0) return "down";
  ::kill(-g_child, sig);  // first: a stopped leader starts no more children
  for (pid_t pid : Descendants(g_child)) ::kill(pid, sig);
  siginfo_t info{};
  const int until = (sig == SIGSTOP ? WSTOPPED : WCONTINUED) | WEXITED | WNOWAIT;
  while (::waitid(P_PID, static_cast<id_t>(g_child), &info, until) != 0 && errno == EINTR) {
  }
  return done;
}

}  // namespace

int main(int argc, char** argv) {
  int i = 1;
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--log" && i + 1 < argc) {
      g_log = argv[++i];
    } else if (a == "--cwd" && i + 1 < argc) {
      g_cwd = argv[++i];
    } else if (a == "--clock" && i + 1 < argc) {
      Result<std::unique_ptr<FakeClock>> clock = FakeClock::Make(argv[++i]);
      if (clock.ok()) {
        g_clock = std::move(*clock);
      } else {
        g_setup_error = "clock faults: " + clock.message();
      }
    } else if (a == "--unmount" && i + 1 < argc) {
      g_unmount = argv[++i];
    } else if (a == "--control" && i + 1 < argc) {
      g_control = argv[++i];
    } else if (a == "--nft-table" && i + 1 < argc) {
      g_tables.push_back(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: jepsen-keeper [--log FILE] [--cwd DIR] [--clock FILE] [--unmount PATH] "
                   "[--control ADDRESS] [--nft-table NAME]... -- COMMAND [ARGS...]\n");
      return 2;
    }
  }
  for (; i < argc; ++i) g_argv.push_back(argv[i]);
  if (g_argv.empty()) {
    std::fprintf(stderr, "jepsen-keeper: no command\n");
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t blocked;
  sigemptyset(&blocked);
  for (int s : {SIGCHLD, SIGHUP, SIGTERM, SIGINT}) sigaddset(&blocked, s);
  ::sigprocmask(SIG_BLOCK, &blocked, nullptr);
  const int signals = ::signalfd(-1, &blocked, SFD_CLOEXEC);
  std::string input;
  bool open = true;
  while (open) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {signals, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo info;
      while (::read(signals, &info, sizeof info) < 0 && errno == EINTR) {
      }
      if (info.ssi_signo == SIGCHLD) {
        Reap();
      } else {
        break;  // SIGHUP, SIGTERM, SIGINT: the session is going
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buffer[512];
      const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // the session is gone
      input.append(buffer, static_cast<size_t>(n));
      for (size_t end; (end = input.find('\n')) != std::string::npos;) {
        const std::string command = input.substr(0, end);
        input.erase(0, end + 1);
        Reap();  // an exit not yet seen is told before the answer
        if (command == "start") {
          Say(Start(blocked));
        } else if (command == "kill") {
          Say(Kill());
        } else if (command == "stop") {
          Say(Signal(SIGSTOP, "stopped"));
        } else if (command == "cont") {
          Say(Signal(SIGCONT, "continued"));
        } else if (command == "status") {
          Say(g_child != 0 ? "running " + std::to_string(g_child) : std::string("down"));
        } else if (command == "recent") {
          Say(Recent());
        } else if (command.rfind("clock ", 0) == 0) {
          Say(Clock(command.substr(6)));
        } else if (command.rfind("control ", 0) == 0) {
          Say(Control(command.substr(8)));
        } else if (command.rfind("nft ", 0) == 0) {
          Say(Nft(jepsen::systems::remote::UnescapeLine(command.substr(4))));
        } else if (command == "exit") {
          open = false;
          break;
        } else {
          Say("error unknown command '" + command + "'");
        }
      }
    }
  }
  Exit();
  return 0;
}
