// Times, ttls, drifts, tokens and seqs at the ends of their ranges: the lease
// and checkpoint checkers saturate what is too long for the clock ("lasts
// forever"), reject what they cannot read (naming file:line and field), and
// never wrap. Each case here was judged wrongly (or read wrongly) before.
#include <gtest/gtest.h>

#include <limits>
#include <map>

#include "checker/checkpoint/checkpoint.h"
#include "checker/lease/lease.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker {
namespace {

using history::EventType;
using history::Json;
using testing::MakeHistory;
using testing::TestOp;

constexpr EventType kOk = EventType::kOk;
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TestOp Acquire(int64_t p, int64_t call, int64_t ret, Json ttl, Json token) {
  return {p, "acquire", Json{{"ttl_ms", ttl}}, Json{{"token", token}}, kOk, call, ret, "x"};
}
TestOp Renew(int64_t p, int64_t call, int64_t ret, Json token, Json ttl) {
  return {p, "renew", Json{{"token", token}, {"ttl_ms", ttl}}, nullptr, kOk, call, ret, "x"};
}

Result<CheckResult> Leases(const std::vector<TestOp>& ops, Json options = Json::object()) {
  return lease::Check(
      MakeHistory(ops, {}, Json{{"workload", "leases"}, {"options", std::move(options)}}), {});
}

std::map<std::string, int> Kinds(const Result<CheckResult>& r) {
  std::map<std::string, int> out;
  if (!r.ok()) return {{"error: " + r.message(), 1}};
  for (const auto& [kind, count] : r->counts) {
    if (count > 0) out[kind] = static_cast<int>(count);
  }
  return out;
}
using K = std::map<std::string, int>;

std::string Error(const Result<CheckResult>& r) { return r.ok() ? "ok" : r.message(); }

// --- huge ttls last forever --------------------------------------------------

TEST(LeaseEdges, AHugeTtlLastsForeverInsteadOfWrapping) {
  for (Json ttl :
       {Json(kMax), Json(1e13), Json(1e300), Json(std::numeric_limits<uint64_t>::max())}) {
    // p1 is granted while p0's lease, which never ends, runs.
    EXPECT_EQ(
        Kinds(Leases({Acquire(0, 0, 1 * kMs, ttl, 1), Acquire(1, 500 * kMs, 501 * kMs, 1000, 2)})),
        (K{{"L1", 1}}))
        << ttl.dump();
    // And the holder may renew it much later.
    EXPECT_EQ(
        Kinds(Leases({Acquire(0, 0, 1 * kMs, ttl, 1), Renew(0, 5000 * kMs, 5001 * kMs, 1, ttl)})),
        K{})
        << ttl.dump();
  }
  Result<CheckResult> r =
      Leases({Acquire(0, 0, 1 * kMs, kMax, 1), Acquire(1, 500 * kMs, 501 * kMs, 1000, 2)});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->explanation.find("ended, which it never did (its ttl reaches past the clock's "
                                "range)"),
            std::string::npos)
      << r->explanation;
  EXPECT_NE(r->explanation.find("both held the lease from 0.501 s to 1.490 s"), std::string::npos)
      << r->explanation;
  // The header's default ttl too.
  TestOp bare = Acquire(0, 0, 1 * kMs, 0, 1);
  bare.value = Json::object();
  EXPECT_EQ(Kinds(Leases({bare, Acquire(1, 500 * kMs, 501 * kMs, 1000, 2)}, {{"ttl_ms", 1e13}})),
            (K{{"L1", 1}}));
}

