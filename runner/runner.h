// A test run: starts the system, drives clients and the nemesis from one
// generator on one libuv loop, records every event as it happens, heals,
// reads finally, checks the history and stores everything under
// store/<workload>-<nemesis>/<timestamp>/.
#ifndef JEPSEN_RUNNER_RUNNER_H_
#define JEPSEN_RUNNER_RUNNER_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "checker/checker.h"

namespace jepsen::runner {

struct RunOptions {
  std::string workload = "register";
  std::string nemesis = "none";
  std::string system = "refstore";
  std::string node_cmd;    // system=exec: starts one node ({node}, {port}, {data_dir})
  std::string client_cmd;  // system=exec: starts the client adapter
  int nodes = 1;           // system=exec: how many nodes node_cmd starts
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
  int64_t ttl_ms = 1000;
  double drift = 0.01;
  double recovery_s = 1;  // after healing, before the final reads
  std::string binary_dir;  // where jepsen-refstore lives; "" = next to this program
};

struct RunReport {
  std::string dir;  // the run's store directory
  checker::Verdict verdict = checker::Verdict::kUnknown;
  std::vector<checker::CheckResult> results;
  int64_t ops = 0, ok = 0, fail = 0, info = 0, faults = 0;
  double elapsed_s = 0;
  bool interrupted = false;
};

// Runs the test; progress and the final summary go to `out` (a live line when
// `live`). Errors: bad options, a system that cannot start, an unwritable store.
Result<RunReport> Run(const RunOptions& options, std::ostream& out, bool live);

// Checks a stored run again from its history.jsonl (`dir` as Run() made it).
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
