#include "checker/linearizable/linearizable.h"

#include <gtest/gtest.h>

#include <limits>

#include "tests/support/history_maker.h"

namespace jepsen::checker::linearizable {
namespace {

using history::EventType;
using testing::MakeHistory;
using testing::TestOp;

constexpr EventType kOk = EventType::kOk;
constexpr EventType kFail = EventType::kFail;
constexpr EventType kInfo = EventType::kInfo;

CheckResult MustCheck(const history::History& h, const std::string& model, Json initial = nullptr) {
  Options options;
  options.model = model;
  if (!initial.is_null()) {
    options.model_options.initial = initial;
    options.model_options.has_initial = true;
  }
  Result<CheckResult> r = Check(h, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.message());
  return r.ok() ? r.value() : CheckResult{};
}

Verdict VerdictOf(const std::vector<TestOp>& ops, const std::string& model = "cas-register",
                  Json initial = nullptr) {
  return MustCheck(MakeHistory(ops), model, initial).verdict;
}

TEST(Linearizable, ReadOfAWriteInFlightIsValid) {
  EXPECT_EQ(VerdictOf({{0, "write", 1, nullptr, kOk, 0, 10}, {1, "read", nullptr, 1, kOk, 5, 15}}),
            Verdict::kValid);
}

TEST(Linearizable, ReadOfAValueNeverWrittenIsInvalidAndExplained) {
  history::History h =
      MakeHistory({{0, "write", 1, nullptr, kOk, 0, 10}, {1, "read", nullptr, 2, kOk, 20, 30}});
  CheckResult r = MustCheck(h, "cas-register");
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_NE(r.explanation.find("cannot linearize: process 1 read -> 2"), std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("longest linearizable prefix: 1 ops, leaving the model in state 1"),
            std::string::npos)
      << r.explanation;
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_EQ(r.failure->op.process, 1);
  EXPECT_EQ(r.failure->state, 1);
  EXPECT_EQ(r.failure->prefix_length, 1u);
}

TEST(Linearizable, StaleReadIsInvalid) {
  EXPECT_EQ(VerdictOf({{0, "write", 1, nullptr, kOk, 0, 1},
                       {0, "write", 2, nullptr, kOk, 2, 3},
                       {1, "read", nullptr, 1, kOk, 4, 5}}),
            Verdict::kInvalid);
}

TEST(Linearizable, OpsThatTouchAreConcurrent) {
  // The read starts at the instant the write completes: it may come first.
  EXPECT_EQ(
      VerdictOf({{0, "write", 1, nullptr, kOk, 0, 5}, {1, "read", nullptr, nullptr, kOk, 5, 6}}),
      Verdict::kValid);
  EXPECT_EQ(
      VerdictOf({{0, "write", 1, nullptr, kOk, 0, 5}, {1, "read", nullptr, nullptr, kOk, 6, 7}}),
      Verdict::kInvalid);
}

TEST(Linearizable, IndeterminateWriteMayHappenLate) {
  EXPECT_EQ(VerdictOf({{0, "write", 3, nullptr, kInfo, 0, 1},
                       {1, "read", nullptr, nullptr, kOk, 10, 11},
                       {1, "read", nullptr, 3, kOk, 20, 21}}),
            Verdict::kValid);
}

TEST(Linearizable, IndeterminateWriteMayNeverHappen) {
  EXPECT_EQ(VerdictOf({{0, "write", 3, nullptr, kInfo, 0, -1},
                       {1, "read", nullptr, nullptr, kOk, 10, 11}}),
            Verdict::kValid);
}

TEST(Linearizable, IndeterminateWriteHappensAtMostOnce) {
  EXPECT_EQ(VerdictOf({{0, "write", 3, nullptr, kInfo, 0, -1},
                       {1, "read", nullptr, 3, kOk, 10, 11},
                       {1, "write", 4, nullptr, kOk, 12, 13},
                       {1, "read", nullptr, 3, kOk, 14, 15}}),
            Verdict::kInvalid);
  // Two identical indeterminate writes can explain both reads.
  EXPECT_EQ(VerdictOf({{0, "write", 3, nullptr, kInfo, 0, -1},
                       {2, "write", 3, nullptr, kInfo, 0, -1},
                       {1, "read", nullptr, 3, kOk, 10, 11},
                       {1, "write", 4, nullptr, kOk, 12, 13},
                       {1, "read", nullptr, 3, kOk, 14, 15}}),
            Verdict::kValid);
}

TEST(Linearizable, IndeterminateWriteCannotHappenBeforeItsInvocation) {
  EXPECT_EQ(VerdictOf({{1, "read", nullptr, 3, kOk, 0, 5}, {0, "write", 3, nullptr, kInfo, 6, -1}}),
            Verdict::kInvalid);
}

TEST(Linearizable, FailedWriteDidNotHappen) {
  EXPECT_EQ(VerdictOf({{0, "write", 3, nullptr, kFail, 0, 5}, {1, "read", nullptr, 3, kOk, 1, 6}}),
            Verdict::kInvalid);
}

TEST(Linearizable, CasNeedsItsExpectedValue) {
  EXPECT_EQ(VerdictOf({{0, "cas", Json::array({0, 1}), nullptr, kOk, 0, 5}}, "cas-register", 0),
            Verdict::kValid);
  EXPECT_EQ(VerdictOf({{0, "cas", Json::array({0, 1}), nullptr, kOk, 0, 5}}, "cas-register"),
            Verdict::kInvalid);  // initial value is null
}

TEST(Linearizable, KnossosNilReadsObserveNothingWhenAsked) {
  history::History h =
      MakeHistory({{0, "write", 1, nullptr, kOk, 0, 5}, {1, "read", nullptr, nullptr, kOk, 6, 7}});
  Options options;
  EXPECT_EQ(Check(h, options)->verdict, Verdict::kInvalid);
  options.model_options.nil_read_any = true;
  EXPECT_EQ(Check(h, options)->verdict, Verdict::kValid);
}

TEST(Linearizable, KeysAreCheckedIndependently) {
  std::vector<TestOp> ops = {{0, "write", 1, nullptr, kOk, 0, 5, "a"},
                             {1, "read", nullptr, 1, kOk, 6, 7, "a"},
                             {2, "write", 1, nullptr, kOk, 0, 5, "b"},
                             {3, "read", nullptr, 1, kOk, 6, 7, "a"}};
  EXPECT_EQ(VerdictOf(ops), Verdict::kValid);
  ops.push_back({4, "read", nullptr, 2, kOk, 8, 9, "b"});
  CheckResult r = MustCheck(MakeHistory(ops), "cas-register");
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.facts["partitions"], 2);
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_EQ(r.failure->key, "b");
}

TEST(Linearizable, UnknownOperationIsAnErrorNamingTheLine) {
  history::History h = MakeHistory({{0, "frob", 1, nullptr, kOk, 0, 5}});
  Options options;
  Result<CheckResult> r = Check(h, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(),
            "test.jsonl:1: cas-register model: operation \"frob\" unknown (expected read, "
            "write, cas)");
}

TEST(Linearizable, UnknownModelIsAnError) {
  Options options;
  options.model = "nope";
  Result<CheckResult> r = Check(MakeHistory({}), options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("unknown model \"nope\""), std::string::npos);
}

TEST(Linearizable, EmptyHistoryIsValid) { EXPECT_EQ(VerdictOf({}), Verdict::kValid); }

TEST(Models, Mutex) {
  EXPECT_EQ(VerdictOf({{0, "acquire", nullptr, nullptr, kOk, 0, 1},
                       {1, "acquire", nullptr, nullptr, kOk, 2, 3}},
                      "mutex"),
            Verdict::kInvalid);
  EXPECT_EQ(VerdictOf({{0, "acquire", nullptr, nullptr, kOk, 0, 1},
                       {0, "release", nullptr, nullptr, kOk, 2, 3},
                       {1, "acquire", nullptr, nullptr, kOk, 2, 5}},
                      "mutex"),
            Verdict::kValid);
}

TEST(Models, Set) {
  EXPECT_EQ(VerdictOf({{0, "add", 1, nullptr, kOk, 0, 1},
                       {1, "add", 2, nullptr, kOk, 0, 1},
                       {2, "read", nullptr, Json::array({2, 1}), kOk, 2, 3}},
                      "set"),
            Verdict::kValid);
  EXPECT_EQ(VerdictOf({{0, "add", 1, nullptr, kOk, 0, 1},
                       {2, "read", nullptr, Json::array({2}), kOk, 2, 3}},
                      "set"),
            Verdict::kInvalid);
}

TEST(Models, FifoQueue) {
  EXPECT_EQ(VerdictOf({{0, "enqueue", 1, nullptr, kOk, 0, 1},
                       {0, "enqueue", 2, nullptr, kOk, 2, 3},
                       {1, "dequeue", nullptr, 1, kOk, 4, 5},
                       {1, "dequeue", nullptr, 2, kOk, 6, 7},
                       {1, "dequeue", nullptr, nullptr, kOk, 8, 9}},
                      "fifo-queue"),
            Verdict::kValid);
  EXPECT_EQ(VerdictOf({{0, "enqueue", 1, nullptr, kOk, 0, 1},
                       {0, "enqueue", 2, nullptr, kOk, 2, 3},
                       {1, "dequeue", nullptr, 2, kOk, 4, 5}},
                      "fifo-queue"),
            Verdict::kInvalid);
}

// kv, as the history format defines it: a cas-register per key whose null
// read is the initial, unset value.
TEST(Models, KvIsACasRegisterPerKeyStartingUnset) {
  EXPECT_EQ(VerdictOf({{0, "read", nullptr, nullptr, kOk, 0, 1, "a"},
                       {1, "write", 1, nullptr, kOk, 2, 3, "a"},
                       {1, "cas", Json::array({1, 2}), nullptr, kOk, 4, 5, "a"},
                       {0, "read", nullptr, 2, kOk, 6, 7, "a"},
                       {2, "read", nullptr, nullptr, kOk, 8, 9, "b"}},
                      "kv"),
            Verdict::kValid);
  EXPECT_EQ(VerdictOf({{1, "write", 1, nullptr, kOk, 0, 1, "a"},
                       {0, "read", nullptr, nullptr, kOk, 2, 3, "a"}},
                      "kv"),
            Verdict::kInvalid);
}

TEST(Models, KvAndCasRegisterAgree) {
  const std::vector<TestOp> ops = {{0, "write", 3, nullptr, kOk, 0, 10, "k"},
                                   {1, "read", nullptr, nullptr, kOk, 1, 2, "k"},
                                   {2, "cas", Json::array({3, 4}), nullptr, kInfo, 3, -1, "k"},
                                   {3, "read", nullptr, 4, kOk, 11, 12, "k"}};
  EXPECT_EQ(VerdictOf(ops, "kv"), Verdict::kValid);
  EXPECT_EQ(VerdictOf(ops, "kv"), VerdictOf(ops, "cas-register"));
}

TEST(Models, KvOnPorcupineOpsIsAnErrorPointingToStringKv) {
  Options options;
  options.model = "kv";
  Result<CheckResult> r =
      Check(MakeHistory({{0, "append", "x", nullptr, kOk, 0, 1, "k"}}), options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("kv model: operation \"append\" unknown"), std::string::npos)
      << r.message();
  EXPECT_NE(r.message().find("--model string-kv"), std::string::npos) << r.message();
}

TEST(Models, StringKvAppendsToStringsFromEmpty) {
  EXPECT_EQ(VerdictOf({{0, "append", "x", nullptr, kOk, 0, 1},
                       {0, "append", "y", nullptr, kOk, 2, 3},
                       {1, "get", nullptr, "xy", kOk, 4, 5},
                       {1, "put", "z", nullptr, kOk, 6, 7},
                       {1, "get", nullptr, "z", kOk, 8, 9}},
                      "string-kv"),
            Verdict::kValid);
  EXPECT_EQ(VerdictOf({{0, "append", "x", nullptr, kOk, 0, 1},
                       {0, "append", "y", nullptr, kOk, 2, 3},
                       {1, "get", nullptr, "yx", kOk, 4, 5}},
                      "string-kv"),
            Verdict::kInvalid);
}

TEST(Models, MultiRegister) {
  Json initial = {{"x", 0}, {"y", 0}};
  auto txn = [](Json micro) { return micro; };
  EXPECT_EQ(VerdictOf({{0, "txn", txn(Json::parse(R"([["write","x",1],["write","y",1]])")), nullptr,
                        kOk, 0, 1},
                       {1, "txn", txn(Json::parse(R"([["read","x",null],["read","y",null]])")),
                        Json::parse(R"([["read","x",1],["read","y",1]])"), kOk, 2, 3}},
                      "multi-register", initial),
            Verdict::kValid);
  // A torn read of a transaction's writes.
  EXPECT_EQ(VerdictOf({{0, "txn", txn(Json::parse(R"([["write","x",1],["write","y",1]])")), nullptr,
                        kOk, 0, 1},
                       {1, "txn", txn(Json::parse(R"([["read","x",null],["read","y",null]])")),
                        Json::parse(R"([["read","x",1],["read","y",0]])"), kOk, 2, 3}},
                      "multi-register", initial),
            Verdict::kInvalid);
}

TEST(Models, FencedRegisterRefusesLowerTokens) {
  Json w1 = {{"token", 1}, {"value", "a"}};
  Json w2 = {{"token", 2}, {"value", "b"}};
  // Token 2 accepted, then token 1 accepted: a stale holder overwrote a newer one.
  EXPECT_EQ(VerdictOf({{0, "write", w2, nullptr, kOk, 0, 1}, {1, "write", w1, nullptr, kOk, 2, 3}},
                      "fenced-register"),
            Verdict::kInvalid);
  // Refused instead: correct.
  EXPECT_EQ(VerdictOf({{0, "write", w2, nullptr, kOk, 0, 1},
                       {1, "write", w1, nullptr, kFail, 2, 3},
                       {1, "read", nullptr, w2, kOk, 4, 5}},
                      "fenced-register"),
            Verdict::kValid);
}

// Times are any int64: an op completing at INT64_MAX is as completed as any
// other (it once stood for "never completed"), and extremes never wrap.
TEST(Times, OpsAtTheEndsOfTheClockAreOrdinaryOps) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  // A read of a value never written, completing at the last instant.
  EXPECT_EQ(VerdictOf({{0, "write", 1, nullptr, kOk, 0, 1}, {1, "read", nullptr, 5, kOk, 2, kMax}}),
            Verdict::kInvalid);
  EXPECT_EQ(VerdictOf({{0, "write", 1, nullptr, kOk, kMin, kMin + 1},
                       {1, "read", nullptr, 0, kOk, kMax - 1, kMax}},
                      "cas-register", 0),
            Verdict::kInvalid);
  EXPECT_EQ(VerdictOf({{0, "write", 1, nullptr, kOk, kMin, kMax},
                       {1, "read", nullptr, 0, kOk, kMin, kMin},
                       {2, "read", nullptr, 1, kOk, kMax, kMax}},
                      "cas-register", 0),
            Verdict::kValid);
}

