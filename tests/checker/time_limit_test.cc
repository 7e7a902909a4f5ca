// The linearizability checker honours its time limit within 10% (plus a
// little), also on a loaded machine and when the search has grown tables of
// hundreds of MB that must be grown or dropped near the deadline.
#include <gtest/gtest.h>

#include <chrono>

#include "checker/linearizable/linearizable.h"
#include "tests/support/busy_core.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker::linearizable {
namespace {

using history::EventType;
using testing::TestOp;

// `n` writes that time out, each seen by a concurrent read, then a read of a
// value nobody wrote: refuting it tries every subset and order of the writes,
// and R8 keeps a table entry per subset.
std::vector<TestOp> HardHistory(int n, Json key) {
  std::vector<TestOp> ops;
  for (int p = 0; p < n; ++p) {
    ops.push_back({.process = p,
                   .f = "write",
                   .value = p,
                   .outcome = EventType::kInfo,
                   .call = 1,
                   .ret = 2,
                   .key = key});
    ops.push_back({.process = 100 + p, .f = "read", .result = p, .call = 1, .ret = 2, .key = key});
  }
  ops.push_back({.process = 999, .f = "read", .result = 999, .call = 3, .ret = 4, .key = key});
  return ops;
}

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

TEST(TimeLimit, HeldWithinTenPercentOnALoadedMachine) {
  history::History h = testing::MakeHistory(HardHistory(30, nullptr));
  Options options;
  options.model = "register";
  options.time_limit_seconds = 1.5;
  testing::BusyCore busy;
  const auto start = std::chrono::steady_clock::now();
  Result<CheckResult> r = Check(h, options);
  const double elapsed = Seconds(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->verdict, Verdict::kUnknown);
  EXPECT_EQ(r->reason, "time limit reached");
  EXPECT_LE(elapsed, 1.5 * 1.1 + 0.2);
  // And not given up long before: a memo grow predicted to end past the
  // deadline stops the search early, by more when the machine is loaded.
  EXPECT_GE(elapsed, 1.5 * 0.7);
}

TEST(TimeLimit, ManyPartsStopAtTheDeadline) {
  // 300 hard keys, then 3,000 easy ones: none may be searched after the deadline.
  std::vector<TestOp> ops;
  for (int k = 0; k < 300; ++k) {
    for (TestOp op : HardHistory(16, k)) {
      op.call += 10 * k;
      op.ret += 10 * k;
      op.process += 1000 * k;
      ops.push_back(op);
    }
  }
  for (int k = 300; k < 3300; ++k) {
    for (int i = 0; i < 20; ++i) {
      const int64_t t = 10000 + 10 * i;
      ops.push_back(
          {.process = 2000000 + k, .f = "write", .value = i, .call = t, .ret = t + 1, .key = k});
      ops.push_back({.process = 2000000 + k,
                     .f = "read",
                     .result = i,
                     .call = t + 2,
                     .ret = t + 3,
                     .key = k});
    }
  }
  history::History h = testing::MakeHistory(ops);
  Options options;
  options.model = "register";
  options.time_limit_seconds = 1;
  const auto start = std::chrono::steady_clock::now();
  Result<CheckResult> r = Check(h, options);
  const double elapsed = Seconds(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->verdict, Verdict::kUnknown);  // never valid with parts unsearched
  EXPECT_LE(elapsed, 1 * 1.1 + 0.2);
}

TEST(TimeLimit, ProgressCountsPartsAndOps) {
  std::vector<TestOp> ops = HardHistory(2, "a");
  for (TestOp op : HardHistory(2, "b")) {
    op.result = op.result == 999 ? Json(1) : op.result;  // "b" is linearizable
    op.process += 1000;
    ops.push_back(op);
  }
  history::History h = testing::MakeHistory(ops);
  Progress progress;
  Options options;
  options.model = "register";
  options.threads = 1;
  options.progress = &progress;
  Result<CheckResult> r = Check(h, options);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->verdict, Verdict::kInvalid);
  EXPECT_EQ(progress.parts, 2u);
  EXPECT_EQ(progress.ops, 6u);  // the completed reads; the writes timed out
  EXPECT_GE(progress.parts_decided, 1u);
  EXPECT_GE(progress.ops_linearized, 2u);  // at least "a"'s two reads, whichever was first
  EXPECT_LE(progress.ops_linearized, progress.ops);
}

}  // namespace
}  // namespace jepsen::checker::linearizable
