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

struct RunOptions {
  std::string workload = "register";
  std::string nemesis = "none";  // fault names (nemesis::NemesisNames()), comma-separated
  bool overlap = false;  // every fault on a schedule of its own, at once; else one at a time
  // Values of the fault packages' own options (nemesis::PackageOptions()); unset: the default.
  options::Values nemesis_options;
  std::string system = "refstore";
  std::string node_cmd;    // system=exec: starts one node ({node}, {port}, {data_dir})
  std::string client_cmd;  // system=exec: starts the client adapter
  int nodes = 0;           // exec, etcd: how many nodes; 0: 1 for exec, 3 for etcd
  std::string reads = "linearizable";  // etcd: or "serializable" (any member, its own state)
  bool fencing = true;     // etcd leases: writes compare the lock's revision to the token
  std::string targets = "one";  // whom faults hit: one, majority, minority, leader, all (a list)
  double time_limit_s = 30;
  int concurrency = 5;
  double rate = 0;  // ops/s across all clients; 0: as fast as they go
  uint64_t seed = 0;  // 0: from the clock (printed, so the run can be replayed)
  std::vector<std::string> bugs;
  bool fsync = true;  // the store's commits survive power loss; off: process kills only
  std::string store = "store";
  double nemesis_interval_s = 5;
  double op_timeout_s = 1;
  int keys = 3;
  int64_t ttl_ms = 0;  // leases; 0: 1000, or 2000 for etcd (whole seconds, at least 2)
  double drift = 0.01;
  double recovery_s = 1;  // after healing, before the final reads
  std::string binary_dir;  // where jepsen-refstore lives; "" = next to this program
};

struct RunReport {
  std::string dir;  // the run's store directory
  checker::Verdict verdict = checker::Verdict::kUnknown;
  std::vector<checker::CheckResult> results;
  int64_t ops = 0, ok = 0, fail = 0, info = 0;
  int64_t faults = 0;  // faults that took effect (checker::FaultVocabulary::IsFault)
  std::map<std::string, int64_t> faults_by_kind;  // those by fault kind ("kill": 3)
  int64_t failed_faults = 0;  // faults the nemesis could not carry out
  double elapsed_s = 0;       // how long the run ran (a replay: as its results.json says)
  double check_s = 0;         // how long checking the stored history took
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
