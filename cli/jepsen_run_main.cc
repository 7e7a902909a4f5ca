// jepsen-run: one command, a real test: starts the system, drives clients
// while the nemesis injects faults, records the history, checks it.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "checker/junit.h"
#include "runner/runner.h"

namespace {

// `key=value` arguments are the same as `--key value` flags.
std::vector<std::string> Normalize(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    size_t eq = a.find('=');
    if (a.rfind("-", 0) != 0 && eq != std::string::npos && eq > 0) {
      args.push_back("--" + a.substr(0, eq));
      args.push_back(a.substr(eq + 1));
    } else {
      args.push_back(a);
    }
  }
  return args;
}

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

// "3.01 s": a duration as the summary shows it.
std::string Seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", s);
  return text;
}

void PrintSummary(const jepsen::runner::RunReport& report, bool replayed) {
  using jepsen::checker::Verdict;
  std::cout << "\n" << report.dir << (replayed ? " (re-checked)" : "") << "\n";
  std::cout << "verdict: " << jepsen::checker::ToString(report.verdict)
            << (report.interrupted ? " (interrupted; what was recorded was checked)" : "") << " · "
            << report.ops << " ops (ok " << report.ok << ", fail " << report.fail << ", info "
            << report.info << ") · " << report.faults << " faults"
            << (report.failed_faults > 0
                    ? " (" + std::to_string(report.failed_faults) + " more failed)"
                    : std::string())
            << " · " << (replayed ? "ran " : "") << Seconds(report.elapsed_s)
            << (replayed ? ", re-checked in " : " (checked in ") << Seconds(report.check_s)
            << (replayed ? "" : ")") << "\n";
  for (const auto& r : report.results) {
    std::cout << "  " << r.checker << ": " << r.summary << "\n";
    if (r.verdict != Verdict::kValid) {
      std::istringstream lines(r.explanation);
      for (std::string line; std::getline(lines, line);) std::cout << "    " << line << "\n";
    }
  }
  std::cout << "store: " << report.dir << " (history.jsonl, results.json, run.log, report.html)\n"
            << "re-check: jepsen-check " << report.dir << "/history.jsonl\n";
}

}  // namespace

