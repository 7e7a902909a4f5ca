// system=redis against real redis-server processes, below the runner: each op
// of the refstore protocol's table does what the table says through the
// hiredis client (the Lua scripts included, fenced and unfenced), a node that
// is down fails ops without sending them while one lost after sending is
// info, WAIT makes a write that reached too few replicas info, and a node's
// faked clock (libfaketime) really runs Redis' expiry.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include "systems/clock/fake_clock.h"
#include "systems/redis/redis_client.h"
#include "systems/redis/redis_system.h"

namespace jepsen::systems::redis {
namespace {

using history::EventType;

bool HaveRedis() { return FindRedisServer().ok(); }

class RedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveRedis()) GTEST_SKIP() << "redis-server is not installed (scripts/bootstrap.sh)";
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("redis_test." + std::to_string(::getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HaveRedis()) return;
    clients_.clear();
    if (system_) system_->Teardown();
    system_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);  // reaps the nodes
    EXPECT_EQ(uv_loop_close(&loop_), 0);
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void Start(const std::string& workload, RedisSystem::Options options, bool clocks = false) {
    system_ = std::make_unique<RedisSystem>(options);
    SetupContext context;
    context.loop = &loop_;
    context.workload = workload;
    context.data_dir = (dir_ / "data").string();
    context.log_path = (dir_ / "run.log").string();
    context.clocks = clocks;
    ASSERT_TRUE(system_->Setup(context).ok());
    Status ready = system_->AwaitReady(10);
    ASSERT_TRUE(ready.ok()) << ready.message();
  }

  // Invokes the op and turns the loop until it completes (or `within_ms` pass).
  std::optional<Completion> Do(const std::string& f, const Json& key, const Json& value,
                               int within_ms = 3000) {
    std::optional<Completion> outcome;
    client_->Invoke(Request{f, key, value, 1}, [&](Completion c) { outcome = std::move(c); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(within_ms);
    while (!outcome && std::chrono::steady_clock::now() < deadline) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      uv_sleep(1);
    }
    return outcome;
  }
  EventType Type(const std::string& f, const Json& key, const Json& value) {
    std::optional<Completion> c = Do(f, key, value);
    EXPECT_TRUE(c.has_value()) << f << " never completed";
    return c ? c->type : EventType::kInvoke;
  }
  Json Value(const std::string& f, const Json& key, const Json& value) {
    std::optional<Completion> c = Do(f, key, value);
    EXPECT_TRUE(c && c->type == EventType::kOk) << f << ": " << (c ? c->error : "no completion");
    return c ? c->value : Json();
  }

  uv_loop_t loop_;
  std::filesystem::path dir_;
  std::unique_ptr<RedisSystem> system_;
  std::vector<std::unique_ptr<Client>> clients_;
  Client* client_ = nullptr;
};

// NewClient's clients live in clients_ (destroyed before the loop closes).
#define NEW_CLIENT(system) (clients_.push_back(system->NewClient(0)), clients_.back().get())

TEST_F(RedisTest, RegisterOps) {
  Start("register", {});
  client_ = NEW_CLIENT(system_);
  EXPECT_EQ(Value("read", "x", nullptr), Json(nullptr));
  EXPECT_EQ(Type("write", "x", 1), EventType::kOk);
  EXPECT_EQ(Value("read", "x", nullptr), Json(1));
  EXPECT_EQ(Type("cas", "x", Json::array({1, 2})), EventType::kOk);
  EXPECT_EQ(Type("cas", "x", Json::array({1, 3})), EventType::kFail);
  EXPECT_EQ(Value("read", "x", nullptr), Json(2));
  EXPECT_EQ(Value("read", "y", nullptr), Json(nullptr)) << "keys are apart";
}

TEST_F(RedisTest, LeaseOpsWithFencing) {
  Start("leases", {});
  client_ = NEW_CLIENT(system_);
  const Json t1 = Value("acquire", "r", {{"ttl_ms", 5000}});
  ASSERT_TRUE(t1.is_object()) << t1;
  const int64_t token1 = t1["token"].get<int64_t>();
  EXPECT_EQ(Type("acquire", "r", {{"ttl_ms", 5000}}), EventType::kFail) << "held";
  EXPECT_EQ(Type("write", "r", {{"token", token1}, {"value", 7}}), EventType::kOk);
  EXPECT_EQ(Value("read", "r", nullptr), (Json{{"token", token1}, {"value", 7}}));
  EXPECT_EQ(Type("renew", "r", {{"token", token1 + 100}, {"ttl_ms", 5000}}), EventType::kFail);
  EXPECT_EQ(Type("renew", "r", {{"token", token1}, {"ttl_ms", 5000}}), EventType::kOk);
  EXPECT_EQ(Type("release", "r", {{"token", token1 + 100}}), EventType::kFail);
  EXPECT_EQ(Type("release", "r", {{"token", token1}}), EventType::kOk);
  const Json t2 = Value("acquire", "r", {{"ttl_ms", 5000}});
  ASSERT_TRUE(t2.is_object()) << t2;
  EXPECT_GT(t2["token"].get<int64_t>(), token1) << "tokens only grow";
  EXPECT_EQ(Type("write", "r", {{"token", t2["token"]}, {"value", 8}}), EventType::kOk);
  std::optional<Completion> stale = Do("write", "r", {{"token", token1}, {"value", 9}});
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->type, EventType::kFail);
  EXPECT_EQ(stale->error, "stale token");
  EXPECT_EQ(Value("read", "r", nullptr), (Json{{"token", t2["token"]}, {"value", 8}}));
}

