// Process: kill and restart of a supervised child, including a restart that
// comes before the killed child's exit has been reaped; signals reach the
// child's whole process group; nothing it started outlives it, or its owner.
#include "systems/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

namespace jepsen::systems {
namespace {

bool Alive(int pid) { return pid > 0 && ::kill(pid, 0) == 0; }

// The live (not zombie) members of process group `group`, with their states ('S', 'T', ...).
std::map<int, char> GroupMembers(int group) {
  std::map<int, char> members;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 2));
    char state = 0;
    int ppid = 0, pgrp = 0;
    fields >> state >> ppid >> pgrp;
    if (pgrp == group && state != 'Z' && state != 'X') members[std::stoi(name)] = state;
  }
  return members;
}

// A shell in the group with a background child of its own: two members at least.
// `then` should not fork a foreground child: dash vforks it, and a vfork parent
// waits uninterruptibly ('D', never 'T') while its child is stopped.
ProcessSpec WithBackgroundChild(const std::string& then) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "sleep 30 & " + then};
  spec.log_path = (std::filesystem::path(::testing::TempDir()) / "process_test.log").string();
  return spec;
}

bool Eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(uv_loop_init(&loop_), 0); }
  void TearDown() override {
    uv_run(&loop_, UV_RUN_DEFAULT);  // reap and close everything
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  ProcessSpec Sleeper() const {
    ProcessSpec spec;
    spec.argv = {"/bin/sleep", "30"};
    spec.log_path = (std::filesystem::path(::testing::TempDir()) / "process_test.log").string();
    return spec;
  }

  // Turns the loop until `done` holds or five seconds pass.
  template <typename Done>
  bool RunUntil(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      uv_sleep(5);
    }
    return done();
  }

  uv_loop_t loop_;
};

TEST_F(ProcessTest, KillIsReapedAndReported) {
  Process p(&loop_, Sleeper());
  int exits = 0, last_signal = 0;
  p.OnExit([&](int64_t, int signal) {
    ++exits;
    last_signal = signal;
  });
  ASSERT_TRUE(p.Start().ok());
  const int pid = p.pid();
  EXPECT_TRUE(Alive(pid));
  p.Kill();
  ASSERT_TRUE(RunUntil([&] { return exits == 1; }));
  EXPECT_EQ(last_signal, SIGKILL);
  EXPECT_FALSE(p.running());
  EXPECT_FALSE(Alive(pid));  // reaped, not a zombie
}

TEST_F(ProcessTest, RestartBeforeTheKillIsReapedStillHappens) {
  Process p(&loop_, Sleeper());
  int exits = 0;
  p.OnExit([&](int64_t, int) { ++exits; });
  ASSERT_TRUE(p.Start().ok());
  const int first = p.pid();
  p.Kill();
  ASSERT_TRUE(p.Start().ok());  // the loop has not turned: the exit is not reaped yet
  ASSERT_TRUE(RunUntil([&] { return exits == 1 && p.running(); }));
  EXPECT_NE(p.pid(), first);
  EXPECT_TRUE(Alive(p.pid()));
  const int second = p.pid();
  p.Kill();
  ASSERT_TRUE(RunUntil([&] { return exits == 2; }));
  EXPECT_FALSE(Alive(second));
}

// Overlapping faults: a node killed while paused, whose pause still holds, is restarted and
// paused again at once; when the restart waits for the kill to be reaped, so must the pause.
TEST_F(ProcessTest, APauseBetweenAKillAndItsReapHoldsForTheRestart) {
  Process p(&loop_, Sleeper());
  int exits = 0;
  p.OnExit([&](int64_t, int) { ++exits; });
  ASSERT_TRUE(p.Start().ok());
  const int first = p.pid();
  p.Kill();
  ASSERT_TRUE(p.Start().ok());  // not reaped yet: the restart waits for it
  p.Pause();
  ASSERT_TRUE(RunUntil([&] { return exits == 1 && p.running() && p.pid() != first; }));
  EXPECT_TRUE(p.paused());
  const int second = p.pid();
  EXPECT_TRUE(Eventually([&] {
    auto members = GroupMembers(second);
    return !members.empty() && members.begin()->second == 'T';
  })) << "the restarted process is stopped";
  p.Resume();
  EXPECT_TRUE(Eventually([&] {
    auto members = GroupMembers(second);
    return !members.empty() && members.begin()->second != 'T';
  }));
  p.Kill();
  ASSERT_TRUE(RunUntil([&] { return exits == 2; }));
}

