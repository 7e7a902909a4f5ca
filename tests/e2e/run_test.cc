// End to end: real runs of jepsen-run against the reference store, a few
// seconds each. The correct store must be valid under every nemesis; every
// planted bug must be found, with the right violation, under the nemesis that
// exposes it.
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

namespace jepsen::runner {
namespace {

namespace fs = std::filesystem;

std::string StoreDir() {
  return (fs::path(::testing::TempDir()) / ("e2e-store-" + std::to_string(::getpid()))).string();
}

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

RunReport MustRun(const RunOptions& o) {
  std::ostringstream out;
  Result<RunReport> report = Run(o, out, false);
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.message());
  return report.ok() ? report.value() : RunReport{};
}

// The pids of processes whose command line mentions `text` (never by name: by content).
std::vector<int> ProcessesMentioning(const std::string& text) {
  std::vector<int> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(text) != std::string::npos && std::stoi(name) != ::getpid()) {
      pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

class CorrectStore : public ::testing::TestWithParam<std::tuple<std::string, std::string, int>> {};

TEST_P(CorrectStore, IsValid) {
  auto [workload, nemesis, seed] = GetParam();
  RunReport r = MustRun(Quick(workload, nemesis, static_cast<uint64_t>(seed)));
  EXPECT_EQ(r.verdict, checker::Verdict::kValid)
      << (r.results.empty() ? "" : r.results[0].summary + "\n" + r.results[0].explanation);
  EXPECT_GT(r.ok, 100);  // the run really ran
  if (nemesis != "none") {
    EXPECT_GE(r.faults, 1);
  }
  EXPECT_TRUE(ProcessesMentioning(r.dir).empty()) << "a node of " << r.dir << " outlived the run";
  // jepsen-check on the stored history reproduces the verdict.
  EXPECT_TRUE(fs::exists(r.dir + "/results.json"));
  EXPECT_TRUE(history::ReadJsonl(r.dir + "/history.jsonl").ok());
}

INSTANTIATE_TEST_SUITE_P(
    Runs, CorrectStore,
    ::testing::Combine(::testing::Values("register"), ::testing::Values("none", "kill", "pause"),
                       ::testing::Values(1, 2)));

TEST(PlantedBugs, StaleReadsAreNotLinearizable) {
  RunOptions o = Quick("register", "none", 3);
  o.bugs = {"stale-reads"};
  RunReport r = MustRun(o);
  ASSERT_EQ(r.verdict, checker::Verdict::kInvalid);
  EXPECT_EQ(r.results[0].checker, "linearizable");
}

TEST(PlantedBugs, AckBeforeDurableLosesWritesOnKill) {
  RunOptions o = Quick("register", "kill", 4);
  o.bugs = {"ack-before-durable"};
  o.time_limit_s = 4;
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kInvalid);
}

TEST(Interrupt, SigtermStopsEverythingAndChecksWhatWasRecorded) {
  const std::string store = StoreDir() + "-interrupt";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string run = std::string(JEPSEN_BIN_DIR) + "/jepsen-run";
    const std::string store_arg = "store=" + store;
    ::execl(run.c_str(), run.c_str(), "workload=register", "nemesis=pause", "time-limit=60",
            "nemesis-interval=0.5", store_arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the correct store stays valid when interrupted";
  const std::string dir = fs::canonical(fs::path(store) / "latest").string();
  EXPECT_TRUE(ProcessesMentioning(store).empty()) << "a node outlived the interrupted run";
  Result<history::History> h = history::ReadJsonl(dir + "/history.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_GT(h->ops.size(), 50u);
  std::ifstream results(dir + "/results.json");
  EXPECT_NE(std::string((std::istreambuf_iterator<char>(results)), {}).find("\"interrupted\": true"),
            std::string::npos);
}

}  // namespace
}  // namespace jepsen::runner
