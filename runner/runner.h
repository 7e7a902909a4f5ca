// A test run: starts the system, drives clients and the nemesis from one
// generator on one libuv loop, records every event as it happens, heals,
// reads finally, checks the history and stores everything under
// store/<workload>-<nemesis>/<timestamp>/.
#ifndef JEPSEN_RUNNER_RUNNER_H_
#define JEPSEN_RUNNER_RUNNER_H_

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "checker/checker.h"
#include "options/option.h"

namespace jepsen::runner {

// A run as a program configures it. The run's own options are fields (declared for the
// command line in run_options.h); the workload's, the system's and the nemesis' own options go
// in `options` by name, as their owners declare them (workloads::WorkloadType::options,
// systems::SystemType::options, nemesis::Options()). An option that none of this run's parts
// takes is an error naming who does.
struct RunOptions {
  std::string workload = "register";
  std::string nemesis = "none";  // fault names (nemesis::NemesisNames()), comma-separated
  std::string system = "refstore";
  std::string targets = "one";  // whom faults hit: one, majority, minority, leader, all (a list)
  double time_limit_s = 30;
  int concurrency = 5;
  double rate = 0;    // ops/s across all clients; 0: as fast as they go
  uint64_t seed = 0;  // 0: from the clock (printed, so the run can be replayed)
  std::string store = "store";
  double nemesis_interval_s = 5;
  double op_timeout_s = 1;
  double recovery_s = 1;   // after healing, before the final reads
  std::string binary_dir;  // where jepsen-refstore lives; "" = next to this program
  // By name, each of its option's Json type or as text: {"bug": ["memory-only"]},
  // {"fencing": false}, {"ttl-ms": 400}, {"node-cmd": "..."}; the rest keep their defaults.
  options::Values options;
};

struct RunReport {
  std::string dir;  // the run's store directory
  checker::Verdict verdict = checker::Verdict::kUnknown;
  std::vector<checker::CheckResult> results;
  int64_t ops = 0, ok = 0, fail = 0, info = 0;
  int64_t faults = 0;  // faults that took effect (checker::FaultVocabulary::IsFault)
  std::map<std::string, int64_t> faults_by_kind;  // those by fault kind ("kill": 3)
  int64_t failed_faults = 0;                      // faults the nemesis could not carry out
  double elapsed_s = 0;  // how long the run ran (a replay: as its results.json says)
  double check_s = 0;    // how long checking the stored history took
  bool interrupted = false;
  // results.json, report.html or store/index.html could not be written (naming it, and why):
  // the verdict stands, the record is incomplete, and jepsen-run exits 254.
  std::string write_error;
};

// Runs the test; progress and the final summary go to `out` (a live line when
// `live`). Errors: bad options, a system that cannot start, an unwritable store.
Result<RunReport> Run(const RunOptions& options, std::ostream& out, bool live);

// Checks a stored run again from its history.jsonl (`dir` as Run() made it) and rewrites its
// results.json (verdict, counts, checks; "rechecked": true) and report.html to match.
Result<RunReport> Replay(const std::string& dir);

// One violation a checker reported, for tests that assert on them.
struct Violation {
  std::string checker;  // "linearizable", "leases", "checkpoints"
  std::string kind;     // "L1".."L4", "C1".."C4", or "linearizability"
  history::Json key;    // the register, resource or stream
  std::string text;     // the explanation
};
std::vector<Violation> Violations(const RunReport& report);

}  // namespace jepsen::runner

#endif  // JEPSEN_RUNNER_RUNNER_H_
