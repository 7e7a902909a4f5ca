// The exec client adapter as a fault target (system=exec without node-cmd): a
// restart that comes before the killed adapter's exit is reaped must not be
// lost. An adapter that stops reading, floods us, or exits before init_ok
// must not take the run down with it.
#include "systems/exec/adapter.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <uv.h>

#include <filesystem>
#include <fstream>
#include <optional>

namespace jepsen::systems::exec {
namespace {

// Answers init_ok, then every request ok with the value 1.
constexpr char kEchoAdapter[] =
    "python3 -u -c 'import json, sys\n"
    "for line in sys.stdin:\n"
    "    r = json.loads(line)\n"
    "    if r.get(\"type\") == \"init\": print(json.dumps({\"type\": \"init_ok\"}), flush=True)\n"
    "    else: print(json.dumps({\"id\": r[\"id\"], \"type\": \"ok\", \"value\": 1}), flush=True)\n"
    "'";

class AdapterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(uv_loop_init(&loop_), 0); }
  void TearDown() override {
    adapter_->Shutdown();
    adapter_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  void MakeAdapter(const std::string& command = kEchoAdapter) {
    adapter_ = std::make_unique<Adapter>(&loop_, command, Log(),
                                         Json{{"workload", "register"}, {"nodes", Json::array()}});
  }

  static std::string Log() {
    return (std::filesystem::path(::testing::TempDir()) / "adapter_test.log").string();
  }

  // Sends one read and turns the loop until it completes (or five seconds pass).
  std::optional<history::EventType> RoundTrip() {
    std::optional<history::EventType> outcome;
    adapter_->Invoke(1, Request{"read", "k", nullptr, 1}, [&](Completion c) { outcome = c.type; });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!outcome && std::chrono::steady_clock::now() < deadline) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      uv_sleep(5);
    }
    return outcome;
  }

  uv_loop_t loop_;
  std::unique_ptr<Adapter> adapter_;
};

TEST_F(AdapterTest, AnswersAfterInit) {
  MakeAdapter();
  ASSERT_TRUE(adapter_->Start().ok());
  ASSERT_TRUE(adapter_->AwaitReady(10).ok());
  EXPECT_EQ(RoundTrip(), history::EventType::kOk);
}

TEST_F(AdapterTest, RestartBeforeTheKillIsReapedStillHappens) {
  MakeAdapter();
  ASSERT_TRUE(adapter_->Start().ok());
  ASSERT_TRUE(adapter_->AwaitReady(10).ok());
  adapter_->Kill();
  ASSERT_TRUE(adapter_->Start().ok());  // the loop has not turned: the exit is not reaped yet
  // The first op goes to the dying adapter (it still looks ready) and ends info when its exit
  // is reaped; the restarted adapter answers the next one.
  EXPECT_EQ(RoundTrip(), history::EventType::kInfo);
  EXPECT_EQ(RoundTrip(), history::EventType::kOk);
  EXPECT_TRUE(adapter_->running());
}

TEST_F(AdapterTest, AKilledAdapterStaysDownUntilStarted) {
  MakeAdapter();
  ASSERT_TRUE(adapter_->Start().ok());
  ASSERT_TRUE(adapter_->AwaitReady(10).ok());
  adapter_->Kill();
  for (int i = 0; i < 100 && adapter_->running(); ++i) {
    uv_run(&loop_, UV_RUN_NOWAIT);
    uv_sleep(5);
  }
  EXPECT_FALSE(adapter_->running());
  ASSERT_TRUE(adapter_->Start().ok());
  EXPECT_EQ(RoundTrip(), history::EventType::kOk);
}

