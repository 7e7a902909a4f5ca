// Every fault on every system it applies to, with the system configured
// safely: the reference store (sync=full) and the exec example (taskstore,
// safe), checkpoints over a few seeds. Each run must be valid, the fault must
// have struck (counted by kind) and none may have failed, and nothing the run
// started — nodes, namespaces, mounts — may outlive it. A fault that a system
// cannot take is refused before the run (its own tests show that); here only
// what each can take. Faults that need root (network, disk, clock) skip
// without it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <tuple>

#include "runner/runner.h"
#include "tests/support/run_support.h"

namespace jepsen::runner {
namespace {

bool NeedsRoot(const std::string& fault) {
  return fault != "kill" && fault != "pause" && fault != "client-pause";
}

bool Mounted(const std::string& dir) {
  std::ifstream mounts("/proc/self/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    if (line.find(dir) != std::string::npos) return true;
  }
  return false;
}

using Case = std::tuple<std::string, std::string, int>;  // system, fault, seed

class EveryFault : public ::testing::TestWithParam<Case> {};

TEST_P(EveryFault, TheSafeSystemStaysValidAndTheFaultStrikes) {
  const auto& [system, fault, seed] = GetParam();
  if (NeedsRoot(fault) && ::geteuid() != 0) GTEST_SKIP() << fault << " needs root";
  RunOptions o;
  o.workload = "checkpoints";
  o.nemesis = fault;
  o.seed = static_cast<uint64_t>(seed);
  o.time_limit_s = system == "refstore" ? 3 : 5;
  o.nemesis_interval_s = system == "refstore" ? 0.6 : 1.2;
  o.concurrency = 4;
  o.store = testing::StoreDir("e2e-matrix-store");
  o.binary_dir = JEPSEN_BIN_DIR;
  if (system == "taskstore") testing::UseTaskstore(o, "");
  RunReport r = testing::MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << testing::Explain(r);
  EXPECT_GT(r.ok, 20) << "the run really ran";
  EXPECT_GT(r.faults_by_kind[fault], 0) << fault << " never struck";
  EXPECT_EQ(r.failed_faults, 0);
  EXPECT_TRUE(testing::ProcessesMentioning(r.dir).empty()) << "a node outlived the run";
  EXPECT_TRUE(testing::NamespacesOf(::getpid()).empty()) << "a namespace outlived the run";
  EXPECT_FALSE(Mounted(r.dir)) << "a mount outlived the run";
}

const std::string kFaults[] = {"kill",  "pause", "client-pause", "partition",   "loss", "slow",
                               "power", "torn",  "disk-full",    "fsync-error", "clock"};

INSTANTIATE_TEST_SUITE_P(Refstore, EveryFault,
                         ::testing::Combine(::testing::Values(std::string("refstore")),
                                            ::testing::ValuesIn(kFaults), ::testing::Values(1, 2)),
                         [](const auto& info) {
                           std::string name = std::get<1>(info.param) + "_seed" +
                                              std::to_string(std::get<2>(info.param));
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

INSTANTIATE_TEST_SUITE_P(Taskstore, EveryFault,
                         ::testing::Combine(::testing::Values(std::string("taskstore")),
                                            ::testing::ValuesIn(kFaults), ::testing::Values(3)),
                         [](const auto& info) {
                           std::string name = std::get<1>(info.param);
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace jepsen::runner
