// End to end: real runs of jepsen-run against the reference store, a few
// seconds each. The correct store must be valid under every nemesis; every
// planted bug must be found, with the right violation, under the nemesis that
// exposes it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "checker/report/faults.h"
#include "history/jsonl.h"
#include "runner/runner.h"
#include "tests/support/run_support.h"

namespace jepsen::runner {
namespace {

namespace fs = std::filesystem;

std::string StoreDir() { return testing::StoreDir("e2e-store"); }

RunOptions Quick(const std::string& workload, const std::string& nemesis, uint64_t seed) {
  RunOptions o;
  o.workload = workload;
  o.nemesis = nemesis;
  o.seed = seed;
  o.time_limit_s = 2.5;
  o.nemesis_interval_s = 0.6;
  o.concurrency = 5;
  o.store = StoreDir();
  o.binary_dir = JEPSEN_BIN_DIR;
  return o;
}

using testing::Explain;
using testing::MustRun;
using testing::ProcessesMentioning;

class CorrectStore : public ::testing::TestWithParam<std::tuple<std::string, std::string, int>> {};

TEST_P(CorrectStore, IsValid) {
  auto [workload, nemesis, seed] = GetParam();
  RunReport r = MustRun(Quick(workload, nemesis, static_cast<uint64_t>(seed)));
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 100);  // the run really ran
  if (nemesis != "none") {
    EXPECT_GE(r.faults, 1);
  }
  EXPECT_EQ(testing::StoredResults(r)["counts"]["faults"], r.faults);
  EXPECT_TRUE(ProcessesMentioning(r.dir).empty()) << "a node of " << r.dir << " outlived the run";
  // jepsen-check on the stored history reproduces the verdict.
  EXPECT_TRUE(fs::exists(r.dir + "/results.json"));
  EXPECT_TRUE(history::ReadJsonl(r.dir + "/history.jsonl").ok());
}

INSTANTIATE_TEST_SUITE_P(Runs, CorrectStore,
                         ::testing::Combine(::testing::Values("register"),
                                            ::testing::Values("none", "kill", "pause"),
                                            ::testing::Values(1, 2)));

// overlap=on: kill, pause and client-pause each on a schedule of their own, against the one node
// of the reference store, so a kill and a pause often meet on it: the correct store stays valid,
// and the history shows faults of different kinds in force at once, each ended (by its own end,
// or the final heal) before the final reads.
class Overlapping : public ::testing::TestWithParam<std::string> {};

TEST_P(Overlapping, FaultsOverlapAndTheCorrectStoreStaysValid) {
  RunOptions o = Quick(GetParam(), "kill,pause,client-pause", 3);
  o.options.Set("overlap", true);
  o.time_limit_s = 4;
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GE(r.faults, 3);
  int64_t by_kind = 0;
  for (const auto& [kind, n] : r.faults_by_kind) by_kind += n;
  EXPECT_EQ(by_kind, r.faults);
  EXPECT_EQ(r.faults_by_kind.size(), 3u) << "counted per kind";
  EXPECT_EQ(testing::StoredResults(r)["counts"]["faults_by_kind"], history::Json(r.faults_by_kind));
  EXPECT_TRUE(ProcessesMentioning(r.dir).empty()) << "a node of " << r.dir << " outlived the run";
  Result<history::History> h = history::ReadJsonl(r.dir + "/history.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_TRUE(h->fault_kinds.has_value()) << "the header carries the run's fault vocabulary";
  EXPECT_EQ(h->fault_kinds->size(), 3u);
  EXPECT_EQ(h->option("overlap"), true);
  const std::vector<checker::report::FaultPeriod> periods = checker::report::FaultPeriods(*h);
  std::set<std::string> kinds;
  std::string overlap;
  int64_t final_heal = -1;  // the heal of everything, before the final reads
  for (const history::Event& e : h->events) {
    if (e.is_nemesis() && e.f == "heal" && history::FaultTag(e).empty()) final_heal = e.time;
  }
  ASSERT_GE(final_heal, 0) << "no final heal";
  for (const auto& p : periods) {
    EXPECT_FALSE(p.instant) << p.f << " at " << p.begin << ": " << p.error;
    EXPECT_NE(p.end_event, checker::report::FaultPeriod::kNone) << p.f << " never ended";
    EXPECT_LE(p.end, final_heal) << p.f << " still in force after the final heal";
    kinds.insert(p.kind.name);
    for (const auto& q : periods) {
      if (p.kind.name != q.kind.name && p.begin < q.end && q.begin < p.end) {
        overlap = p.kind.name + " and " + q.kind.name;
      }
    }
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"kill", "pause", "client-pause"}));
  EXPECT_FALSE(overlap.empty()) << "no two faults of different kinds were in force at once";
}