// An adapter that answered init_ok and then closed its stdin: our requests meet a pipe with no
// reader. That must be EPIPE, never SIGPIPE killing the run (run in a child: SIGPIPE as it is
// by default, so that the Adapter itself must see to it).
TEST(AdapterPipes, WritingToAnAdapterThatStoppedReadingDoesNotKillUs) {
  EXPECT_EXIT(
      {
        ::signal(SIGPIPE, SIG_DFL);
        uv_loop_t loop;
        uv_loop_init(&loop);
        Adapter adapter(&loop,
                        "sh -c 'read init; echo \"{\\\"type\\\": \\\"init_ok\\\"}\"; "
                        "exec 0<&-; exec sleep 30'",
                        (std::filesystem::path(::testing::TempDir()) / "adapter_test.log").string(),
                        Json{{"workload", "register"}, {"nodes", Json::array()}});
        if (!adapter.Start().ok() || !adapter.AwaitReady(10).ok()) _exit(3);
        uv_sleep(200);  // it has closed its stdin by now
        for (int i = 0; i < 200; ++i) {
          adapter.Invoke(1, Request{"read", "k", nullptr, 1}, [](Completion) {});
          uv_run(&loop, UV_RUN_NOWAIT);
        }
        _exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

// The first instance answers init_ok, then floods us with a line that never ends; a restarted
// one (the marker file exists) is the echo adapter.
TEST_F(AdapterTest, ALineThatNeverEndsBreaksTheAdapterWhichRestarts) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("adapter-flood-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string marker = (dir / "started-once").string();
  const std::string script = (dir / "adapter.sh").string();
  std::ofstream(script) << "if [ -e " << marker << " ]; then exec " << kEchoAdapter << "; fi\n"
                        << "touch " << marker << "\n"
                        << "read init\n"
                        << "echo '{\"type\": \"init_ok\"}'\n"
                        << "read request\n"
                        << "head -c 4000000 /dev/zero | tr '\\000' x\n"
                        << "exec sleep 30\n";
  MakeAdapter("sh " + script);
  ASSERT_TRUE(adapter_->Start().ok());
  ASSERT_TRUE(adapter_->AwaitReady(10).ok());
  std::optional<Completion> flooded;
  adapter_->Invoke(1, Request{"read", "k", nullptr, 1}, [&](Completion c) { flooded = c; });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!flooded && std::chrono::steady_clock::now() < deadline) {
    uv_run(&loop_, UV_RUN_NOWAIT);
    uv_sleep(5);
  }
  ASSERT_TRUE(flooded) << "the op in flight must end when the adapter is found broken";
  EXPECT_EQ(flooded->type, history::EventType::kInfo);
  EXPECT_NE(flooded->error.find("without a newline"), std::string::npos) << flooded->error;
  // Restarted, it serves again.
  std::optional<history::EventType> next;
  for (int i = 0; i < 20 && next != history::EventType::kOk; ++i) next = RoundTrip();
  EXPECT_EQ(next, history::EventType::kOk);
  std::ifstream log(Log());
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("without a newline; killing it"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// An adapter that crashes is started again by its process's restart policy; an op invoked
// while it is down waits for the new one instead of failing.
TEST_F(AdapterTest, ACrashedAdapterRestartsAndOpsWaitForIt) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("adapter-crash-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string marker = (dir / "started-once").string();
  const std::string script = (dir / "adapter.sh").string();
  std::ofstream(script) << "if [ -e " << marker << " ]; then exec " << kEchoAdapter << "; fi\n"
                        << "touch " << marker << "\n"
                        << "read init\n"
                        << "echo '{\"type\": \"init_ok\"}'\n"
                        << "read request\n"
                        << "exit 1\n";
  MakeAdapter("sh " + script);
  ASSERT_TRUE(adapter_->Start().ok());
  ASSERT_TRUE(adapter_->AwaitReady(10).ok());
  std::optional<Completion> crashed, waited;
  adapter_->Invoke(1, Request{"read", "k", nullptr, 1}, [&](Completion c) {
    crashed = c;
    // Down now, a restart due: this one must wait for it.
    adapter_->Invoke(2, Request{"read", "k", nullptr, 2}, [&](Completion d) { waited = d; });
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!waited && std::chrono::steady_clock::now() < deadline) {
    uv_run(&loop_, UV_RUN_NOWAIT);
    uv_sleep(5);
  }
  ASSERT_TRUE(crashed);
  EXPECT_EQ(crashed->type, history::EventType::kInfo);
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->type, history::EventType::kOk) << waited->error;
  std::filesystem::remove_all(dir);
}

// An adapter that dies before init_ok is reported at once, with what it said, not after the
// whole timeout as one that "did not answer".
TEST_F(AdapterTest, AnAdapterThatExitsBeforeInitOkIsReportedAtOnce) {
  MakeAdapter("sh -c 'echo \"adapter: cannot reach the database\" >&2; exit 2'");
  ASSERT_TRUE(adapter_->Start().ok());
  const auto began = std::chrono::steady_clock::now();
  Status ready = adapter_->AwaitReady(10);
  ASSERT_FALSE(ready.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(5));
  EXPECT_NE(ready.message().find("status 2"), std::string::npos) << ready.message();
  EXPECT_NE(ready.message().find("cannot reach the database"), std::string::npos)
      << ready.message();
}

}  // namespace
}  // namespace jepsen::systems::exec
