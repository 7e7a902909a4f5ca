#include "cli/check_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
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
  Outcome r =
      Check({.files = {kExamples + "/register-ok.jsonl", kExamples + "/register-stale-read.jsonl"},
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

TEST(JepsenCheck, JUnitHasASuitePerFileAndFailuresCarryTheExplanation) {
  std::string xml_path = WriteTemp("junit.xml", "");
  const std::string missing = kExamples + "/no-such-history.jsonl";
  Outcome r = Check({.files = {kExamples + "/register-ok.jsonl",
                               kExamples + "/register-stale-read.jsonl", missing},
                     .junit_out = xml_path});
  EXPECT_EQ(r.code, 254);  // an unreadable file outranks an invalid one
  std::ifstream in(xml_path);
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(xml.find("<testsuites name=\"jepsen\" tests=\"3\" failures=\"1\" errors=\"1\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"" + kExamples +
                     "/register-ok.jsonl\" tests=\"1\" "
                     "failures=\"0\" errors=\"0\""),
            std::string::npos)
      << xml;
  const size_t failure = xml.find("<failure message=");
  ASSERT_NE(failure, std::string::npos) << xml;
  EXPECT_NE(xml.find("cannot linearize: process 3 read [key &quot;x&quot;] -&gt; 1 ok", failure),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"" + missing + "\" name=\"read\">"), std::string::npos)
      << xml;
}

TEST(JepsenCheck, UnreadableInputExits254NamingFileAndLine) {
  std::string path = WriteTemp("bad.jsonl",
                               "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n"
                               "{\"type\":\"ok\",\"process\":0,\"f\":\"write\"}\n");
  Outcome r = Check({.files = {path}, .model = "register"});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find(path + ":2: completion field 'f' is \"write\""), std::string::npos) << r.err;
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
  std::string path =
      WriteTemp("noheader.jsonl", "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n");
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

TEST(JepsenCheckLeases, ValidExampleExitsZero) {
  Outcome r = Check({.files = {kExamples + "/leases-ok.jsonl"}});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("leases: L1-L4 hold (2 resources, 3 grants, drift 0.01)"), std::string::npos)
      << r.out;
}

TEST(JepsenCheckLeases, OverlappingHoldersExitOneAndExplain) {
  Outcome r = Check({.files = {kExamples + "/leases-overlap.jsonl"}});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("leases: 2 violations: L1 x1, L3 x1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    L1 mutual exclusion, key \"lock-a\": process 0 (token 1) and process "
                       "1 (token 2) both held the lease from 1.502 s to 1.981 s; a clock of "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    L3 storage fencing"), std::string::npos) << r.out;
}

TEST(JepsenCheckLeases, DriftFlagOverridesTheHeader) {
  // A holds until 0 + 1000 ms * (1 - drift); B's hold begins at 985 ms.
  std::string path = WriteTemp(
      "drift.jsonl",
      "{\"format\":\"jepsen-history/1\",\"workload\":\"leases\",\"options\":{\"drift\":0.01}}\n"
      "{\"type\":\"invoke\",\"process\":0,\"f\":\"acquire\",\"key\":\"r\",\"value\":{\"ttl_ms\":"
      "1000},\"time\":0}\n"
      "{\"type\":\"ok\",\"process\":0,\"f\":\"acquire\",\"key\":\"r\",\"value\":{\"token\":1},"
      "\"time\":1000000}\n"
      "{\"type\":\"invoke\",\"process\":1,\"f\":\"acquire\",\"key\":\"r\",\"value\":{\"ttl_ms\":"
      "1000},\"time\":900000000}\n"
      "{\"type\":\"ok\",\"process\":1,\"f\":\"acquire\",\"key\":\"r\",\"value\":{\"token\":2},"
      "\"time\":985000000}\n");
  EXPECT_EQ(Check({.files = {path}}).code, 1);
  EXPECT_EQ(Check({.files = {path}, .drift = 0.02}).code, 0);
  EXPECT_EQ(Check({.files = {path}, .drift = 0.015}).code, 0);  // touching
  EXPECT_EQ(Check({.files = {path}, .drift = 0.0149}).code, 1);
  Outcome r = Check({.files = {path}, .drift = 1.5});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find("--drift must be in [0, 1)"), std::string::npos) << r.err;
}

TEST(JepsenCheckLeases, NeedsClockTimes) {
  std::string path = WriteTemp(
      "notime.jsonl",
      "{\"format\":\"jepsen-history/1\",\"workload\":\"leases\"}\n"
      "{\"type\":\"invoke\",\"process\":0,\"f\":\"acquire\",\"value\":{\"ttl_ms\":10}}\n");
  Outcome r = Check({.files = {path}});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find(path + ": the leases checker needs clock times"), std::string::npos)
      << r.err;
}