TEST_F(ProcessTest, KillAfterAPendingRestartCancelsIt) {
  Process p(&loop_, Sleeper());
  int exits = 0;
  p.OnExit([&](int64_t, int) { ++exits; });
  ASSERT_TRUE(p.Start().ok());
  p.Kill();
  ASSERT_TRUE(p.Start().ok());
  p.Kill();
  ASSERT_TRUE(RunUntil([&] { return exits == 1; }));
  for (int i = 0; i < 20; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_FALSE(p.running());
  EXPECT_EQ(exits, 1);
}

// The restart policy: a crash is followed by a new start after the delay; what the run asked for
// (Kill) is not, and a Kill cancels a restart that is due.
TEST_F(ProcessTest, ACrashIsRestartedAfterThePolicysDelay) {
  const std::string flag = ::testing::TempDir() + "/process-crashed-" + std::to_string(::getpid());
  std::filesystem::remove(flag);
  ProcessSpec spec = Sleeper();
  spec.argv = {"/bin/sh", "-c",
               "test -e " + flag + " && exec sleep 30; touch " + flag + "; exit 3"};
  spec.restart_after_ms = 150;
  Process p(&loop_, spec);
  int starts = 0;
  uint64_t exited_at = 0, restarted_at = 0;
  p.OnStart([&] {
    if (++starts == 2) restarted_at = uv_hrtime();
  });
  int64_t first_status = -1;
  p.OnExit([&](int64_t status, int) {
    if (exited_at != 0) return;  // the kill at the end
    first_status = status;
    exited_at = uv_hrtime();
  });
  ASSERT_TRUE(p.Start().ok());
  ASSERT_TRUE(RunUntil([&] { return exited_at != 0; }));
  EXPECT_EQ(first_status, 3);
  EXPECT_FALSE(p.running());
  EXPECT_TRUE(p.restarting());
  ASSERT_TRUE(RunUntil([&] { return starts == 2; }));
  EXPECT_TRUE(p.running());
  EXPECT_FALSE(p.restarting());
  EXPECT_GE(restarted_at - exited_at, 140'000'000u);
  p.Kill();
  ASSERT_TRUE(RunUntil([&] { return !p.running(); }));
  uv_sleep(300);
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_FALSE(p.running()) << "a kill was restarted";
  EXPECT_EQ(starts, 2);
  std::filesystem::remove(flag);
}

TEST_F(ProcessTest, WithoutAPolicyACrashStaysDown) {
  ProcessSpec spec = Sleeper();
  spec.argv = {"/bin/sh", "-c", "exit 1"};
  Process p(&loop_, spec);
  int starts = 0;
  p.OnStart([&] { ++starts; });
  ASSERT_TRUE(p.Start().ok());
  ASSERT_TRUE(RunUntil([&] { return !p.running(); }));
  EXPECT_FALSE(p.restarting());
  uv_sleep(100);
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_EQ(starts, 1);
}

TEST_F(ProcessTest, KillCancelsARestartThatIsDue) {
  ProcessSpec spec = Sleeper();
  spec.argv = {"/bin/sh", "-c", "exit 1"};
  spec.restart_after_ms = 200;
  Process p(&loop_, spec);
  int starts = 0;
  p.OnStart([&] { ++starts; });
  ASSERT_TRUE(p.Start().ok());
  ASSERT_TRUE(RunUntil([&] { return p.restarting(); }));
  p.Kill();  // the run wants it down
  EXPECT_FALSE(p.restarting());
  uv_sleep(400);
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_EQ(starts, 1);
  EXPECT_FALSE(p.running());
}

TEST_F(ProcessTest, KillAndRestartStartsItAgain) {
  ProcessSpec spec = Sleeper();
  spec.restart_after_ms = 50;
  Process p(&loop_, spec);
  int starts = 0;
  p.OnStart([&] { ++starts; });
  ASSERT_TRUE(p.Start().ok());
  const int first = p.pid();
  p.KillAndRestart();
  EXPECT_TRUE(p.restarting());
  ASSERT_TRUE(RunUntil([&] { return starts == 2; }));
  EXPECT_TRUE(p.running());
  EXPECT_NE(p.pid(), first);
  EXPECT_FALSE(Alive(first));
  p.Kill();
}

TEST_F(ProcessTest, StartOfARunningProcessIsANoOp) {
  Process p(&loop_, Sleeper());
  ASSERT_TRUE(p.Start().ok());
  const int pid = p.pid();
  ASSERT_TRUE(p.Start().ok());
  EXPECT_EQ(p.pid(), pid);
  p.Kill();
  ASSERT_TRUE(RunUntil([&] { return !p.running(); }));
}

TEST_F(ProcessTest, KillAndPauseActOnTheWholeGroup) {
  Process p(&loop_, WithBackgroundChild("exec sleep 30"));
  int exits = 0;
  p.OnExit([&](int64_t, int) { ++exits; });
  ASSERT_TRUE(p.Start().ok());
  const int group = p.pid();
  ASSERT_TRUE(Eventually([&] { return GroupMembers(group).size() >= 2; }))
      << "the command and its background child share a group of their own";
  p.Pause();
  EXPECT_TRUE(Eventually([&] {
    for (auto [pid, state] : GroupMembers(group)) {
      if (state != 'T') return false;
    }
    return true;
  })) << "every member stopped";
  p.Resume();
  EXPECT_TRUE(Eventually([&] {
    for (auto [pid, state] : GroupMembers(group)) {
      if (state == 'T') return false;
    }
    return true;
  })) << "every member running again";
  p.Kill();
  ASSERT_TRUE(RunUntil([&] { return exits == 1; }));
  EXPECT_TRUE(Eventually([&] { return GroupMembers(group).empty(); }))
      << "the background child died with the command";
}

TEST_F(ProcessTest, AnExitKillsWhatTheCommandLeftBehindAndKeepsItsStatus) {
  Process p(&loop_, WithBackgroundChild("exit 3"));
  int64_t status = -1;
  int signal = -1;
  p.OnExit([&](int64_t s, int sig) {
    status = s;
    signal = sig;
  });
  ASSERT_TRUE(p.Start().ok());
  const int group = p.pid();
  ASSERT_TRUE(RunUntil([&] { return status >= 0; }));
  EXPECT_EQ(status, 3);
  EXPECT_EQ(signal, 0);
  EXPECT_TRUE(Eventually([&] { return GroupMembers(group).empty(); }));
}

TEST_F(ProcessTest, AProgramThatCannotBeExecutedIsAnErrorNamingIt) {
  ProcessSpec spec = Sleeper();
  spec.argv = {"/nonexistent/jepsen-node"};
  Process p(&loop_, spec);
  Status s = p.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/jepsen-node"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("No such file"), std::string::npos) << s.message();
  EXPECT_FALSE(p.running());
}

TEST_F(ProcessTest, RecentOutputIsWhatTheCommandWroteLast) {
  ProcessSpec spec = Sleeper();
  spec.argv = {"/bin/sh", "-c", "echo first; echo 'cannot bind 127.0.0.1:1: in use' >&2; exit 1"};
  Process p(&loop_, spec);
  bool exited = false;
  p.OnExit([&](int64_t, int) { exited = true; });
  ASSERT_TRUE(p.Start().ok());
  ASSERT_TRUE(RunUntil([&] { return exited; }));
  EXPECT_NE(p.RecentOutput().find("cannot bind 127.0.0.1:1: in use"), std::string::npos)
      << p.RecentOutput();
}

TEST_F(ProcessTest, TheCommandGetsItsOwnEnvironmentOnTopOfTheRuns) {
  ::setenv("JEPSEN_PROCESS_TEST_KEPT", "kept", 1);
  ::setenv("JEPSEN_PROCESS_TEST_REPLACED", "old", 1);
  ProcessSpec spec = Sleeper();
  spec.argv = {"/bin/sh", "-c",
               "echo \"env: $JEPSEN_PROCESS_TEST_KEPT $JEPSEN_PROCESS_TEST_REPLACED "
               "$JEPSEN_PROCESS_TEST_ADDED\"; exit 0"};
  spec.env = {"JEPSEN_PROCESS_TEST_REPLACED=new", "JEPSEN_PROCESS_TEST_ADDED=added"};
  Process p(&loop_, spec);
  bool exited = false;
  p.OnExit([&](int64_t, int) { exited = true; });
  ASSERT_TRUE(p.Start().ok());
  ASSERT_TRUE(RunUntil([&] { return exited; }));
  EXPECT_NE(p.RecentOutput().find("env: kept new added"), std::string::npos) << p.RecentOutput();
  ::unsetenv("JEPSEN_PROCESS_TEST_KEPT");
  ::unsetenv("JEPSEN_PROCESS_TEST_REPLACED");
}

// kill -9 of the owner: its keeper kills the command's group, background children too.
TEST(ProcessOwner, ItsDeathKillsTheWholeGroup) {
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  const pid_t owner = ::fork();
  ASSERT_GE(owner, 0);
  if (owner == 0) {
    uv_loop_t loop;
    uv_loop_init(&loop);
    Process p(&loop, WithBackgroundChild("exec sleep 30"));
    const int group = p.Start().ok() ? p.pid() : 0;
    (void)!::write(report[1], &group, sizeof group);
    ::pause();
    _exit(0);
  }
  ::close(report[1]);
  int group = 0;
  ASSERT_EQ(::read(report[0], &group, sizeof group), static_cast<ssize_t>(sizeof group));
  ::close(report[0]);
  ASSERT_GT(group, 0);
  ASSERT_TRUE(Eventually([&] { return GroupMembers(group).size() >= 2; }));
  ASSERT_EQ(::kill(owner, SIGKILL), 0);
  ASSERT_EQ(::waitpid(owner, nullptr, 0), owner);
  EXPECT_TRUE(Eventually([&] { return GroupMembers(group).empty(); }))
      << "left running after their owner died: " << GroupMembers(group).size();
}

}  // namespace
}  // namespace jepsen::systems
