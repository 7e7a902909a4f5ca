// How reports name an op's actor: "client T (process P)" when the header's
// options.concurrency says how many client threads there were (Jepsen's
// numbering: thread = process mod concurrency), else "process P"; the JSON
// form of an op carries "thread" when it is known.
#include "checker/describe.h"

#include <gtest/gtest.h>

#include "checker/checkpoint/checkpoint.h"
#include "checker/lease/lease.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker {
namespace {

using history::EventType;
using history::Json;
using testing::MakeHistory;
using testing::TestOp;

constexpr int64_t kMs = 1'000'000;

Json Header(const char* workload, Json concurrency) {
  Json h = {{"format", "jepsen-history/1"}, {"workload", workload}};
  if (!concurrency.is_null()) h["options"] = {{"concurrency", concurrency}};
  return h;
}

TEST(Describe, NamesTheClientThreadWhenTheHeaderGivesTheConcurrency) {
  // Process 6 of 5 threads: thread 1 after an info.
  const std::vector<TestOp> ops = {{6, "write", 3, nullptr, EventType::kOk, 1 * kMs, 2 * kMs, "x"}};
  history::History h = MakeHistory(ops, {}, Header("register", 5));
  EXPECT_EQ(ActorText(h, 6), "client 1 (process 6)");
  EXPECT_EQ(ActorText(h, 6, "token 2"), "client 1 (process 6, token 2)");
  EXPECT_EQ(OpText(h, h.ops[0]),
            "client 1 (process 6) write [key \"x\"] 3 ok (0.001 s .. 0.002 s, "
            "line 2)");
  Json json = ToJson(OpRefOf(h, 0));
  EXPECT_EQ(json["process"], 6);
  EXPECT_EQ(json["thread"], 1);
  EXPECT_EQ(ThreadOf(h, 4), 4);
  EXPECT_EQ(ThreadOf(h, 10), 0);
}

TEST(Describe, NamesOnlyTheProcessWithoutAUsableConcurrency) {
  const std::vector<TestOp> ops = {{6, "write", 3, nullptr, EventType::kOk, 1 * kMs, 2 * kMs, "x"}};
  for (Json concurrency : {Json(), Json(0), Json(-2), Json("5"), Json(2.5)}) {
    history::History h = MakeHistory(ops, {}, Header("register", concurrency));
    EXPECT_EQ(ActorText(h, 6), "process 6") << concurrency.dump();
    EXPECT_EQ(ActorText(h, 6, "token 2"), "process 6 (token 2)");
    EXPECT_EQ(OpText(h, h.ops[0]).rfind("process 6 write", 0), 0u) << concurrency.dump();
    EXPECT_FALSE(ToJson(OpRefOf(h, 0)).contains("thread")) << concurrency.dump();
  }
}

TEST(Describe, LeaseAndCheckpointExplanationsNameTheClient) {
  const std::vector<TestOp> leases = {
      {3, "acquire", Json{{"ttl_ms", 1000}}, Json{{"token", 1}}, EventType::kOk, 0, 1 * kMs, "x"},
      {7, "acquire", Json{{"ttl_ms", 1000}}, Json{{"token", 2}}, EventType::kOk, 500 * kMs,
       501 * kMs, "x"}};
  Result<CheckResult> r = lease::Check(MakeHistory(leases, {}, Header("leases", 4)), {});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_NE(r->explanation.find("client 3 (process 3, token 1) and client 3 (process 7, token 2) "
                                "both held the lease"),
            std::string::npos)
      << r->explanation;
  EXPECT_EQ(DetailsJson(*r)["violations"][0]["ops"][1]["thread"], 3);

  const std::vector<TestOp> checkpoints = {
      {2, "checkpoint", Json{{"seq", 7}}, nullptr, EventType::kOk, 0, 1 * kMs, "s"},
      {5, "read", nullptr, Json(), EventType::kOk, 2 * kMs, 3 * kMs, "s"}};
  r = checkpoint::Check(MakeHistory(checkpoints, {}, Header("checkpoints", 3)), {});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_NE(r->explanation.find("the read by client 2 (process 5, at 0.002 s) returned nothing"),
            std::string::npos)
      << r->explanation;
}

}  // namespace
}  // namespace jepsen::checker
