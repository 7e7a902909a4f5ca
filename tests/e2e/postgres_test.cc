// End to end against a real PostgreSQL node (the Debian server, started by the run), a few
// seconds each: checkpoints acknowledged with synchronous_commit=off are taken back by a power
// loss (C1) and those acknowledged with it on are not; a server clock running fast hands a lease
// on early (L1) while fencing keeps the resource safe (no L3); registers stay linearizable under
// kill, pause, partitions, lossy and slow links; and nothing the run started outlives it, Ctrl-C
// included.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "history/jsonl.h"
#include "runner/runner.h"
#include "tests/support/run_support.h"

namespace jepsen::runner {
namespace {

namespace fs = std::filesystem;

using testing::Explain;
using testing::MustRun;
using testing::NamespacesOf;

bool HavePostgres() {
  std::error_code none;
  for (const auto& version : fs::directory_iterator("/usr/lib/postgresql", none)) {
    if (::access((version.path() / "bin" / "postgres").c_str(), X_OK) == 0) return true;
  }
  return false;
}

#define REQUIRE_POSTGRES()                                                             \
  if (!HavePostgres())                                                                 \
  GTEST_SKIP() << "PostgreSQL's server is not installed (apt-get install postgresql; " \
                  "scripts/bootstrap.sh installs it)"
// Disks (jepsen-diskfs), partitions (ip netns) and the postgres user need root.
#define REQUIRE_ROOT()                                                    \
  if (::geteuid() != 0)                                                   \
  GTEST_SKIP() << "this test mounts jepsen-diskfs or partitions: run as " \
                  "root"

RunOptions Postgres(const std::string& workload, const std::string& nemesis, uint64_t seed) {
  RunOptions o;
  o.system = "postgres";
  o.workload = workload;
  o.nemesis = nemesis;
  o.seed = seed;
  o.time_limit_s = 4;
  o.nemesis_interval_s = 1;
  o.concurrency = 5;
  o.store = testing::StoreDir("postgres-e2e");
  o.binary_dir = JEPSEN_BIN_DIR;
  return o;
}

int64_t Count(const RunReport& r, const std::string& kind) {
  int64_t n = 0;
  for (const Violation& v : Violations(r)) n += v.kind == kind;
  return n;
}

// Live processes working in `dir` (PostgreSQL's processes retitle themselves, but each works in
// its data directory), and mounts under it.
std::vector<std::string> LeftIn(const std::string& dir) {
  if (dir.empty()) return {"(no run directory)"};
  std::vector<std::string> left = testing::ProcessesWorkingIn(dir);
  std::ifstream mounts("/proc/self/mounts");
  for (std::string line; std::getline(mounts, line);) {
    if (line.find(dir) != std::string::npos) left.push_back("mount " + line);
  }
  return left;
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// With synchronous_commit=off PostgreSQL acknowledges a commit before its WAL reaches the disk:
// a power loss takes acknowledged checkpoints back. Whether a power loss lands while some are
// unflushed (the WAL writer flushes every 200 ms) is chance: one of three seeds must show it.
TEST(PostgresCheckpoints, AsynchronousCommitsAreTakenBackByAPowerLoss) {
  REQUIRE_POSTGRES();
  REQUIRE_ROOT();
  std::string tried;
  for (uint64_t seed : {31, 32, 33}) {
    RunOptions o = Postgres("checkpoints", "power", seed);
    o.options.Set("synchronous-commit", false);
    RunReport r = MustRun(o);
    EXPECT_TRUE(LeftIn(r.dir).empty()) << Lines(LeftIn(r.dir));
    if (r.verdict == checker::Verdict::kInvalid && Count(r, "C1") >= 1) return;
    tried += "seed " + std::to_string(seed) + ": " + Explain(r) + "\n";
  }
  FAIL() << "no checkpoint was taken back in three runs:\n" << tried;
}

TEST(PostgresCheckpoints, SynchronousCommitsSurviveAPowerLoss) {
  REQUIRE_POSTGRES();
  REQUIRE_ROOT();
  RunReport r = MustRun(Postgres("checkpoints", "power", 31));
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GE(r.faults_by_kind["power"], 2) << Explain(r);
  EXPECT_EQ(r.failed_faults, 0) << Explain(r);
  EXPECT_GT(r.ok, 1000);
}

// The server's clock at x4 runs leases out four times too early: another client is granted the
// lease while its holder still holds it by its own clock (L1); the fenced writes of the old
// holder are refused, so the resource stays safe (no L3).
TEST(PostgresLeases, AFastServerClockBreaksExclusivityWhileFencingHolds) {
  REQUIRE_POSTGRES();
  RunOptions o = Postgres("leases", "clock", 34);
  o.options.Set("clock-rate", 4.0);
  o.options.Set("keys", 1);
  o.options.Set("ttl-ms", 400);
  o.nemesis_interval_s = 0.6;
  RunReport r = MustRun(o);
  EXPECT_GE(r.faults_by_kind["clock"], 1) << Explain(r);
  EXPECT_EQ(r.verdict, checker::Verdict::kInvalid) << Explain(r);
  EXPECT_GE(Count(r, "L1"), 1) << Explain(r);
  EXPECT_EQ(Count(r, "L3"), 0) << "the resource's fencing holds: " << Explain(r);
}

class PostgresRegister : public ::testing::TestWithParam<std::string> {};

TEST_P(PostgresRegister, IsLinearizable) {
  REQUIRE_POSTGRES();
  if (GetParam() != "kill" && GetParam() != "pause") {
    REQUIRE_ROOT();
  }
  RunReport r = MustRun(Postgres("register", GetParam(), 35));
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GE(r.faults, 2) << Explain(r);
  EXPECT_EQ(r.failed_faults, 0) << Explain(r);
  EXPECT_GT(r.ok, 1000);
  EXPECT_TRUE(LeftIn(r.dir).empty()) << Lines(LeftIn(r.dir));
  EXPECT_TRUE(NamespacesOf(::getpid()).empty()) << "a network namespace outlived the run";
}

// loss,slow: also a store whose path holds a comma (PostgreSQL's socket directories are a list)
INSTANTIATE_TEST_SUITE_P(Faults, PostgresRegister,
                         ::testing::Values("kill", "pause", "partition", "loss,slow"));

// Ctrl-C in the middle of a run with its disk and network: no PostgreSQL process, mount or
// namespace is left, and the history is whole.
TEST(PostgresInterrupt, CtrlCLeavesNothingBehind) {
  REQUIRE_POSTGRES();
  REQUIRE_ROOT();
  const std::string store = testing::StoreDir("postgres-e2e") + "-interrupt";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string run = std::string(JEPSEN_BIN_DIR) + "/jepsen-run";
    const std::string store_arg = "store=" + store;
    ::execl(run.c_str(), run.c_str(), "system=postgres", "workload=checkpoints",
            "nemesis=power,partition", "time-limit=60", "nemesis-interval=0.5", store_arg.c_str(),
            static_cast<char*>(nullptr));
    _exit(127);
  }
  // Until the clients run (a Ctrl-C while the system starts is another matter: the runner's), and
  // a little more.
  auto running = [&store] {
    std::ifstream history(fs::path(store) / "latest" / "history.jsonl");
    int lines = 0;
    for (std::string line; lines < 100 && std::getline(history, line);) ++lines;
    return lines >= 100;
  };
  for (int i = 0; i < 200 && !running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(running()) << "the run should be under way by now";
  ASSERT_FALSE(LeftIn(store).empty()) << "the node should be running";
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  ASSERT_FALSE(NamespacesOf(pid).empty()) << "the run should have its network by now";
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "jepsen-run ended by signal " << WTERMSIG(status);
  EXPECT_LE(WEXITSTATUS(status), 2);
  EXPECT_TRUE(LeftIn(store).empty()) << Lines(LeftIn(store));
  EXPECT_TRUE(NamespacesOf(pid).empty()) << "a network namespace outlived the interrupted run";
  const std::string dir = fs::canonical(fs::path(store) / "latest").string();
  EXPECT_TRUE(history::ReadJsonl(dir + "/history.jsonl").ok());
}

}  // namespace
}  // namespace jepsen::runner
