// Process: kill and restart of a supervised child, including a restart that
// comes before the killed child's exit has been reaped.
#include "systems/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <uv.h>

#include <chrono>
#include <filesystem>

namespace jepsen::systems {
namespace {

bool Alive(int pid) { return pid > 0 && ::kill(pid, 0) == 0; }

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

TEST_F(ProcessTest, StartOfARunningProcessIsANoOp) {
  Process p(&loop_, Sleeper());
  ASSERT_TRUE(p.Start().ok());
  const int pid = p.pid();
  ASSERT_TRUE(p.Start().ok());
  EXPECT_EQ(p.pid(), pid);
  p.Kill();
  ASSERT_TRUE(RunUntil([&] { return !p.running(); }));
}

}  // namespace
}  // namespace jepsen::systems
