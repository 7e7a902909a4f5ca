#include "cli/check_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "history/event.h"

namespace jepsen::cli {
namespace {

using history::Json;

const std::string kExamples = JEPSEN_EXAMPLES;

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path) << text;
  return path;
}

struct Outcome {
  int code;
  std::string out, err;
};

Outcome Check(CheckCommand command) {
  std::ostringstream out, err;
  int code = RunCheck(command, out, err);
  return {code, out.str(), err.str()};
}

TEST(JepsenCheck, ValidHistoryExitsZero) {
  Outcome r = Check({.files = {kExamples + "/register-ok.jsonl"}});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("register-ok.jsonl: valid · 6 ops"), std::string::npos) << r.out;
}

TEST(JepsenCheck, InvalidHistoryExitsOneAndExplains) {
  Outcome r = Check({.files = {kExamples + "/register-stale-read.jsonl"}});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("invalid"), std::string::npos);
  EXPECT_NE(r.out.find("cannot linearize: process 3 read [key \"x\"] -> 1 ok"), std::string::npos)
      << r.out;
}

TEST(JepsenCheck, JsonResultsCarryTheVerdictAndTheFailure) {
  std::string json_path = WriteTemp("results.json", "");
  Outcome r = Check({.files = {kExamples + "/register-ok.jsonl", kExamples + "/register-stale-read.jsonl"},
                 .json_out = json_path});
  EXPECT_EQ(r.code, 1);  // the worst of valid and invalid
  std::ifstream in(json_path);
  Json doc = Json::parse(in);
  EXPECT_EQ(doc["verdict"], "invalid");
  EXPECT_EQ(doc["exit_code"], 1);
  ASSERT_EQ(doc["files"].size(), 2u);
  EXPECT_EQ(doc["files"][0]["verdict"], "valid");
  EXPECT_EQ(doc["files"][0]["format"], "jsonl");
  const Json& check = doc["files"][1]["checks"][0];
  EXPECT_EQ(check["checker"], "linearizable");
  EXPECT_EQ(check["verdict"], "invalid");
  EXPECT_EQ(check["details"]["failure"]["key"], "x");
  EXPECT_EQ(check["details"]["failure"]["op"]["process"], 3);
  EXPECT_EQ(check["details"]["failure"]["op"]["invoke"]["line"], 14);
}

TEST(JepsenCheck, UnreadableInputExits254NamingFileAndLine) {
  std::string path = WriteTemp("bad.jsonl",
                               "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n"
                               "{\"type\":\"ok\",\"process\":0,\"f\":\"write\"}\n");
  Outcome r = Check({.files = {path}, .model = "register"});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find(path + ":2: completion field 'f' is 'write'"), std::string::npos) << r.err;
  // One bad file among good ones still makes the run 254, and the others are checked.
  r = Check({.files = {kExamples + "/register-ok.jsonl", path}});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.out.find("register-ok.jsonl: valid"), std::string::npos);
}

TEST(JepsenCheck, MissingFileExits254) {
  Outcome r = Check({.files = {"/nonexistent.jsonl"}, .model = "register"});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find("/nonexistent.jsonl: cannot open"), std::string::npos) << r.err;
}

TEST(JepsenCheck, HistoryWithoutWorkloadAsksForAModel) {
  std::string path = WriteTemp("noheader.jsonl", "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n");
  Outcome r = Check({.files = {path}});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find("give --model NAME"), std::string::npos) << r.err;
  r = Check({.files = {path}, .model = "register"});
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST(JepsenCheck, InitialValueAcceptsJsonAndEdn) {
  std::string path = WriteTemp("cas.jsonl",
                               "{\"type\":\"invoke\",\"process\":0,\"f\":\"cas\",\"value\":[0,1]}\n"
                               "{\"type\":\"ok\",\"process\":0,\"f\":\"cas\",\"value\":[0,1]}\n");
  EXPECT_EQ(Check({.files = {path}, .model = "cas-register"}).code, 1);
  EXPECT_EQ(Check({.files = {path}, .model = "cas-register", .initial = "0"}).code, 0);
  EXPECT_EQ(Check({.files = {path}, .model = "cas-register", .initial = "nil"}).code, 1);
  Outcome r = Check({.files = {path}, .model = "cas-register", .initial = "{:x"});
  EXPECT_EQ(r.code, 254);
}

TEST(JepsenCheck, TimeLimitGivesUnknownExitTwo) {
  // Concurrent writes each seen by a concurrent read, then a read of a value
  // nobody wrote: refuting it means trying every order of the writes.
  std::string text;
  auto line = [&](const char* type, int process, const char* f, int value, int time) {
    text += std::string("{\"type\":\"") + type + "\",\"process\":" + std::to_string(process) +
            ",\"f\":\"" + f + "\",\"value\":" + std::to_string(value) +
            ",\"time\":" + std::to_string(time) + "}\n";
  };
  for (int p = 0; p < 26; ++p) {
    line("invoke", p, "write", p, 1);
    text += "{\"type\":\"invoke\",\"process\":" + std::to_string(100 + p) +
            ",\"f\":\"read\",\"time\":1}\n";
  }
  for (int p = 0; p < 26; ++p) {
    line("ok", p, "write", p, 2);
    line("ok", 100 + p, "read", p, 2);
  }
  text += "{\"type\":\"invoke\",\"process\":999,\"f\":\"read\",\"time\":3}\n";
  line("ok", 999, "read", 999, 4);
  std::string path = WriteTemp("hard.jsonl", text);
  Outcome r = Check({.files = {path}, .model = "register", .time_limit_seconds = 0.2});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("unknown: time limit reached"), std::string::npos) << r.out;
}

TEST(JepsenCheck, BadFlagValuesExit254) {
  EXPECT_EQ(Check({.files = {kExamples + "/register-ok.jsonl"}, .format = "xml"}).code, 254);
  EXPECT_EQ(Check({.files = {kExamples + "/register-ok.jsonl"}, .nil_read = "maybe"}).code, 254);
  EXPECT_EQ(Check({.files = {kExamples + "/register-ok.jsonl"}, .model = "nope"}).code, 254);
}

// The binary itself: flag parsing and exit codes as a CI job sees them.
int Exec(const std::string& args) {
  int status = std::system((std::string(JEPSEN_CHECK_BIN) + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(JepsenCheckBinary, ExitCodes) {
  EXPECT_EQ(Exec("--help"), 0);
  EXPECT_EQ(Exec(kExamples + "/register-ok.jsonl"), 0);
  EXPECT_EQ(Exec(kExamples + "/register-stale-read.jsonl"), 1);
  EXPECT_EQ(Exec("--no-such-flag " + kExamples + "/register-ok.jsonl"), 254);
  EXPECT_EQ(Exec(""), 254);  // no file
}

}  // namespace
}  // namespace jepsen::cli
