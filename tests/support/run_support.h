// Helpers for end-to-end tests that run jepsen-run in-process.
#ifndef JEPSEN_TESTS_SUPPORT_RUN_SUPPORT_H_
#define JEPSEN_TESTS_SUPPORT_RUN_SUPPORT_H_

#include <string>
#include <vector>

#include "runner/runner.h"

namespace jepsen::testing {

// A store directory private to this test process: <tmp>/<name>-<pid>. It and its siblings
// (<tmp>/<name>-<pid>-...) are removed after the tests when all passed.
std::string StoreDir(const std::string& name);
// Runs and fails the test (not aborts) when the run cannot start.
runner::RunReport MustRun(const runner::RunOptions& options);
// The checkers' summaries and explanations, the run log and where the run is, for failure
// messages.
std::string Explain(const runner::RunReport& report);
// The run's results.json, parsed; fails the test (and gives null) when it cannot be read.
history::Json StoredResults(const runner::RunReport& report);
// The ops of a stored run recorded "timed out", and those of them that had not waited the whole
// op timeout (by the history's clock), described.
struct Timeouts {
  int64_t timed_out = 0;
  std::vector<std::string> early;
};
Timeouts OpTimeouts(const runner::RunReport& report, double op_timeout_s);
// Live (not zombie) processes whose command line mentions `text` — by content, never by name.
std::vector<int> ProcessesMentioning(const std::string& text);
// Live processes working in `dir` or under it (PostgreSQL's retitle themselves, but each works
// in its data directory): "process <pid> in <cwd>" each.
std::vector<std::string> ProcessesWorkingIn(const std::string& dir);
// The network namespaces a jepsen-run of pid `pid` made and left (/run/netns).
std::vector<std::string> NamespacesOf(int pid);
// Makes `options` a run of the Python example service (examples/taskstore) under system=exec,
// its node started with `--unsafe <unsafe>` unless that is empty.
void UseTaskstore(runner::RunOptions& options, const std::string& unsafe);

}  // namespace jepsen::testing

#endif  // JEPSEN_TESTS_SUPPORT_RUN_SUPPORT_H_