int main(int argc, char** argv) {
  jepsen::runner::RunOptions o;
  std::vector<std::string> bugs;
  CLI::App app{
      "Runs a test: workload clients against a system while a nemesis injects faults; records "
      "history.jsonl and checks it.\nArguments are key=value (or --key value).\n"
      "Exit codes: 0 valid, 1 invalid, 2 unknown, 254 bad usage, 255 internal error.",
      "jepsen-run"};
  app.add_option("--workload", o.workload, "register, leases or checkpoints")
      ->check(CLI::IsMember({"register", "leases", "checkpoints"}))
      ->capture_default_str();
  app.add_option("--nemesis", o.nemesis,
                 "none, kill, pause, partition (network namespaces; root) or client-pause (a "
                 "client frozen past its lease); comma-separated to combine: kill,partition")
      ->check([](const std::string& value) -> std::string {
        for (const std::string& f : SplitCommas({value})) {
          if (f != "none" && f != "kill" && f != "pause" && f != "partition" &&
              f != "client-pause") {
            return "unknown nemesis '" + f +
                   "' (known: none, kill, pause, partition, client-pause)";
          }
        }
        return "";
      })
      ->capture_default_str();
  app.add_option("--target", o.targets,
                 "Whom node faults hit, comma-separated (one picked per fault): one, majority, "
                 "minority, leader, all")
      ->check([](const std::string& value) -> std::string {
        for (const std::string& t : SplitCommas({value})) {
          if (t != "one" && t != "majority" && t != "minority" && t != "leader" && t != "all") {
            return "unknown target '" + t + "' (known: one, majority, minority, leader, all)";
          }
        }
        return "";
      })
      ->capture_default_str();
  app.add_option("--system", o.system,
                 "refstore (the bundled reference store), etcd (a cluster of the Debian etcd) or "
                 "exec (your own: node-cmd, client-cmd)")
      ->check(CLI::IsMember({"refstore", "etcd", "exec"}))
      ->capture_default_str();
  app.add_option("--node-cmd", o.node_cmd,
                 "system=exec: shell command starting one node; {node}, {port}, {data_dir} are "
                 "filled in (leave out when the system lives inside the adapter)");
  app.add_option("--client-cmd", o.client_cmd,
                 "system=exec: shell command starting the client adapter (docs/exec-protocol.md)");
  app.add_option("--nodes", o.nodes,
                 "system=exec or etcd: how many nodes (0: 1 for exec, 3 for etcd)")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  app.add_option("--reads", o.reads,
                 "system=etcd: linearizable (quorum) or serializable (any member's own state, "
                 "possibly stale)")
      ->check(CLI::IsMember({"linearizable", "serializable"}))
      ->capture_default_str();
  std::string fencing = "on";
  app.add_option("--fencing", fencing,
                 "system=etcd, workload=leases: on: the protected resource is written by a txn "
                 "comparing the lock's create_revision to the token; off: by a plain put")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  app.add_option("--time-limit", o.time_limit_s, "Seconds of the main phase")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--concurrency", o.concurrency, "Client threads")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--rate", o.rate, "Ops per second across clients (0: as fast as they go)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--seed", o.seed, "Seed of every random choice (0: from the clock)")
      ->capture_default_str();
  app.add_option("--bug", bugs,
                 "Planted bug(s) of the reference store, comma-separated: stale-reads, "
                 "lease-double-grant, token-reuse, unfenced-writes, renew-expired, "
                 "ack-before-durable, memory-only, checkpoint-regress");
  std::string fsync = "on";
  app.add_option("--fsync", fsync,
                 "on: the store's commits survive power loss; off: they survive process kills "
                 "(the faults injected here) and run much faster")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  app.add_option("--store", o.store, "Where runs are stored")->capture_default_str();
  app.add_option("--nemesis-interval", o.nemesis_interval_s,
                 "Seconds between faults (and each lasts as long)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--op-timeout", o.op_timeout_s, "Seconds before an op is recorded as info")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--keys", o.keys, "Registers, lease resources or checkpoint streams")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--ttl-ms", o.ttl_ms, "Lease time to live (0: 1000, or 2000 for etcd)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--drift", o.drift, "Clock drift bound the lease checker allows")
      ->check(CLI::Range(0.0, 0.5))
      ->capture_default_str();
  std::string junit, replay;
  app.add_option("--junit", junit,
                 "Also write a JUnit XML report here (one test case per checker)");
  app.add_option("--replay", replay,
                 "Re-check a stored run (a directory holding history.jsonl) instead of running; "
                 "its results.json and report.html are rewritten");
  std::vector<std::string> args = Normalize(argc, argv);
  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 254;
  }
  o.bugs = SplitCommas(bugs);
  o.fsync = fsync == "on";
  o.fencing = fencing == "on";
  try {
    jepsen::Result<jepsen::runner::RunReport> report =
        replay.empty() ? jepsen::runner::Run(o, std::cout, ::isatty(STDOUT_FILENO) != 0)
                       : jepsen::runner::Replay(replay);
    if (!report.ok()) {
      std::cerr << "jepsen-run: error: " << report.message() << "\n";
      return 254;
    }
    PrintSummary(*report, !replay.empty());
    int code = jepsen::checker::ExitCode(report->verdict);
    if (!report->write_error.empty()) {
      std::cerr << "jepsen-run: error: " << report->write_error << "\n";
      code = 254;  // the verdict above stands, but its record is incomplete
    }
    if (!junit.empty()) {
      std::ofstream out(junit);
      out << jepsen::checker::ToJUnit(
          {jepsen::checker::JUnitSuite{report->dir, report->results, report->elapsed_s, ""}});
      if (!out) {
        std::cerr << "jepsen-run: error: cannot write " << junit << "\n";
        return 254;
      }
    }
    return code;
  } catch (const std::exception& e) {
    std::cerr << "jepsen-run: internal error: " << e.what() << "\n";
    return 255;
  }
}
