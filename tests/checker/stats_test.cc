// The stats check: a run that never once saw some kind of op succeed, or that
// asked for faults and injected none, proves nothing and is never valid; and
// CheckHistory gives it to a run's history, so jepsen-check reaches the run's
// verdict.
#include "checker/stats.h"

#include <gtest/gtest.h>

#include "checker/checker.h"
#include "checker/faults.h"
#include "history/jsonl.h"

namespace jepsen::checker {
namespace {

history::History Parse(const std::string& text) {
  Result<history::History> h = history::ParseJsonl(text, "run.jsonl");
  EXPECT_TRUE(h.ok()) << h.message();
  return h.ok() ? std::move(h).value() : history::History{};
}

const std::string kKillRun =
    R"({"format":"jepsen-history/1","workload":"register","nemesis":"kill"})"
    "\n";
const std::string kWriteOk =
    R"({"type":"invoke","process":0,"f":"write","key":0,"value":1,"time":10})"
    "\n"
    R"({"type":"ok","process":0,"f":"write","key":0,"value":1,"time":20})"
    "\n";
const std::string kReadInfo =
    R"({"type":"invoke","process":1,"f":"read","key":0,"time":30})"
    "\n"
    R"({"type":"info","process":1,"f":"read","key":0,"time":40,"error":"timed out"})"
    "\n";
const std::string kKill =
    R"({"type":"info","process":"nemesis","f":"kill","value":["n1"],"time":25})"
    "\n";
const std::string kFailedPartition =
    R"({"type":"info","process":"nemesis","f":"partition","value":["n1"],"time":25,)"
    R"("error":"this system cannot partition its nodes"})"
    "\n";

TEST(Faults, OneDefinition) {
  EXPECT_TRUE(BeginsFault("kill"));
  EXPECT_TRUE(BeginsFault("pause"));
  EXPECT_TRUE(BeginsFault("partition"));
  EXPECT_FALSE(BeginsFault("start"));
  EXPECT_FALSE(BeginsFault("resume"));
  EXPECT_FALSE(BeginsFault("heal"));
  history::History h = Parse(kKillRun + kKill + kFailedPartition);
  EXPECT_TRUE(IsFault(h.events[0]));
  EXPECT_FALSE(IsFault(h.events[1])) << "a fault that failed did not take effect";
  EXPECT_TRUE(IsFailedFault(h.events[1]));
}

TEST(Stats, ValidWhenEveryKindOfOpSucceededAndFaultsTookEffect) {
  history::History h = Parse(kKillRun + kWriteOk + kKill);
  CheckResult r = stats::Check(h);
  EXPECT_EQ(r.checker, "stats");
  EXPECT_EQ(r.verdict, Verdict::kValid) << r.explanation;
  EXPECT_EQ(DetailsJson(r)["by_f"]["write"]["ok"], 1);
  EXPECT_EQ(DetailsJson(r)["faults"], 1);
}

TEST(Stats, AnOpThatNeverSucceededMakesItUnknown) {
  history::History h = Parse(kKillRun + kWriteOk + kKill + kReadInfo);
  CheckResult r = stats::Check(h);
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_EQ(DetailsJson(r)["never_ok"], history::Json::array({"read"}));
  EXPECT_EQ(DetailsJson(r)["by_f"]["read"]["info"], 1);
  EXPECT_NE(r.explanation.find("'read' never succeeded"), std::string::npos) << r.explanation;
}

TEST(Stats, FaultsAskedForAndNoneInjectedMakeItUnknown) {
  CheckResult none = stats::Check(Parse(kKillRun + kWriteOk));
  EXPECT_EQ(none.verdict, Verdict::kUnknown);
  EXPECT_NE(none.explanation.find("none was attempted"), std::string::npos) << none.explanation;

  const std::string partition_run =
      R"({"format":"jepsen-history/1","workload":"register","nemesis":"partition"})"
      "\n";
  CheckResult failed = stats::Check(Parse(partition_run + kWriteOk + kFailedPartition));
  EXPECT_EQ(failed.verdict, Verdict::kUnknown);
  EXPECT_EQ(DetailsJson(failed)["faults"], 0);
  EXPECT_EQ(DetailsJson(failed)["failed_faults"], 1);
  EXPECT_NE(failed.explanation.find("cannot partition its nodes"), std::string::npos)
      << failed.explanation;
  EXPECT_NE(failed.explanation.find("run.jsonl:4"), std::string::npos) << failed.explanation;
}

TEST(Stats, NoFaultsAskedForNeedsNone) {
  const std::string calm = R"({"format":"jepsen-history/1","workload":"register","nemesis":"none"})"
                           "\n";
  EXPECT_EQ(stats::Check(Parse(calm + kWriteOk)).verdict, Verdict::kValid);
  EXPECT_FALSE(stats::AsksForFaults("none"));
  EXPECT_FALSE(stats::AsksForFaults(nullptr));
  EXPECT_TRUE(stats::AsksForFaults("none,kill"));
}

TEST(Stats, NoOpsAtAllProveNothing) {
  const std::string calm = R"({"format":"jepsen-history/1","workload":"register","nemesis":"none"})"
                           "\n";
  EXPECT_EQ(stats::Check(Parse(calm)).verdict, Verdict::kUnknown);
}

TEST(Stats, CheckHistoryAddsItForARunsHistoryOnly) {
  Result<std::vector<CheckResult>> run = CheckHistory(Parse(kKillRun + kWriteOk), CheckOptions{});
  ASSERT_TRUE(run.ok()) << run.message();
  ASSERT_EQ(run->size(), 2u);
  EXPECT_EQ((*run)[0].checker, "linearizable");
  EXPECT_EQ((*run)[1].checker, "stats");
  EXPECT_EQ(Overall(*run), Verdict::kUnknown) << "asked for kill, injected none";

  const std::string plain = R"({"format":"jepsen-history/1","workload":"register"})"
                            "\n";
  Result<std::vector<CheckResult>> other = CheckHistory(Parse(plain + kWriteOk), CheckOptions{});
  ASSERT_TRUE(other.ok()) << other.message();
  EXPECT_EQ(other->size(), 1u);
}

}  // namespace
}  // namespace jepsen::checker