TEST(LeaseEdges, HoldsEndingPastTheClocksRangeLastForever) {
  // 1 s before the end of the clock: a 2 s lease would end past it.
  const int64_t t = kMax - 1000 * kMs;
  EXPECT_EQ(Kinds(Leases({Acquire(0, t, t + kMs, 2000, 1),
                          Acquire(1, t + 500 * kMs, t + 501 * kMs, 2000, 2)})),
            (K{{"L1", 1}}));
  EXPECT_EQ(
      Kinds(Leases({Acquire(0, t, t + kMs, 2000, 1), Renew(0, t + 900 * kMs, kMax, 1, 2000)})),
      K{});
  // Near the start of the clock, nothing wraps either.
  EXPECT_EQ(Kinds(Leases({Acquire(0, kMin, kMin + kMs, 1000, 1),
                          Acquire(1, kMin + 500 * kMs, kMin + 501 * kMs, 1000, 2)})),
            (K{{"L1", 1}}));
  EXPECT_EQ(Kinds(Leases({Acquire(0, kMin, kMin + kMs, 1000, 1),
                          Acquire(1, kMin + 995 * kMs, kMin + 996 * kMs, 1000, 2)})),
            K{});
}

TEST(LeaseEdges, FractionalTtlsCountToTheNanosecond) {
  // 2.5 ms * 0.99 = 2.475 ms after the invocation.
  EXPECT_EQ(Kinds(Leases({Acquire(0, 0, kMs, 2.5, 1), Acquire(1, 2 * kMs, 2475000, 1000, 2)})),
            K{});
  EXPECT_EQ(Kinds(Leases({Acquire(0, 0, kMs, 2.5, 1), Acquire(1, 2 * kMs, 2474999, 1000, 2)})),
            (K{{"L1", 1}}));
}

TEST(LeaseEdges, BadTtlsAreErrorsNamingLineAndField) {
  EXPECT_NE(Error(Leases({Acquire(0, 0, kMs, -1, 1)}))
                .find("test.jsonl:2: leases checker: field 'value.ttl_ms' of an acquire must be a "
                      "non-negative number"),
            std::string::npos);
  EXPECT_NE(Error(Leases({Acquire(0, 0, kMs, "1000", 1)})).find("field 'value.ttl_ms'"),
            std::string::npos);
  EXPECT_NE(Error(Leases({Acquire(0, 0, kMs, 1000, 1), Renew(0, 2 * kMs, 3 * kMs, 1, -0.5)}))
                .find("test.jsonl:4: leases checker: field 'value.ttl_ms' of a renew"),
            std::string::npos);
  EXPECT_NE(Error(Leases({Acquire(0, 0, kMs, 1000, 1)}, {{"ttl_ms", -3}}))
                .find("header field 'options.ttl_ms'"),
            std::string::npos);
  for (Json drift : {Json(-0.01), Json(1), Json("0.01"), Json(1e300)}) {
    EXPECT_NE(Error(Leases({Acquire(0, 0, kMs, 1000, 1)}, {{"drift", drift}}))
                  .find("header field 'options.drift' must be a number in [0, 1)"),
              std::string::npos)
        << drift.dump();
  }
}

// --- tokens at the ends of the int64 range -----------------------------------

TEST(LeaseEdges, TokensAtTheEndsOfTheRangeCompareExactly) {
  EXPECT_EQ(Kinds(Leases({Acquire(0, 0, kMs, 1, kMin), Acquire(1, 10 * kMs, 11 * kMs, 1, kMin + 1),
                          Acquire(2, 20 * kMs, 21 * kMs, 1, kMax)})),
            K{});
  EXPECT_EQ(Kinds(Leases({Acquire(0, 0, kMs, 1, kMax), Acquire(1, 10 * kMs, 11 * kMs, 1, kMin)})),
            (K{{"L2", 1}}));
}

TEST(LeaseEdges, FencingComparesTokensAtTheEndsOfTheRange) {
  auto write = [](int64_t p, int64_t call, Json token) {
    return TestOp{p,        "write", Json{{"token", token}, {"value", p}}, nullptr, kOk, call,
                  call + 1, "x"};
  };
  auto read = [](int64_t p, int64_t call, Json seen) {
    return TestOp{p, "read", nullptr, seen, kOk, call, call + 1, "x"};
  };
  EXPECT_EQ(Kinds(Leases({write(0, 0, kMax), write(1, 10, kMin)})), (K{{"L3", 1}}));
  EXPECT_EQ(Kinds(Leases({write(0, 0, kMin), write(1, 10, kMax),
                          read(2, 20, Json{{"token", kMax}, {"value", 1}})})),
            K{});
  // The lowest token written is still a write: reading nothing after it is stale.
  EXPECT_EQ(Kinds(Leases({write(0, 0, kMin), read(2, 20, nullptr)})), (K{{"L3", 1}}));
}

