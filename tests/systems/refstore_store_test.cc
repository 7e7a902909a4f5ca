#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "systems/refstore/store.h"

namespace jepsen::systems::refstore {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("refstore-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Open(std::set<Bug> bugs = {}) {
    store_.reset();
    StoreOptions options;
    options.path = (dir_ / "db").string();
    options.bugs = std::move(bugs);
    options.now_ms = [this] { return now_; };
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.message();
    store_ = std::move(store).value();
  }

  // Applies and commits one request.
  Reply Do(const std::string& workload, const std::string& f, Json key, Json value = nullptr) {
    EXPECT_TRUE(store_->Begin().ok());
    Reply reply = store_->Apply({1, workload, f, std::move(key), std::move(value)});
    EXPECT_TRUE(store_->Commit().ok());
    return reply;
  }
  Reply Lease(const std::string& f, Json value) { return Do("leases", f, "L", std::move(value)); }

  std::filesystem::path dir_;
  int64_t now_ = 1'000'000;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, RegisterReadWriteCas) {
  Open();
  EXPECT_EQ(Do("register", "read", "x").value, nullptr);
  EXPECT_EQ(Do("register", "write", "x", 3).type, "ok");
  EXPECT_EQ(Do("register", "read", "x").value, 3);
  Reply cas = Do("register", "cas", "x", Json::array({2, 4}));
  EXPECT_EQ(cas.type, "fail");
  EXPECT_EQ(cas.error, "expected 2, found 3");
  EXPECT_EQ(Do("register", "cas", "x", Json::array({3, 4})).type, "ok");
  EXPECT_EQ(Do("register", "read", "x").value, 4);
  EXPECT_EQ(Do("register", "read", 7).value, nullptr);  // keys are independent
}

TEST_F(StoreTest, CommittedStateSurvivesReopening) {
  Open();
  Do("register", "write", "x", "kept");
  Do("checkpoints", "checkpoint", "s", {{"seq", 5}});
  Open();
  EXPECT_EQ(Do("register", "read", "x").value, "kept");
  EXPECT_EQ(Do("checkpoints", "read", "s").value, Json({{"seq", 5}}));
}

TEST_F(StoreTest, UncommittedStateIsLostOnReopening) {
  Open();
  ASSERT_TRUE(store_->Begin().ok());
  store_->Apply({1, "register", "write", "x", 9});
  Open();  // as a kill before the commit
  EXPECT_EQ(Do("register", "read", "x").value, nullptr);
}

TEST_F(StoreTest, LeasesGrantIncreasingTokensAndExpire) {
  Open();
  Reply a = Lease("acquire", {{"ttl_ms", 1000}});
  ASSERT_EQ(a.type, "ok");
  EXPECT_EQ(a.value["token"], 1);
  EXPECT_EQ(Lease("acquire", {{"ttl_ms", 1000}}).error, "held");
  now_ += 999;
  EXPECT_EQ(Lease("acquire", {{"ttl_ms", 1000}}).type, "fail");
  EXPECT_EQ(Lease("renew", {{"token", 1}, {"ttl_ms", 1000}}).type, "ok");
  now_ += 1000;  // ran out
  EXPECT_EQ(Lease("renew", {{"token", 1}, {"ttl_ms", 1000}}).error, "lease expired");
  Reply b = Lease("acquire", {{"ttl_ms", 1000}});
  EXPECT_EQ(b.value["token"], 2);
  EXPECT_EQ(Lease("release", {{"token", 1}}).error, "not the holder");
  EXPECT_EQ(Lease("release", {{"token", 2}}).type, "ok");
  EXPECT_EQ(Lease("acquire", {{"ttl_ms", 1000}}).value["token"], 3);
}

TEST_F(StoreTest, ProtectedResourceRefusesStaleTokens) {
  Open();
  EXPECT_EQ(Lease("read", nullptr).value, nullptr);
  EXPECT_EQ(Lease("write", {{"token", 2}, {"value", "a"}}).type, "ok");
  Reply stale = Lease("write", {{"token", 1}, {"value", "b"}});
  EXPECT_EQ(stale.type, "fail");
  EXPECT_EQ(stale.error, "stale token 1 (accepted 2)");
  EXPECT_EQ(Lease("write", {{"token", 2}, {"value", "c"}}).type, "ok");
  EXPECT_EQ(Lease("read", nullptr).value, Json({{"token", 2}, {"value", "c"}}));
}

