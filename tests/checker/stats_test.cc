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

// A run's header says which of its nemesis events are faults (the fault packages it ran): a
// fault the built-in vocabulary never heard of counts, one the header does not name does not.
TEST(Faults, TheHistorysOwnVocabularyDecides) {
  const std::string power_run =
      R"({"format":"jepsen-history/1","workload":"register","nemesis":"power",)"
      R"("faults":{"power":{"family":"disk","begins":["power"],"ends":["start"]},)"
      R"("quiet":{"begins":["probe"],"counts":false}}})"
      "\n";
  const std::string power =
      R"({"type":"info","process":"nemesis","f":"power","value":["n1"],"fault":"power","time":25})"
      "\n";
  history::History h = Parse(power_run + kWriteOk + power + kKill);
  const FaultVocabulary vocabulary = FaultVocabulary::Of(h);
  EXPECT_TRUE(vocabulary.IsFault(h.events[2]));
  EXPECT_FALSE(vocabulary.IsFault(h.events[3])) << "kill is not among this run's faults";
  EXPECT_FALSE(IsFault(h.events[2])) << "the built-in vocabulary knows no power loss";
  CheckResult r = stats::Check(h);
  EXPECT_EQ(r.verdict, Verdict::kValid) << r.explanation;
  EXPECT_EQ(r.facts["faults"], 1);

  history::History probe = Parse(power_run + kWriteOk +
                                 R"({"type":"info","process":"nemesis","f":"probe","time":25})"
                                 "\n");
  ASSERT_NE(FaultVocabulary::Of(probe).Begun(probe.events[2]), nullptr);
  EXPECT_FALSE(FaultVocabulary::Of(probe).IsFault(probe.events[2])) << "counts: false";
  EXPECT_EQ(stats::Check(probe).verdict, Verdict::kUnknown) << "no fault took effect";
}

// Two kinds beginning with the same f (a node pause and a client pause) are told apart by the
// event's `fault` tag, and an end ends only its own kind's faults.
TEST(Faults, ATagPicksTheKindAmongThoseSharingAnF) {
  const std::string run =
      R"({"format":"jepsen-history/1","workload":"register","nemesis":"pause,client-pause",)"
      R"("faults":{"pause":{"begins":["pause"],"ends":["resume"]},)"
      R"("client-pause":{"begins":["pause"],"ends":["resume"],"counts":false}}})"
      "\n";
  history::History h = Parse(
      run + kWriteOk +
      R"({"type":"info","process":"nemesis","f":"pause","value":["client-1"],"fault":"client-pause","time":25})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"pause","value":["n1"],"fault":"pause","time":26})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"pause","value":["n2"],"time":27})"
      "\n");
  const FaultVocabulary vocabulary = FaultVocabulary::Of(h);
  EXPECT_EQ(vocabulary.Begun(h.events[2])->name, "client-pause");
  EXPECT_FALSE(vocabulary.IsFault(h.events[2]));
  EXPECT_EQ(vocabulary.Begun(h.events[3])->name, "pause");
  EXPECT_TRUE(vocabulary.IsFault(h.events[3]));
  EXPECT_EQ(vocabulary.Begun(h.events[4])->name, "client-pause")
      << "untagged: the first kind (in name order) that begins with its f";
  history::Event resume = h.events[2];
  resume.f = "resume";
  EXPECT_TRUE(vocabulary.Ends(resume, *vocabulary.Begun(h.events[2])));
  EXPECT_FALSE(vocabulary.Ends(resume, *vocabulary.Begun(h.events[3])));
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

// A store that never came back after its faults (it refuses to start on a damaged file) fails
// every final read: the run never saw what it kept, so it proves nothing. Without ops after the
// last nemesis event (a workload with no final reads) there is nothing to miss.
TEST(Stats, NoOpSucceedingAfterTheFaultsMakesItUnknown) {
  const std::string heal = R"({"type":"info","process":"nemesis","f":"heal","time":26})"
                           "\n";
  // A read of key 0 by `process` over [t, t + 1], failing or succeeding.
  auto read = [](int process, int t, bool ok) {
    const std::string p = std::to_string(process);
    return R"({"type":"invoke","process":)" + p + R"(,"f":"read","key":0,"time":)" +
           std::to_string(t) + "}\n" + R"({"type":)" + (ok ? R"("ok")" : R"("fail")") +
           R"(,"process":)" + p + R"(,"f":"read","key":0,"value":1,"time":)" +
           std::to_string(t + 1) + "}\n";
  };
  const std::string reads_before = read(1, 21, true);  // succeeded, but before the kill
  const std::string read_fails = read(1, 30, false) + read(2, 32, false);
  const std::string read_ok = read(1, 34, true);
  CheckResult down =
      stats::Check(Parse(kKillRun + kWriteOk + reads_before + kKill + heal + read_fails));
  EXPECT_EQ(down.verdict, Verdict::kUnknown) << down.summary;
  EXPECT_NE(down.explanation.find("none of the 2 ops invoked after the last nemesis event"),
            std::string::npos)
      << down.explanation;
  EXPECT_NE(down.explanation.find("'heal'"), std::string::npos) << down.explanation;

  CheckResult back = stats::Check(Parse(kKillRun + kWriteOk + kKill + heal + read_fails + read_ok));
  EXPECT_EQ(back.verdict, Verdict::kValid) << back.explanation;
  CheckResult no_final_reads =
      stats::Check(Parse(kKillRun + kWriteOk + reads_before + kKill + heal));
  EXPECT_EQ(no_final_reads.verdict, Verdict::kValid) << no_final_reads.explanation;
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
