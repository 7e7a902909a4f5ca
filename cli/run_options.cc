#include "cli/run_options.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "cli/options.h"
#include "nemesis/nemesis.h"
#include "nemesis/options.h"
#include "systems/refstore/store.h"

namespace jepsen::cli {
namespace {

std::vector<std::string> SplitCommas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find(',', start);
      if (end == std::string::npos) end = v.size();
      if (end > start) out.push_back(v.substr(start, end - start));
      start = end + 1;
    }
  }
  return out;
}

// A validator: one of `known` or, with `list`, several of them comma-separated;
// a wrong name is answered with the nearest known one.
CLI::Validator OneOf(const std::string& what, const std::vector<std::string>& known,
                     bool list = false) {
  std::string names;
  for (const std::string& k : known) names += (names.empty() ? "" : ", ") + k;
  return CLI::Validator(
      [=](const std::string& value) -> std::string {
        for (const std::string& item : list ? SplitCommas({value}) : std::vector{value}) {
          if (std::find(known.begin(), known.end(), item) != known.end()) continue;
          const std::string nearest = NearestName(item, known);
          return "unknown " + what + " '" + item + "'" +
                 (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") +
                 " (known: " + names + ")";
        }
        return "";
      },
      "");
}

// The nemesis' declaration of option `name` (nemesis::Options()).
options::Option NemesisOption(const std::string& name) {
  for (options::Option& o : nemesis::Options()) {
    if (o.name == name) return o;
  }
  return options::Text(name, "", "");
}

// Adds `--name` as declared: its help line (choices, default) and its parser's checks.
CLI::Option* AddDeclared(CLI::App& app, const options::Option& option, std::string& text) {
  return app.add_option("--" + option.name, text, options::Describe(option))
      ->check(CLI::Validator(
          [option](const std::string& value) {
            Result<options::Json> parsed = options::Parse(option, value);
            if (parsed.ok()) return std::string();
            // CLI11 names the option already.
            const std::string named = option.name + ": ";
            const std::string& message = parsed.message();
            return message.rfind(named, 0) == 0 ? message.substr(named.size()) : message;
          },
          ""));
}

}  // namespace

std::optional<int> ParseRunArgs(const std::vector<std::string>& args, RunArgs& run,
                                std::ostream& out, std::ostream& err) {
  runner::RunOptions& o = run.options;
  std::vector<std::string> bugs;
  CLI::App app{
      "Runs a test: workload clients against a system while a nemesis injects faults; records "
      "history.jsonl and checks it.\nArguments are key=value (or --key value).\n"
      "Exit codes: 0 valid, 1 invalid, 2 unknown, 254 bad usage, 255 internal error.",
      "jepsen-run"};
  app.add_option("--workload", o.workload, "register, leases or checkpoints")
      ->check(OneOf("workload", {"register", "leases", "checkpoints"}))
      ->capture_default_str();
  AddDeclared(app, NemesisOption("nemesis"), o.nemesis);
  AddDeclared(app, NemesisOption("target"), o.targets);
  const options::Option overlap_option = NemesisOption("overlap");
  std::string overlap = options::ValueText(overlap_option.fallback);
  AddDeclared(app, overlap_option, overlap);
  app.add_option("--system", o.system,
                 "refstore (the bundled reference store), etcd (a cluster of the Debian etcd) or "
                 "exec (your own: node-cmd, client-cmd)")
      ->check(OneOf("system", {"refstore", "etcd", "exec"}))
      ->capture_default_str();
  app.add_option("--node-cmd", o.node_cmd,
                 "system=exec: shell command starting one node; {node}, {port}, {data_dir} are "
                 "filled in (leave out when the system lives inside the adapter)");
  app.add_option("--client-cmd", o.client_cmd,
                 "system=exec: shell command starting the client adapter (docs/exec-protocol.md)");
  AddNumber(app, "--nodes", o.nodes, {0, 64},
            "system=exec or etcd: how many nodes (0: 1 for exec, 3 for etcd)");
  app.add_option("--reads", o.reads,
                 "system=etcd: linearizable (quorum) or serializable (any member's own state, "
                 "possibly stale)")
      ->check(OneOf("reads", {"linearizable", "serializable"}))
      ->capture_default_str();
  std::string fencing = "on";
  app.add_option("--fencing", fencing,
                 "system=etcd, workload=leases: on: the protected resource is written by a txn "
                 "comparing the lock's create_revision to the token; off: by a plain put")
      ->check(OneOf("value", {"on", "off"}))
      ->capture_default_str();
  AddNumber(app, "--time-limit", o.time_limit_s, {0, 1000000, true}, "Seconds of the main phase");
  AddNumber(app, "--concurrency", o.concurrency, {1, 1000}, "Client threads");
  AddNumber(app, "--rate", o.rate, {0, 1000000},
            "Ops per second across clients (0: as fast as they go)");
  AddNumber(app, "--seed", o.seed, {0, std::numeric_limits<uint64_t>::max()},
            "Seed of every random choice (0: from the clock)");
  std::string bug_help = "Planted bug(s) of the reference store, comma-separated:";
  for (const std::string& name : systems::refstore::BugNames()) bug_help += " " + name;
  app.add_option("--bug", bugs, bug_help);
  std::string fsync = "on";
  app.add_option("--fsync", fsync,
                 "on: the store's commits survive power loss; off: they survive process kills "
                 "(the faults injected here) and run much faster")
      ->check(OneOf("value", {"on", "off"}))
      ->capture_default_str();
  app.add_option("--store", o.store, "Where runs are stored")->capture_default_str();
  // The fault packages' own options, each as its package declares it.
  const std::vector<options::Option> package_options = nemesis::PackageOptions();
  std::vector<std::string> package_texts(package_options.size());
  for (size_t i = 0; i < package_options.size(); ++i) {
    package_texts[i] = options::ValueText(package_options[i].fallback);
    AddDeclared(app, package_options[i], package_texts[i]);
  }
  const options::Option interval = NemesisOption("nemesis-interval");
  AddNumber(app, "--nemesis-interval", o.nemesis_interval_s, interval.numbers, interval.help);
  AddNumber(app, "--op-timeout", o.op_timeout_s, {0.001, 3600},
            "Seconds before an op is recorded as info");
  AddNumber(app, "--keys", o.keys, {1, 100000}, "Registers, lease resources or checkpoint streams");
  AddNumber(app, "--ttl-ms", o.ttl_ms, {0, 86400000},
            "Lease time to live in ms (0: 1000, or 2000 for etcd)");
  AddNumber(app, "--drift", o.drift, {0, 0.5}, "Clock drift bound the lease checker allows");
  app.add_option("--junit", run.junit,
                 "Also write a JUnit XML report here (one test case per checker)");
  app.add_option("--replay", run.replay,
                 "Re-check a stored run (a directory holding history.jsonl) instead of running; "
                 "its results.json and report.html are rewritten");
  std::optional<int> exit = ParseArguments(
      app, args, [](const std::string&) { return true; }, out, err);
  if (exit) return exit;
  o.bugs = SplitCommas(bugs);
  o.overlap = options::Parse(overlap_option, overlap).value().get<bool>();
  for (size_t i = 0; i < package_options.size(); ++i) {
    o.nemesis_options.Set(package_options[i].name,
                          options::Parse(package_options[i], package_texts[i]).value());
  }
  o.fsync = fsync == "on";
  o.fencing = fencing == "on";
  return std::nullopt;
}

}  // namespace jepsen::cli