TEST_F(StoreTest, CheckpointsOnlyMoveForward) {
  Open();
  EXPECT_EQ(Do("checkpoints", "read", "s").value, nullptr);
  EXPECT_EQ(Do("checkpoints", "checkpoint", "s", {{"seq", 3}}).type, "ok");
  Reply back = Do("checkpoints", "checkpoint", "s", {{"seq", 3}});
  EXPECT_EQ(back.type, "fail");
  EXPECT_EQ(back.error, "seq 3 is not above the stored 3");
  EXPECT_EQ(Do("checkpoints", "read", "s").value, Json({{"seq", 3}}));
}

TEST_F(StoreTest, MalformedValuesFailWithoutHappening) {
  Open();
  EXPECT_EQ(Lease("acquire", {{"ttl", 5}}).type, "fail");
  EXPECT_EQ(Do("checkpoints", "checkpoint", "s", "x").type, "fail");
  EXPECT_EQ(Do("register", "cas", "x", 5).type, "fail");
  EXPECT_EQ(Do("nope", "read", "x").type, "fail");
  EXPECT_EQ(Do("register", "frob", "x").type, "fail");
}

// Each planted bug changes exactly the behaviour it names.
TEST_F(StoreTest, BugStaleReads) {
  Open({Bug::kStaleReads});
  Do("register", "write", "x", 1);
  EXPECT_EQ(Do("register", "read", "x").value, 1);
  Do("register", "write", "x", 2);
  EXPECT_EQ(Do("register", "read", "x").value, 1);  // stale within the cache window
  now_ += 1000;
  EXPECT_EQ(Do("register", "read", "x").value, 2);
}

TEST_F(StoreTest, BugLeaseDoubleGrant) {
  Open({Bug::kLeaseDoubleGrant});
  Lease("acquire", {{"ttl_ms", 1000}});
  now_ += 500;
  EXPECT_EQ(Lease("acquire", {{"ttl_ms", 1000}}).type, "ok");  // the first is still live
}

TEST_F(StoreTest, BugTokenReuse) {
  Open({Bug::kTokenReuse});
  Lease("acquire", {{"ttl_ms", 1000}});
  Lease("release", {{"token", 1}});
  EXPECT_EQ(Lease("acquire", {{"ttl_ms", 1000}}).value["token"], 1);
}

TEST_F(StoreTest, BugUnfencedWrites) {
  Open({Bug::kUnfencedWrites});
  Lease("write", {{"token", 2}, {"value", "a"}});
  EXPECT_EQ(Lease("write", {{"token", 1}, {"value", "b"}}).type, "ok");
}

TEST_F(StoreTest, BugRenewExpired) {
  Open({Bug::kRenewExpired});
  Lease("acquire", {{"ttl_ms", 1000}});
  now_ += 5000;
  EXPECT_EQ(Lease("renew", {{"token", 1}, {"ttl_ms", 1000}}).type, "ok");
}

TEST_F(StoreTest, BugMemoryOnly) {
  Open({Bug::kMemoryOnly});
  Do("checkpoints", "checkpoint", "s", {{"seq", 5}});
  Open({Bug::kMemoryOnly});
  EXPECT_EQ(Do("checkpoints", "read", "s").value, nullptr);
}

TEST_F(StoreTest, BugCheckpointRegress) {
  Open({Bug::kCheckpointRegress});
  Do("checkpoints", "checkpoint", "s", {{"seq", 5}});
  EXPECT_EQ(Do("checkpoints", "checkpoint", "s", {{"seq", 2}}).type, "ok");
  EXPECT_EQ(Do("checkpoints", "read", "s").value, Json({{"seq", 2}}));
}

TEST(Bugs, NamesRoundTrip) {
  for (const std::string& name : BugNames()) {
    std::optional<Bug> bug = ParseBug(name);
    ASSERT_TRUE(bug.has_value()) << name;
    EXPECT_EQ(ToString(*bug), name);
  }
  EXPECT_FALSE(ParseBug("no-such-bug").has_value());
}

}  // namespace
}  // namespace jepsen::systems::refstore