INSTANTIATE_TEST_SUITE_P(Runs, Overlapping, ::testing::Values("register", "leases"));

// A one-node system cut off from its clients: every partition of the run's history has the
// clients and n1 in grudge, some ops ran inside a cut (invoked once the rules were in place,
// completed before the heal), and none of them succeeded.
void ExpectNoOpSucceedsInsideACut(const RunReport& r) {
  Result<history::History> h = history::ReadJsonl(r.dir + "/history.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  int cuts = 0, ops_inside = 0, ok_inside = 0;
  for (const checker::report::FaultPeriod& p : checker::report::FaultPeriods(*h)) {
    if (p.kind.name != "partition") continue;
    ++cuts;
    EXPECT_EQ(p.target, history::Json::parse(R"({"clients":["n1"],"n1":["clients"]})"));
    for (const history::Op& op : h->ops) {
      const history::Event* done = h->completion(op);
      if (done == nullptr || h->invocation(op).time < p.begin + 50'000'000) continue;
      if (done->time >= p.end) continue;
      ++ops_inside;
      if (done->type == history::EventType::kOk) ++ok_inside;
    }
  }
  EXPECT_GT(cuts, 0);
  EXPECT_GT(ops_inside, 0) << "no op ran inside a cut: the check below would say nothing";
  EXPECT_EQ(ok_inside, 0) << "an op succeeded while the clients were cut off from n1";
  EXPECT_TRUE(ProcessesMentioning(r.dir).empty()) << "a node of " << r.dir << " outlived the run";
  EXPECT_TRUE(testing::NamespacesOf(::getpid()).empty()) << "a namespace outlived the run";
}

RunOptions CutOften(RunOptions o) {
  o.time_limit_s = 5;
  o.nemesis_interval_s = 1.2;
  o.op_timeout_s = 0.2;  // ops cut off end (info) within the cut
  return o;
}

// Partitions and lossy links on the one-node reference store: the clients are cut off from n1
// (its own network namespace, the clients in theirs); the store stays valid.
TEST(RefstoreNetwork, APartitionCutsTheClientsOffFromTheNode) {
  if (::geteuid() != 0) GTEST_SKIP() << "partitions need root (ip netns, nft)";
  RunOptions o = CutOften(Quick("register", "partition,loss", 5));
  o.options.Set("loss-percent", 40);
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.faults_by_kind["partition"], 0);
  EXPECT_GT(r.faults_by_kind["loss"], 0);
  EXPECT_EQ(r.failed_faults, 0);
  ExpectNoOpSucceedsInsideACut(r);
}

