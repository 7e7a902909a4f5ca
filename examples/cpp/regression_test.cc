// A regression suite for recovery logic, in GoogleTest, through the C++ API
// (runner/runner.h): configure a run, get the verdict and the violations back.
// CI builds and runs it with the rest of the tests.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "runner/runner.h"

namespace {

jepsen::runner::RunOptions Options(const std::string& workload, const std::string& nemesis) {
  jepsen::runner::RunOptions o;
  o.workload = workload;
  o.nemesis = nemesis;
  o.time_limit_s = 3;
  o.nemesis_interval_s = 0.8;
  o.seed = 42;  // the same seed, the same op schedule
  o.store = (std::filesystem::temp_directory_path() / "jepsen-example-store").string();
  o.binary_dir = JEPSEN_BIN_DIR;  // where jepsen-refstore was built
  return o;
}

// A run's directory (history.jsonl, report.html) is what to look at when a test fails; runs
// that passed are removed so the suite does not fill the disk.
void KeepOnlyIfFailed(const jepsen::runner::RunReport& report) {
  if (::testing::Test::HasFailure()) {
    std::cout << "kept for inspection: " << report.dir << "/report.html\n";
  } else {
    std::filesystem::remove_all(report.dir);
  }
}

// The reference store keeps acknowledged checkpoints across kill -9.
TEST(RecoveryRegression, CheckpointsSurviveKill) {
  auto report = jepsen::runner::Run(Options("checkpoints", "kill"), std::cout, false);
  ASSERT_TRUE(report.ok()) << report.message();
  EXPECT_EQ(report->verdict, jepsen::checker::Verdict::kValid);
  for (const auto& v : jepsen::runner::Violations(*report)) ADD_FAILURE() << v.text;
  KeepOnlyIfFailed(*report);
}

// A store that keeps state only in memory loses acknowledged checkpoints on
// kill: the suite must say so, naming the lost acknowledgement (C1).
TEST(RecoveryRegression, MemoryOnlyStoreLosesCheckpoints) {
  auto options = Options("checkpoints", "kill");
  options.options.Set("bug", "memory-only");  // the reference store's options, by name
  auto report = jepsen::runner::Run(options, std::cout, false);
  ASSERT_TRUE(report.ok()) << report.message();
  EXPECT_EQ(report->verdict, jepsen::checker::Verdict::kInvalid);
  bool lost_ack = false;
  for (const auto& v : jepsen::runner::Violations(*report)) lost_ack = lost_ack || v.kind == "C1";
  EXPECT_TRUE(lost_ack);
  KeepOnlyIfFailed(*report);
}

}  // namespace
