// Checkpoint monotonicity (C1-C4): for every invariant, histories that break
// it (invalid, naming the kind) and close calls that keep it (valid).
#include <gtest/gtest.h>

#include <map>

#include "checker/checkpoint/checkpoint.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker::checkpoint {
namespace {

using history::EventType;
using history::Json;
using testing::MakeHistory;
using testing::TestNemesis;
using testing::TestOp;

constexpr EventType kOk = EventType::kOk;
constexpr EventType kFail = EventType::kFail;
constexpr EventType kInfo = EventType::kInfo;

constexpr int64_t kMs = 1'000'000;

// Times in ms; `ret` < 0 with kInfo: never completed.
TestOp Ckpt(int64_t p, int64_t call, int64_t ret, int64_t seq, EventType outcome = kOk,
            Json key = "s") {
  return {p,       "checkpoint", Json{{"seq", seq}},       nullptr,
          outcome, call * kMs,   ret < 0 ? -1 : ret * kMs, key};
}
// `seq` < 0: read null (no checkpoint yet).
TestOp Read(int64_t p, int64_t call, int64_t ret, int64_t seq, Json key = "s") {
  return {p,   "read",     nullptr,   seq < 0 ? Json() : Json{{"seq", seq}},
          kOk, call * kMs, ret * kMs, key};
}

CheckResult Checked(const std::vector<TestOp>& ops, const std::vector<TestNemesis>& nemesis = {},
                    Options options = {}) {
  history::History h = MakeHistory(ops, nemesis, Json{{"workload", "checkpoints"}});
  Result<CheckResult> r = Check(h, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.message());
  return r.ok() ? r.value() : CheckResult{};
}

std::map<std::string, int> Kinds(const CheckResult& r) {
  std::map<std::string, int> out;
  for (const auto& [kind, count] : r.counts) {
    if (count > 0) out[kind] = static_cast<int>(count);
  }
  return out;
}
using K = std::map<std::string, int>;

// --- C1 no lost acknowledgement ---------------------------------------------

TEST(CheckpointC1, AReadAfterAnAcknowledgementMustSeeIt) {
  CheckResult r = Checked({Ckpt(0, 1000, 1100, 7), Read(3, 1204, 1300, 4), Ckpt(0, 900, 950, 4)},
                          {{1150 * kMs, "kill", Json::array({"n1"})}});
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(Kinds(r), (K{{"C1", 1}}));
  const Json v = DetailsJson(r)["violations"][0];
  EXPECT_EQ(v["kind"], "C1");
  EXPECT_EQ(v["key"], "s");
  EXPECT_TRUE(v["cycle"].get<bool>());
  ASSERT_EQ(v["steps"].size(), 2u);
  EXPECT_EQ(v["steps"][0]["edge"], "real-time");
  EXPECT_EQ(v["steps"][1]["edge"], "rw");
  ASSERT_EQ(v["nemesis"].size(), 1u);
  EXPECT_EQ(v["nemesis"][0]["f"], "kill");
  EXPECT_EQ(v["ops"].size(), 2u);
  EXPECT_NE(r.explanation.find("the read by process 3 (at 1.204 s) returned seq 4, but "
                               "checkpoint 7 was acknowledged at 1.100 s, before the read began; "
                               "a kill of n1 (1.150 s) happened in between"),
            std::string::npos)
      << r.explanation;
}

// details.timelines: the acknowledged seq as a step line (only acknowledgements that raise it),
// the reads, and the lost acknowledgement with the read that missed it (issue 15); only what is
// near the violation (a quarter of its ops' span either side), so a long history's page stays
// small.
TEST(CheckpointTimelines, CarryTheAckedStepsTheReadsAndTheLostAcknowledgement) {
  CheckResult r =
      Checked({Ckpt(0, 0, 10, 4), Ckpt(0, 20, 30, 7), Ckpt(4, 25, 35, 6), Ckpt(0, 40, 41, 9, kFail),
               Read(1, 50, 60, 4), Read(1, 0, 1, -1), Ckpt(2, 0, 10, 1, kOk, "other"),
               Ckpt(0, 400, 401, 9), Read(1, 500, 501, 9)});
  ASSERT_EQ(Kinds(r), (K{{"C1", 1}}));
  const Json timelines = DetailsJson(r)["timelines"];
  ASSERT_EQ(timelines.size(), 1u) << "stream other broke nothing";
  const Json& t = timelines[0];
  EXPECT_EQ(t["key"], "s");
  EXPECT_EQ(t["acked"], (Json{{10 * kMs, 4}, {30 * kMs, 7}}))
      << "6 and the failed 9 raise nothing; the 9 at 401 ms is far from the violation (20-60 ms)";
  EXPECT_EQ(t["checkpoints"].size(), 4u) << "those from 0 to 41 ms";
  ASSERT_EQ(t["reads"].size(), 1u) << "the reads at 0 and 500 ms are far from it";
  EXPECT_EQ(t["reads"][0]["seq"], 4);
  ASSERT_EQ(t["lost"].size(), 1u);
  EXPECT_EQ(t["lost"][0]["seq"], 7);
  EXPECT_EQ(t["lost"][0]["read_seq"], 4);
  EXPECT_EQ(DetailsJson(Checked({Ckpt(0, 0, 1, 1), Read(1, 2, 3, 1)}))["timelines"], Json::array());
}

TEST(CheckpointC1, ReadingNothingAfterAnAcknowledgementIsLost) {
  EXPECT_EQ(Kinds(Checked({Ckpt(0, 0, 1, 1), Read(1, 2, 3, -1)})), (K{{"C1", 1}}));
}

TEST(CheckpointC1, AReadThatTouchesTheAcknowledgementIsConcurrent) {
  EXPECT_EQ(Checked({Ckpt(0, 0, 5, 7), Ckpt(2, 0, 1, 4), Read(1, 5, 6, 4)}).verdict,
            Verdict::kValid);
  EXPECT_EQ(Kinds(Checked({Ckpt(0, 0, 5, 7), Ckpt(2, 0, 1, 4), Read(1, 6, 7, 4)})), (K{{"C1", 1}}));
}

TEST(CheckpointC1, ReadsAboveTheAcknowledgedSeqAreFine) {
  EXPECT_EQ(
      Checked({Ckpt(0, 0, 1, 7), Ckpt(0, 2, 3, 9), Read(1, 4, 5, 9), Read(1, 6, 7, 9)}).verdict,
      Verdict::kValid);
}

TEST(CheckpointC1, IndeterminateCheckpointsMayBeLost) {
  EXPECT_EQ(Checked({Ckpt(0, 0, 1, 1), Ckpt(0, 2, 3, 2, kInfo), Read(1, 10, 11, 1)}).verdict,
            Verdict::kValid);
  EXPECT_EQ(Checked({Ckpt(0, 0, 1, 1), Ckpt(0, 2, -1, 2, kInfo), Read(1, 10, 11, 1)}).verdict,
            Verdict::kValid);
}

TEST(CheckpointC1, AcrossKillsAndRestartsAndNamesThem) {
  CheckResult r = Checked({Ckpt(0, 0, 1, 3), Read(1, 10, 11, 2), Ckpt(5, 0, -1, 2, kInfo)},
                          {{2 * kMs, "kill", Json::array({"n1"})},
                           {3 * kMs, "start", Json::array({"n1"})},
                           {20 * kMs, "kill", Json::array({"n2"})}});
  EXPECT_EQ(Kinds(r), (K{{"C1", 1}}));
  EXPECT_NE(r.explanation.find("a kill of n1 (0.002 s), a start of n1 (0.003 s) happened in "
                               "between"),
            std::string::npos)
      << r.explanation;
  EXPECT_EQ(DetailsJson(r)["violations"][0]["nemesis"].size(), 2u);
}

// --- C2 no phantom or aborted reads ----------------------------------------

TEST(CheckpointC2, ASeqNoCheckpointWroteIsAPhantom) {
  CheckResult r = Checked({Ckpt(0, 0, 1, 1), Read(1, 2, 3, 9)});
  EXPECT_EQ(Kinds(r), (K{{"C2", 1}}));
  EXPECT_FALSE(DetailsJson(r)["violations"][0]["cycle"].get<bool>());
  EXPECT_NE(r.explanation.find("returned seq 9, which no checkpoint wrote"), std::string::npos)
      << r.explanation;
}

TEST(CheckpointC2, ASeqOnlyAFailedCheckpointWroteIsAnAbortedRead) {
  CheckResult r = Checked({Ckpt(0, 0, 1, 1), Ckpt(0, 2, 3, 2, kFail), Read(1, 4, 5, 2)});
  EXPECT_EQ(Kinds(r), (K{{"C2", 1}}));
  EXPECT_NE(r.explanation.find("which only a failed checkpoint"), std::string::npos)
      << r.explanation;
  // A failed attempt and a successful one with the same seq: reading it is fine.
  EXPECT_EQ(Checked({Ckpt(0, 0, 1, 2, kFail), Ckpt(2, 2, 3, 2), Read(1, 4, 5, 2)}).verdict,
            Verdict::kValid);
}

TEST(CheckpointC2, ASeqWrittenOnlyAfterTheReadIsFromTheFuture) {
  CheckResult r = Checked({Read(1, 0, 1, 5), Ckpt(0, 2, 3, 5)});
  EXPECT_EQ(Kinds(r), (K{{"C2", 1}}));
  const Json v = DetailsJson(r)["violations"][0];
  EXPECT_TRUE(v["cycle"].get<bool>());
  EXPECT_EQ(v["steps"][0]["edge"], "real-time");
  EXPECT_EQ(v["steps"][1]["edge"], "wr");
  // Invoked at the instant the read completed: concurrent, so fine.
  EXPECT_EQ(Checked({Read(1, 0, 1, 5), Ckpt(0, 1, 3, 5)}).verdict, Verdict::kValid);
  // Invoked while the read ran: fine too, even if indeterminate.
  EXPECT_EQ(Checked({Read(1, 0, 10, 5), Ckpt(0, 2, 3, 5, kInfo)}).verdict, Verdict::kValid);
}

TEST(CheckpointC2, IndeterminateCheckpointsMayAppearLater) {
  EXPECT_EQ(Checked({Ckpt(0, 0, 1, 1), Ckpt(0, 2, 3, 2, kInfo), Read(1, 4, 5, 1), Read(1, 6, 7, 2),
                     Read(2, 8, 9, 2)})
                .verdict,
            Verdict::kValid);
  EXPECT_EQ(
      Checked({Ckpt(0, 0, -1, 2, kInfo), Read(1, 100, 101, -1), Read(1, 200, 201, 2)}).verdict,
      Verdict::kValid);
}

// --- C3 acknowledged seqs unique and increasing ----------------------------

TEST(CheckpointC3, TheStoreNeverAcknowledgesASeqNotAboveAnEarlierOne) {
  CheckResult r = Checked({Ckpt(0, 0, 1, 7), Ckpt(1, 2, 3, 5)});
  EXPECT_EQ(Kinds(r), (K{{"C3", 1}}));
  EXPECT_EQ(DetailsJson(r)["violations"][0]["steps"][1]["edge"], "ww");
  EXPECT_NE(r.explanation.find("acknowledged checkpoint 5"), std::string::npos) << r.explanation;
  EXPECT_EQ(Kinds(Checked({Ckpt(0, 0, 1, 7), Ckpt(1, 2, 3, 7)})), (K{{"C3", 1}}));
}

TEST(CheckpointC3, RefusedOrIndeterminateLowerSeqsAreFine) {
  EXPECT_EQ(Checked({Ckpt(0, 0, 1, 7), Ckpt(1, 2, 3, 5, kFail)}).verdict, Verdict::kValid);
  EXPECT_EQ(Checked({Ckpt(0, 0, 1, 7), Ckpt(1, 2, 3, 5, kInfo)}).verdict, Verdict::kValid);
}

TEST(CheckpointC3, ConcurrentCheckpointsMayBeAcknowledgedInEitherOrder) {
  EXPECT_EQ(Checked({Ckpt(0, 0, 10, 7), Ckpt(1, 2, 3, 5)}).verdict, Verdict::kValid);
  EXPECT_EQ(Checked({Ckpt(0, 0, 2, 7), Ckpt(1, 2, 3, 5)}).verdict, Verdict::kValid);  // touching
}

TEST(CheckpointC3, NoSeqIsAcknowledgedTwice) {
  CheckResult r = Checked({Ckpt(0, 0, 10, 7), Ckpt(1, 2, 3, 7)});
  EXPECT_EQ(Kinds(r), (K{{"C3", 1}}));
  EXPECT_NE(r.explanation.find("acknowledged checkpoint 7 twice"), std::string::npos)
      << r.explanation;
}

// --- C4 monotonic reads ----------------------------------------------------

TEST(CheckpointC4, ReadsNeverGoBackwards) {
  CheckResult r = Checked(
      {Ckpt(0, 0, -1, 3, kInfo), Ckpt(2, 0, -1, 5, kInfo), Read(1, 10, 11, 5), Read(3, 12, 13, 3)});
  EXPECT_EQ(Kinds(r), (K{{"C4", 1}}));
  EXPECT_NE(r.explanation.find("returned seq 3, but the read by process 1 (at 0.010 s) had "
                               "returned seq 5"),
            std::string::npos)
      << r.explanation;
  // Back to nothing is backwards too.
  EXPECT_EQ(Kinds(Checked({Ckpt(0, 0, -1, 5, kInfo), Read(1, 10, 11, 5), Read(3, 12, 13, -1)})),
            (K{{"C4", 1}}));
}

TEST(CheckpointC4, ConcurrentReadsMayDisagree) {
  EXPECT_EQ(Checked({Ckpt(0, 0, -1, 3, kInfo), Ckpt(2, 0, -1, 5, kInfo), Read(1, 10, 20, 5),
                     Read(3, 12, 13, 3)})
                .verdict,
            Verdict::kValid);
  EXPECT_EQ(Checked({Ckpt(0, 0, -1, 3, kInfo), Ckpt(2, 0, -1, 5, kInfo), Read(1, 10, 12, 5),
                     Read(3, 12, 13, 3)})
                .verdict,
            Verdict::kValid);  // touching
}

// --- Streams, counting, errors ---------------------------------------------

TEST(CheckpointChecker, StreamsAreIndependent) {
  EXPECT_EQ(Checked({Ckpt(0, 0, 1, 7, kOk, "a"), Read(1, 2, 3, 1, "b"), Ckpt(2, 0, 1, 1, kOk, "b"),
                     Ckpt(3, 0, 1, 7, kOk, 42)})
                .verdict,
            Verdict::kValid);
  CheckResult r =
      Checked({Ckpt(0, 0, 1, 7, kOk, "a"), Read(1, 2, 3, -1, "b"), Read(2, 2, 3, -1, "a")});
  EXPECT_EQ(Kinds(r), (K{{"C1", 1}}));
  EXPECT_EQ(DetailsJson(r)["violations"][0]["key"], "a");
  EXPECT_EQ(DetailsJson(r)["streams"], 2);
}

TEST(CheckpointChecker, EveryViolationIsCountedUpToTheCapExplained) {
  std::vector<TestOp> ops = {Ckpt(0, 0, 1, 10)};
  for (int i = 0; i < 30; ++i) ops.push_back(Read(1 + i, 10 + 2 * i, 11 + 2 * i, -1));
  Options options;
  options.max_reported = 5;
  CheckResult r = Checked(ops, {}, options);
  EXPECT_EQ(DetailsJson(r)["counts"]["C1"], 30);
  EXPECT_EQ(DetailsJson(r)["count"], 30);
  EXPECT_EQ(DetailsJson(r)["violations"].size(), 5u);
  EXPECT_NE(r.summary.find("30 violations: C1 x30 (the first 5 explained)"), std::string::npos)
      << r.summary;
}

TEST(CheckpointChecker, EachKindShowsWhenOverTheCap) {
  std::vector<TestOp> ops = {Ckpt(0, 0, 1, 10)};
  for (int i = 0; i < 10; ++i) ops.push_back(Read(1 + i, 10 + 2 * i, 11 + 2 * i, -1));
  ops.push_back(Read(50, 100, 101, 99));  // a phantom, last in time
  Options options;
  options.max_reported = 2;
  CheckResult r = Checked(ops, {}, options);
  ASSERT_EQ(DetailsJson(r)["violations"].size(), 2u);
  EXPECT_EQ(DetailsJson(r)["violations"][0]["kind"], "C1");
  EXPECT_EQ(DetailsJson(r)["violations"][1]["kind"], "C2");
}

TEST(CheckpointChecker, WorksOnLineOrderWithoutClockTimes) {
  history::HistoryBuilder builder("lines.jsonl");
  auto add = [&](EventType type, int64_t process, const char* f, Json value, int64_t line) {
    history::Event e;
    e.type = type;
    e.process = process;
    e.f = f;
    e.value = std::move(value);
    e.line = line;
    ASSERT_TRUE(builder.Add(e, false, false).ok());
  };
  add(EventType::kInvoke, 0, "checkpoint", Json{{"seq", 2}}, 1);
  add(kOk, 0, "checkpoint", Json{{"seq", 2}}, 2);
  add(EventType::kInvoke, 1, "read", nullptr, 3);
  add(kOk, 1, "read", Json{{"seq", 1}}, 4);
  Result<CheckResult> r = Check(std::move(builder).Finish(), {});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(DetailsJson(*r)["counts"]["C1"], 1);
  EXPECT_NE(r->explanation.find("acknowledged at line 2, before the read began"), std::string::npos)
      << r->explanation;
}

TEST(CheckpointChecker, BadFieldsAreErrorsNamingTheLine) {
  auto error = [](const std::vector<TestOp>& ops) {
    Result<CheckResult> r = Check(MakeHistory(ops, {}, Json{{"workload", "checkpoints"}}), {});
    return r.ok() ? std::string("ok") : r.message();
  };
  EXPECT_NE(error({{0, "checkpoint", Json{{"seq", "x"}}, nullptr, kOk, 0, 1}})
                .find("test.jsonl:2: checkpoints checker: field 'value.seq' of a checkpoint "
                      "must be an integer"),
            std::string::npos);
  EXPECT_NE(error({{0, "checkpoint", nullptr, nullptr, kOk, 0, 1}})
                .find("test.jsonl:2: checkpoints checker: field 'value.seq' missing"),
            std::string::npos);
  EXPECT_NE(error({{0, "read", nullptr, 5, kOk, 0, 1}})
                .find("test.jsonl:3: checkpoints checker: field 'value.seq' missing: a read "
                      "needs {\"seq\": N} or null"),
            std::string::npos);
  EXPECT_NE(error({{0, "write", 1, nullptr, kOk, 0, 1}})
                .find("field 'f' 'write' is not a checkpoint operation"),
            std::string::npos);
  // Reads that failed or are indeterminate saw nothing and are not parsed.
  EXPECT_EQ(error({{0, "read", nullptr, nullptr, kFail, 0, 1}}), "ok");
}

}  // namespace
}  // namespace jepsen::checker::checkpoint