TEST_F(RedisTest, LeaseWritesWithoutFencingTakeAStaleToken) {
  RedisSystem::Options o;
  o.fencing = false;
  Start("leases", o);
  client_ = NEW_CLIENT(system_);
  EXPECT_EQ(Type("write", "r", {{"token", 5}, {"value", 1}}), EventType::kOk);
  EXPECT_EQ(Type("write", "r", {{"token", 2}, {"value", 2}}), EventType::kOk);
  EXPECT_EQ(Value("read", "r", nullptr), (Json{{"token", 2}, {"value", 2}}));
}

TEST_F(RedisTest, LeasesExpireByTheirTtl) {
  Start("leases", {});
  client_ = NEW_CLIENT(system_);
  ASSERT_EQ(Type("acquire", "r", {{"ttl_ms", 100}}), EventType::kOk);
  EXPECT_EQ(Type("acquire", "r", {{"ttl_ms", 100}}), EventType::kFail);
  uv_sleep(150);
  EXPECT_EQ(Type("acquire", "r", {{"ttl_ms", 100}}), EventType::kOk);
}

TEST_F(RedisTest, CheckpointsOnlyOverALowerSeq) {
  Start("checkpoints", {});
  client_ = NEW_CLIENT(system_);
  EXPECT_EQ(Value("read", "s", nullptr), Json(nullptr));
  EXPECT_EQ(Type("checkpoint", "s", {{"seq", 5}, {"data", "a"}}), EventType::kOk);
  EXPECT_EQ(Type("checkpoint", "s", {{"seq", 3}}), EventType::kFail);
  EXPECT_EQ(Type("checkpoint", "s", {{"seq", 5}}), EventType::kFail);
  EXPECT_EQ(Type("checkpoint", "s", {{"seq", 12}}), EventType::kOk) << "as numbers, not text";
  EXPECT_EQ(Value("read", "s", nullptr), (Json{{"seq", 12}}));
}

// A write sent to a paused node that is then killed has an unknown fate: it
// ends `info` -- at once when hiredis sees the connection go, or, since the
// kernel answers a kill with unread data by a reset that hiredis' libuv adapter
// drops, when the next op shows the run gave up on it. Ops while the node is
// down fail: nothing is sent.
TEST_F(RedisTest, ADownNodeFailsOpsAndALostReplyIsInfo) {
  Start("register", {});
  client_ = NEW_CLIENT(system_);
  ASSERT_EQ(Type("write", "x", 1), EventType::kOk);
  ASSERT_TRUE(system_->Pause("n1").ok());
  std::optional<Completion> lost;
  client_->Invoke(Request{"write", "x", 2, 1}, [&](Completion c) { lost = std::move(c); });
  for (int i = 0; i < 50; ++i) uv_run(&loop_, UV_RUN_NOWAIT), uv_sleep(2);
  EXPECT_FALSE(lost) << "a paused node answers nothing";
  ASSERT_TRUE(system_->Kill("n1").ok());
  for (int i = 0; i < 50; ++i) uv_run(&loop_, UV_RUN_NOWAIT), uv_sleep(2);
  if (lost) {
    EXPECT_EQ(lost->type, EventType::kInfo) << lost->error;
  }
  std::optional<Completion> refused = Do("write", "x", 3);
  ASSERT_TRUE(lost) << "the next op ends the one given up on";
  EXPECT_EQ(lost->type, EventType::kInfo) << lost->error;
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->type, EventType::kFail) << refused->error;
  EXPECT_EQ(refused->error.rfind("not connected", 0), 0u) << refused->error;
  // Back: the client connects again.
  ASSERT_TRUE(system_->Restart("n1").ok());
  Status healthy = system_->AwaitHealthy(10);
  ASSERT_TRUE(healthy.ok()) << healthy.message();
  EXPECT_EQ(Type("write", "x", 4), EventType::kOk);
  EXPECT_EQ(Value("read", "x", nullptr), Json(4));
}

