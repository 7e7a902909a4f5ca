// jepsen-run's command: the summary it prints and the exit code it decides,
// shown on stored runs it re-checks (--replay) and runs that cannot start.
#include "cli/run_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace jepsen::cli {
namespace {

namespace fs = std::filesystem;

const std::string kExamples = JEPSEN_EXAMPLES;

struct Outcome {
  int code;
  std::string out, err;
};

Outcome Command(const RunArgs& args) {
  std::ostringstream out, err;
  const int code = RunCommand(args, out, err, false);
  return {code, out.str(), err.str()};
}

// A stored run's directory holding `example` as its history.jsonl.
std::string StoredRun(const std::string& name, const std::string& example) {
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("run-command-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(kExamples + "/" + example, dir / "history.jsonl");
  return dir.string();
}

RunArgs Replay(const std::string& dir) {
  RunArgs args;
  args.replay = dir;
  return args;
}

TEST(RunCommand, ExitCodeIsTheVerdicts) {
  Outcome valid = Command(Replay(StoredRun("valid", "register-ok.jsonl")));
  EXPECT_EQ(valid.code, 0) << valid.out << valid.err;
  EXPECT_NE(valid.out.find(" (re-checked)\nverdict: valid · 6 ops"), std::string::npos)
      << valid.out;
  EXPECT_NE(valid.out.find("re-check: jepsen-check "), std::string::npos) << valid.out;

  Outcome invalid = Command(Replay(StoredRun("invalid", "register-stale-read.jsonl")));
  EXPECT_EQ(invalid.code, 1) << invalid.out << invalid.err;
  EXPECT_NE(invalid.out.find("verdict: invalid"), std::string::npos) << invalid.out;
  EXPECT_NE(invalid.out.find("    cannot linearize"), std::string::npos) << invalid.out;
}

// A run that was interrupted proves nothing more than unknown, even when what it recorded is
// valid: a cancelled CI job must not pass.
TEST(RunCommand, AnInterruptedRunExitsUnknown) {
  const std::string dir = StoredRun("interrupted", "register-ok.jsonl");
  std::ofstream(dir + "/results.json") << R"({"interrupted": true, "interrupted_by": "SIGINT"})";
  Outcome r = Command(Replay(dir));
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("verdict: unknown (interrupted; what was recorded was checked)"),
            std::string::npos)
      << r.out;
}

TEST(RunCommand, WhatCannotRunOrBeCheckedExits254) {
  const std::string missing = ::testing::TempDir() + "/run-command-no-such-run";
  Outcome r = Command(Replay(missing));
  EXPECT_EQ(r.code, 254);
  EXPECT_EQ(r.err.rfind("jepsen-run: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(missing + "/history.jsonl"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");

  RunArgs no_adapter;
  no_adapter.options.system = "exec";
  no_adapter.options.store =
      ::testing::TempDir() + "/run-command-store-" + std::to_string(::getpid());
  r = Command(no_adapter);
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find("system=exec needs client-cmd"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(no_adapter.options.store));
}

// The verdict is printed, but a record that could not be written is an error: 254 (and never
// an exception: a results.json that is a directory used to escape as one, exit 255).
TEST(RunCommand, ARecordThatCannotBeWrittenExits254AfterTheVerdict) {
  for (const char* in_the_way : {"report.html", "results.json"}) {
    const std::string dir =
        StoredRun(std::string("unwritable-") + in_the_way, "register-stale-read.jsonl");
    fs::create_directories(dir + "/" + in_the_way + "/x");  // a directory where the file goes
    Outcome r = Command(Replay(dir));
    EXPECT_EQ(r.code, 254) << in_the_way << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("verdict: invalid"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find(in_the_way), std::string::npos) << r.err;
  }
}

TEST(RunCommand, WritesTheJUnitReportOrExits254) {
  RunArgs args = Replay(StoredRun("junit", "register-stale-read.jsonl"));
  args.junit = args.replay + "/junit.xml";
  Outcome r = Command(args);
  EXPECT_EQ(r.code, 1) << r.err;
  std::ifstream in(args.junit);
  const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(xml.find("<testsuite"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure"), std::string::npos) << xml;

  args.junit = args.replay;  // a directory: cannot be written as a file
  r = Command(args);
  EXPECT_EQ(r.code, 254);
  EXPECT_EQ(r.err, "jepsen-run: error: cannot write " + args.replay + "\n");
}

}  // namespace
}  // namespace jepsen::cli
