// The checkpoint sweeps against a brute-force oracle that reads C1-C4 straight
// from their definitions, pair by pair, on small random histories with many
// ties in time.
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "checker/checkpoint/checkpoint.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker::checkpoint {
namespace {

using history::EventType;
using history::Json;
using testing::MakeHistory;
using testing::TestOp;

struct Op {
  size_t index;  // per stream, in invocation order
  bool read;
  EventType outcome;
  int64_t invoke, complete;  // complete: max for never completed / info
  int64_t seq;               // reads: min for null
};

constexpr int64_t kNull = std::numeric_limits<int64_t>::min();
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

std::map<std::string, size_t> Oracle(const history::History& h) {
  std::map<std::string, std::vector<Op>> streams;
  for (const history::Op& op : h.ops) {
    const history::Event& inv = h.invocation(op);
    std::vector<Op>& s = streams[inv.key.dump()];
    Op o{s.size(),
         inv.f == "read",
         op.outcome,
         inv.time,
         op.outcome == EventType::kInfo ? kNever : h.completion(op)->time,
         0};
    if (o.read) {
      if (op.outcome != EventType::kOk) continue;
      const Json& v = h.value(op);
      o.seq = v.is_null() ? kNull : v["seq"].get<int64_t>();
    } else {
      o.seq = inv.value["seq"].get<int64_t>();
    }
    o.index = s.size();
    s.push_back(o);
  }
  std::map<std::string, size_t> counts = {{"C1", 0}, {"C2", 0}, {"C3", 0}, {"C4", 0}};
  for (auto& [key, ops] : streams) {
    for (const Op& b : ops) {
      if (b.read) {
        bool c1 = false, c2 = b.seq != kNull, c4 = false;
        for (const Op& a : ops) {
          if (!a.read && a.outcome == EventType::kOk && a.complete < b.invoke && a.seq > b.seq) {
            c1 = true;
          }
          if (!a.read && a.outcome != EventType::kFail && a.seq == b.seq &&
              a.invoke <= b.complete) {
            c2 = false;
          }
          if (a.read && a.complete < b.invoke && a.seq > b.seq) c4 = true;
        }
        counts["C1"] += c1;
        counts["C2"] += c2;
        counts["C4"] += c4;
      } else if (b.outcome == EventType::kOk) {
        bool c3 = false;
        for (const Op& a : ops) {
          if (a.read || a.outcome != EventType::kOk || a.index == b.index) continue;
          if (a.complete < b.invoke && a.seq >= b.seq) c3 = true;
          if (a.seq == b.seq && std::pair(a.complete, a.index) < std::pair(b.complete, b.index)) {
            c3 = true;
          }
        }
        counts["C3"] += c3;
      }
    }
  }
  return counts;
}

TEST(CheckpointRandom, SweepsAgreeWithBruteForce) {
  std::mt19937 rng(2024);
  size_t invalid = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<TestOp> ops;
    const int n = 1 + static_cast<int>(rng() % 12);
    const int streams = 1 + static_cast<int>(rng() % 2);
    for (int i = 0; i < n; ++i) {
      TestOp op;
      op.process = i;  // one op per process: any timing is legal
      op.key = static_cast<int>(rng() % streams);
      op.call = rng() % 16;
      op.ret = op.call + static_cast<int64_t>(rng() % 4);
      if (rng() % 2 == 0) {
        op.f = "checkpoint";
        op.value = Json{{"seq", 1 + rng() % 4}};
        const int o = static_cast<int>(rng() % 6);
        op.outcome = o < 3 ? EventType::kOk : o < 4 ? EventType::kFail : EventType::kInfo;
        if (o == 5) op.ret = -1;
      } else {
        op.f = "read";
        op.outcome = rng() % 8 == 0 ? EventType::kFail : EventType::kOk;
        const int seen = static_cast<int>(rng() % 6);
        op.result = seen == 0 || op.outcome != EventType::kOk ? Json() : Json{{"seq", seen}};
      }
      ops.push_back(op);
    }
    history::History h = MakeHistory(ops);
    Result<CheckResult> r = Check(h, {});
    ASSERT_TRUE(r.ok()) << r.message();
    std::map<std::string, size_t> want = Oracle(h);
    size_t total = 0;
    for (const auto& [kind, count] : want) {
      EXPECT_EQ(DetailsJson(*r)["counts"][kind].get<size_t>(), count)
          << kind << " in round " << round << ": " << r->explanation;
      total += count;
    }
    EXPECT_EQ(r->verdict, total == 0 ? Verdict::kValid : Verdict::kInvalid) << "round " << round;
    invalid += total > 0;
    const Json details = DetailsJson(*r);
    for (const Json& v : details["violations"]) {
      EXPECT_FALSE(v["steps"].empty());
      if (v["cycle"].get<bool>()) {
        EXPECT_GE(v["steps"].size(), 2u);
      }
    }
    if (HasFailure()) break;
  }
  // Both sides of every boundary get exercised.
  EXPECT_GT(invalid, 300u);
  EXPECT_LT(invalid, 2900u);
}

}  // namespace
}  // namespace jepsen::checker::checkpoint