TEST(JepsenCheckCheckpoints, ExamplesExitZeroAndOne) {
  Outcome r = Check({.files = {kExamples + "/checkpoints-ok.jsonl"}});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("checkpoints: C1-C4 hold (2 streams, 5 checkpoints, 6 reads)"),
            std::string::npos)
      << r.out;
  r = Check({.files = {kExamples + "/checkpoints-lost-ack.jsonl"}});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("the read by process 3 (at 1.204 s) returned seq 5, but checkpoint 7 was "
                       "acknowledged at 1.100 s, before the read began; a kill of n1 (1.150 s), "
                       "a start of n1 (1.180 s) happened in between"),
            std::string::npos)
      << r.out;
}

TEST(JepsenCheckCheckpoints, JsonCarriesKindOpsStepsAndFaults) {
  Outcome r = Check({.files = {kExamples + "/checkpoints-lost-ack.jsonl"}, .json_out = "-"});
  EXPECT_EQ(r.code, 1);
  Json doc = Json::parse(r.out);
  const Json& check = doc["files"][0]["checks"][0];
  EXPECT_EQ(check["checker"], "checkpoints");
  EXPECT_EQ(check["details"]["count"], 1);
  EXPECT_EQ(check["details"]["counts"]["C1"], 1);
  const Json& v = check["details"]["violations"][0];
  EXPECT_EQ(v["kind"], "C1");
  EXPECT_EQ(v["key"], "task-1");
  ASSERT_EQ(v["ops"].size(), 2u);
  EXPECT_EQ(v["ops"][0]["invoke"]["line"], 4);
  EXPECT_EQ(v["ops"][0]["complete"]["time"], 1100000000);
  EXPECT_EQ(v["ops"][1]["invoke"]["time"], 1204000000);
  ASSERT_EQ(v["steps"].size(), 2u);
  EXPECT_EQ(v["steps"][0]["edge"], "real-time");
  EXPECT_EQ(v["steps"][1]["edge"], "rw");
  EXPECT_EQ(v["nemesis"].size(), 2u);
  EXPECT_NE(v["text"].get<std::string>().find("C1 lost acknowledgement"), std::string::npos);
}

TEST(JepsenCheckCheckpoints, CheckerFlagOverridesTheHeader) {
  // A lease history read as checkpoints: 'acquire' is no checkpoint op.
  Outcome r = Check({.files = {kExamples + "/leases-ok.jsonl"}, .checker = "checkpoints"});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find("leases-ok.jsonl:2: checkpoints checker: field 'f' 'acquire'"),
            std::string::npos)
      << r.err;
  // A history without a workload, checked by flag.
  std::string path =
      WriteTemp("ckpt.jsonl",
                "{\"type\":\"invoke\",\"process\":0,\"f\":\"checkpoint\",\"value\":{\"seq\":1}}\n"
                "{\"type\":\"ok\",\"process\":0,\"f\":\"checkpoint\",\"value\":{\"seq\":1}}\n"
                "{\"type\":\"invoke\",\"process\":1,\"f\":\"read\"}\n"
                "{\"type\":\"ok\",\"process\":1,\"f\":\"read\",\"value\":null}\n");
  EXPECT_EQ(Check({.files = {path}, .checker = "checkpoints"}).code, 1);
  EXPECT_EQ(Check({.files = {path}, .checker = "nope"}).code, 254);
}

// The binary itself: flag parsing and exit codes as a CI job sees them.
int Exec(const std::string& args) {
  int status =
      std::system((std::string(JEPSEN_CHECK_BIN) + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(JepsenCheckBinary, ExitCodes) {
  EXPECT_EQ(Exec("--help"), 0);
  EXPECT_EQ(Exec(kExamples + "/register-ok.jsonl"), 0);
  EXPECT_EQ(Exec(kExamples + "/register-stale-read.jsonl"), 1);
  EXPECT_EQ(Exec("--no-such-flag " + kExamples + "/register-ok.jsonl"), 254);
  EXPECT_EQ(Exec(""), 254);  // no file
  EXPECT_EQ(Exec(kExamples + "/leases-ok.jsonl"), 0);
  EXPECT_EQ(Exec("--drift 0.02 " + kExamples + "/leases-overlap.jsonl"), 1);
  EXPECT_EQ(Exec("--checker checkpoints " + kExamples + "/checkpoints-lost-ack.jsonl"), 1);
  EXPECT_EQ(Exec("--checker leases " + kExamples + "/checkpoints-ok.jsonl"), 254);
}

}  // namespace
}  // namespace jepsen::cli
