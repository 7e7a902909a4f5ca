#include "cli/options.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "checker/registry.h"
#include "cli/check_options.h"
#include "cli/run_options.h"
#include "runner/run_options.h"

namespace jepsen::cli {
namespace {

TEST(NearestName, SuggestsTyposAndPrefixesOnly) {
  const std::vector<std::string> known = {"workload",     "nemesis", "time-limit",
                                          "memory-limit", "model",   "seed"};
  EXPECT_EQ(NearestName("workloads", known), "workload");
  EXPECT_EQ(NearestName("modle", known), "model");  // a swap is one edit
  EXPECT_EQ(NearestName("time_limit", known), "time-limit");
  EXPECT_EQ(NearestName("mem", known), "memory-limit");
  EXPECT_EQ(NearestName("sed", known), "seed");
  EXPECT_EQ(NearestName("colour", known), "");
  EXPECT_EQ(NearestName("x", known), "");
}

struct Parsed {
  std::optional<int> exit;
  std::string out, err;
};

Parsed Check(const std::vector<std::string>& args, CheckCommand& command) {
  std::ostringstream out, err;
  std::optional<int> exit = ParseCheckArgs(args, command, out, err);
  return {exit, out.str(), err.str()};
}

Parsed ParseRun(const std::vector<std::string>& args, RunArgs& run) {
  std::ostringstream out, err;
  std::optional<int> exit = ParseRunArgs(args, run, out, err);
  return {exit, out.str(), err.str()};
}

TEST(ParseCheckArgs, FlagsInEveryForm) {
  CheckCommand c;
  Parsed p = Check({"--model", "kv", "--time-limit=2.5", "threads=3", "a.jsonl", "drift=0.02",
                    "--memory-limit", "64", "--independent", "b.jsonl"},
                   c);
  ASSERT_FALSE(p.exit) << p.err;
  EXPECT_EQ(c.model, "kv");
  EXPECT_EQ(c.time_limit_seconds, 2.5);
  EXPECT_EQ(c.threads, 3u);
  EXPECT_EQ(c.checker_options.at("drift"), 0.02);
  EXPECT_EQ(c.memory_limit_mb, 64);
  EXPECT_TRUE(c.independent);
  EXPECT_EQ(c.files, (std::vector<std::string>{"a.jsonl", "b.jsonl"}));
}

TEST(ParseCheckArgs, KeyValueIsAFileWhenSuchAFileExists) {
  const std::string path = ::testing::TempDir() + "/model=kv";
  std::ofstream(path) << "\n";
  CheckCommand c;
  Parsed p = Check({path, "model=register"}, c);
  ASSERT_FALSE(p.exit) << p.err;
  EXPECT_EQ(c.files, std::vector<std::string>{path});
  EXPECT_EQ(c.model, "register");
  std::remove(path.c_str());
}

TEST(ParseCheckArgs, DriftIsUnsetUnlessGiven) {
  CheckCommand c;
  ASSERT_FALSE(Check({"a.jsonl"}, c).exit);
  EXPECT_EQ(c.checker_options.count("drift"), 0u);
}

TEST(ParseCheckArgs, OutOfRangeNumbersAreUsageErrorsShowingTheRange) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--time-limit", "9.3e9"},
       "--time-limit: '9.3e9' is out of range; expected a number from 0 to 1000000"},
      {{"--time-limit", "inf"},
       "--time-limit: 'inf' is not a finite number; expected a number from 0 to 1000000"},
      {{"time-limit=nan"},
       "--time-limit: 'nan' is not a finite number; expected a number from 0 to 1000000"},
      {{"--time-limit", "-1"},
       "--time-limit: '-1' is out of range; expected a number from 0 to 1000000"},
      {{"--memory-limit", "1e400"},
       "--memory-limit: '1e400' is out of range; expected a number from 0 to 16777216"},
      {{"--threads", "-1"},
       "--threads: '-1' is out of range; expected a whole number from 0 to 1024"},
      {{"--threads", "2x"},
       "--threads: '2x' is not a number; expected a whole number from 0 to 1024"},
      {{"--drift", "nan"},
       "--drift: 'nan' is not a finite number; expected a number from 0, below 1"},
      {{"--drift=1"}, "--drift: '1' is out of range; expected a number from 0, below 1"},
  };
  for (const auto& [args, message] : cases) {
    CheckCommand c;
    std::vector<std::string> all = args;
    all.push_back("a.jsonl");
    Parsed p = Check(all, c);
    EXPECT_EQ(p.exit, 254) << args[0];
    EXPECT_EQ(p.err,
              "jepsen-check: error: " + message + "\nRun with --help for more information.\n");
    EXPECT_EQ(p.err.find("179769313486231570"), std::string::npos);  // DBL_MAX's digits
  }
}