TEST(LeaseEdges, TokensOutsideTheInt64RangeAreErrors) {
  // 2^64 - 1 used to read as token -1.
  const Json big = std::numeric_limits<uint64_t>::max();
  EXPECT_NE(Error(Leases({Acquire(0, 0, kMs, 1000, big)}))
                .find("test.jsonl:3: leases checker: field 'value.token' of an acquire's ok "
                      "completion must be an integer in [-9223372036854775808, "
                      "9223372036854775807]"),
            std::string::npos)
      << Error(Leases({Acquire(0, 0, kMs, 1000, big)}));
  EXPECT_NE(Error(Leases({Acquire(0, 0, kMs, 1000, 1), Renew(0, 2 * kMs, 3 * kMs, big, 1000)}))
                .find("test.jsonl:4: leases checker: field 'value.token' of a renew"),
            std::string::npos);
  EXPECT_NE(Error(Leases({Acquire(0, 0, kMs, 1000, 1.5)})).find("field 'value.token'"),
            std::string::npos);
}

// --- checkpoints -------------------------------------------------------------

TestOp Ckpt(int64_t p, int64_t call, int64_t ret, Json seq) {
  return {p, "checkpoint", Json{{"seq", seq}}, nullptr, kOk, call, ret, "s"};
}
TestOp SeqRead(int64_t p, int64_t call, int64_t ret, Json seen) {
  return {p, "read", nullptr, seen, kOk, call, ret, "s"};
}
Result<CheckResult> Checkpoints(const std::vector<TestOp>& ops) {
  return checkpoint::Check(MakeHistory(ops, {}, Json{{"workload", "checkpoints"}}), {});
}

TEST(CheckpointEdges, NullIsBelowEvenTheLowestSeq) {
  // Acknowledged seq -2^63, then a read of nothing: a lost acknowledgement.
  EXPECT_EQ(Kinds(Checkpoints({Ckpt(0, 0, 1, kMin), SeqRead(1, 2, 3, nullptr)})), (K{{"C1", 1}}));
  // A read of seq -2^63 that nobody wrote is a phantom, not "nothing".
  EXPECT_EQ(Kinds(Checkpoints({SeqRead(1, 2, 3, Json{{"seq", kMin}})})), (K{{"C2", 1}}));
  // Reading -2^63, then nothing, goes backwards.
  EXPECT_EQ(Kinds(Checkpoints({Ckpt(0, 0, 10, kMin), SeqRead(1, 2, 3, Json{{"seq", kMin}}),
                               SeqRead(2, 4, 5, nullptr)})),
            (K{{"C4", 1}}));
  EXPECT_EQ(Kinds(Checkpoints({Ckpt(0, 0, 1, kMin), SeqRead(1, 2, 3, Json{{"seq", kMin}}),
                               Ckpt(0, 4, 5, kMax), SeqRead(1, 6, 7, Json{{"seq", kMax}})})),
            K{});
}

TEST(CheckpointEdges, SeqsOutsideTheInt64RangeAreErrors) {
  const Json big = std::numeric_limits<uint64_t>::max();
  EXPECT_NE(Error(Checkpoints({Ckpt(0, 0, 1, big)}))
                .find("test.jsonl:2: checkpoints checker: field 'value.seq' of a checkpoint must "
                      "be an integer in [-9223372036854775808, 9223372036854775807]"),
            std::string::npos)
      << Error(Checkpoints({Ckpt(0, 0, 1, big)}));
  EXPECT_NE(Error(Checkpoints({Ckpt(0, 0, 1, 1), SeqRead(1, 2, 3, Json{{"seq", big}})}))
                .find("test.jsonl:5: checkpoints checker: field 'value.seq' of a read"),
            std::string::npos);
}

}  // namespace
}  // namespace jepsen::checker
