// jepsen-keeper: the supervisor of one node on a remote host, started there
// over SSH by the run (docs/remote-hosts.md). It keeps the node's command as
// its child, in a process group of its own, and acts on it as the run asks on
// stdin, one command per line, answering each on stdout with one line:
//
//   start   "started <pid>", "running <pid>" if it runs, "error <why>"
//   kill    SIGKILL to the group; "killed" once the command is reaped, "down" if not running
//   stop    SIGSTOP to the group; "stopped" ("down" if not running)
//   cont    SIGCONT to the group; "continued" ("down" if not running)
//   status  "running <pid>" or "down"
//   recent  "recent <text>": the log's last ~2 KB since the last start, newlines as \n
//
// and, unasked, "exited <code> <signal>" when the command exits on its own.
// When its input ends (the SSH session is gone: the run ended or died, or the
// connection broke) or on SIGHUP/SIGTERM, it kills the group and exits, so
// nothing of the run outlives it on the host.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::vector<std::string> g_argv;  // the command
std::string g_log = "/dev/null";
std::string g_cwd;
pid_t g_child = 0;      // 0: down
off_t g_log_start = 0;  // the log's size at the last start
bool g_killing = false;

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
  std::string line = "recent ";
  for (char c : text) {
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\\') {
      line += "\\\\";
    } else {
      line += c;
    }
  }
  return line;
}

std::string Kill() {
  if (g_child == 0) return "down";
  ::kill(-g_child, SIGKILL);
  ::kill(-g_child, SIGCONT);  // a stopped group dies only once it runs
  g_killing = true;
  int status = 0;
  while (::waitpid(g_child, &status, 0) < 0 && errno == EINTR) {
  }
  g_child = 0;
  g_killing = false;
  return "killed";
}

// SIGSTOP or SIGCONT to the group, answered once its leader has stopped or
// continued (or exited): a pause the run counts has happened.
std::string Signal(int sig, const char* done) {
  if (g_child == 0) return "down";
  ::kill(-g_child, sig);
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
    } else {
      std::fprintf(stderr, "usage: jepsen-keeper [--log FILE] [--cwd DIR] -- COMMAND [ARGS...]\n");
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
        } else if (command == "exit") {
          open = false;
          break;
        } else {
          Say("error unknown command '" + command + "'");
        }
      }
    }
  }
  Kill();
  return 0;
}
