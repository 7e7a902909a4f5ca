// jepsen-run's command line: options as `key=value`, `--key value` or
// `--key=value`, and --help, all from the declarations of those who take
// them: the run (runner/run_options.h), each workload, each system and the
// nemesis. Values are checked against their declarations; an option of a
// workload or system other than the run's is an error naming whose it is.
#ifndef JEPSEN_CLI_RUN_OPTIONS_H_
#define JEPSEN_CLI_RUN_OPTIONS_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "options/option.h"
#include "runner/runner.h"

namespace jepsen::cli {

struct RunArgs {
  runner::RunOptions options;
  std::string junit;   // "" = none; else a JUnit XML report here
  std::string replay;  // "" = run a test; else re-check this stored run
};

// A group of options as --help shows it.
struct OptionSection {
  std::string title;  // "The run", "workload=leases: ...", "system=etcd: ...", "The nemesis"
  std::vector<options::Option> options;
};
// Every option jepsen-run takes, by who declares it, in --help's order.
std::vector<OptionSection> RunOptionSections();

// Parses `args` (without the program name) into `run`. Returns the exit code
// when jepsen-run should stop now: 0 after printing --help to `out`, 254 for
// bad usage (the message on `err`); nullopt to go on.
std::optional<int> ParseRunArgs(const std::vector<std::string>& args, RunArgs& run,
                                std::ostream& out, std::ostream& err);

}  // namespace jepsen::cli

#endif  // JEPSEN_CLI_RUN_OPTIONS_H_