TEST_F(RedisTest, WaitMakesAWriteFewerReplicasTookInfo) {
  RedisSystem::Options o;
  o.nodes = 2;
  o.wait = 1;
  Start("register", o);
  client_ = NEW_CLIENT(system_);
  std::optional<Completion> first = Do("write", "x", 1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->type, EventType::kOk) << first->error;
  EXPECT_EQ(Value("read", "x", nullptr), Json(1));
  ASSERT_TRUE(system_->Pause("n2").ok());
  std::optional<Completion> c = Do("write", "x", 2);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->type, EventType::kInfo);
  EXPECT_NE(c->error.find("WAIT reached 0 of 1"), std::string::npos) << c->error;
  ASSERT_TRUE(system_->Resume("n2").ok());
}

// Debian's redis-server links jemalloc, which calls clock_gettime() while
// libfaketime initializes; libfaketime then gives up and the server never
// serves (wolfcw/libfaketime#130). So system=redis offers no clock faults and
// says why. Should a redis-server start under libfaketime one day, this fails:
// then offer Clocks (and test that its expiry follows the faked clock).
TEST_F(RedisTest, NoClockFaultsRedisServerDoesNotRunUnderLibfaketime) {
  if (!LibFaketime().ok()) GTEST_SKIP() << LibFaketime().message();
  SetupContext context;
  context.clocks = true;
  const Abilities a = RedisSystem({}).abilities(context);
  EXPECT_FALSE(a.offers(Clocks::kName));
  ASSERT_EQ(a.why_not.count(Clocks::kName), 1u);
  EXPECT_NE(a.why_not.at(Clocks::kName).find("jemalloc"), std::string::npos);

  system_ = std::make_unique<RedisSystem>(RedisSystem::Options{});
  context.loop = &loop_;
  context.workload = "leases";
  context.data_dir = (dir_ / "data").string();
  context.log_path = (dir_ / "run.log").string();
  ASSERT_TRUE(system_->Setup(context).ok());
  EXPECT_FALSE(system_->AwaitReady(2).ok()) << "redis-server serves under libfaketime now";
}

// A listener whose accept queue is full: the kernel drops further SYNs, so a
// connection to it never comes up (as one into a partition).
class Blackhole {
 public:
  Blackhole() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), length), 0);
    EXPECT_EQ(::listen(listener_, 0), 0);
    EXPECT_EQ(::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &length), 0);
    port_ = ntohs(addr.sin_port);
    // Backlog 0 queues one connection; the others wait in SYN_SENT. The first
    // is established before the client tries (slow machines included).
    for (int i = 0; i < 3; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      fillers_.push_back(fd);
      if (i == 0) {
        pollfd p{fd, POLLOUT, 0};
        EXPECT_EQ(::poll(&p, 1, 2000), 1) << "the first filler never connected";
      }
    }
    uv_sleep(20);
  }
  ~Blackhole() {
    for (int fd : fillers_) ::close(fd);
    ::close(listener_);
  }
  int port() const { return port_; }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::vector<int> fillers_;
};

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(uv_loop_init(&loop_), 0); }
  void TearDown() override {
    client_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  void Turn(int ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < until) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      uv_sleep(1);
    }
  }
  void Make(int port, int64_t connect_timeout_ms) {
    ClientConfig config;
    config.workload = "register";
    config.host = "127.0.0.1";
    config.port = port;
    config.connect_timeout_ms = connect_timeout_ms;
    client_ = std::make_unique<RedisClient>(&loop_, config);
  }
  uv_loop_t loop_;
  std::unique_ptr<RedisClient> client_;
};

// hiredis' libuv adapter never reports such a connect as failed: the client's
// own timer ends it, and the op fails (nothing was sent).
TEST_F(ClientTest, AConnectionThatNeverComesUpFailsItsOpAfterTheConnectTimeout) {
  Blackhole hole;
  Make(hole.port(), 100);
  std::optional<Completion> c;
  client_->Invoke(Request{"write", "x", 1, 1}, [&](Completion done) { c = std::move(done); });
  Turn(50);
  EXPECT_FALSE(c) << "not before the connect timeout";
  Turn(400);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->type, EventType::kFail);
  EXPECT_NE(c->error.find("no connection to 127.0.0.1"), std::string::npos) << c->error;
}

// The run gave up on an op still waiting for the connection (it invokes the
// next): that op fails at once and is never sent late.
TEST_F(ClientTest, AnOpTheRunGaveUpOnBeforeTheConnectionCameUpIsNotSentLate) {
  Blackhole hole;
  Make(hole.port(), 10000);
  std::optional<Completion> first, second;
  client_->Invoke(Request{"write", "x", 1, 1}, [&](Completion c) { first = std::move(c); });
  Turn(50);
  EXPECT_FALSE(first);
  client_->Invoke(Request{"write", "x", 2, 2}, [&](Completion c) { second = std::move(c); });
  Turn(300);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->type, EventType::kFail);
  EXPECT_NE(first->error.find("gave up"), std::string::npos) << first->error;
  EXPECT_FALSE(second) << "the next still waits for its connection";
}

}  // namespace
}  // namespace jepsen::systems::redis