std::vector<TestOp> ExponentialHistory(int writers);

TEST(Budget, ATimeLimitBeyondTheClockIsNoLimit) {
  Options options;
  for (double seconds : {1e300, 1e18, 9.3e9, std::numeric_limits<double>::infinity()}) {
    options.time_limit_seconds = seconds;
    Result<CheckResult> r = Check(MakeHistory(ExponentialHistory(7)), options);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_EQ(r->verdict, Verdict::kInvalid) << seconds << ": " << r->summary;
  }
}

// Concurrent writes, each seen by a concurrent read, and a last read of a
// value nobody wrote: refuting it means trying every order of the writes.
std::vector<TestOp> ExponentialHistory(int writers) {
  std::vector<TestOp> ops;
  for (int p = 0; p < writers; ++p) {
    ops.push_back({p, "write", p, nullptr, kOk, 0, 100});
    ops.push_back({100 + p, "read", nullptr, p, kOk, 0, 100});
  }
  ops.push_back({999, "read", nullptr, 999, kOk, 150, 160});
  return ops;
}

TEST(Budget, SmallExponentialHistoryIsDecided) {
  EXPECT_EQ(VerdictOf(ExponentialHistory(8)), Verdict::kInvalid);
}

TEST(Budget, TimeLimitGivesUnknownNeverAGuess) {
  Options options;
  options.time_limit_seconds = 0.05;
  Result<CheckResult> r = Check(MakeHistory(ExponentialHistory(26)), options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict, Verdict::kUnknown);
  EXPECT_EQ(r->reason, "time limit reached");
}

TEST(Budget, MemoryLimitGivesUnknown) {
  Options options;
  options.memory_limit_bytes = 1 << 20;
  Result<CheckResult> r = Check(MakeHistory(ExponentialHistory(26)), options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict, Verdict::kUnknown);
  EXPECT_EQ(r->reason, "memory limit reached");
}

}  // namespace
}  // namespace jepsen::checker::linearizable
