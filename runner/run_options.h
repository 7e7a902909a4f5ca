// The run's own options, declared once for jepsen-run's command line, --help
// and validation, each with the RunOptions field it sets; and how a run's
// other options are found their owner: its workload, its system or the
// nemesis.
#ifndef JEPSEN_RUNNER_RUN_OPTIONS_H_
#define JEPSEN_RUNNER_RUN_OPTIONS_H_

#include <functional>
#include <string_view>
#include <vector>

#include "options/option.h"
#include "runner/runner.h"

namespace jepsen::runner {

using history::Json;

struct RunOption {
  options::Option option;
  std::function<void(RunOptions&, const Json&)> set;  // a value options::Parse or Validate gave
  std::function<Json(const RunOptions&)> get;
};

// workload, system, time-limit, concurrency, rate, seed, store, op-timeout, and
// the nemesis' options that RunOptions holds as fields (nemesis, target,
// nemesis-interval: declared by nemesis::Options()). Their defaults are
// RunOptions' own.
const std::vector<RunOption>& RunOptionTable();
const RunOption* FindRunOption(std::string_view name);

// The options of a run's workload, system and nemesis: every one they declare,
// at its default unless RunOptions::options gives it.
struct OwnedOptions {
  options::Values workload;
  options::Values system;
  options::Values nemesis;  // those of nemesis::Options() that are no RunOptions field
};
// Errors: an unknown workload or system; a value out of its range; an option
// that no part of this run takes, naming the parts that do ("reads: an option
// of system=etcd; this run's system is refstore").
Result<OwnedOptions> ResolveOptions(const RunOptions& options);

}  // namespace jepsen::runner

#endif  // JEPSEN_RUNNER_RUN_OPTIONS_H_
