// What decided a run's verdict, as a person reads it: the system, workload,
// nemesis and its targets, the options that change what a system promises
// (fencing, reads, sync, appendfsync, synchronous_commit, ...), the bugs
// switched on, the seed and the duration. The run page's RUN table and the
// store index's columns are both this list.
#ifndef JEPSEN_CHECKER_REPORT_RUN_SETTINGS_H_
#define JEPSEN_CHECKER_REPORT_RUN_SETTINGS_H_

#include <string>
#include <vector>

#include "history/history.h"

namespace jepsen::checker::report {

struct Setting {
  std::string name;  // "system", "fencing", "duration"...
  std::string text;  // as shown: "on", "always", "7.0 s", "none"
};

// The options that decide a verdict, in the order they are shown.
const std::vector<std::string>& DecidingOptions();

// From a history's header and, for jepsen-run, its results.json (`run`,
// which wins where both have a field): system, workload, nemesis (with
// options.targets), each deciding option the header's options hold, bugs
// ("none" when empty), seed, clients (options.concurrency), duration
// (results' elapsed_s, rounded). Fields neither has are left out.
std::vector<Setting> DecidingSettings(const history::Json& header, const history::Json& run);

}  // namespace jepsen::checker::report

#endif  // JEPSEN_CHECKER_REPORT_RUN_SETTINGS_H_
