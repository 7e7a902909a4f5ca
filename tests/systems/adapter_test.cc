// The exec client adapter as a fault target (system=exec without node-cmd): a
// restart that comes before the killed adapter's exit is reaped must not be lost.
#include "systems/exec/adapter.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <uv.h>

#include <filesystem>
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

  void MakeAdapter() {
    const std::string log =
        (std::filesystem::path(::testing::TempDir()) / "adapter_test.log").string();
    adapter_ = std::make_unique<Adapter>(&loop_, kEchoAdapter, log,
                                         Json{{"workload", "register"}, {"nodes", Json::array()}});
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

}  // namespace
}  // namespace jepsen::systems::exec