// nemesis=all on the reference store: every fault it can take on this machine, overlapping by
// default, each healed (disks and links before restarts), and the correct store stays valid.
// The header and the summary name the faults all stood for; the run's directory says "all".
TEST(AllFaults, EveryFaultTheStoreCanTakeAtOnceAndItStaysValid) {
  RunOptions o = Quick("register", "all", 8);
  o.time_limit_s = 6;
  o.nemesis_interval_s = 0.8;
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_EQ(fs::path(r.dir).parent_path().filename(), "register-all");
  Result<history::History> h = history::ReadJsonl(r.dir + "/history.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  const std::string named = h->header.value("nemesis", "");
  EXPECT_EQ(named.find("corrupt"), std::string::npos) << named;
  EXPECT_EQ(h->option("overlap"), true) << "several faults overlap by default";
  std::set<std::string> expected = {"kill", "pause", "client-pause"};
  if (::geteuid() == 0) expected.insert({"partition", "loss", "slow"});
  for (const std::string& kind : expected) {
    EXPECT_NE(named.find(kind), std::string::npos) << named;
    EXPECT_GT(r.faults_by_kind[kind], 0) << kind << " never struck";
  }
  EXPECT_EQ(r.failed_faults, 0);
  EXPECT_TRUE(ProcessesMentioning(r.dir).empty()) << "a node of " << r.dir << " outlived the run";
  EXPECT_TRUE(testing::NamespacesOf(::getpid()).empty()) << "a namespace outlived the run";
}

// A run against the store with a planted bug. Without fsync: the nemeses here kill processes,
// which lose nothing a commit wrote, and on a slow disk a store spending its time in fsync would
// rarely be killed while its acknowledged writes are still uncommitted.
RunOptions WithBug(const std::string& workload, const std::string& nemesis, uint64_t seed,
                   const std::string& bug) {
  RunOptions o = Quick(workload, nemesis, seed);
  o.options.Set("bug", history::Json::array({bug}));
  o.options.Set("fsync", false);
  return o;
}

// Whether a short run exposes a bug depends on timing (a kill must land while acknowledged
// writes are uncommitted), so a bug counts as found when one of three runs, each with its own
// seed, finds it. The runs that missed it are explained in `misses`.
RunReport FindBug(RunOptions o, std::string& misses) {
  RunReport r;
  for (int attempt = 0; attempt < 3; ++attempt, ++o.seed) {
    r = MustRun(o);
    if (r.verdict == checker::Verdict::kInvalid) break;
    misses += "seed " + std::to_string(o.seed) + " missed it:\n" + Explain(r) + "\n";
  }
  return r;
}

TEST(PlantedBugs, StaleReadsAreNotLinearizable) {
  std::string misses;
  RunReport r = FindBug(WithBug("register", "none", 3, "stale-reads"), misses);
  ASSERT_EQ(r.verdict, checker::Verdict::kInvalid) << misses;
  EXPECT_EQ(r.results[0].checker, "linearizable");
}

TEST(PlantedBugs, AckBeforeDurableLosesWritesOnKill) {
  RunOptions o = WithBug("register", "kill", 4, "ack-before-durable");
  o.time_limit_s = 4;
  std::string misses;
  RunReport r = FindBug(o, misses);
  EXPECT_GE(r.faults, 1);
  EXPECT_EQ(r.verdict, checker::Verdict::kInvalid) << misses;
}

// Leases and checkpoints against the reference store, and the bugs that break them.
INSTANTIATE_TEST_SUITE_P(LeasesAndCheckpoints, CorrectStore,
                         ::testing::Combine(::testing::Values("leases", "checkpoints"),
                                            ::testing::Values("none", "kill", "pause"),
                                            ::testing::Values(1)));

struct Planted {
  const char* bug;
  const char* workload;
  const char* nemesis;
  const char* kind;  // a violation kind the checker must name
  int keys = 3;      // fewer clients per resource leave expired leases untaken
};

class PlantedBug : public ::testing::TestWithParam<Planted> {};

TEST_P(PlantedBug, IsFoundWithTheRightKind) {
  const Planted& p = GetParam();
  RunOptions o = WithBug(p.workload, p.nemesis, 11, p.bug);
  o.time_limit_s = 4;
  if (std::string(p.workload) == "leases") o.options.Set("ttl-ms", 400);  // run out within the run
  o.options.Set("keys", p.keys);
  std::string misses;
  RunReport r = FindBug(o, misses);
  ASSERT_EQ(r.verdict, checker::Verdict::kInvalid) << p.bug << "\n" << misses;
  std::string kinds;
  for (const auto& result : r.results) kinds += checker::DetailsJson(result).dump();
  EXPECT_NE(kinds.find(std::string("\"kind\":\"") + p.kind + "\""), std::string::npos)
      << p.bug << " should show a " << p.kind << " violation";
}

INSTANTIATE_TEST_SUITE_P(
    Bugs, PlantedBug,
    ::testing::Values(Planted{"lease-double-grant", "leases", "none", "L1"},
                      Planted{"token-reuse", "leases", "none", "L2"},
                      Planted{"unfenced-writes", "leases", "none", "L3"},
                      Planted{"renew-expired", "leases", "none", "L4", 20},
                      Planted{"checkpoint-regress", "checkpoints", "none", "C3"},
                      Planted{"ack-before-durable", "checkpoints", "kill", "C1"},
                      Planted{"memory-only", "checkpoints", "kill", "C1"}),
    [](const auto& info) {
      std::string name = std::string(info.param.bug);
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

// system=exec with the Python example service: the safe configuration holds, each unsafe
// switch is caught.
RunOptions Taskstore(const std::string& workload, const std::string& unsafe) {
  RunOptions o = Quick(workload, "kill", 5);
  o.time_limit_s = 10;
  o.nemesis_interval_s = 2.5;  // Python takes a while to start under load
  testing::UseTaskstore(o, unsafe);
  return o;
}

TEST(ExecSystem, SafeTaskstoreHoldsUnderKill) {
  for (const char* workload : {"leases", "checkpoints"}) {
    RunReport r = MustRun(Taskstore(workload, ""));
    EXPECT_EQ(r.verdict, checker::Verdict::kValid) << workload << ": " << Explain(r);
    EXPECT_GT(r.ok, 50) << workload;
    EXPECT_TRUE(ProcessesMentioning(r.dir).empty());
  }
}

// The exec example with a network of the run's own: its node listens on {host} in a namespace
// of its own, the adapter connects from the clients' namespace to the host init names; a
// partition cuts them apart, and the safe store stays valid.
TEST(ExecSystem, PartitionsCutTheAdapterOffFromTheNode) {
  if (::geteuid() != 0) GTEST_SKIP() << "partitions need root (ip netns, nft)";
  RunOptions o = CutOften(Taskstore("checkpoints", ""));
  o.nemesis = "partition,slow";
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 50);
  EXPECT_GT(r.faults_by_kind["slow"], 0);
  EXPECT_EQ(r.failed_faults, 0);
  ExpectNoOpSucceedsInsideACut(r);
}

TEST(ExecSystem, UnsafeCheckpointAckIsCaught) {
  std::string misses;
  RunReport r = FindBug(Taskstore("checkpoints", "ack-before-commit"), misses);
  EXPECT_EQ(r.verdict, checker::Verdict::kInvalid) << misses;
}

TEST(ExecSystem, UnsafeInMemoryLeasesAreCaught) {
  std::string misses;
  RunReport r = FindBug(Taskstore("leases", "leases-in-memory"), misses);
  EXPECT_EQ(r.verdict, checker::Verdict::kInvalid) << misses;
}

// --replay: the stored history is checked again and the stored record made to say so.
TEST(Replay, RechecksAStoredRunAndRewritesItsResults) {
  std::string misses;
  RunReport r = FindBug(WithBug("register", "none", 3, "stale-reads"), misses);
  ASSERT_EQ(r.verdict, checker::Verdict::kInvalid) << misses;
  // Damage the record as an older checker might have left it: a wrong verdict, no checks.
  const std::string results_path = r.dir + "/results.json";
  history::Json stored = history::Json::parse(std::ifstream(results_path));
  stored["verdict"] = "valid";
  stored["checks"] = history::Json::array();
  std::ofstream(results_path) << stored.dump();
  fs::remove(r.dir + "/report.html");

  Result<RunReport> again = Replay(r.dir);
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(again->verdict, checker::Verdict::kInvalid);
  EXPECT_EQ(again->ops, r.ops);
  EXPECT_EQ(again->ok, r.ok);
  ASSERT_EQ(again->results.size(), r.results.size());
  EXPECT_EQ(again->results[0].summary, r.results[0].summary);

  history::Json rewritten = history::Json::parse(std::ifstream(results_path));
  EXPECT_EQ(rewritten["verdict"], "invalid");
  EXPECT_EQ(rewritten["exit_code"], 1);
  EXPECT_EQ(rewritten["rechecked"], true);
  ASSERT_EQ(rewritten["checks"].size(), 2u);  // the workload's check, then stats
  EXPECT_EQ(rewritten["checks"][0]["checker"], "linearizable");
  EXPECT_EQ(rewritten["workload"], "register");  // the run's own fields are kept
  EXPECT_EQ(rewritten["seed"], stored["seed"]);
  EXPECT_EQ(rewritten["counts"]["ops"], r.ops);
  EXPECT_TRUE(fs::exists(r.dir + "/report.html"));
}

TEST(Replay, AMissingHistoryIsAnErrorNamingIt) {
  const std::string dir = StoreDir() + "-empty-run";
  fs::create_directories(dir);
  Result<RunReport> again = Replay(dir);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.message().find(dir + "/history.jsonl"), std::string::npos) << again.message();
  EXPECT_FALSE(fs::exists(dir + "/results.json"));
}

// What jepsen-run printed and how it exited.
struct ToolRun {
  int code = -1;
  std::string output;  // stdout and stderr
};

ToolRun RunTool(const std::string& args) {
  ToolRun r;
  FILE* pipe =
      ::popen((std::string(JEPSEN_BIN_DIR) + "/jepsen-run " + args + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) r.output.append(buffer, n);
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// A fault, target or planted bug the system cannot carry out is a usage error before anything
// starts: no run directory, nothing in the store.
TEST(Usage, WhatTheSystemCannotDoIsRefusedBeforeAnythingStarts) {
  const std::string store = StoreDir() + "-usage";
  RunOptions partition = Quick("register", "partition", 1);
  partition.store = store;
  partition.system = "exec";  // without node-cmd: the adapter is the system, no network of nodes
  partition.options.Set("client-cmd", "cat");
  Result<RunReport> r = runner::Run(partition, std::cout, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("system exec cannot partition its nodes"), std::string::npos)
      << r.message();
  EXPECT_NE(r.message().find("kill, pause, client-pause"), std::string::npos) << r.message();

  RunOptions leader = Quick("register", "kill", 1);
  leader.store = store;
  leader.system = "exec";
  leader.options.Set("nodes", 3);
  leader.options.Set("node-cmd", "sleep 30");
  leader.options.Set("client-cmd", "cat");
  leader.targets = "leader";
  r = runner::Run(leader, std::cout, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("target=leader"), std::string::npos) << r.message();
  EXPECT_FALSE(fs::exists(store)) << "nothing may start before the options are known good";

  ToolRun typo = RunTool("bug=stale-read store=" + store);
  EXPECT_EQ(typo.code, 254) << typo.output;
  // The list is the store's own table of bugs.
  for (const char* bug : {"stale-reads", "lease-double-grant", "checkpoint-regress"}) {
    EXPECT_NE(typo.output.find(bug), std::string::npos) << typo.output;
  }
  ToolRun cannot =
      RunTool("system=exec client-cmd=cat nemesis=partition time-limit=1 store=" + store);
  EXPECT_EQ(cannot.code, 254) << cannot.output;
  EXPECT_NE(cannot.output.find("cannot partition"), std::string::npos) << cannot.output;
  EXPECT_FALSE(fs::exists(store));
}

// An op recorded "timed out" waited its whole op timeout by the history's own clock: not less
// because the loop's clock was stale (after a blocking start) or counts whole milliseconds. The
// adapter never answers writes and cas: they all time out, after 1 ms.
TEST(OpTimeout, EveryOpRecordedTimedOutWaitedItsTimeout) {
  RunOptions o = Quick("register", "none", 1);
  o.system = "exec";
  o.options.Set(
      "client-cmd",
      "python3 -u -c 'import json, sys\n"
      "for line in sys.stdin:\n"
      "    r = json.loads(line)\n"
      "    if r.get(\"type\") == \"init\": print(json.dumps({\"type\": \"init_ok\"}))\n"
      "    elif r[\"f\"] == \"read\": print(json.dumps({\"id\": r[\"id\"], \"type\": \"ok\"}))\n"
      "'");
  o.time_limit_s = 1;
  o.op_timeout_s = 0.001;
  RunReport r = MustRun(o);
  const testing::Timeouts timeouts = testing::OpTimeouts(r, o.op_timeout_s);
  EXPECT_GT(timeouts.timed_out, 100);
  EXPECT_TRUE(timeouts.early.empty()) << timeouts.early.size() << " of " << timeouts.timed_out
                                      << " timed out early, the first: " << timeouts.early[0];
}

// A run that fails before its first op leaves store/latest where it was; a node that cannot
// start is reported with its own message as soon as it exits, not after the start timeout.
TEST(StartFailures, AreReportedAtOnceAndNeverTakeOverLatest) {
  const std::string store = StoreDir() + "-start-failures";
  RunOptions good = Quick("register", "none", 1);
  good.store = store;
  good.time_limit_s = 0.5;
  const RunReport first = MustRun(good);
  const fs::path latest = fs::path(store) / "latest";
  ASSERT_EQ(fs::canonical(latest), fs::canonical(first.dir));

  RunOptions no_adapter = good;
  no_adapter.system = "exec";
  Result<RunReport> r = runner::Run(no_adapter, std::cout, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("client-cmd"), std::string::npos) << r.message();
  EXPECT_EQ(fs::canonical(latest), fs::canonical(first.dir)) << "taken over by a run with no ops";

  // A node that cannot listen: a stand-in jepsen-refstore that says so and exits.
  const fs::path bin = fs::path(store) / "bin";
  fs::create_directories(bin);
  std::ofstream(bin / "jepsen-refstore")
      << "#!/bin/sh\necho 'jepsen-refstore: cannot listen on 127.0.0.1:1: address already in "
         "use' >&2\nexit 1\n";
  fs::permissions(bin / "jepsen-refstore", fs::perms::owner_all);
  RunOptions broken = good;
  broken.binary_dir = bin.string();
  const auto began = std::chrono::steady_clock::now();
  r = runner::Run(broken, std::cout, false);
  ASSERT_FALSE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(5))
      << "waited for the start timeout instead of seeing the node exit";
  EXPECT_NE(r.message().find("exited before serving"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find("address already in use"), std::string::npos) << r.message();
  EXPECT_EQ(fs::canonical(latest), fs::canonical(first.dir));

  // The same for a node of system=exec.
  RunOptions exec_node = good;
  exec_node.system = "exec";
  exec_node.options.Set("node-cmd", "echo 'node: data dir {data_dir} is not writable' >&2; exit 3");
  exec_node.options.Set("client-cmd", "sleep 30");  // never answers init_ok
  r = runner::Run(exec_node, std::cout, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("node n1 exited before the run began"), std::string::npos)
      << r.message();
  EXPECT_NE(r.message().find("is not writable"), std::string::npos) << r.message();
  EXPECT_EQ(fs::canonical(latest), fs::canonical(first.dir));
}

// An adapter broken after init_ok for all but reads: writes and cas never succeed. A run that
// never once saw some kind of op succeed proves nothing about it, and the stored history says
// the same to jepsen-check.
TEST(Stats, ARunWhoseWritesNeverSucceededIsNotValid) {
  RunOptions o = Quick("register", "none", 1);
  o.system = "exec";
  o.options.Set(
      "client-cmd",
      "python3 -u -c 'import json, sys\n"
      "for line in sys.stdin:\n"
      "    r = json.loads(line)\n"
      "    if r.get(\"type\") == \"init\": print(json.dumps({\"type\": \"init_ok\"}))\n"
      "    elif r[\"f\"] == \"read\": print(json.dumps({\"id\": r[\"id\"], \"type\": \"ok\"}))\n"
      "    else: print(json.dumps({\"id\": r[\"id\"], \"type\": \"info\", \"error\": "
      "\"broken\"}))\n"
      "'");
  o.time_limit_s = 1;
  RunReport r = MustRun(o);
  EXPECT_GT(r.ok, 0);
  EXPECT_GT(r.info, 0);
  EXPECT_EQ(r.verdict, checker::Verdict::kUnknown) << Explain(r);
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[1].checker, "stats");
  EXPECT_NE(r.results[1].explanation.find("'write' never succeeded"), std::string::npos)
      << Explain(r);
  EXPECT_EQ(testing::StoredResults(r)["verdict"], "unknown");
  Result<history::History> h = history::ReadJsonl(r.dir + "/history.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  Result<std::vector<checker::CheckResult>> again = checker::CheckHistory(*h, {});
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(checker::Overall(*again), checker::Verdict::kUnknown) << "jepsen-check agrees";
}

// Faults asked for and none injected (the main phase ends before the first is due): unknown.
TEST(Stats, ARunThatAskedForFaultsAndInjectedNoneIsNotValid) {
  RunOptions o = Quick("register", "kill", 1);
  o.time_limit_s = 0.5;
  o.nemesis_interval_s = 5;
  RunReport r = MustRun(o);
  EXPECT_EQ(r.faults, 0);
  EXPECT_EQ(r.verdict, checker::Verdict::kUnknown) << Explain(r);
  EXPECT_NE(Explain(r).find("asked for faults and none took effect"), std::string::npos);
}

// Starts jepsen-run in a child process with `args` (key=value); its output goes to `log`.
pid_t StartTool(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    const std::string run = std::string(JEPSEN_BIN_DIR) + "/jepsen-run";
    std::vector<char*> argv = {const_cast<char*>(run.c_str())};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    FILE* out = std::fopen(log.c_str(), "w");
    if (out != nullptr) {
      ::dup2(::fileno(out), STDOUT_FILENO);
      ::dup2(::fileno(out), STDERR_FILENO);
    }
    ::execv(run.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

// Kills and reaps a child started by StartTool when the test ends early (a failed ASSERT).
struct KillOnExit {
  pid_t pid = 0;
  ~KillOnExit() {
    if (pid > 0 && ::kill(pid, SIGKILL) == 0) ::waitpid(pid, nullptr, 0);
  }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every process descended from `root` (by parent pid): pid -> process group.
std::map<int, int> Descendants(int root) {
  std::map<int, std::pair<int, int>> all;  // pid -> (ppid, pgrp)
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = ReadFile((entry.path() / "stat").string());
    const size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    char state = 0;
    int ppid = 0, pgrp = 0;
    fields >> state >> ppid >> pgrp;
    if (state != 'Z') all[std::stoi(name)] = {ppid, pgrp};
  }
  std::map<int, int> found;
  for (bool more = true; more;) {
    more = false;
    for (const auto& [pid, parent] : all) {
      if (found.count(pid) == 0 && (parent.first == root || found.count(parent.first) != 0)) {
        found[pid] = parent.second;
        more = true;
      }
    }
  }
  return found;
}

// Live (not zombie) processes among `pids` or in the groups `groups`.
std::vector<int> Survivors(const std::map<int, int>& pids, const std::set<int>& groups) {
  std::vector<int> alive;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = ReadFile((entry.path() / "stat").string());
    const size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    char state = 0;
    int ppid = 0, pgrp = 0;
    fields >> state >> ppid >> pgrp;
    const int pid = std::stoi(name);
    if (state != 'Z' && (pids.count(pid) != 0 || groups.count(pgrp) != 0)) alive.push_back(pid);
  }
  return alive;
}

// kill -9 of jepsen-run: its nodes and adapter, and whatever they started in the background,
// die with it -- checked by the pids and process groups the run started, not by names.
class KillNine : public ::testing::TestWithParam<std::string> {};

TEST_P(KillNine, NoProcessOfTheRunOutlivesIt) {
  const std::string store = StoreDir() + "-kill9-" + GetParam();
  std::vector<std::string> args = {"workload=register", "nemesis=none", "time-limit=60",
                                   "store=" + store};
  if (GetParam() == "exec") {
    args.push_back("system=exec");
    args.push_back("node-cmd=sleep 300 & exec sleep 301");
    args.push_back(
        "client-cmd=sleep 302 & exec python3 -u -c 'import json, sys\n"
        "for line in sys.stdin:\n"
        "    r = json.loads(line)\n"
        "    if r.get(\"type\") == \"init\": print(json.dumps({\"type\": \"init_ok\"}))\n"
        "    else: print(json.dumps({\"id\": r[\"id\"], \"type\": \"ok\"}))\n"
        "'");
  }
  const pid_t run = StartTool(args, store + ".out");
  ASSERT_GT(run, 0);
  KillOnExit guard{run};
  std::map<int, int> started;  // what the run started: pid -> process group
  const size_t expected = GetParam() == "exec" ? 4 : 1;  // nodes, adapter, background children
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (started.size() < expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    started = Descendants(run);
  }
  ASSERT_GE(started.size(), expected) << ReadFile(store + ".out");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the run is under way
  started = Descendants(run);
  std::set<int> groups;
  for (const auto& [pid, group] : started) {
    if (group != ::getpgrp()) groups.insert(group);  // not ours: the run's keepers share it
  }
  EXPECT_GE(groups.size(), GetParam() == "exec" ? 2u : 1u) << "node and adapter groups";
  ASSERT_EQ(::kill(run, SIGKILL), 0);
  ASSERT_EQ(::waitpid(run, nullptr, 0), run);
  guard.pid = 0;
  std::vector<int> alive;
  for (int i = 0; i < 50; ++i) {
    alive = Survivors(started, groups);
    if (alive.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(alive.empty()) << alive.size() << " processes of the run outlived it, the first "
                             << (alive.empty() ? 0 : alive[0]);
}

INSTANTIATE_TEST_SUITE_P(Systems, KillNine, ::testing::Values("refstore", "exec"));

// A disk that fills up after the history was written: the run names the file it could not
// write, exits 254 (not 0 with an empty results.json), and leaves no temporary file behind.
// The store is a tmpfs too small for report.html; the adapter keeps no data of its own.
TEST(FullDisk, ARecordThatCannotBeWrittenIsAnErrorNamingTheFile) {
  if (::geteuid() != 0) GTEST_SKIP() << "a full disk needs root (to mount a small tmpfs)";
  const std::string store = StoreDir() + "-full-disk";
  fs::create_directories(store);
  ASSERT_EQ(::mount("tmpfs", store.c_str(), "tmpfs", 0, "size=24k"), 0) << std::strerror(errno);
  struct Unmount {
    std::string dir;
    ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
  } unmount{store};
  const pid_t pid = StartTool(
      {"system=exec", "time-limit=0.5", "rate=40", "store=" + store,
       "client-cmd=python3 -u -c 'import json, sys\n"
       "for line in sys.stdin:\n"
       "    r = json.loads(line)\n"
       "    if r.get(\"type\") == \"init\": print(json.dumps({\"type\": \"init_ok\"}))\n"
       "    elif r[\"f\"] == \"read\": print(json.dumps({\"id\": r[\"id\"], \"type\": \"ok\"}))\n"
       "    else: print(json.dumps({\"id\": r[\"id\"], \"type\": \"fail\"}))\n"
       "'"},
      store + ".out");
  ASSERT_GT(pid, 0);
  KillOnExit guard{pid};
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  guard.pid = 0;
  const std::string output = ReadFile(store + ".out");
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 254) << output;
  const size_t error = output.find("jepsen-run: error: " + store);
  ASSERT_NE(error, std::string::npos) << output;
  EXPECT_NE(output.find(": cannot write: No space left on device", error), std::string::npos)
      << output;
  const std::string named = output.substr(error);
  EXPECT_TRUE(named.find("results.json") != std::string::npos ||
              named.find("report.html") != std::string::npos ||
              named.find("index.html") != std::string::npos)
      << output;
  const std::string dir = fs::canonical(fs::path(store) / "latest").string();
  EXPECT_TRUE(history::ReadJsonl(dir + "/history.jsonl").ok());
  for (const auto& entry : fs::recursive_directory_iterator(store)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
        << "left behind: " << entry.path();
  }
}

// Times as people read them: the progress line never shows the main phase past its limit
// ("16.0/10 s") but says which phase the run is in; run.log has no "0.000000 s"; a replay
// prints the run's own time and its re-check time, each as such.
TEST(TimeText, ProgressLogAndReplaySayWhatTheTimesAre) {
  RunOptions o = Quick("register", "none", 1);
  o.time_limit_s = 1;
  std::ostringstream out;
  Result<RunReport> r = runner::Run(o, out, false);
  ASSERT_TRUE(r.ok()) << r.message();
  std::istringstream lines(out.str());
  bool stopped = false;
  for (std::string line; std::getline(lines, line);) {
    double t = 0, limit = 0;
    if (std::sscanf(line.c_str(), "main %lf/%lf s", &t, &limit) == 2) {
      EXPECT_LE(t, limit) << line;
    } else {
      EXPECT_EQ(line.find("/1 s"), std::string::npos) << "the main phase past its limit: " << line;
    }
    stopped = stopped || line.rfind("stopped · ", 0) == 0;
  }
  EXPECT_TRUE(stopped) << out.str();
  const std::string log = ReadFile(r->dir + "/run.log");
  EXPECT_NE(log.find("healthy again after "), std::string::npos) << log;
  EXPECT_EQ(log.find("000000 s"), std::string::npos) << log;

  const ToolRun replay = RunTool("--replay " + r->dir);
  char ran[64];
  std::snprintf(ran, sizeof ran, "ran %.2f s, re-checked in ", r->elapsed_s);
  EXPECT_NE(replay.output.find(ran), std::string::npos) << ran << "\n" << replay.output;
}

// Ctrl-C or SIGTERM: the run stops, every node dies, what was recorded is checked, and the exit
// code never says "valid": a cancelled CI job must not pass. A second signal, while the run is
// still stopping, changes nothing: the record is written all the same.
class Interrupt : public ::testing::TestWithParam<int> {};

TEST_P(Interrupt, StopsEverythingChecksWhatWasRecordedAndNeverExitsValid) {
  const int signals = GetParam();
  const std::string store = StoreDir() + "-interrupt-" + std::to_string(signals);
  pid_t pid = StartTool({"workload=register", "nemesis=pause", "time-limit=60",
                         "nemesis-interval=0.5", "store=" + store},
                        store + ".out");
  ASSERT_GT(pid, 0);
  KillOnExit guard{pid};
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  for (int i = 0; i < signals; ++i) {
    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  guard.pid = 0;
  const std::string output = ReadFile(store + ".out");
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << "\n" << output;
  EXPECT_EQ(WEXITSTATUS(status), 2) << "interrupted, so unknown, although what ran was valid\n"
                                    << output;
  const std::string dir = fs::canonical(fs::path(store) / "latest").string();
  EXPECT_TRUE(ProcessesMentioning(store).empty()) << "a node outlived the interrupted run";
  Result<history::History> h = history::ReadJsonl(dir + "/history.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_GT(h->ops.size(), 50u);
  history::Json results = history::Json::parse(ReadFile(dir + "/results.json"), nullptr, false);
  ASSERT_TRUE(results.is_object()) << dir << "/results.json";
  EXPECT_EQ(results["interrupted"], true);
  EXPECT_EQ(results["interrupted_by"], "SIGTERM");
  EXPECT_EQ(results["verdict"], "unknown");
  EXPECT_EQ(results["exit_code"], 2);
  EXPECT_TRUE(fs::exists(dir + "/report.html"));
  EXPECT_NE(output.find("verdict: unknown"), std::string::npos) << output;
  // --replay keeps the interruption: the stored history alone does not show it.
  Result<RunReport> again = Replay(dir);
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(again->verdict, checker::Verdict::kUnknown);
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupt, ::testing::Values(1, 2), [](const auto& info) {
  return info.param == 1 ? std::string("Once") : std::string("Twice");
});

}  // namespace
}  // namespace jepsen::runner