TEST(ParseCheckArgs, UnknownOptionsSuggestTheNearestKnownOne) {
  CheckCommand c;
  Parsed p = Check({"modle=kv", "a.jsonl"}, c);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("unknown option 'modle' in 'modle=kv'; did you mean 'model'?"),
            std::string::npos)
      << p.err;
  p = Check({"--workloads", "x", "a.jsonl"}, c);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("unknown option '--workloads'"), std::string::npos) << p.err;
  p = Check({"--time_limit=3", "a.jsonl"}, c);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("unknown option '--time_limit' in '--time_limit=3'; did you mean "
                       "'--time-limit'?"),
            std::string::npos)
      << p.err;
}

TEST(ParseCheckArgs, HelpExitsZeroAndShowsRanges) {
  CheckCommand c;
  Parsed p = Check({"--help"}, c);
  EXPECT_EQ(p.exit, 0);
  EXPECT_NE(p.out.find("[from 0 to 1000000]"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("[from 0, below 1]"), std::string::npos) << p.out;
  p = Check({}, c);
  EXPECT_EQ(p.exit, 254);  // no file
}

// --checker, --model and the checkers' own options come from the registry:
// every checker, model and declared option is in --help, and each option is
// taken in every form, checked as declared.
TEST(ParseCheckArgs, HelpAndCheckerOptionsComeFromTheRegistry) {
  CheckCommand c;
  Parsed p = Check({"--help"}, c);
  ASSERT_EQ(p.exit, 0);
  for (const checker::Checker& checker : checker::Checkers()) {
    EXPECT_NE(p.out.find(checker.name + " (" + checker.help + ")"), std::string::npos)
        << checker.name;
    for (const checker::ModelInfo& model : checker.models) {
      EXPECT_NE(p.out.find(" " + model.name), std::string::npos) << model.name;
    }
  }
  for (const options::Option& option : checker::CheckerOptions()) {
    EXPECT_NE(p.out.find("--" + option.name), std::string::npos) << option.name;
    EXPECT_NE(p.out.find(options::Describe(option)), std::string::npos) << option.name;
  }
  p = Check({"max-violations=3", "--nil-read", "any", "--initial={:x 0}", "a.jsonl"}, c);
  ASSERT_FALSE(p.exit) << p.err;
  EXPECT_EQ(c.checker_options.at("max-violations"), 3);
  EXPECT_EQ(c.checker_options.at("nil-read"), "any");
  EXPECT_EQ(c.checker_options.at("initial"), "{:x 0}");
  p = Check({"--nil-read", "anyy", "a.jsonl"}, c);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("unknown nil-read 'anyy'; did you mean 'any'? (known: auto, unset, any)"),
            std::string::npos)
      << p.err;
}

TEST(ParseRunArgs, KeyValueAndFlags) {
  RunArgs r;
  Parsed p =
      ParseRun({"workload=leases", "--nemesis", "kill,pause", "seed=18446744073709551615",
                "--drift=0.1", "--ttl-ms", "1500", "bug=stale-reads,token-reuse", "fsync=off"},
               r);
  ASSERT_FALSE(p.exit) << p.err;
  EXPECT_EQ(r.options.workload, "leases");
  EXPECT_EQ(r.options.nemesis, "kill,pause");
  EXPECT_EQ(r.options.seed, 18446744073709551615ull);
  EXPECT_EQ(r.options.options.Number("drift"), 0.1);
  EXPECT_EQ(r.options.options.Integer("ttl-ms"), 1500);
  EXPECT_EQ(r.options.options.List("bug"),
            (std::vector<std::string>{"stale-reads", "token-reuse"}));
  EXPECT_FALSE(r.options.options.On("fsync"));
}

