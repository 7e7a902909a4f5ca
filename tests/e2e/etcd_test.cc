// End to end against a real etcd cluster (3 nodes of the Debian etcd on
// loopback), a few seconds each: linearizable reads hold under kill and pause,
// fenced leases hold under a client pause while unfenced ones are caught, and
// nothing the run started outlives it, Ctrl-C included.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "history/jsonl.h"
#include "runner/runner.h"
#include "tests/support/run_support.h"

namespace jepsen::runner {
namespace {

namespace fs = std::filesystem;

std::string StoreDir() { return testing::StoreDir("etcd-e2e"); }

bool HaveEtcd() { return ::access("/usr/bin/etcd", X_OK) == 0; }

#define REQUIRE_ETCD() \
  ASSERT_TRUE(HaveEtcd()) << "etcd is not installed: scripts/bootstrap.sh installs etcd-server"
// Partitions make network namespaces and nftables rules: root only (CI runs as root).
#define REQUIRE_ROOT()                                                                   \
  if (::geteuid() != 0)                                                                  \
  GTEST_SKIP() << "this test partitions the network (ip netns, nft), which needs root; " \
                  "run it as root"

// What `nft list tables` prints in the machine's own namespace.
std::string RootTables() {
  std::string out;
  if (FILE* p = ::popen("nft list tables 2>&1", "r")) {
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, p) != nullptr) out += buffer;
    ::pclose(p);
  }
  return out;
}

RunOptions Etcd(const std::string& workload, const std::string& nemesis, uint64_t seed) {
  RunOptions o;
  o.system = "etcd";
  o.workload = workload;
  o.nemesis = nemesis;
  o.seed = seed;
  o.time_limit_s = 5;
  o.nemesis_interval_s = 1.5;  // a new leader takes 1-2 s
  o.concurrency = 5;
  o.store = StoreDir();
  o.binary_dir = JEPSEN_BIN_DIR;
  return o;
}

using testing::Explain;
using testing::MustRun;
using testing::NamespacesOf;
using testing::ProcessesMentioning;

class LinearizableReads : public ::testing::TestWithParam<std::string> {};

TEST_P(LinearizableReads, RegisterIsValid) {
  REQUIRE_ETCD();
  if (GetParam() == "partition") {
    REQUIRE_ROOT();
  }
  RunOptions o = Etcd("register", GetParam(), 21);
  o.targets = "leader,one";
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 100);
  EXPECT_GE(r.faults, 1);
  EXPECT_EQ(testing::StoredResults(r)["counts"]["faults"], r.faults);  // partitions count too
  EXPECT_TRUE(ProcessesMentioning(r.dir).empty())
      << "an etcd node of " << r.dir << " outlived the run";
  EXPECT_TRUE(NamespacesOf(::getpid()).empty()) << "a network namespace outlived the run";
  // The first ops used to time out at once: their timers ran from the loop's clock as it stood
  // before the cluster's (blocking) start.
  const testing::Timeouts timeouts = testing::OpTimeouts(r, o.op_timeout_s);
  EXPECT_TRUE(timeouts.early.empty())
      << timeouts.early.size() << " timed out early, the first: " << timeouts.early[0];
}

INSTANTIATE_TEST_SUITE_P(Etcd, LinearizableReads, ::testing::Values("kill", "pause", "partition"));

TEST(EtcdCheckpoints, ValidUnderKill) {
  REQUIRE_ETCD();
  RunReport r = MustRun(Etcd("checkpoints", "kill", 22));
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 100);
}

// A holder frozen past its 2 s lease wakes up and writes on. Unfenced, etcd
// takes that write after the next holder's; fenced, it refuses it. Whether a
// pause strikes a holder with writes still to do is chance (most runs; the
// workload's own stalled holders add more), so up to three seeds get a go.
TEST(EtcdLeases, UnfencedWritesOfAPausedClientAreCaught) {
  REQUIRE_ETCD();
  std::string tried;
  for (uint64_t seed : {23, 24, 25}) {
    RunOptions o = Etcd("leases", "client-pause", seed);
    o.time_limit_s = 7;
    o.nemesis_interval_s = 1;
    o.options.Set("fencing", false);
    RunReport r = MustRun(o);
    bool stale_write = false;
    for (const Violation& v : Violations(r)) stale_write |= v.kind == "L3";
    if (r.verdict == checker::Verdict::kInvalid && stale_write) return;
    tried += "seed " + std::to_string(seed) + ": " + Explain(r) + "\n";
  }
  FAIL() << "no stale unfenced write was caught in three runs:\n" << tried;
}

