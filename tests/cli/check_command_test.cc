#include "cli/check_command.h"

#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "history/event.h"
#include "tests/support/busy_core.h"

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

TEST(JepsenCheck, BundledJepsenEdnExamples) {
  // A Knossos-style history with nemesis ops and a timed-out write: a stale read.
  Outcome r = Check({.files = {kExamples + "/jepsen-cas-register.edn"},
                     .model = "cas-register",
                     .checker_options = {{"initial", "0"}}});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("cannot linearize: process 1 read -> 1 ok"), std::string::npos) << r.out;
  // Without its initial value the very first read (of 0) cannot be linearized.
  r = Check({.files = {kExamples + "/jepsen-cas-register.edn"}, .model = "cas-register"});
  EXPECT_NE(r.out.find("cannot linearize: process 0 read -> 0 ok"), std::string::npos) << r.out;
  r = Check({.files = {kExamples + "/jepsen-independent.edn"},
             .model = "cas-register",
             .independent = true});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("linearizable (cas-register, 2 parts)"), std::string::npos) << r.out;
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
  // Each example is a run's history (its header names a nemesis): a stats test case too.
  EXPECT_NE(xml.find("<testsuites name=\"jepsen\" tests=\"5\" failures=\"1\" errors=\"1\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"" + kExamples +
                     "/register-ok.jsonl\" tests=\"2\" "
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
  EXPECT_EQ(
      Check({.files = {path}, .model = "cas-register", .checker_options = {{"initial", "0"}}}).code,
      0);
  EXPECT_EQ(
      Check({.files = {path}, .model = "cas-register", .checker_options = {{"initial", "nil"}}})
          .code,
      1);
  Outcome r =
      Check({.files = {path}, .model = "cas-register", .checker_options = {{"initial", "{:x"}}});
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

// `n` writes on `key` that time out, each seen by a concurrent read, then a
// read of a value nobody wrote, from time `t`: refuting it tries every subset
// and order of the writes.
std::string HardPart(int n, const std::string& key, int64_t t) {
  std::string text;
  auto line = [&](const std::string& type, int process, const std::string& f,
                  const std::string& value, int64_t time) {
    text += "{\"type\":\"" + type + "\",\"process\":" + std::to_string(process) + ",\"f\":\"" + f +
            "\",\"key\":\"" + key + "\"" + (value.empty() ? "" : ",\"value\":" + value) +
            ",\"time\":" + std::to_string(time) + "}\n";
  };
  for (int p = 0; p < n; ++p) {
    line("invoke", 100000 + p, "write", std::to_string(p), t);
    line("invoke", 200000 + p, "read", "", t);
  }
  for (int p = 0; p < n; ++p) {
    line("info", 100000 + p, "write", std::to_string(p), t + 1);
    line("ok", 200000 + p, "read", std::to_string(p), t + 1);
  }
  line("invoke", 300000, "read", "", t + 2);
  line("ok", 300000, "read", "999", t + 3);
  return text;
}

TEST(JepsenCheck, TimeLimitCountsFromTheFilesReadingOnALoadedMachine) {
#ifdef __SANITIZE_ADDRESS__
  GTEST_SKIP() << "under ASan, reading the 48 MB history alone takes longer than the budget";
#endif
  // 300,000 quick ops before the hard part: reading and splitting them take a
  // good part of the budget.
  std::string text = "{\"format\":\"jepsen-history/1\",\"workload\":\"register\"}\n";
  int64_t t = 0;
  for (int i = 0; i < 150000; ++i, t += 4) {
    const std::string common = ",\"process\":" + std::to_string(i % 10) + ",\"key\":\"k" +
                               std::to_string(i % 1000) + "\",\"value\":" + std::to_string(i % 7) +
                               ",\"time\":";
    text += "{\"type\":\"invoke\",\"f\":\"write\"" + common + std::to_string(t) + "}\n";
    text += "{\"type\":\"ok\",\"f\":\"write\"" + common + std::to_string(t + 1) + "}\n";
    text += "{\"type\":\"invoke\",\"f\":\"read\"" + common + std::to_string(t + 2) + "}\n";
    text += "{\"type\":\"ok\",\"f\":\"read\"" + common + std::to_string(t + 3) + "}\n";
  }
  text += HardPart(30, "hard", t);
  const std::string path = WriteTemp("long.jsonl", text);
  text.clear();
  testing::BusyCore busy;
  const auto start = std::chrono::steady_clock::now();
  Outcome r = Check({.files = {path}, .time_limit_seconds = 1.5});
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // A file read past the limit, with nothing left to give the checker, is unknown too.
  Outcome cut = Check({.files = {path}, .time_limit_seconds = 0.02});
  std::remove(path.c_str());
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_LE(elapsed, 1.5 * 1.1 + 0.2);
  if (r.out.find("reading: ") == std::string::npos) {  // read in time (unless very loaded)
    EXPECT_NE(r.out.find("unknown: time limit reached"), std::string::npos) << r.out;
    // Seconds as seconds ("1.52 s", not "1523 ms").
    EXPECT_TRUE(std::regex_search(r.out, std::regex(" · 300061 ops · 1\\.[0-9]{2} s\n"))) << r.out;
  }
  EXPECT_EQ(cut.code, 2) << cut.out << cut.err;
  EXPECT_TRUE(std::regex_search(
      cut.out, std::regex(": unknown · [0-9.]+ m?s\n  reading: .*long.jsonl: time limit reached "
                          "while reading after [0-9]+ MiB\n")))
      << cut.out;
}

TEST(JepsenCheck, BadFlagValuesExit254) {
  const std::string file = kExamples + "/register-ok.jsonl";
  EXPECT_EQ(Check({.files = {file}, .format = "xml"}).code, 254);
  // Numbers set by a caller of RunCheck get the flags' range checks too.
  const double nan = std::nan("");
  EXPECT_EQ(Check({.files = {file}, .time_limit_seconds = nan}).code, 254);
  EXPECT_EQ(Check({.files = {file}, .time_limit_seconds = 9.3e9}).code, 254);
  EXPECT_EQ(Check({.files = {file}, .memory_limit_mb = -1}).code, 254);
  EXPECT_EQ(Check({.files = {file}, .threads = 5000}).code, 254);
  EXPECT_EQ(Check({.files = {file}, .checker_options = {{"drift", nan}}}).code, 254);
  Outcome r = Check({.files = {file}, .time_limit_seconds = 1e300});
  EXPECT_NE(r.err.find("--time-limit: 1e+300 is out of range; expected a number from 0 to 1000000"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Check({.files = {kExamples + "/register-ok.jsonl"},
                   .checker_options = {{"nil-read", "maybe"}}})
                .code,
            254);
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
  EXPECT_EQ(Check({.files = {path}, .checker_options = {{"drift", 0.02}}}).code, 0);
  EXPECT_EQ(Check({.files = {path}, .checker_options = {{"drift", 0.015}}}).code, 0);  // touching
  EXPECT_EQ(Check({.files = {path}, .checker_options = {{"drift", 0.0149}}}).code, 1);
  Outcome r = Check({.files = {path}, .checker_options = {{"drift", 1.5}}});
  EXPECT_EQ(r.code, 254);
  EXPECT_NE(r.err.find("--drift: '1.5' is out of range; expected a number from 0, below 1"),
            std::string::npos)
      << r.err;
}

TEST(JepsenCheckLeases, WithoutClockTimesChecksLineOrder) {
  // No `time`: line numbers are the time, and no lease runs out unreleased.
  const std::string acquire0 =
      "{\"type\":\"invoke\",\"process\":0,\"f\":\"acquire\",\"value\":{\"ttl_ms\":10}}\n"
      "{\"type\":\"ok\",\"process\":0,\"f\":\"acquire\",\"value\":{\"token\":1}}\n";
  const std::string acquire1 =
      "{\"type\":\"invoke\",\"process\":1,\"f\":\"acquire\",\"value\":{\"ttl_ms\":10}}\n"
      "{\"type\":\"ok\",\"process\":1,\"f\":\"acquire\",\"value\":{\"token\":2}}\n";
  const std::string header = "{\"format\":\"jepsen-history/1\",\"workload\":\"leases\"}\n";
  Outcome r = Check(
      {.files = {WriteTemp("notime-ok.jsonl",
                           header + acquire0 +
                               "{\"type\":\"invoke\",\"process\":0,\"f\":\"release\",\"value\":{"
                               "\"token\":1}}\n{\"type\":\"ok\",\"process\":0,\"f\":\"release\","
                               "\"value\":{\"token\":1}}\n" +
                               acquire1)}});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  r = Check({.files = {WriteTemp("notime-overlap.jsonl", header + acquire0 + acquire1)}});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("both held the lease from line 5"), std::string::npos) << r.out;
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

// Runs jepsen-check with `args`, stdout and stderr on a pseudo-terminal
// when `terminal`, else stdout to a pipe and stderr to another; returns what
// it wrote: {terminal or stdout, stderr}.
std::pair<std::string, std::string> ExecOn(bool terminal, const std::vector<std::string>& args) {
  int out[2], err[2];
  if (terminal) {
    EXPECT_EQ(::openpty(&out[0], &out[1], nullptr, nullptr, nullptr), 0);
    err[0] = -1;
  } else {
    EXPECT_EQ(::pipe(out), 0);
    EXPECT_EQ(::pipe(err), 0);
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(terminal ? out[1] : err[1], 2);
    std::vector<char*> argv = {const_cast<char*>(JEPSEN_CHECK_BIN)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  if (!terminal) ::close(err[1]);
  auto drain = [](int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
    ::close(fd);
    return text;
  };
  std::string err_text;
  std::thread err_reader([&] {
    if (!terminal) err_text = drain(err[0]);
  });
  std::string out_text = drain(out[0]);  // a terminal's reads end with EIO
  err_reader.join();
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {out_text, err_text};
}

TEST(JepsenCheckBinary, ProgressOnATerminalOnlyErasedBeforeTheVerdict) {
  const std::string path = WriteTemp("progress.jsonl", HardPart(30, "x", 0));
  const std::vector<std::string> args = {"--model", "register", "--time-limit", "2.6", path};
  auto [terminal, unused] = ExecOn(true, args);
  // Drawn in place after about 2 s, then erased, then the verdict.
  const size_t drawn = terminal.find("\r");
  ASSERT_NE(drawn, std::string::npos) << terminal;
  EXPECT_EQ(drawn, 0u) << terminal;
  EXPECT_NE(terminal.find(": 0/1 part done · "), std::string::npos) << terminal;
  EXPECT_NE(terminal.find("/31 ops linearized · 2."), std::string::npos) << terminal;
  EXPECT_NE(terminal.find("\r\x1b[K" + path + ": unknown"), std::string::npos) << terminal;
  // Not on a terminal: nothing but the verdict.
  auto [out, err] = ExecOn(false, args);
  EXPECT_EQ(out.find(path + ": unknown"), 0u) << out;
  EXPECT_EQ(err, "");
  EXPECT_EQ(out.find('\r'), std::string::npos) << out;
}

TEST(JepsenCheckBinary, NumbersOutOfRangeAreUsageErrors) {
  const std::string file = " " + kExamples + "/register-ok.jsonl";
  EXPECT_EQ(Exec("--time-limit 9.3e9" + file), 254);  // once: skipped the search, "valid"
  EXPECT_EQ(Exec("--time-limit inf" + file), 254);
  EXPECT_EQ(Exec("--time-limit=nan" + file), 254);
  EXPECT_EQ(Exec("--memory-limit 1e400" + file), 254);
  EXPECT_EQ(Exec("--drift nan" + file), 254);
  EXPECT_EQ(Exec("--threads 2x" + file), 254);
  EXPECT_EQ(Exec("--time-limit 30 --threads 1 --drift 0.5" + file), 0);
}

TEST(JepsenCheckBinary, KeyValueOptions) {
  std::string path =
      WriteTemp("nomodel.jsonl", "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n");
  EXPECT_EQ(Exec("model=register " + path), 0);  // once: "model=register: cannot open"
  EXPECT_EQ(Exec(path + " model=register time-limit=5"), 0);
  EXPECT_EQ(Exec("modle=register " + path), 254);
}

}  // namespace
}  // namespace jepsen::cli