// The nemesis' options come from the fault packages' declarations: the faults and targets
// offered, overlap, and each package's own options, with their help lines.
TEST(ParseRunArgs, NemesisOptionsAreTheFaultPackagesDeclarations) {
  RunArgs r;
  Parsed p = ParseRun(
      {"nemesis=kill,client-pause", "overlap=on", "client-pause-s=2.5", "target=minority,leader"},
      r);
  ASSERT_FALSE(p.exit) << p.err;
  EXPECT_TRUE(r.options.options.On("overlap"));
  EXPECT_EQ(r.options.targets, "minority,leader");
  EXPECT_EQ(r.options.options.Number("client-pause-s"), 2.5);
  RunArgs defaults;
  ASSERT_FALSE(ParseRun({}, defaults).exit);
  Result<runner::OwnedOptions> owned = runner::ResolveOptions(defaults.options);
  ASSERT_TRUE(owned.ok()) << owned.message();
  EXPECT_FALSE(owned->nemesis.On("overlap"));
  EXPECT_EQ(owned->nemesis.Number("client-pause-s"), 0);

  p = ParseRun({"overlap=maybe"}, r);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("--overlap: 'maybe' is not on or off"), std::string::npos) << p.err;
  p = ParseRun({"client-pause-s=-1"}, r);
  EXPECT_NE(p.err.find("--client-pause-s: '-1' is out of range; expected a number from 0 to "
                       "86400"),
            std::string::npos)
      << p.err;
  p = ParseRun({"target=half"}, r);
  EXPECT_NE(p.err.find("unknown target 'half'"), std::string::npos) << p.err;

  p = ParseRun({"--help"}, r);
  EXPECT_EQ(p.exit, 0);
  for (const char* shown :
       {"\n  overlap ", "[on or off] (default: off)", "\n  client-pause-s ", "client-pause: freeze",
        "partition: cut",
        "[comma-separated: none, all, kill, pause, partition, client-pause, power, torn, corrupt, "
        "disk-full, fsync-error, loss, slow, clock, client-clock]",
        "\n  clock-step ", "\n  clock-rate ", "clock: step a node's clock",
        "\n  client-clock-step ", "\n  client-clock-rate ", "client-clock: skew a client thread's",
        "[comma-separated: one, majority, minority, leader, all]"}) {
    EXPECT_NE(p.out.find(shown), std::string::npos) << shown << "\n" << p.out;
  }
}

TEST(ParseRunArgs, OutOfRangeNumbersAreUsageErrorsShowingTheRange) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"time-limit=9.3e9",
       "--time-limit: '9.3e9' is out of range; expected a number above 0, at most 1000000"},
      {"time-limit=0",
       "--time-limit: '0' is out of range; expected a number above 0, at most 1000000"},
      {"seed=-1",
       "--seed: '-1' is out of range; expected a whole number from 0 to 18446744073709551615"},
      {"seed=18446744073709551616",
       "--seed: '18446744073709551616' is out of range; expected a whole number from 0 to "
       "18446744073709551615"},
      {"drift=nan", "--drift: 'nan' is not a finite number; expected a number from 0 to 0.5"},
      {"rate=inf", "--rate: 'inf' is not a finite number; expected a number from 0 to 1000000"},
      {"concurrency=0",
       "--concurrency: '0' is out of range; expected a whole number from 1 to 1000"},
      {"keys=3.5", "--keys: '3.5' is not a whole number; expected a whole number from 1 to 100000"},
      {"ttl-ms=1e13",
       "--ttl-ms: '1e13' is not a whole number; expected a whole number from 0 to 86400000"},
      {"op-timeout=0.0001",
       "--op-timeout: '0.0001' is out of range; expected a number from 0.001 to 3600"},
      {"nemesis-interval=-5",
       "--nemesis-interval: '-5' is out of range; expected a number from 0.01 to 86400"},
      {"nodes=65", "--nodes: '65' is out of range; expected a whole number from 0 to 64"},
  };
  for (const auto& [arg, message] : cases) {
    RunArgs r;
    Parsed p = ParseRun({arg}, r);
    EXPECT_EQ(p.exit, 254) << arg;
    EXPECT_EQ(p.err, "jepsen-run: error: " + message + "\nRun with --help for more information.\n");
  }
}

TEST(ParseRunArgs, UnknownKeysAndNamesSuggestTheNearest) {
  RunArgs r;
  Parsed p = ParseRun({"workloads=register"}, r);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("unknown option 'workloads' in 'workloads=register'; did you mean "
                       "'workload'?"),
            std::string::npos)
      << p.err;
  p = ParseRun({"--workloads", "register"}, r);
  EXPECT_NE(p.err.find("unknown option '--workloads'; did you mean '--workload'?"),
            std::string::npos)
      << p.err;
  p = ParseRun({"nemesis=kill,paus"}, r);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("unknown nemesis 'paus'; did you mean 'pause'?"), std::string::npos)
      << p.err;
  p = ParseRun({"register"}, r);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("unexpected argument 'register'"), std::string::npos) << p.err;
}