TEST(EtcdLeases, FencedWritesHoldUnderClientPause) {
  REQUIRE_ETCD();
  RunOptions o = Etcd("leases", "client-pause", 23);
  o.time_limit_s = 7;
  o.nemesis_interval_s = 1;
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GE(r.faults, 1);
}

// overlap=on on a real cluster: kills, pauses and partitions each on a schedule of their own, so
// a node is killed while cut off or paused, and restarted into its partition. Linearizable reads
// hold, every fault ends, and nothing is left behind.
TEST(EtcdOverlap, KillPauseAndPartitionAtOnceStayValid) {
  REQUIRE_ETCD();
  REQUIRE_ROOT();
  RunOptions o = Etcd("register", "kill,pause,partition", 26);
  o.options.Set("overlap", true);
  o.time_limit_s = 8;
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 100);
  EXPECT_EQ(r.faults_by_kind.size(), 3u) << "every kind struck";
  EXPECT_EQ(r.failed_faults, 0);
  EXPECT_TRUE(ProcessesMentioning(r.dir).empty())
      << "an etcd node of " << r.dir << " outlived the run";
  EXPECT_TRUE(NamespacesOf(::getpid()).empty()) << "a network namespace outlived the run";
}

// Lossy and slow links (nftables' random drop, tc's token bucket in the run's namespaces) on a
// real cluster, at once: etcd retries through them and stays linearizable; both kinds struck,
// none failed, and nothing is left behind. (That they bite is shown in systems/netns_test.cc.)
TEST(EtcdLinks, LossyAndSlowLinksStayValid) {
  REQUIRE_ETCD();
  REQUIRE_ROOT();
  RunOptions o = Etcd("register", "loss,slow", 27);
  o.options.Set("overlap", true);
  o.options.Set("loss-percent", 30);
  o.options.Set("slow-kbit", 128);
  o.time_limit_s = 8;
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 50);
  EXPECT_EQ(r.faults_by_kind.count("loss"), 1u);
  EXPECT_EQ(r.faults_by_kind.count("slow"), 1u);
  EXPECT_EQ(r.failed_faults, 0);
  EXPECT_TRUE(NamespacesOf(::getpid()).empty()) << "a network namespace outlived the run";
}

// Ctrl-C in the middle of a partition: no node, namespace or nft table is left.
TEST(EtcdInterrupt, CtrlCLeavesNothingBehind) {
  REQUIRE_ETCD();
  REQUIRE_ROOT();
  const std::string store = StoreDir() + "-interrupt";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string run = std::string(JEPSEN_BIN_DIR) + "/jepsen-run";
    const std::string store_arg = "store=" + store;
    ::execl(run.c_str(), run.c_str(), "system=etcd", "workload=register", "nemesis=partition",
            "time-limit=60", "nemesis-interval=0.5", store_arg.c_str(),
            static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5000));
  ASSERT_FALSE(ProcessesMentioning(store).empty()) << "the cluster should be running by now";
  ASSERT_FALSE(NamespacesOf(pid).empty()) << "the run should have its network by now";
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_LE(WEXITSTATUS(status), 2);
  EXPECT_TRUE(ProcessesMentioning(store).empty()) << "an etcd node outlived the interrupted run";
  EXPECT_TRUE(NamespacesOf(pid).empty()) << "a network namespace outlived the interrupted run";
  EXPECT_EQ(RootTables().find("jepsen"), std::string::npos) << RootTables();
  const std::string dir = fs::canonical(fs::path(store) / "latest").string();
  EXPECT_TRUE(history::ReadJsonl(dir + "/history.jsonl").ok());
}

// A Ctrl-C while the cluster starts (caught in a turn of the loop its setup takes) ends the run
// once the setup returns: non-zero, nothing left. It used to end the run from inside the setup,
// which then crashed or ran on.
TEST(EtcdInterrupt, CtrlCWhileTheClusterStartsEndsTheRun) {
  REQUIRE_ETCD();
  const std::string store = StoreDir() + "-interrupt-start";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string run = std::string(JEPSEN_BIN_DIR) + "/jepsen-run";
    const std::string store_arg = "store=" + store;
    ::execl(run.c_str(), run.c_str(), "system=etcd", "workload=register", "time-limit=60",
            store_arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Until a member runs (its data directory is under the store; jepsen-run's own argument is
  // not): the cluster is then starting (it takes a second or two to elect).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ProcessesMentioning(store + "/").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status);
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_TRUE(ProcessesMentioning(store).empty()) << "an etcd node outlived the interrupted run";
}

}  // namespace
}  // namespace jepsen::runner