// --help lists every option that anyone declares, grouped by who: the run, each workload, each
// system, the nemesis; each with its help, range or choices, and default.
TEST(ParseRunArgs, HelpComesFromTheDeclarations) {
  RunArgs r;
  Parsed p = ParseRun({"--help"}, r);
  ASSERT_EQ(p.exit, 0) << p.err;
  const std::vector<OptionSection> sections = RunOptionSections();
  std::vector<std::string> titles;
  for (const OptionSection& s : sections) titles.push_back(s.title.substr(0, s.title.find(':')));
  EXPECT_EQ(titles, (std::vector<std::string>{"The run", "workload=register", "workload=leases",
                                              "workload=checkpoints", "system=refstore",
                                              "system=exec", "system=etcd", "system=redis",
                                              "system=postgres", "The nemesis"}));
  size_t at = 0;  // sections and their options in order
  for (const OptionSection& s : sections) {
    at = p.out.find("\n" + s.title + ":\n", at);
    ASSERT_NE(at, std::string::npos) << s.title << "\n" << p.out;
    for (const options::Option& o : s.options) {
      const size_t line = p.out.find("\n  " + o.name + " ", at);
      ASSERT_NE(line, std::string::npos) << o.name << " in " << s.title;
      const std::string text = p.out.substr(line + 1, p.out.find('\n', line + 1) - line - 1);
      EXPECT_NE(text.find(" " + options::Describe(o)), std::string::npos) << text;
      at = line;
    }
  }
  // Ranges and choices come from the declarations, as they are checked.
  EXPECT_NE(p.out.find("[from 0 to 18446744073709551615]"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("stale-reads, lease-double-grant"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("[one of: linearizable, serializable]"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("none, all, kill, pause, partition, client-pause"), std::string::npos)
      << p.out;
}

TEST(ParseRunArgs, AnOptionOfAnotherSystemOrWorkloadNamesWhoseItIs) {
  RunArgs r;
  Parsed p = ParseRun({"reads=serializable"}, r);
  EXPECT_EQ(p.exit, 254);
  EXPECT_EQ(p.err,
            "jepsen-run: error: reads: an option of system=etcd; this run's system is refstore\n"
            "Run with --help for more information.\n");
  RunArgs exec;
  p = ParseRun({"system=exec", "client-cmd=cat", "bug=stale-reads"}, exec);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("bug: an option of system=refstore; this run's system is exec"),
            std::string::npos)
      << p.err;
  RunArgs registers;
  p = ParseRun({"workload=register", "drift=0.1"}, registers);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("drift: an option of workload=leases; this run's workload is register"),
            std::string::npos)
      << p.err;
  RunArgs etcd;
  p = ParseRun({"reads=serializable", "--nodes", "5", "system=etcd", "fencing=off"}, etcd);
  ASSERT_FALSE(p.exit) << p.err;
  EXPECT_EQ(etcd.options.system, "etcd");
  EXPECT_EQ(etcd.options.options.Text("reads"), "serializable");
  EXPECT_EQ(etcd.options.options.Integer("nodes"), 5);
  EXPECT_FALSE(etcd.options.options.On("fencing"));
}

TEST(ParseRunArgs, AListGathersEveryOccurrenceAndAValueIsGivenOnce) {
  RunArgs r;
  Parsed p = ParseRun({"bug=stale-reads", "--bug", "memory-only,token-reuse"}, r);
  ASSERT_FALSE(p.exit) << p.err;
  EXPECT_EQ(r.options.options.List("bug"),
            (std::vector<std::string>{"stale-reads", "memory-only", "token-reuse"}));
  p = ParseRun({"seed=1", "seed=2"}, r);
  EXPECT_EQ(p.exit, 254);
  EXPECT_NE(p.err.find("--seed"), std::string::npos) << p.err;
  RunArgs command;
  p = ParseRun({"--replay", "store/latest", "junit=out.xml"}, command);
  ASSERT_FALSE(p.exit) << p.err;
  EXPECT_EQ(command.replay, "store/latest");
  EXPECT_EQ(command.junit, "out.xml");
}

}  // namespace
}  // namespace jepsen::cli
